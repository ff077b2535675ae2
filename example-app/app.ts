// The example app: an ordinary Express app that mounts account-router at /v1, configured from
// the environment variables listed in example-app/README.md (and ../shared/CONTRACT.md).
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { createOutbox, type Outbox } from './outbox';
import { mcpResource, mcpSdkInstalled, mountMcp, MCP_SCOPES } from './mcp';
import { createAccountRouter, createSmtpMailer, createWebhookSms, type AccountRouter, type Mailer, type SmsSender } from '../lib';
import { createSqliteAdapter } from '../adapters/sqlite';
import { API_SCOPES, createRedisRateLimitStore, ID_TOKEN_PROVIDERS, OAUTH2_PROVIDER_KEYS, type IdTokenOptions, type OAuth2ProviderOptions, type TrustProxy } from '../lib';

/** The shortest ACCOUNT_API_KEY accepted (the `apiKeys` option's rule). */
const MIN_API_KEY_LENGTH = 32;

export interface ExampleConfig {
  port: number;
  host: string;
  database: string;
  projectId: string;
  publicUrl: string;
  allowedHosts: string[];
  /** ACCOUNT_PLATFORMS: native app ids (or exact non-web origins) allowed to call the API. */
  platforms: string[];
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
  /** Native sign-in from ACCOUNT_OAUTH_GOOGLE_NATIVE_CLIENT_IDS / ACCOUNT_OAUTH_APPLE_NATIVE_CLIENT_IDS (+ _ISSUER). */
  idTokens: IdTokenOptions;
  /** ACCOUNT_DEV_OUTBOX=on: in development mode, keep the messages in memory and serve them at /outbox. */
  devOutbox?: boolean;
  /** ACCOUNT_TRUST_PROXY: `false` (nobody), a hop count, or a comma list of proxy addresses/CIDRs. */
  trustProxy: TrustProxy;
  /** ACCOUNT_IDP_DYNAMIC_REGISTRATION=on: let OAuth clients (MCP agents) register themselves (RFC 7591). */
  idpDynamicRegistration: boolean;
  /** ACCOUNT_DEFAULT_LOCALE: the language of messages when the request names none (`defaultLocale`). */
  defaultLocale: string | undefined;
  /** ACCOUNT_API_KEY: a static server key (`X-Appwrite-Key`) with every scope, for node-appwrite and server-side rendering. */
  apiKey: string | undefined;
}

/** ACCOUNT_TRUST_PROXY: unset or `false` trusts no proxy, digits are a hop count, anything else an address list. */
function trustProxyFromEnv(value: string | undefined): TrustProxy {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '' || trimmed === 'false') return false;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The variables of native sign-in, which belong to `idTokens`, not to the browser flow's settings. */
function idTokenVariables(key: string): string[] {
  const prefix = `ACCOUNT_OAUTH_${key.toUpperCase()}_`;
  return (ID_TOKEN_PROVIDERS as readonly string[]).includes(key) ? [`${prefix}NATIVE_CLIENT_IDS`, `${prefix}ISSUER`] : [];
}

/**
 * ACCOUNT_OAUTH_<KEY>_CLIENT_ID and _CLIENT_SECRET enable a provider (KEY = the provider key upper-cased,
 * e.g. GITHUB, PAYPALSANDBOX); any other ACCOUNT_OAUTH_<KEY>_<SETTING> becomes a setting
 * (ACCOUNT_OAUTH_OIDC_ISSUER → issuer, ACCOUNT_OAUTH_OKTA_DOMAIN → domain, ACCOUNT_OAUTH_APPLE_PRIVATE_KEY → privateKey),
 * except Google's and Apple's _NATIVE_CLIENT_IDS and _ISSUER, which configure native sign-in (idTokensFromEnv).
 */
export function oauth2FromEnv(env: NodeJS.ProcessEnv): Record<string, OAuth2ProviderOptions> {
  const providers: Record<string, OAuth2ProviderOptions> = {};
  for (const key of OAUTH2_PROVIDER_KEYS) {
    const prefix = `ACCOUNT_OAUTH_${key.toUpperCase()}_`;
    const clientId = env[`${prefix}CLIENT_ID`];
    if (!clientId) continue;
    const settings: OAuth2ProviderOptions = { clientId, clientSecret: env[`${prefix}CLIENT_SECRET`] ?? '' };
    const skipped = new Set([`${prefix}CLIENT_ID`, `${prefix}CLIENT_SECRET`, ...idTokenVariables(key)]);
    for (const [name, value] of Object.entries(env)) {
      if (!name.startsWith(prefix) || value === undefined || skipped.has(name)) continue;
      const setting = name.slice(prefix.length).toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      settings[setting] = value;
    }
    providers[key] = settings;
  }
  return providers;
}

