// `npm start` as an operator meets it: the start-up summary, and every reason it cannot serve said in
// one line with a non-zero exit (a busy port, a database it cannot open or reach), while a mail
// server that is down only fails the requests that mail.
import fs from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv, redactUrl, startupSummary } from '../example-app/app';
import { freePort, spawnExample, startExample } from './helpers/example-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inputsHash } = require('../scripts/build.js') as { inputsHash(root: string): string };

jest.setTimeout(60_000);

/** Runs the example app with `env` until it exits; returns its exit code and output. */
async function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const app = await spawnExample('example app', { ACCOUNT_DATABASE: ':memory:', ...env });
  const code = await app.exited;
  return { code, output: app.output() };
}

it('says which port is busy and exits 1 instead of announcing an address', async () => {
  const blocker = createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const port = (blocker.address() as { port: number }).port;
  try {
    const { code, output } = await runToExit({ PORT: String(port) });
    expect(code).toBe(1);
    expect(output).toContain(`account-router example app: port ${port} is in use on 127.0.0.1; set PORT to a free port`);
    expect(output).not.toContain('example app on http');
  } finally {
    blocker.close();
  }
});

it('says which SQLite file it cannot open and exits 1', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'account-start-'));
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, '');
  // A path below a regular file cannot be created, even by root.
  const { code, output } = await runToExit({ ACCOUNT_DATABASE: path.join(file, 'account.sqlite') });
  expect(code).toBe(1);
  expect(output).toMatch(/cannot open the SQLite database .*a-file\/account\.sqlite: .+; set ACCOUNT_DATABASE to a writable path/);
  fs.rmSync(dir, { recursive: true });
});

it('says which PostgreSQL database it cannot reach, without its password, and exits 1', async () => {
  const port = await freePort();
  const { code, output } = await runToExit({ ACCOUNT_DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${port}/accounts` });
  expect(code).toBe(1);
  expect(output).toContain(`cannot use the PostgreSQL database at postgres://app:***@127.0.0.1:${port}/accounts: connect ECONNREFUSED`);
  expect(output).toContain('check ACCOUNT_DATABASE_URL');
  expect(output).not.toContain('s3cret');
});

it('refuses an ACCOUNT_DATABASE_URL that is not a postgres:// URL', async () => {
  const { code, output } = await runToExit({ ACCOUNT_DATABASE_URL: 'mysql://localhost/accounts' });
  expect(code).toBe(1);
  expect(output).toContain('account-router example app: ACCOUNT_DATABASE_URL must be a postgres:// URL');
});

it('names a bad option value and exits 1', async () => {
  const { code, output } = await runToExit({ ACCOUNT_PROJECT_ID: 'not an id!' });
  expect(code).toBe(1);
  expect(output).toContain('account-router example app: createAccountRouter: option `projectId` must be');
});

it('keeps serving when the SMTP server is down, logging one line per failed mail', async () => {
  const smtpPort = await freePort();
  const app = await startExample('example app', { ACCOUNT_DATABASE: ':memory:', ACCOUNT_SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
  try {
    expect(app.output()).toContain(`mail: SMTP smtp://127.0.0.1:${smtpPort}, from no-reply@localhost`);
    const res = await fetch(`${app.url}/v1/account/tokens/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'unique()', email: 'ada@example.com' }),
    });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { type: string }).type).toBe('general_server_error');
    expect(app.output()).toContain('account-router: email delivery failed');
    expect(app.output()).toContain('ECONNREFUSED');
    expect((await fetch(`${app.url}/`)).status).toBe(200);
    expect(app.process.exitCode).toBeNull();
  } finally {
    await app.stop();
  }
});

describe('startupSummary', () => {
  it('says where the API is and which storage, mail, SMS, OAuth2 and rate-limit set-up runs', () => {
    const lines = startupSummary(configFromEnv({ ACCOUNT_DATABASE: './data/x.sqlite', ACCOUNT_RATE_LIMITS: 'off' }));
    expect(lines).toEqual([
      'account-router example app on http://127.0.0.1:3000/ — API at http://127.0.0.1:3000/v1 (project default)',
      'storage: SQLite ./data/x.sqlite',
      'mail: development mode, printed here (set ACCOUNT_SMTP_URL to send)',
      'SMS: development mode, printed here (set ACCOUNT_SMS_WEBHOOK_URL to send)',
      'OAuth2 providers: none (set ACCOUNT_OAUTH_<PROVIDER>_CLIENT_ID and _CLIENT_SECRET)',
      'rate limits: off (ACCOUNT_RATE_LIMITS=off)',
      'MCP: http://127.0.0.1:3000/mcp (tool whoami; scopes profile email; clients register by metadata document, or dynamically with ACCOUNT_IDP_DYNAMIC_REGISTRATION=on)',
      "API key: none (set ACCOUNT_API_KEY for node-appwrite's Users API)",
    ]);
  });

  it('names the configured services without their secrets', () => {
    const lines = startupSummary(
      configFromEnv({
        ACCOUNT_DATABASE_URL: 'postgres://app:pw@db.internal:5432/accounts',
        ACCOUNT_REDIS_URL: 'redis://:redispw@cache.internal:6379',
        ACCOUNT_SMTP_URL: 'smtp://mailer:mailpw@smtp.internal:587',
        ACCOUNT_SMS_WEBHOOK_URL: 'https://sms.internal/send?token=abc',
        ACCOUNT_OAUTH_GITHUB_CLIENT_ID: 'id',
        ACCOUNT_OAUTH_GITHUB_CLIENT_SECRET: 'secret',
        ACCOUNT_API_KEY: 'an-api-key-that-must-never-be-printed',
      }),
    );
    expect(lines.slice(1)).toEqual([
      'storage: PostgreSQL at postgres://app:***@db.internal:5432/accounts',
      'mail: SMTP smtp://mailer:***@smtp.internal:587, from no-reply@localhost',
      'SMS: webhook https://sms.internal/send',
      'OAuth2 providers: github',
      'rate limits: on, counters in Redis at redis://:***@cache.internal:6379',
      'MCP: http://127.0.0.1:3000/mcp (tool whoami; scopes profile email; clients register by metadata document, or dynamically with ACCOUNT_IDP_DYNAMIC_REGISTRATION=on)',
      'API key: ACCOUNT_API_KEY configured (users.read, users.write, sessions.read, sessions.write, apps.read, apps.write; rate limits do not apply to it)',
    ]);
    expect(lines.join('\n')).not.toContain('never-be-printed');
    expect(redactUrl('not a url')).toBe('(not a valid URL)');
  });
});

describe('npm start builds only when the sources changed', () => {
  it('hashes the sources, tsconfig.json and the compiler version: an edit changes the hash, nothing else does', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'account-build-'));
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ include: ['lib/**/*.ts'] }));
    fs.mkdirSync(path.join(root, 'lib/core'), { recursive: true });
    fs.writeFileSync(path.join(root, 'lib/core/a.ts'), 'export const a = 1;\n');
    const first = inputsHash(root);
    expect(inputsHash(root)).toBe(first);
    fs.writeFileSync(path.join(root, 'lib/README.md'), 'not a source');
    expect(inputsHash(root)).toBe(first);
    fs.writeFileSync(path.join(root, 'lib/core/a.ts'), 'export const a = 2;\n');
    expect(inputsHash(root)).not.toBe(first);
    fs.rmSync(root, { recursive: true });
  });
});
