// The PostgreSQL adapter: the shared conformance suite, unchanged, on a schema per test, then what
// only a server shared by several pools (as several app instances would be) can show.
import { Pool } from 'pg';
import { createPostgresAdapter } from '../../adapters/postgres';
import { LATEST_VERSION, MIGRATIONS, migrationLockName } from '../../adapters/postgres/migrations';
import { ConflictError, type StorageAdapter, type TokenRecord, type UserListQuery, type UserRecord } from '../../adapters/types';
import { USER_LIST, countStatement, pageStatement } from '../../adapters/sql/list';
import { LIST_DIALECT, USER_LIST_SELECT, userSource, type SearchCondition } from '../../adapters/postgres/stores';
import {
  adminPool,
  closeAdmin,
  createTestAdapter,
  databaseUrl,
  describePostgres,
  destroyTestAdapter,
  dropSchema,
  newSchemaName,
} from '../helpers/postgres';
import { runAdapterConformance } from '../../testing';
import { listQuery } from '../../testing/suites/list-reference';

afterAll(closeAdmin);

const conformance = () => runAdapterConformance('postgres adapter', () => createTestAdapter(), destroyTestAdapter);
// Without a server the suite is registered inside a skipped describe, so jest counts its tests as
// skipped; with one it runs under its usual names.
if (databaseUrl) conformance();
else describePostgres('postgres adapter conformance', conformance);

const T0 = Date.UTC(2024, 4, 6, 7, 8, 9, 123);

function user(id: string, email = `${id}@example.com`): Omit<UserRecord, 'targets'> {
  return {
    id,
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
    name: id,
    email,
    phone: null,
    passwordHash: null,
    passwordUpdatedAt: null,
    passwordPwned: null,
    status: true,
    labels: [],
    emailVerification: false,
    phoneVerification: false,
    mfa: false,
    prefs: {},
    accessedAt: new Date(T0),
    impersonator: false,
  };
}

function session(id: string, userId: string, createdAt: number) {
  return {
    id,
    userId,
    createdAt: new Date(createdAt),
    updatedAt: new Date(createdAt),
    expire: new Date(T0 + 3_600_000),
    secretHash: `hash-${id}`,
    provider: 'email',
    providerUid: '',
    providerAccessToken: '',
    providerRefreshToken: '',
    providerAccessTokenExpiry: null,
    ip: '203.0.113.7',
    userAgent: 'test',
    countryCode: '--',
    factors: ['password'],
    mfaUpdatedAt: null,
  };
}

const token: TokenRecord = {
  id: 'token1',
  userId: 'ada',
  type: 'email-otp',
  createdAt: new Date(T0),
  expire: new Date(T0 + 60_000),
  secretHash: 'secret-hash',
  phrase: '',
  provider: '',
};

