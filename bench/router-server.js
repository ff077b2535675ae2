// account-router as a host app mounts it: createAccountRouter at /v1 in Express 5, rate limits off,
// on a SQLite file or (with `postgres` in BENCH_SERVER) a PostgreSQL schema. Started by bench/run.js (IPC: {type:'ready', port} once listening). Exits
// through process.exit on SIGTERM so that `--cpu-prof` writes its profile.
'use strict';
const path = require('node:path');
const express = require('express');

const dist = path.join(__dirname, '..', 'dist');
const { createAccountRouter } = require(path.join(dist, 'lib'));
const { createBenchStorage } = require('./storage');

const { filename, postgres, secret, bcryptCost, apiKey, idp } = JSON.parse(process.env.BENCH_SERVER || '{}');

/** The identity-provider rows' public client, and the host API its tokens are for. */
const BENCH_CLIENT = { id: 'bench', name: 'Bench', redirectUris: ['http://127.0.0.1:9/cb'] };

async function main() {
  const router = createAccountRouter({
    storage: createBenchStorage({ filename, postgres }),
    rateLimits: false,
    secret,
    ...(bcryptCost ? { password: { bcryptCost } } : {}),
    // The Users API rows list users with a read-only key, as a backend would.
    ...(apiKey ? { apiKeys: [{ secret: apiKey, scopes: ['users.read'], name: 'bench' }] } : {}),
    // The token-endpoint and requireAccessToken rows: an authorization server with one public client.
    ...(idp ? { identityProvider: { clients: [BENCH_CLIENT] } } : {}),
  });
  const app = express();
  app.use('/v1', router);
  if (idp) app.get('/api/me', router.requireAccessToken({ resource: '/api' }), (req, res) => res.json({ id: req.accessToken.userId }));
  await router.ready();
  const server = app.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', port: server.address().port }));
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    router.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('disconnect', shutdown); // the bench died: never outlive it
}

main().catch((error) => {
  process.send?.({ type: 'error', error: String(error && error.stack ? error.stack : error) });
  process.exit(1);
});
