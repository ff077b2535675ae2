// A CommonJS consumer that uses express-session through the packed package: sessionStore() loads
// the user's express-session (an optional peer) and the store round-trips a session.
const express = require('express');
const session = require('express-session');
const { createAccountRouter } = require('account-router');
const { createSqliteAdapter } = require('account-router/adapters/sqlite');

const accounts = createAccountRouter({ storage: createSqliteAdapter({ filename: ':memory:' }) });
const store = accounts.sessionStore();
express().use(session({ store, secret: 'packed', resave: false, saveUninitialized: false }));
const expires = new Date(Date.now() + 60_000);
store.set('sid', { cookie: { expires }, views: 3 }, (error) => {
  if (error) throw error;
  store.get('sid', async (readError, data) => {
    if (readError) throw readError;
    console.log(JSON.stringify({ isStore: store instanceof session.Store, data }));
    await accounts.close();
  });
});
