// Starts account-router in-process on a real port, the way a host app mounts it.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createAccountRouter, type AccountRouter, type AccountRouterOptions } from '../../lib';
import { createSqliteAdapter } from '../../adapters/sqlite';

export interface TestServer {
  /** Base URL of the mount point, e.g. http://127.0.0.1:1234/v1 — the SDK's endpoint. */
  endpoint: string;
  origin: string;
  router: AccountRouter;
  app: express.Express;
  close(): Promise<void>;
}

/** Fast bcrypt (cost 4) and an in-memory SQLite unless the test says otherwise. */
export function testRouter(options: AccountRouterOptions = {}): AccountRouter {
  return createAccountRouter({
    storage: createSqliteAdapter({ filename: ':memory:' }),
    password: { bcryptCost: 4 },
    rateLimits: false,
    logger: { error: () => undefined, warn: () => undefined },
    ...options,
  });
}

export async function startTestServer(options: AccountRouterOptions = {}): Promise<TestServer> {
  const router = testRouter(options);
  const app = express();
  app.use('/v1', router);
  app.get('/me', router.requireAccount, (req, res) => {
    res.json({ id: req.account!.user.id, via: req.account!.via });
  });
  await router.ready();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: `${origin}/v1`,
    origin,
    router,
    app,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await router.close();
    },
  };
}
