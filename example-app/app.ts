// The example app: an ordinary Express app that mounts account-router at /v1, configured from
// the environment variables listed in the README (and ../shared/CONTRACT.md).
import express from 'express';
import { createAccountRouter, type AccountRouter } from '../lib';
import { createSqliteAdapter } from '../adapters/sqlite';

export interface ExampleConfig {
  port: number;
  host: string;
  database: string;
  projectId: string;
  publicUrl: string;
  allowedHosts: string[];
  rateLimits: boolean;
  secret: string | undefined;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  return {
    port,
    host,
    database: env.ACCOUNT_DATABASE ?? './data/account.sqlite',
    projectId: env.ACCOUNT_PROJECT_ID ?? 'default',
    publicUrl: env.ACCOUNT_PUBLIC_URL ?? `http://${host}:${port}/v1`,
    allowedHosts: (env.ACCOUNT_ALLOWED_HOSTS ?? 'localhost,127.0.0.1').split(',').map((h) => h.trim()).filter(Boolean),
    rateLimits: env.ACCOUNT_RATE_LIMITS !== 'off',
    secret: env.ACCOUNT_SECRET || undefined,
  };
}

function landingPage(config: ExampleConfig): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>account-router example</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; line-height: 1.5">
<h1>account-router</h1>
<p>This Express app serves the Appwrite Account API at <code>${config.publicUrl}</code>, stored in SQLite.</p>
<p>Point the official <code>appwrite</code> SDK at it:</p>
<pre>import { Client, Account, ID } from 'appwrite';
const client = new Client().setEndpoint('${config.publicUrl}').setProject('${config.projectId}');
const account = new Account(client);
await account.create(ID.unique(), 'me@example.com', 'a long password');
await account.createEmailPasswordSession('me@example.com', 'a long password');
console.log(await account.get());</pre>
</body></html>`;
}

export function createExampleApp(config: ExampleConfig): { app: express.Express; accounts: AccountRouter } {
  const accounts = createAccountRouter({
    storage: createSqliteAdapter({ filename: config.database }),
    projectId: config.projectId,
    allowedHosts: config.allowedHosts,
    secret: config.secret,
    rateLimits: config.rateLimits,
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => {
    res.type('html').send(landingPage(config));
  });
  app.use('/v1', accounts);
  // The host app's own route, protected by the router's middleware.
  app.get('/me', accounts.requireAccount, (req, res) => {
    res.json({ id: req.account!.user.id, email: req.account!.user.email });
  });
  return { app, accounts };
}
