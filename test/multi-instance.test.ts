// Several app instances behind one database: the example app, started as separate Node processes
// on their own ports with the same ACCOUNT_DATABASE_URL (and, in the second part, the same
// ACCOUNT_REDIS_URL), must behave as one service. Each process loads the TypeScript sources
// through a transpile-on-require hook (as the SQLite adapter's worker tests do), so no build is needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import { MIGRATIONS } from '../adapters/postgres/migrations';
import { closeAdmin, createTestDatabase, describePostgres } from './helpers/postgres';
import { connectRedis, describeRedis, redisUrl } from './helpers/redis';

jest.setTimeout(120_000);

const LAUNCHER = `
  const fs = require('node:fs');
  const ts = require(process.env.TEST_TYPESCRIPT);
  require.extensions['.ts'] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
  require(process.env.TEST_SERVER);
`;

interface Instance {
  name: string;
  url: string;
  process: ChildProcess;
  /** Everything the process printed so far (mails included: no SMTP server is configured). */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts `example-app/server.ts` in a child process and resolves once it listens. */
async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('ACCOUNT_')) delete childEnv[key];
  Object.assign(childEnv, {
    // The test plays the balancer in front of the instances: its X-Forwarded-For names the client.
    ACCOUNT_TRUST_PROXY: 'loopback',
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TEST_TYPESCRIPT: require.resolve('typescript'),
    TEST_SERVER: path.resolve(__dirname, '../example-app/server.ts'),
  });
  const child = spawn(process.execPath, ['-e', LAUNCHER], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes(`http://127.0.0.1:${port}/`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
  };
}

let ipSequence = 0;
/** A client address of its own for each test, so rate-limit counters never carry over. */
const newIp = () => `198.51.100.${++ipSequence}`;

