// The example app: an ordinary Express app that mounts account-router at /v1, configured from
// the environment variables listed in the README (and ../shared/CONTRACT.md).
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { createOutbox, type Outbox } from './outbox';
import { createAccountRouter, createSmtpMailer, createWebhookSms, type AccountRouter, type Mailer, type SmsSender } from '../lib';
import { createSqliteAdapter } from '../adapters/sqlite';
import { createClient } from 'redis';
import { createPostgresAdapter } from '../adapters/postgres';
import { createRedisRateLimitStore, OAUTH2_PROVIDER_KEYS, type OAuth2ProviderOptions, type TrustProxy } from '../lib';

export interface ExampleConfig {
  port: number;
  host: string;
  database: string;
  projectId: string;
  publicUrl: string;
  allowedHosts: string[];
  rateLimits: boolean;
  secret: string | undefined;
  /** `postgres://…`: PostgreSQL instead of the SQLite file, shared by every instance on it. */
  databaseUrl: string | undefined;
  /** `redis://…`: rate-limit counters in Redis instead of the database. */
  redisUrl: string | undefined;
  /** Unset: development mode, mails are printed to stdout. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Unset: development mode, text messages are printed to stdout. */
  smsWebhookUrl: string | undefined;
  /** OAuth2 providers from ACCOUNT_OAUTH_<PROVIDER>_CLIENT_ID / _CLIENT_SECRET (+ ACCOUNT_OAUTH_OIDC_ISSUER). */
  oauth2: Record<string, OAuth2ProviderOptions>;
  /** ACCOUNT_DEV_OUTBOX=on: in development mode, keep the messages in memory and serve them at /outbox. */
  devOutbox?: boolean;
  /** ACCOUNT_TRUST_PROXY: `false` (nobody), a hop count, or a comma list of proxy addresses/CIDRs. */
  trustProxy: TrustProxy;
}

/** ACCOUNT_TRUST_PROXY: unset or `false` trusts no proxy, digits are a hop count, anything else an address list. */
function trustProxyFromEnv(value: string | undefined): TrustProxy {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '' || trimmed === 'false') return false;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/**
 * ACCOUNT_OAUTH_<KEY>_CLIENT_ID and _CLIENT_SECRET enable a provider (KEY = the provider key upper-cased,
 * e.g. GITHUB, PAYPALSANDBOX); any other ACCOUNT_OAUTH_<KEY>_<SETTING> becomes a setting
 * (ACCOUNT_OAUTH_OIDC_ISSUER → issuer, ACCOUNT_OAUTH_OKTA_DOMAIN → domain, ACCOUNT_OAUTH_APPLE_PRIVATE_KEY → privateKey).
 */
export function oauth2FromEnv(env: NodeJS.ProcessEnv): Record<string, OAuth2ProviderOptions> {
  const providers: Record<string, OAuth2ProviderOptions> = {};
  for (const key of OAUTH2_PROVIDER_KEYS) {
    const prefix = `ACCOUNT_OAUTH_${key.toUpperCase()}_`;
    const clientId = env[`${prefix}CLIENT_ID`];
    if (!clientId) continue;
    const settings: OAuth2ProviderOptions = { clientId, clientSecret: env[`${prefix}CLIENT_SECRET`] ?? '' };
    for (const [name, value] of Object.entries(env)) {
      if (!name.startsWith(prefix) || value === undefined || name === `${prefix}CLIENT_ID` || name === `${prefix}CLIENT_SECRET`) continue;
      const setting = name.slice(prefix.length).toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      settings[setting] = value;
    }
    providers[key] = settings;
  }
  return providers;
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
    databaseUrl: env.ACCOUNT_DATABASE_URL || undefined,
    redisUrl: env.ACCOUNT_REDIS_URL || undefined,
    smtpUrl: env.ACCOUNT_SMTP_URL || undefined,
    mailFrom: env.ACCOUNT_MAIL_FROM || 'no-reply@localhost',
    smsWebhookUrl: env.ACCOUNT_SMS_WEBHOOK_URL || undefined,
    oauth2: oauth2FromEnv(env),
    devOutbox: env.ACCOUNT_DEV_OUTBOX === 'on',
    trustProxy: trustProxyFromEnv(env.ACCOUNT_TRUST_PROXY),
  };
}

/**
 * Mail and SMS from the environment; without ACCOUNT_SMTP_URL / ACCOUNT_SMS_WEBHOOK_URL the
 * messages (codes and links included) are printed to stdout, which is only fit for development.
 */
