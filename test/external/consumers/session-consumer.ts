// A TypeScript consumer that uses express-session with @types/express-session: the store
// sessionStore() returns is accepted where express-session expects its Store.
import express from 'express';
import session from 'express-session';
import { createAccountRouter, type ExpressSessionStore } from 'account-router';

const accounts = createAccountRouter();
const store: ExpressSessionStore = accounts.sessionStore({ tie: true, defaultMaxAgeMs: 3_600_000 });

const app = express();
app.use('/v1', accounts);
app.use(session({ store, secret: 'typed', resave: false, saveUninitialized: false }));
app.get('/tie', (req, res) => {
  store.length((error, length) => res.json({ error: error ? String(error) : null, length, sid: req.session.id }));
});