describePostgres('postgres adapter specifics', () => {
  let schema: string;
  const open: StorageAdapter[] = [];

  /** Another adapter (its own pool, as another app instance would have) on this test's schema. */
  function instance(max = 5): StorageAdapter {
    const adapter = createPostgresAdapter({ connectionString: databaseUrl!, schema, max });
    open.push(adapter);
    return adapter;
  }

  async function twoInstances(): Promise<[StorageAdapter, StorageAdapter]> {
    const pair: [StorageAdapter, StorageAdapter] = [instance(), instance()];
    await Promise.all(pair.map((adapter) => adapter.migrate()));
    return pair;
  }

  beforeEach(() => {
    schema = newSchemaName();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((adapter) => adapter.close()));
    await dropSchema(schema);
  });

  it('migrates once when 6 instances migrate a fresh schema at the same moment', async () => {
    const adapters = Array.from({ length: 6 }, () => instance(2));
    await Promise.all(adapters.map((adapter) => adapter.migrate()));
    const { rows } = await adminPool().query(`SELECT version, name FROM ${schema}.account_router_migrations ORDER BY version`);
    expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    expect(rows[rows.length - 1].version).toBe(LATEST_VERSION);
    expect(await Promise.all(adapters.map((adapter) => adapter.users.count()))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('waits for the migration advisory lock another session holds, then migrates', async () => {
    const holder = await adminPool().connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [migrationLockName(schema)]);
      const adapter = instance();
      let done = false;
      const migrating = adapter.migrate().then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(done).toBe(false);
      const exists = await holder.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      expect(exists.rowCount).toBe(0);
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [migrationLockName(schema)]);
      await migrating;
      expect(await adapter.users.count()).toBe(0);
    } finally {
      holder.release();
    }
  });

  it('gives one winner when 20 consumers of one token are split across two instances', async () => {
    const [a, b] = await twoInstances();
    await a.users.create(user('ada'));
    await a.tokens.create(token);
    const query = { userId: 'ada', types: ['email-otp' as const], secretHash: 'secret-hash', now: new Date(T0) };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).tokens.consume(query)));
    expect(results.filter((r) => r !== null)).toEqual([token]);
  });

  it('lets one of 10 concurrent sign-ups with one email through across two instances', async () => {
    const [a, b] = await twoInstances();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).users.create(user(`user${i}`, 'Race@Example.com'))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(ConflictError);
        expect(result.reason).toMatchObject({ entity: 'user', field: 'email' });
      }
    }
    expect(await b.users.count()).toBe(1);
  });

  it('keeps maxPerUser when two instances create a user\'s sessions at the same time', async () => {
    const [a, b] = await twoInstances();
    await a.users.create(user('ada'));
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).sessions.create(session(`s${i}`, 'ada', T0 + i), { maxPerUser: 3 })),
    );
    expect(created).toHaveLength(12);
    expect(await a.sessions.listByUser('ada')).toHaveLength(3);
  });

  it('counts every hit when two instances hit one counter at the same time', async () => {
    const [a, b] = await twoInstances();
    const hits = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).counters.hit('k', 60_000, new Date(T0))));
    expect(hits.map((hit) => hit.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('agrees on one setting value across instances', async () => {
    const [a, b] = await twoInstances();
    const values = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).settings.getOrCreate('secret', `v${i}`)));
    expect(new Set(values).size).toBe(1);
    expect(await a.settings.getOrCreate('secret', 'late')).toBe(values[0]);
  });

  it('sees another instance\'s writes at once', async () => {
    const [a, b] = await twoInstances();
    await a.users.create(user('ada'));
    await a.sessions.create(session('s1', 'ada', T0), { maxPerUser: 10 });
    expect((await b.sessions.getBySecretHashWithUser('hash-s1'))!.user.id).toBe('ada');
    await b.sessions.delete('s1');
    expect(await a.sessions.getBySecretHashWithUser('hash-s1')).toBeNull();
  });

  it('keeps a transaction usable after a ConflictError caught inside it', async () => {
    const [a] = await twoInstances();
    await a.users.create(user('ada'));
    await a.transaction(async (tx) => {
      await tx.users.create(user('bob'));
      await expect(tx.users.create(user('eve', 'ada@example.com'))).rejects.toBeInstanceOf(ConflictError);
      await tx.users.create(user('cyd'));
    });
    expect(await a.users.count()).toBe(3);
    expect(await a.users.get('eve')).toBeNull();
  });

  it('runs concurrent transactions on separate connections without mixing them up', async () => {
    const [a] = await twoInstances();
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((i) =>
        a.transaction(async (tx) => {
          await tx.users.create(user(`user${i}`));
          await new Promise((resolve) => setTimeout(resolve, 10));
          if (i % 2) throw new Error(`roll back ${i}`);
          await tx.logs.create({ id: `log${i}`, userId: `user${i}`, event: 'e', userEmail: '', userName: '', mode: '', ip: '', userAgent: '', countryCode: '--', time: new Date(T0) });
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((await a.users.get('user0'))?.id).toBe('user0');
    expect(await a.users.get('user1')).toBeNull();
    expect(await a.users.count()).toBe(2);
  });

  it('declares timestamptz dates, jsonb JSON (json for host session data), a tsvector for search and named unique constraints', async () => {
    await instance().migrate();
    const { rows: columns } = await adminPool().query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = $1 AND table_name <> 'account_router_migrations'`,
      [schema],
    );
    const types = new Set(columns.map((c) => c.data_type));
    expect([...types].sort()).toEqual(['bigint', 'boolean', 'integer', 'json', 'jsonb', 'text', 'timestamp with time zone', 'tsvector']);
    expect(columns.filter((c) => c.data_type === 'json').map((c) => `${c.table_name}.${c.column_name}`)).toEqual(['host_sessions.data']);
    for (const column of columns) {
      if (/(_at|^expire|^time)$/.test(column.column_name) || column.column_name === 'provider_access_token_expiry' || column.column_name === 'window_start') {
        expect(`${column.table_name}.${column.column_name}: ${column.data_type}`).toMatch(/timestamp with time zone$/);
      }
    }
    const { rows: constraints } = await adminPool().query(
      `SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE n.nspname = $1 AND c.contype IN ('p', 'u') AND conrelid::regclass::text NOT LIKE '%account_router_migrations'`,
      [schema],
    );
    for (const { conname } of constraints) expect(conname).toMatch(/^[a-z_]+_(pk|unique)$/);
  });

  it('answers the hot-path lookups from indexes', async () => {
    await instance().migrate();
    const client = await adminPool().connect();
    try {
      await client.query(`SET search_path TO ${schema}`);
      await client.query('SET enable_seqscan = off');
      const plan = async (sql: string) =>
        (await client.query(`EXPLAIN ${sql}`)).rows.map((row) => row['QUERY PLAN'] as string).join('\n');
      expect(await plan(`SELECT * FROM sessions WHERE secret_hash = 'x'`)).toContain('sessions_secret_hash_unique');
      expect(await plan(`SELECT * FROM users WHERE email = 'x'`)).toContain('users_email_unique');
      expect(await plan(`SELECT * FROM sessions WHERE user_id = 'x' ORDER BY created_at, id`)).toContain('sessions_user');
      expect(await plan(`SELECT * FROM tokens WHERE user_id = 'x' AND secret_hash = 'y'`)).toContain('tokens_user_secret');
      expect(await plan(`SELECT * FROM targets WHERE user_id = 'x' ORDER BY created_at, id`)).toContain('targets_user');
      expect(await plan(`SELECT * FROM logs WHERE user_id = 'x' ORDER BY time DESC, id DESC`)).toContain('logs_user_time');
      expect(await plan(`DELETE FROM counters WHERE reset_at <= now()`)).toContain('counters_reset_at');
      expect(await plan(`DELETE FROM host_sessions WHERE expire <= now()`)).toContain('host_sessions_expire');
      // What the foreign key's ON DELETE CASCADE runs for every account session deleted.
      expect(await plan(`DELETE FROM host_sessions WHERE account_session_id = 'x'`)).toContain('host_sessions_account_session');
    } finally {
      await client.query('RESET ALL').catch(() => undefined);
      client.release();
    }
  });

  it('serves lists from indexes: creation order, search, labels, equality, prefixes and date ranges', async () => {
    const adapter = instance();
    await adapter.migrate();
    for (let i = 0; i < 50; i++) await adapter.users.create({ ...user(`u${i}`), labels: i % 5 ? [] : ['vip'] });
    const client = await adminPool().connect();
    try {
      await client.query(`SET search_path TO ${schema}`);
      await client.query('ANALYZE');
      await client.query('SET enable_seqscan = off');
      const q = (parts: Partial<UserListQuery>): UserListQuery => listQuery(parts);
      const plan = async (query: UserListQuery, cursor: Record<string, unknown> | null = null, search: SearchCondition | null = null) => {
        const page = pageStatement(USER_LIST, LIST_DIALECT, query, USER_LIST_SELECT, userSource(search), cursor);
        const count = countStatement(USER_LIST, LIST_DIALECT, query, userSource(search));
        const explain = async (text: string, values: unknown[]) =>
          (await client.query(`EXPLAIN ${text}`, values)).rows.map((row) => row['QUERY PLAN'] as string).join('\n');
        return `${await explain(page.text, page.values)}\n${await explain(count.text, count.values)}`;
      };
      expect(await plan(q({}))).toContain('Index Scan using users_seq_unique');
      expect(await plan(q({ cursor: { id: 'u3', direction: 'after' } }), { seq: '3' })).toMatch(/Index Scan using users_seq_unique[^\n]*\n\s+Index Cond: \(seq > /);
      // A rare search: the index for its rarest word, or the seqs it gave, looked up one by one.
      expect(await plan(q({}), null, { kind: 'index', query: "'u1':* & 'example':*", rare: "'u1':*" })).toContain('Bitmap Index Scan on users_search');
      expect(await plan(q({}), null, { kind: 'among', query: "'u1':*", seqs: ['2', '11'] })).toMatch(/Index Scan using users_seq_unique[^\n]*\n\s+Index Cond: \(seq = ANY/);
      // A common one: tested row by row while the page walks users_seq.
      expect(await plan(q({}), null, { kind: 'test', query: "'u':*" })).toMatch(/Index Scan using users_seq_unique[^\n]*\n\s+Filter: ts_match_vq\(search/);
      expect(await plan(q({ filters: [{ attribute: 'labels', op: 'contains', values: ['vip'] }] }))).toContain('Bitmap Index Scan on users_labels');
      // A label a thousand users hold is checked per row while the list walks its order.
      const commonPage = pageStatement(USER_LIST, LIST_DIALECT, q({ filters: [{ attribute: 'labels', op: 'contains', values: ['vip'] }] }), USER_LIST_SELECT, userSource(null, () => true), null);
      const commonPlan = (await client.query(`EXPLAIN ${commonPage.text}`, commonPage.values)).rows.map((row) => row['QUERY PLAN'] as string).join('\n');
      expect(commonPlan).toContain('Index Scan using users_seq_unique');
      expect(commonPlan).toContain('jsonb_exists_any(labels');
      expect(await plan(q({ filters: [{ attribute: 'status', op: 'equal', values: [false] }] }))).toContain('Index Scan using users_status');
      expect(await plan(q({ filters: [{ attribute: 'email', op: 'startsWith', values: ['u1'] }] }))).toMatch(/Index (Only )?Scan (on|using) users_email_unique/);
      expect(await plan(q({ filters: [{ attribute: 'createdAt', op: 'greaterThan', values: [new Date(T0)] }] }))).toMatch(/Index (Only )?Scan (on|using) users_created_at/);
      expect(await plan(q({ orders: [{ attribute: 'name', direction: 'asc' }], cursor: { id: 'u3', direction: 'after' } }), { name: 'u3', seq: '4' }))
        .toMatch(/Index Scan using users_name[^\n]*\n\s+Index Cond: \(ROW\(name, seq\) > ROW\(/);
    } finally {
      await client.query('RESET ALL').catch(() => undefined);
      client.release();
    }
  });

  it('upgrades a schema at migration 3: users get their creation order, search words, impersonator false; text compares by code point', async () => {
    const client = await adminPool().connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
      await client.query('CREATE TABLE account_router_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
        await client.query(migration.up);
        await client.query('INSERT INTO account_router_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      }
      const insert = `INSERT INTO users (id, created_at, updated_at, name, email, phone, status, labels, email_verification,
        phone_verification, mfa, prefs, accessed_at) VALUES ($1, $2, now(), $3, $4, $5, true, $6, false, false, false, '{}', now())`;
      await client.query(insert, ['zed', new Date(T0 + 10), 'Zoë Ñúñez', 'zoe@example.org', null, '["vip","beta"]']);
      await client.query(insert, ['ada', new Date(T0 + 30), 'Ada Lovelace', 'ada@example.com', '+14155550101', '[]']);
      await client.query(insert, ['bob', new Date(T0 + 20), 'bob', null, null, '["beta"]']);
    } finally {
      await client.query('RESET search_path').catch(() => undefined);
      client.release();
    }
    const adapter = instance();
    await adapter.migrate();
    const list = async (query: Partial<UserListQuery>) => (await adapter.users.list(listQuery(query)))!;
    expect((await list({})).items.map((u) => [u.id, u.impersonator])).toEqual([['zed', false], ['bob', false], ['ada', false]]);
    expect((await list({ search: 'nunez' })).items.map((u) => u.id)).toEqual(['zed']);
    expect((await list({ search: '+1415' })).items.map((u) => u.id)).toEqual(['ada']);
    expect((await list({ filters: [{ attribute: 'labels', op: 'contains', values: ['beta'] }] })).items.map((u) => u.id)).toEqual(['zed', 'bob']);
    // Code-point order whatever the database's collation: upper case before lower case.
    expect((await list({ orders: [{ attribute: 'name', direction: 'asc' }] })).items.map((u) => u.name)).toEqual(['Ada Lovelace', 'Zoë Ñúñez', 'bob']);
    await adapter.users.create({ ...user('cyd'), createdAt: new Date(0) });
    expect((await list({ cursor: { id: 'ada', direction: 'after' } })).items.map((u) => u.id)).toEqual(['cyd']);
    const { rows } = await adminPool().query(`SELECT version FROM ${schema}.account_router_migrations ORDER BY version`);
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('round-trips dates in a session time zone that is not UTC', async () => {
    const pool = new Pool({ connectionString: databaseUrl!, max: 2, options: `-c search_path=${schema} -c TimeZone=Europe/Amsterdam` });
    const adapter = createPostgresAdapter({ pool });
    try {
      await instance().migrate();
      const old = new Date(Date.UTC(1900, 0, 1, 0, 0, 0, 7));
      await adapter.users.create({ ...user('ada'), createdAt: old });
      await adapter.targets.create({
        id: 't1', userId: 'ada', createdAt: old, updatedAt: new Date(T0), providerType: 'email',
        identifier: 'ada@example.com', providerId: null, name: '', expired: false, sessionId: null,
      });
      const read = (await adapter.users.get('ada'))!;
      expect(read.createdAt.getTime()).toBe(old.getTime());
      expect(read.targets[0].createdAt.getTime()).toBe(old.getTime());
      expect(read.targets[0].updatedAt.getTime()).toBe(T0);
    } finally {
      await adapter.close();
      await pool.end();
    }
  });

  it('uses a pool it is given, with the schema set on each connection, and leaves it open on close', async () => {
    const pool = new Pool({ connectionString: databaseUrl!, max: 2 });
    try {
      const adapter = createPostgresAdapter({ pool, schema });
      await adapter.migrate();
      await adapter.users.create(user('ada'));
      await adapter.close();
      const { rows } = await pool.query(`SELECT id FROM ${schema}.users`);
      expect(rows).toEqual([{ id: 'ada' }]);
    } finally {
      await pool.end();
    }
  });

  it('prepares the fixed statements once per connection, and not at all with prepare: false', async () => {
    const preparedOn = async (prepare: boolean) => {
      const pool = new Pool({ connectionString: databaseUrl!, max: 1 });
      try {
        const adapter = createPostgresAdapter({ pool, schema, prepare });
        await adapter.migrate();
        await adapter.users.create(user(`u${prepare}`));
        const created = await adapter.sessions.create(session(`s${prepare}`, `u${prepare}`, T0), { maxPerUser: 5 });
        expect((await adapter.sessions.getBySecretHashWithUser(created.secretHash))?.user.id).toBe(`u${prepare}`);
        expect((await adapter.sessions.getBySecretHashWithUser(created.secretHash))?.session.id).toBe(`s${prepare}`);
        const { rows } = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
        return rows.map((row) => row.name);
      } finally {
        await pool.end();
      }
    };
    expect(await preparedOn(true)).toEqual(expect.arrayContaining([
      'account_router_getSessionWithUserBySecret', 'account_router_insertSession', 'account_router_insertUser', 'account_router_lockUser',
    ]));
    expect(await preparedOn(false)).toEqual([]);
  });

  it('ends its own pool on close', async () => {
    const adapter = createPostgresAdapter({ connectionString: databaseUrl!, schema });
    await adapter.migrate();
    await adapter.close();
    await adapter.close();
    await expect(adapter.users.count()).rejects.toThrow();
  });

  it('refuses bad options with a TypeError naming the option', () => {
    expect(() => createPostgresAdapter({})).toThrow(TypeError);
    expect(() => createPostgresAdapter({ connectionString: databaseUrl!, pool: new Pool() })).toThrow(/exactly one/);
    expect(() => createPostgresAdapter({ connectionString: databaseUrl!, schema: 'Bad-Name' })).toThrow(/`schema`/);
    expect(() => createPostgresAdapter({ connectionString: databaseUrl!, max: 0 })).toThrow(/`max`/);
    expect(() => createPostgresAdapter({ connectionString: databaseUrl!, prepare: 'yes' as never })).toThrow(/`prepare`/);
  });
});
