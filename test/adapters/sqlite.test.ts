import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { LATEST_VERSION, MIGRATIONS } from '../../adapters/sqlite/migrations';
import type { IdentityListQuery, StorageAdapter, UserListQuery, UserRecord } from '../../adapters/types';
import { IDENTITY_LIST, USER_LIST, countStatement, pageStatement } from '../../adapters/sql/list';
import { LIST_DIALECT, userSource } from '../../adapters/sqlite/stores';
import { runAdapterConformance } from '../../testing';
import { listQuery } from '../../testing/suites/list-reference';

const tempDirs = new Map<StorageAdapter, string>();

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'account-router-sqlite-'));
}

runAdapterConformance('sqlite adapter (:memory:)', async () => createSqliteAdapter({ filename: ':memory:' }));

runAdapterConformance(
  'sqlite adapter (file)',
  async () => {
    const dir = tempDir();
    const adapter = createSqliteAdapter({ filename: path.join(dir, 'data', 'account.sqlite') });
    tempDirs.set(adapter, dir);
    return adapter;
  },
  async (adapter) => {
    await adapter.close();
    rmSync(tempDirs.get(adapter)!, { recursive: true, force: true });
    tempDirs.delete(adapter);
  },
);

const T0 = Date.UTC(2024, 4, 6, 7, 8, 9, 123);

