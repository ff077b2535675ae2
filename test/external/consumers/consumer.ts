// A TypeScript consumer using the public types: options, the adapter interface, records, req.account.
import express from 'express';
import { createAccountRouter, ConflictError, type AccountRouterOptions, type StorageAdapter, type UserRecord, type AccountRouter } from 'account-router';
import { createSqliteAdapter } from 'account-router/adapters/sqlite';

const storage: StorageAdapter = createSqliteAdapter({ filename: ':memory:' });
const options: AccountRouterOptions = { storage, projectId: 'typed', cookie: { sameSite: 'strict' }, session: { maxPerUser: 3 } };
const router: AccountRouter = createAccountRouter(options);

const app = express();
app.use('/v1', router);
app.get('/me', router.requireAccount, (req, res) => {
  const user: UserRecord = req.account!.user;
  const via: 'session' | 'jwt' = req.account!.via;
  res.json({ id: user.id, email: user.email, via });
});

export function isConflict(error: unknown): boolean {
  return error instanceof ConflictError && error.field === 'email';
}
