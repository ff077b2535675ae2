// Several app instances behind one database: the example app, started as separate Node processes
// on their own ports with the same ACCOUNT_DATABASE_URL (and, in the second part, the same
// ACCOUNT_REDIS_URL), must behave as one service (processes started by helpers/example-process.ts).
import { Pool } from 'pg';
import { MIGRATIONS } from '../adapters/postgres/migrations';
import { closeAdmin, createTestDatabase, describePostgres } from './helpers/postgres';
import { connectRedis, describeRedis, redisUrl } from './helpers/redis';
import { startExample, type ExampleProcess as Instance } from './helpers/example-process';

jest.setTimeout(120_000);

/** An instance behind the test, which plays the balancer: its X-Forwarded-For names the client. */
const startInstance = (name: string, env: Record<string, string>) => startExample(name, { ACCOUNT_TRUST_PROXY: 'loopback', ...env });

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