function user(id: string): Omit<UserRecord, 'targets'> {
  return {
    id,
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
    name: id,
    email: `${id}@example.com`,
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

const token = {
  id: 'token1',
  userId: 'ada',
  type: 'email-otp' as const,
  createdAt: new Date(T0),
  expire: new Date(T0 + 60_000),
  secretHash: 'secret-hash',
  phrase: '',
  provider: '',
};
const consumeQuery = { userId: 'ada', types: ['email-otp' as const], secretHash: 'secret-hash', now: new Date(T0) };

/**
 * A thread with its own connection (as another process would have) that opens the adapter when
 * released and runs `task`. Worker threads run plain JavaScript, so the adapter's TypeScript is
 * transpiled on require.
 */
const WORKER_SOURCE = `
  const { workerData, parentPort } = require('node:worker_threads');
  const fs = require('node:fs');
  const ts = require(workerData.typescript);
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
  const { createSqliteAdapter } = require(workerData.adapter);
  parentPort.postMessage('ready');
  Atomics.wait(new Int32Array(workerData.gate), 0, 0);
  (async () => {
    const adapter = createSqliteAdapter({ filename: workerData.filename });
    const result = {};
    if (workerData.task === 'race') {
      const { query, hits } = workerData;
      const [consumed, ...counts] = await Promise.all([
        adapter.tokens.consume({ ...query, now: new Date(query.now) }),
        ...Array.from({ length: hits }, () => adapter.counters.hit('race', 60000, new Date(query.now))),
      ]);
      result.consumed = consumed !== null;
      result.counts = counts.map((hit) => hit.count);
    }
    await adapter.close();
    parentPort.postMessage(result);
  })().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

interface WorkerResult {
  consumed?: boolean;
  counts?: number[];
  error?: string;
}

/** Starts `count` workers, releases them together once all are loaded, and collects their results. */
async function inWorkers(count: number, data: Record<string, unknown>): Promise<WorkerResult[]> {
  const gate = new SharedArrayBuffer(4);
  const workerData = {
    ...data,
    gate,
    typescript: require.resolve('typescript'),
    adapter: path.resolve(__dirname, '../../adapters/sqlite/index.ts'),
  };
  const workers = Array.from({ length: count }, () => new Worker(WORKER_SOURCE, { eval: true, workerData }));
  const messages = workers.map((worker) => {
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    const result = ready.then(
      () =>
        new Promise<WorkerResult>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    );
    return { ready, result };
  });
  try {
    await Promise.all(messages.map((m) => m.ready));
    const flag = new Int32Array(gate);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const results = await Promise.all(messages.map((m) => m.result));
    for (const result of results) expect(result.error).toBeUndefined();
    return results;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

describe('sqlite adapter specifics', () => {
  let dir: string;
  let filename: string;
  const open: StorageAdapter[] = [];

  function openAdapter(): StorageAdapter {
    const adapter = createSqliteAdapter({ filename });
    open.push(adapter);
    return adapter;
  }

  beforeEach(() => {
    dir = tempDir();
    filename = path.join(dir, 'nested', 'deeper', 'account.sqlite');
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((adapter) => adapter.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the missing parent directory, uses WAL and records the latest schema version', () => {
    openAdapter();
    expect(existsSync(filename)).toBe(true);
    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    } finally {
      raw.close();
    }
  });

  it('opens an existing database again without re-migrating or losing data', async () => {
    const first = openAdapter();
    await first.users.create(user('ada'));
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = openAdapter();
    await second.migrate();
    expect((await second.users.get('ada'))!.name).toBe('ada');
    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    } finally {
      raw.close();
    }
  });

  it('upgrades a version 1 database: each user row gets a copy of its targets, oldest first', async () => {
    mkdirSync(path.dirname(filename), { recursive: true });
    const v1 = new Database(filename);
    v1.exec(MIGRATIONS[0].up);
    v1.pragma('user_version = 1');
    const insertUser = v1.prepare(`INSERT INTO users (id, created_at, updated_at, name, email, status, labels, email_verification,
      phone_verification, mfa, prefs, accessed_at) VALUES (?, 0, 0, ?, ?, 1, '[]', 0, 0, 0, '{}', 0)`);
    insertUser.run('ada', 'Ada', 'ada@example.com');
    insertUser.run('bob', 'Bob', 'bob@example.com');
    const insertTarget = v1.prepare(`INSERT INTO targets (id, user_id, created_at, updated_at, provider_type, identifier, provider_id,
      name, expired, session_id) VALUES (?, 'ada', ?, ?, ?, ?, NULL, '', 0, NULL)`);
    insertTarget.run('later', 20, 21, 'push', 'device');
    insertTarget.run('earlier', 10, 11, 'email', 'ada@example.com');
    v1.close();

    const adapter = openAdapter();
    await adapter.migrate();
    const target = (id: string, createdAt: number, providerType: string, identifier: string) => ({
      id, userId: 'ada', createdAt: new Date(createdAt), updatedAt: new Date(createdAt + 1), providerType, identifier,
      providerId: null, name: '', expired: false, sessionId: null,
    });
    expect((await adapter.users.get('ada'))!.targets).toEqual([target('earlier', 10, 'email', 'ada@example.com'), target('later', 20, 'push', 'device')]);
    expect((await adapter.users.get('bob'))!.targets).toEqual([]);
  });

  it('lets two adapters on one file see each other\'s writes', async () => {
    const a = openAdapter();
    const b = openAdapter();
    await a.users.create(user('ada'));
    expect((await b.users.get('ada'))!.email).toBe('ada@example.com');
    await b.users.update('ada', { name: 'Ada King' });
    expect((await a.users.get('ada'))!.name).toBe('Ada King');
    await b.settings.getOrCreate('key', 'from-b');
    expect(await a.settings.getOrCreate('key', 'from-a')).toBe('from-b');
  });

  it('gives one winner when a token is consumed through two adapters at once', async () => {
    const a = openAdapter();
    const b = openAdapter();
    await a.users.create(user('ada'));
    await a.tokens.create(token);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).tokens.consume(consumeQuery)));
    expect(results.filter((r) => r !== null)).toEqual([token]);
  });

  it('migrates once when several threads open a new file at the same moment', async () => {
    await inWorkers(4, { filename, task: 'open' });
    const adapter = openAdapter();
    expect(await adapter.users.count()).toBe(0);
    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    } finally {
      raw.close();
    }
  });

  it('stays atomic across connections in parallel threads: one token winner, no lost counter hits', async () => {
    const adapter = openAdapter();
    await adapter.users.create(user('ada'));
    await adapter.tokens.create(token);
    const hits = 25;
    const results = await inWorkers(4, {
      filename,
      task: 'race',
      hits,
      query: { ...consumeQuery, now: T0 },
    });
    expect(results.filter((r) => r.consumed)).toHaveLength(1);
    const counts = results.flatMap((r) => r.counts!).sort((x, y) => x - y);
    expect(counts).toEqual(Array.from({ length: 4 * hits }, (_, i) => i + 1));
  });

  it('counts a hit from a lagging clock into the newer window instead of restarting it', async () => {
    const adapter = openAdapter();
    const windowStart = T0 - (T0 % 60_000);
    await adapter.counters.hit('skew', 60_000, new Date(windowStart + 60_000));
    const late = await adapter.counters.hit('skew', 60_000, new Date(windowStart));
    expect(late).toEqual({ count: 2, resetAt: new Date(windowStart + 120_000) });
  });

  it('runs transactions one after another', async () => {
    const adapter = openAdapter();
    const names = await Promise.all(
      [0, 1, 2].map((i) =>
        adapter.transaction(async (tx) => {
          const count = await tx.users.count();
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tx.users.create(user(`user${i}`));
          return count;
        }),
      ),
    );
    expect(names.sort()).toEqual([0, 1, 2]);
  });

  it('holds outside callers while a transaction is open, then lets them through', async () => {
    const adapter = openAdapter();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transaction = adapter.transaction(async (tx) => {
      await tx.users.create(user('ada'));
      await gate;
      await tx.users.update('ada', { name: 'committed' });
    });
    let seen: string | null | undefined;
    const outside = adapter.users.get('ada').then((found) => (seen = found?.name ?? null));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toBeUndefined();
    release();
    await Promise.all([transaction, outside]);
    expect(seen).toBe('committed');
  });

  it('maps constraint errors when another copy of better-sqlite3 was loaded first', async () => {
    // A fresh module registry re-evaluates better-sqlite3's JavaScript while the native addon, loaded
    // once per process, keeps throwing the first copy's SqliteError: what jest does across test files.
    let isolated!: { sqlite: typeof import('../../adapters/sqlite'); types: typeof import('../../adapters/types') };
    jest.isolateModules(() => {
      isolated = { sqlite: require('../../adapters/sqlite'), types: require('../../adapters/types') };
    });
    const adapter = isolated.sqlite.createSqliteAdapter({ filename: ':memory:' });
    open.push(adapter);
    await adapter.users.create(user('ada'));
    const error = await adapter.users.create({ ...user('bob'), email: 'ada@example.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(isolated.types.ConflictError);
    expect(error).toMatchObject({ entity: 'user', field: 'email' });
  });

  it('serves the common lists from indexes: no table scan, and no sort where the order is an index\'s', async () => {
    openAdapter();
    const raw = new Database(filename, { readonly: true });
    const q = (parts: Partial<UserListQuery>): UserListQuery => listQuery(parts);
    const plan = (query: UserListQuery, cursor: Record<string, unknown> | null = null) => {
      const page = pageStatement(USER_LIST, LIST_DIALECT, query, 'u.*', userSource(query.search), cursor);
      const count = countStatement(USER_LIST, LIST_DIALECT, query, userSource(query.search));
      const explain = (text: string, values: unknown[]) =>
        (raw.prepare(`EXPLAIN QUERY PLAN ${text}`).all(values) as { detail: string }[]).map((row) => row.detail).join(' | ');
      return { page: explain(page.text, page.values), count: explain(count.text, count.values) };
    };
    try {
      // Creation order, and a cursor in it: one index range, read in order.
      expect(plan(q({}))).toEqual({ page: 'SCAN u USING INDEX users_seq', count: expect.stringContaining('SCAN u USING COVERING INDEX users_seq') });
      expect(plan(q({ cursor: { id: 'x', direction: 'after' } }), { seq: 5 }).page).toBe('SEARCH u USING INDEX users_seq (seq>?)');
      // Search: FTS5 hands out rowids in order (INDEX 64: ORDER BY rowid consumed), the page stops at its limit.
      expect(plan(q({ search: 'ada lov' })).page).toBe('SCAN users_search VIRTUAL TABLE INDEX 64:M1 | SEARCH u USING INDEX users_seq (seq=?)');
      expect(plan(q({ search: 'ada', cursor: { id: 'x', direction: 'before' } }), { seq: 5 }).page).toMatch(/^SCAN users_search VIRTUAL TABLE INDEX \d+:M1<? \| SEARCH u USING INDEX users_seq \(seq=\?\)$/);
      // Equality filters on indexed columns: the (column, seq) index gives the rows already in order.
      for (const [attribute, index] of [['status', 'users_status'], ['emailVerification', 'users_email_verification'], ['impersonator', 'users_impersonator']] as const) {
        expect(plan(q({ filters: [{ attribute, op: 'equal', values: [true] }] })).page).toBe(`SEARCH u USING INDEX ${index} (${index.slice(6)}=?)`);
      }
      expect(plan(q({ filters: [{ attribute: 'name', op: 'equal', values: ['Ada'] }] })).page).toBe('SEARCH u USING INDEX users_name (name=?)');
      // Prefixes and date ranges: an index range, then a sort of what it found.
      expect(plan(q({ filters: [{ attribute: 'email', op: 'startsWith', values: ['ada'] }] })).page)
        .toBe('SEARCH u USING INDEX users_email (email>? AND email<?) | USE TEMP B-TREE FOR ORDER BY');
      expect(plan(q({ filters: [{ attribute: 'createdAt', op: 'greaterThan', values: [new Date()] }] })).page)
        .toBe('SEARCH u USING INDEX users_created_at (created_at>?) | USE TEMP B-TREE FOR ORDER BY');
      // A rare label: its holders from the label index, in seq order.
      expect(plan(q({ filters: [{ attribute: 'labels', op: 'contains', values: ['vip'] }] })).page)
        .toBe('SEARCH u USING INDEX users_seq (seq=?) | LIST SUBQUERY 1 | SEARCH user_labels USING COVERING INDEX user_labels_label (label=?)');
      // A common one: the list walks its order (here the date index) and checks each user by primary key.
      const common = q({
        filters: [{ attribute: 'labels', op: 'contains', values: ['vip'] }, { attribute: 'createdAt', op: 'greaterThan', values: [new Date()] }],
        orders: [{ attribute: 'createdAt', direction: 'desc' }],
      });
      const commonPage = pageStatement(USER_LIST, LIST_DIALECT, common, 'u.*', userSource('', () => true), null);
      expect((raw.prepare(`EXPLAIN QUERY PLAN ${commonPage.text}`).all(commonPage.values) as { detail: string }[]).map((row) => row.detail).join(' | '))
        .toBe('SEARCH u USING INDEX users_created_at (created_at>?) | CORRELATED SCALAR SUBQUERY 1 | SEARCH user_labels USING PRIMARY KEY (user_seq=? AND label=?) | USE TEMP B-TREE FOR LAST TERM OF ORDER BY');
      // Orders on indexed columns, with a cursor: a row-value range of the (column, seq) index.
      expect(plan(q({ orders: [{ attribute: 'name', direction: 'asc' }], cursor: { id: 'x', direction: 'after' } }), { name: 'Ada', seq: 3 }).page)
        .toBe('SEARCH u USING INDEX users_name ((name,seq)>(?,?))');
      // Identities of every user, in their order.
      const everyIdentity: IdentityListQuery = listQuery();
      const identities = pageStatement(IDENTITY_LIST, LIST_DIALECT, everyIdentity, 'i.*', () => ({ from: 'identities i', where: null }), null);
      expect((raw.prepare(`EXPLAIN QUERY PLAN ${identities.text}`).all(identities.values) as { detail: string }[])[0].detail)
        .toBe('SCAN i USING INDEX identities_created_at');
    } finally {
      raw.close();
    }
  });

  it('closes the database', async () => {
    const adapter = createSqliteAdapter({ filename: ':memory:' });
    await adapter.close();
    await expect(adapter.users.count()).rejects.toThrow();
  });
});