async function call(
  instance: Instance,
  method: string,
  route: string,
  options: { body?: unknown; cookie?: string; jwt?: string; ip?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; cookie: string | undefined }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-appwrite-project': 'default' };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.jwt) headers['x-appwrite-jwt'] = options.jwt;
  if (options.ip) headers['x-forwarded-for'] = options.ip;
  const res = await fetch(`${instance.url}/v1${route}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('a_session_default='))?.split(';')[0];
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, cookie };
}

const PASSWORD = 'a long password';
let emailSequence = 0;

/** Signs a new user up on `instance` and returns its email. */
async function signUp(instance: Instance, ip = newIp()): Promise<string> {
  const email = `user${++emailSequence}-${Date.now()}@example.com`;
  const res = await call(instance, 'POST', '/account', { body: { userId: 'unique()', email, password: PASSWORD }, ip });
  expect(res.status).toBe(201);
  return email;
}

async function signIn(instance: Instance, email: string): Promise<string> {
  const res = await call(instance, 'POST', '/account/sessions/email', { body: { email, password: PASSWORD }, ip: newIp() });
  expect(res.status).toBe(201);
  return res.cookie!;
}

describePostgres('several app instances on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Instance;
  let b: Instance;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
    // The database is dropped WITH (FORCE) at the end; an idle connection it terminates must not
    // surface as an unhandled 'error' event after the tests are done.
    pool.on('error', () => undefined);
    // Both start at the same moment on an empty database: both migrate, under the advisory lock.
    [a, b] = await Promise.all([
      startInstance('instance A', { ACCOUNT_DATABASE_URL: database.url }),
      startInstance('instance B', { ACCOUNT_DATABASE_URL: database.url }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await pool?.end();
    await database?.drop();
    await closeAdmin();
  });

  it('migrated the fresh database once and agreed on one server secret, though both started at once', async () => {
    const { rows } = await pool.query('SELECT version FROM account_router_migrations ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const secrets = await pool.query("SELECT count(*)::int AS n FROM settings WHERE key = 'server-secret'");
    expect(secrets.rows[0].n).toBe(1);
  });

  it('accepts a session created on one instance on the other', async () => {
    const email = await signUp(a);
    const cookie = await signIn(a, email);
    const me = await call(b, 'GET', '/account', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);
  });

  it('stops accepting a session on one instance as soon as the other deletes it', async () => {
    const email = await signUp(b);
    const cookie = await signIn(b, email);
    expect((await call(a, 'GET', '/account', { cookie })).status).toBe(200);
    expect((await call(a, 'DELETE', '/account/sessions/current', { cookie })).status).toBe(204);
    expect((await call(b, 'GET', '/account', { cookie })).status).toBe(401);
    expect((await call(a, 'GET', '/account', { cookie })).status).toBe(401);
  });

  it('counts a rate limit over both instances: 5 sign-ups on each, then the 11th is refused', async () => {
    const ip = newIp();
    for (let i = 0; i < 10; i++) {
      const res = await call(i % 2 ? b : a, 'POST', '/account', {
        body: { userId: 'unique()', email: `limit${i}-${ip}@example.com`, password: PASSWORD },
        ip,
      });
      expect(res.status).toBe(201);
    }
    const refused = await call(a, 'POST', '/account', { body: { userId: 'unique()', email: `limit10-${ip}@example.com`, password: PASSWORD }, ip });
    expect(refused.status).toBe(429);
    expect(refused.body.type).toBe('general_rate_limit_exceeded');
    expect((await call(b, 'POST', '/account', { body: { email: 'x' }, ip })).status).toBe(429);
    // The counter is a row in the shared database (no ACCOUNT_REDIS_URL here).
    const { rows } = await pool.query('SELECT count FROM counters WHERE key LIKE $1', [`%ip:${ip}`]);
    expect(rows).toEqual([{ count: 12 }]);
  });

  it('accepts a JWT made on one instance on the other, until its session is deleted', async () => {
    const email = await signUp(a);
    const cookie = await signIn(a, email);
    const { status, body } = await call(a, 'POST', '/account/jwts', { cookie });
    expect(status).toBe(201);
    const jwt = body.jwt as string;
    const me = await call(b, 'GET', '/account', { jwt });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);
    expect((await call(b, 'DELETE', '/account/sessions/current', { cookie })).status).toBe(204);
    expect((await call(a, 'GET', '/account', { jwt })).status).toBe(401);
  });

  it('redeems an email token made on one instance on the other, exactly once', async () => {
    const email = `token-${Date.now()}@example.com`;
    const made = await call(a, 'POST', '/account/tokens/email', { body: { userId: 'unique()', email }, ip: newIp() });
    expect(made.status).toBe(201);
    const userId = made.body.userId as string;
    // No SMTP server is configured, so instance A printed the mail, code included.
    const mail = a.output().slice(a.output().lastIndexOf(`to ${email}`));
    const secret = /\b(\d{6})\b/.exec(mail)?.[1];
    expect(secret).toBeDefined();
    // Both instances try the code at the same moment: one session, one refusal.
    const attempts = await Promise.all(
      [b, a].map((instance) => call(instance, 'POST', '/account/sessions/token', { body: { userId, secret }, ip: newIp() })),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 401]);
    const session = attempts.find((r) => r.status === 201)!;
    expect((await call(a, 'GET', '/account', { cookie: session.cookie })).body.email).toBe(email);
    expect((await call(b, 'POST', '/account/sessions/token', { body: { userId, secret }, ip: newIp() })).status).toBe(401);
  });

  describeRedis('with ACCOUNT_REDIS_URL', () => {
    let c: Instance;
    let d: Instance;

    beforeAll(async () => {
      const env = { ACCOUNT_DATABASE_URL: database.url, ACCOUNT_REDIS_URL: redisUrl! };
      [c, d] = await Promise.all([startInstance('instance C', env), startInstance('instance D', env)]);
    });

    afterAll(async () => {
      await Promise.all([c?.stop(), d?.stop()]);
    });

    it('counts the rate limit in Redis over both instances, not in the database', async () => {
      const ip = newIp();
      for (let i = 0; i < 10; i++) {
        const res = await call(i % 2 ? d : c, 'POST', '/account', {
          body: { userId: 'unique()', email: `redis${i}-${ip}@example.com`, password: PASSWORD },
          ip,
        });
        expect(res.status).toBe(201);
      }
      expect((await call(d, 'POST', '/account', { body: { email: 'x' }, ip })).status).toBe(429);
      const redis = await connectRedis();
      try {
        const keys = await redis.keys(`account-router:*ip:${ip}`);
        expect(keys).toHaveLength(1);
        expect(await redis.get(keys[0])).toBe('11');
        await redis.del(keys);
      } finally {
        await redis.close();
      }
      const { rows } = await pool.query('SELECT count FROM counters WHERE key LIKE $1', [`%ip:${ip}`]);
      expect(rows).toEqual([]);
    });

    it('shares sessions with the instances that count in the database', async () => {
      const email = await signUp(c);
      const cookie = await signIn(d, email);
      expect((await call(a, 'GET', '/account', { cookie })).status).toBe(200);
    });
  });
});