const commaList = (value: string): string[] => value.split(',').map((item) => item.trim()).filter(Boolean);

/**
 * Native sign-in (POST /account/sessions/id-token): ACCOUNT_OAUTH_GOOGLE_NATIVE_CLIENT_IDS and
 * ACCOUNT_OAUTH_APPLE_NATIVE_CLIENT_IDS (comma lists of the token audiences accepted) enable a
 * provider; ACCOUNT_OAUTH_<PROVIDER>_ISSUER points it at another issuer, such as a local one in tests.
 */
export function idTokensFromEnv(env: NodeJS.ProcessEnv): IdTokenOptions {
  const idTokens: IdTokenOptions = {};
  for (const provider of ID_TOKEN_PROVIDERS) {
    const prefix = `ACCOUNT_OAUTH_${provider.toUpperCase()}_`;
    const clientIds = commaList(env[`${prefix}NATIVE_CLIENT_IDS`] ?? '');
    if (!clientIds.length) continue;
    const issuer = env[`${prefix}ISSUER`] || undefined;
    idTokens[provider] = { clientIds, ...(issuer ? { issuer } : {}) };
  }
  return idTokens;
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
    allowedHosts: commaList(env.ACCOUNT_ALLOWED_HOSTS ?? 'localhost,127.0.0.1'),
    platforms: commaList(env.ACCOUNT_PLATFORMS ?? ''),
    rateLimits: env.ACCOUNT_RATE_LIMITS !== 'off',
    secret: env.ACCOUNT_SECRET || undefined,
    databaseUrl: env.ACCOUNT_DATABASE_URL || undefined,
    redisUrl: env.ACCOUNT_REDIS_URL || undefined,
    smtpUrl: env.ACCOUNT_SMTP_URL || undefined,
    mailFrom: env.ACCOUNT_MAIL_FROM || 'no-reply@localhost',
    smsWebhookUrl: env.ACCOUNT_SMS_WEBHOOK_URL || undefined,
    oauth2: oauth2FromEnv(env),
    idTokens: idTokensFromEnv(env),
    devOutbox: env.ACCOUNT_DEV_OUTBOX === 'on',
    trustProxy: trustProxyFromEnv(env.ACCOUNT_TRUST_PROXY),
    defaultLocale: env.ACCOUNT_DEFAULT_LOCALE?.trim() || undefined,
    apiKey: env.ACCOUNT_API_KEY || undefined,
    idpDynamicRegistration: env.ACCOUNT_IDP_DYNAMIC_REGISTRATION === 'on',
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
  return { mailer, sms };
}

/** A URL fit for a log line: password and query string left out. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(not a valid URL)';
  }
}

/** What `npm start` prints once it listens: where the API is and how it is set up, one line each. */
export function startupSummary(config: ExampleConfig): string[] {
  const providers = Object.keys(config.oauth2);
  const native = Object.keys(config.idTokens);
  const counters = config.redisUrl ? `in Redis at ${redactUrl(config.redisUrl)}` : 'in the database';
  return [
    `account-router example app on http://${config.host}:${config.port}/ — API at ${config.publicUrl} (project ${config.projectId})`,
    `storage: ${config.databaseUrl ? `PostgreSQL at ${redactUrl(config.databaseUrl)}` : `SQLite ${config.database}`}`,
    `mail: ${config.smtpUrl ? `SMTP ${redactUrl(config.smtpUrl)}, from ${config.mailFrom}` : 'development mode, printed here (set ACCOUNT_SMTP_URL to send)'}`,
    `SMS: ${config.smsWebhookUrl ? `webhook ${redactUrl(config.smsWebhookUrl)}` : 'development mode, printed here (set ACCOUNT_SMS_WEBHOOK_URL to send)'}`,
    `OAuth2 providers: ${providers.length ? providers.join(', ') : 'none (set ACCOUNT_OAUTH_<PROVIDER>_CLIENT_ID and _CLIENT_SECRET)'}${native.length ? `; ID-token sign-in: ${native.join(', ')}` : ''}`,
    `rate limits: ${config.rateLimits ? `on, counters ${counters}` : 'off (ACCOUNT_RATE_LIMITS=off)'}`,
    // Whether a key is set, never the key.
    `MCP: ${mcpSdkInstalled() ? `${mcpResource(config.publicUrl)} (tool whoami; scopes ${MCP_SCOPES.join(' ')}; clients register by metadata document${config.idpDynamicRegistration ? ' or dynamically' : ', or dynamically with ACCOUNT_IDP_DYNAMIC_REGISTRATION=on'})` : 'off, @modelcontextprotocol/sdk is not installed (`npm install` with dev dependencies installs it)'}`,
    `API key: ${config.apiKey ? `ACCOUNT_API_KEY configured (${API_SCOPES.join(', ')}; rate limits do not apply to it)` : 'none (set ACCOUNT_API_KEY for node-appwrite\'s Users API)'}`,
  ];
}