function messagingFromConfig(config: ExampleConfig, log: (line: string) => void, outbox?: Outbox): { mailer: Mailer; sms: SmsSender } {
  const mailer: Mailer = config.smtpUrl
    ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom })
    : { send: async (m) => { outbox?.add({ kind: 'mail', to: m.to, subject: m.subject, text: m.text }); log(`[mail] to ${m.toName ? `${m.toName} <${m.to}>` : m.to} · ${m.subject}\n${m.text}\n`); } };
  const sms: SmsSender = config.smsWebhookUrl
    ? createWebhookSms({ url: config.smsWebhookUrl })
    : { send: async (m) => { outbox?.add({ kind: 'sms', to: m.to, subject: 'SMS', text: m.message }); log(`[sms] to ${m.to}: ${m.message}`); } };
  if (!config.smtpUrl) log('account-router example app: ACCOUNT_SMTP_URL is not set — development mode, emails are printed to stdout.');
  if (!config.smsWebhookUrl) log('account-router example app: ACCOUNT_SMS_WEBHOOK_URL is not set — development mode, SMS are printed to stdout.');
  return { mailer, sms };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function landingPage(config: ExampleConfig): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>account-router example</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; line-height: 1.5">
<h1>account-router</h1>
<p>This Express app serves the Appwrite Account API at <code>${config.publicUrl}</code>, stored in ${config.databaseUrl ? 'PostgreSQL' : 'SQLite'}.</p>
<p>Point the official <code>appwrite</code> SDK at it:</p>
<pre>import { Client, Account, ID } from 'appwrite';
const client = new Client().setEndpoint('${config.publicUrl}').setProject('${config.projectId}');
const account = new Account(client);
await account.create(ID.unique(), 'me@example.com', 'a long password');
await account.createEmailPasswordSession('me@example.com', 'a long password');
console.log(await account.get());</pre>
</body></html>`;
}

export function createExampleApp(config: ExampleConfig, log: (line: string) => void = console.log): { app: express.Express; accounts: AccountRouter } {
  // Commands wait in node-redis's queue until the connection is up; a failed connection is retried.
  const redis = config.rateLimits && config.redisUrl ? createClient({ url: config.redisUrl }) : undefined;
  redis?.on('error', (error: Error) => console.error('account-router example app: Redis:', error.message));
  redis?.connect().catch(() => undefined);
  // The dev outbox only exists in development mode (no SMTP / SMS webhook) and when asked for.
  const outbox = config.devOutbox && (!config.smtpUrl || !config.smsWebhookUrl) ? createOutbox() : undefined;
  const accounts = createAccountRouter({
    ...messagingFromConfig(config, log, outbox),
    storage: config.databaseUrl
      ? createPostgresAdapter({ connectionString: config.databaseUrl })
      : createSqliteAdapter({ filename: config.database }),
    projectId: config.projectId,
    allowedHosts: config.allowedHosts,
    trustProxy: config.trustProxy,
    secret: config.secret,
    rateLimits: config.rateLimits && redis ? { store: createRedisRateLimitStore(redis) } : config.rateLimits,
    oauth2: { publicUrl: config.publicUrl, ...config.oauth2 },
  });
  if (redis) {
    // The Redis client is the app's, so the app closes it, after the router's storage.
    const closeStorage = accounts.close;
    accounts.close = async () => {
      await closeStorage();
      await redis.close().catch(() => redis.destroy());
    };
  }
  const app = express();
  app.disable('x-powered-by');
  // The demo page (example-app/public, also found from dist/example-app) and the SDK's browser build.
  const publicDir = [path.join(__dirname, 'public'), path.join(__dirname, '../../example-app/public')].find((d) => fs.existsSync(path.join(d, 'index.html')));
  app.get('/', (_req, res) => {
    if (!publicDir) return void res.type('html').send(landingPage(config));
    const settings = { projectId: config.projectId, providers: Object.keys(config.oauth2), outbox: Boolean(outbox) };
    const html = fs.readFileSync(path.join(publicDir, 'index.html'), 'utf8')
      .replace('<!--SETTINGS-->', `<script>window.DEMO = ${JSON.stringify(settings).replace(/</g, '\\u003c')};</script>`)
      .replace(/__PROJECT_ID__/g, escapeHtml(config.projectId));
    res.set('Cache-Control', 'no-store').type('html').send(html);
  });
  app.get('/appwrite.js', (_req, res) => {
    res.sendFile(path.join(path.dirname(require.resolve('appwrite')), '../iife/sdk.js'));
  });
  // A QR encoder for the page to draw the TOTP otpauth:// URI in the browser (the secret never leaves it).
  app.get('/qrcode.js', (_req, res) => {
    res.sendFile(require.resolve('qrcode-generator'));
  });
  if (publicDir) app.use(express.static(publicDir, { index: false }));
  if (outbox) app.use(outbox.router);
  app.use('/v1', accounts);
  // The host app's own route, protected by the router's middleware.
  app.get('/me', accounts.requireAccount, (req, res) => {
    res.json({ id: req.account!.user.id, email: req.account!.user.email });
  });
  return { app, accounts };
}