/** A reason the app cannot start, worded for the operator: what failed and which variable to change. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The storage from the environment; a database that cannot be opened is a StartupError. */
function storageFromConfig(config: ExampleConfig) {
  if (config.databaseUrl) {
    if (!/^postgres(ql)?:\/\/./i.test(config.databaseUrl)) throw new StartupError('ACCOUNT_DATABASE_URL must be a postgres:// URL');
    // Loaded only when configured: an app on SQLite never pays for pg in memory or start-up time.
    const { createPostgresAdapter } = require('../adapters/postgres') as typeof import('../adapters/postgres');
    return createPostgresAdapter({ connectionString: config.databaseUrl });
  }
  try {
    return createSqliteAdapter({ filename: config.database });
  } catch (error) {
    throw new StartupError(`cannot open the SQLite database ${config.database}: ${reason(error)}; set ACCOUNT_DATABASE to a writable path`, { cause: error });
  }
}

/**
 * Waits until the router's storage is migrated; a database that cannot be reached or migrated is
 * a StartupError naming the variable to check.
 */
export async function whenReady(config: ExampleConfig, accounts: AccountRouter): Promise<void> {
  try {
    await accounts.ready();
  } catch (error) {
    const where = config.databaseUrl ? `the PostgreSQL database at ${redactUrl(config.databaseUrl)}` : `the SQLite database ${config.database}`;
    const variable = config.databaseUrl ? 'ACCOUNT_DATABASE_URL' : 'ACCOUNT_DATABASE';
    throw new StartupError(`cannot use ${where}: ${reason(error)}; check ${variable}`, { cause: error });
  }
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code || error.name : String(error);
  return message.split('\n')[0]!;
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
  // node-redis is loaded only when ACCOUNT_REDIS_URL is set.
  const redis = config.rateLimits && config.redisUrl ? (require('redis') as typeof import('redis')).createClient({ url: config.redisUrl }) : undefined;
  redis?.on('error', (error: Error) => console.error('account-router example app: Redis:', error.message));
  redis?.connect().catch(() => undefined);
  // The dev outbox only exists in development mode (no SMTP / SMS webhook) and when asked for.
  const outbox = config.devOutbox && (!config.smtpUrl || !config.smsWebhookUrl) ? createOutbox() : undefined;
  if (config.apiKey !== undefined && config.apiKey.length < MIN_API_KEY_LENGTH) {
    throw new StartupError(`ACCOUNT_API_KEY must be at least ${MIN_API_KEY_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
  }
  const accounts = createAccountRouter({
    ...messagingFromConfig(config, log, outbox),
    apiKeys: config.apiKey ? [{ secret: config.apiKey, scopes: [...API_SCOPES], name: 'ACCOUNT_API_KEY' }] : undefined,
    storage: storageFromConfig(config),
    projectId: config.projectId,
    allowedHosts: config.allowedHosts,
    platforms: config.platforms,
    trustProxy: config.trustProxy,
    defaultLocale: config.defaultLocale,
    secret: config.secret,
    rateLimits: config.rateLimits && redis ? { store: createRedisRateLimitStore(redis) } : config.rateLimits,
    oauth2: { publicUrl: config.publicUrl, ...config.oauth2 },
    idTokens: config.idTokens,
    // Sign in with this app: the demo page is the sign-in page (it returns to `returnTo`).
    identityProvider: { issuer: config.publicUrl, loginUrl: '/', dynamicRegistration: config.idpDynamicRegistration },
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
  // The API first: its requests never pass the page routes or express.static, which would look
  // for a file on disk on every call.
  app.use('/v1', accounts);
  // The authorization server's discovery documents at the origin root, where RFC 8414 clients look.
  app.use(accounts.wellKnown());
  // An MCP server for agents signed in with these accounts (example-app/mcp.ts), when the SDK is installed.
  mountMcp(app, accounts, config.publicUrl);
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
  // The host app's own route, protected by the router's middleware.
  app.get('/me', accounts.requireAccount, (req, res) => {
    res.json({ id: req.account!.user.id, email: req.account!.user.email });
  });
  return { app, accounts };
}
