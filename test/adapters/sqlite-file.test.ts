// The SQLite file as an operator's tools see it: Debian's sqlite3 shell (3.40 on Debian 12) must
// open, query, .dump and restore what the adapter writes, which holds only while the schema stays
// within SQLite 3.37 (FTS5 included); files written before migrations 4 and 6 must be upgraded to
// that schema; and rows the shell writes keep their place in users.list.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { LATEST_VERSION, MIGRATIONS } from '../../adapters/sqlite/migrations';
import type { StorageAdapter, TargetRecord, UserListQuery, UserRecord } from '../../adapters/types';
import { describeIf } from '../helpers/describe-if';
import { listQuery } from '../../testing/suites/list-reference';

const SQLITE3 = '/usr/bin/sqlite3';
const T0 = Date.UTC(2024, 4, 6, 7, 8, 9, 123);

function user(id: string, name = id): Omit<UserRecord, 'targets'> {
  return {
    id, createdAt: new Date(T0), updatedAt: new Date(T0), name, email: `${id}@example.com`, phone: null,
    passwordHash: null, passwordUpdatedAt: null, passwordPwned: null, status: true, labels: ['beta'], emailVerification: false,
    phoneVerification: false, mfa: false, prefs: { theme: 'dark' }, accessedAt: new Date(T0), impersonator: false,
  };
}

function target(id: string, userId: string, createdAt: number, identifier: string): TargetRecord {
  return {
    id, userId, createdAt: new Date(T0 + createdAt), updatedAt: new Date(T0 + createdAt), providerType: 'email',
    identifier, providerId: null, name: '', expired: false, sessionId: null,
  };
}

/** Writes, with raw SQL, a file as migrations 1 to 3 left it: users ada and bob, ada's targets out of order. */
function createVersion3File(filename: string): void {
  const db = new Database(filename);
  try {
    for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }
    const insertUser = db.prepare(`INSERT INTO users (id, created_at, updated_at, name, email, status, labels, email_verification,
      phone_verification, mfa, prefs, accessed_at) VALUES (?, 0, 0, ?, ?, 1, '[]', 0, 0, 0, '{}', 0)`);
    insertUser.run('ada', 'Ada', 'ada@example.com');
    insertUser.run('bob', 'Bob', 'bob@example.com');
    const insertTarget = db.prepare(`INSERT INTO targets (id, user_id, created_at, updated_at, provider_type, identifier,
      provider_id, name, expired, session_id) VALUES (?, 'ada', ?, ?, ?, ?, NULL, '', 0, NULL)`);
    insertTarget.run('later', 20, 21, 'push', 'device');
    insertTarget.run('earlier', 10, 11, 'email', 'ada@example.com');
  } finally {
    db.close();
  }
}

/** The target ada's copy holds in a version 3 file, read back as a record. */
const v3Target = (id: string, createdAt: number, providerType: string, identifier: string) => ({
  id, userId: 'ada', createdAt: new Date(createdAt), updatedAt: new Date(createdAt + 1), providerType, identifier,
  providerId: null, name: '', expired: false, sessionId: null,
});

let dir: string;
let filename: string;
const open: StorageAdapter[] = [];

function openAdapter(file = filename): StorageAdapter {
  const adapter = createSqliteAdapter({ filename: file });
  open.push(adapter);
  return adapter;
}

async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((adapter) => adapter.close()));
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'account-router-sqlite-file-'));
  filename = path.join(dir, 'account.sqlite');
});

afterEach(async () => {
  await closeAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('sqlite migration 4', () => {
  it('replaces the target-copy triggers of a version 3 file, keeping every copy and its order', async () => {
    createVersion3File(filename);
    const adapter = openAdapter();
    expect((await adapter.users.get('ada'))!.targets).toEqual([
      v3Target('earlier', 10, 'email', 'ada@example.com'),
      v3Target('later', 20, 'push', 'device'),
    ]);

    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      const triggers = raw.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'targets_copy_%' ORDER BY name").all() as { name: string; sql: string }[];
      expect(triggers.map((t) => t.name)).toEqual(['targets_copy_after_delete', 'targets_copy_after_insert', 'targets_copy_after_update']);
      // An ORDER BY inside the aggregate's parentheses is what SQLite before 3.44 cannot parse.
      for (const trigger of triggers) expect(trigger.sql).not.toMatch(/json_group_array\((?:[^()]|\([^()]*\))*ORDER BY/);
    } finally {
      raw.close();
    }

    // The new triggers keep the copy in order through inserts, updates and deletes.
    const first = await adapter.targets.create(target('first', 'ada', -5, 'first@example.com'));
    const moved = (await adapter.targets.update('later', { updatedAt: new Date(T0) }))!;
    await adapter.targets.delete('earlier');
    expect((await adapter.users.get('ada'))!.targets).toEqual([moved, first]);
    expect((await adapter.users.get('bob'))!.targets).toEqual([]);
  });
});

/** Writes, with raw SQL, a file as migrations 1 to 5 left it: three users created out of id order, with labels. */
function createVersion5File(file: string): void {
  const db = new Database(file);
  try {
    for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }
    const insertUser = db.prepare(`INSERT INTO users (id, created_at, updated_at, name, email, phone, status, labels,
      email_verification, phone_verification, mfa, prefs, accessed_at) VALUES (?, ?, 0, ?, ?, ?, 1, ?, 0, 0, 0, '{}', 0)`);
    insertUser.run('zed', 10, 'Zoë Ñúñez', 'zoe@example.org', null, '["vip","beta"]');
    insertUser.run('ada', 30, 'Ada Lovelace', 'ada@example.com', '+14155550101', '[]');
    insertUser.run('bob', 20, 'Bob', null, null, '["beta"]');
  } finally {
    db.close();
  }
}

describe('sqlite migration 7', () => {
  it('gives the users of a version 5 file their place in creation order, search words, label rows and impersonator false', async () => {
    createVersion5File(filename);
    const adapter = openAdapter();
    const list = async (query: Partial<UserListQuery>) => (await adapter.users.list(listQuery(query)))!;
    const all = await list({});
    expect(all.items.map((u) => [u.id, u.impersonator])).toEqual([['zed', false], ['bob', false], ['ada', false]]);
    expect((await list({ search: 'nunez' })).items.map((u) => u.id)).toEqual(['zed']);
    expect((await list({ search: '+1415' })).items.map((u) => u.id)).toEqual(['ada']);
    expect((await list({ filters: [{ attribute: 'labels', op: 'contains', values: ['beta'] }] })).items.map((u) => u.id)).toEqual(['zed', 'bob']);
    await adapter.users.create({ ...user('cyd'), createdAt: new Date(0) });
    expect((await list({ cursor: { id: 'ada', direction: 'after' } })).items.map((u) => u.id)).toEqual(['cyd']);
    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(raw.prepare('SELECT id, seq FROM users ORDER BY seq').all()).toEqual([
        { id: 'zed', seq: 1 }, { id: 'bob', seq: 2 }, { id: 'ada', seq: 3 }, { id: 'cyd', seq: 4 },
      ]);
    } finally {
      raw.close();
    }
  });
});

const shellReady = existsSync(SQLITE3);
const describeWithShell = describeIf(shellReady, `install Debian's sqlite3 shell to run it (apt-get install sqlite3; ${SQLITE3})`);

/** Runs the sqlite3 shell on `file` with `sql` on stdin; any output on stderr fails the test. */
function shell(file: string, sql: string): string {
  const result = spawnSync(SQLITE3, ['-bail', file], { input: sql, encoding: 'utf8' });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return result.stdout;
}

describeWithShell('the sqlite3 shell on a file the adapter wrote', () => {
  const version = shellReady ? execFileSync(SQLITE3, ['-version'], { encoding: 'utf8' }).split(' ')[0] : '';
  const [major, minor] = version.split('.').map(Number);
  /** Before 3.44 the shell cannot parse an ORDER BY inside an aggregate, as version 3 files have. */
  const oldShell = major === 3 && minor < 44;

  async function writeAccounts(): Promise<void> {
    const adapter = openAdapter();
    await adapter.users.create(user('ada', 'Ada Lovelace 🚀'));
    await adapter.users.create(user('bob'));
    await adapter.targets.create(target('t-late', 'ada', 20, 'ada@example.com'));
    await adapter.targets.create(target('t-early', 'ada', 10, '+14155550100'));
    await closeAll();
  }

  it(`opens, queries, .dumps and .backs it up (sqlite3 ${version})`, async () => {
    await writeAccounts();
    expect(shell(filename, 'PRAGMA integrity_check;\nSELECT id, name FROM users ORDER BY id;\n')).toBe('ok\nada|Ada Lovelace 🚀\nbob|bob\n');

    // A dump restores into a new file that the shell reads, targets copy included. (It leaves out
    // PRAGMA user_version, which the adapter needs to know the file's schema version.)
    const dump = shell(filename, '.dump\n');
    expect(dump).toContain('CREATE TRIGGER targets_copy_after_insert');
    expect(dump).toContain('CREATE TRIGGER host_sessions_end_on_block');
    expect(dump).toContain("INSERT INTO targets VALUES('t-early','ada'");
    const restored = path.join(dir, 'restored.sqlite');
    shell(restored, dump);
    expect(shell(restored, "PRAGMA integrity_check;\nSELECT json_extract(targets, '$[0].id') FROM users WHERE id = 'ada';\n")).toBe('ok\nt-early\n');

    // A backup is the same file, schema version included: the adapter opens it as it was.
    const backup = path.join(dir, 'backup.sqlite');
    shell(filename, `.backup '${backup}'\n`);
    const ada = (await openAdapter(backup).users.get('ada'))!;
    expect(ada.name).toBe('Ada Lovelace 🚀');
    expect(ada.targets.map((t) => t.id)).toEqual(['t-early', 't-late']);
  });

  it('runs the target-copy triggers inside the shell, keeping the copy the adapter reads in order', async () => {
    await writeAccounts();
    shell(filename, `INSERT INTO targets (id, user_id, created_at, updated_at, provider_type, identifier, provider_id, name,
      expired, session_id) VALUES ('t-first', 'ada', ${T0}, ${T0}, 'push', 'device', 'fcm', 'Pixel', 1, NULL);
      DELETE FROM targets WHERE id = 't-late';\n`);
    const ada = (await openAdapter().users.get('ada'))!;
    expect(ada.targets).toEqual([
      { ...target('t-first', 'ada', 0, 'device'), providerType: 'push', providerId: 'fcm', name: 'Pixel', expired: true },
      target('t-early', 'ada', 10, '+14155550100'),
    ]);
  });

  it('gives a user the shell inserts its place in lists and its label rows, and finds the search words', async () => {
    await writeAccounts();
    shell(filename, `INSERT INTO users (id, created_at, updated_at, name, email, status, labels, email_verification,
      phone_verification, mfa, prefs, accessed_at) VALUES ('cyd', 0, 0, 'Cyd', 'cyd@example.com', 1, '["beta","ops"]', 0, 0, 0, '{}', 0);\n`);
    expect(shell(filename, `SELECT rowid FROM users_search WHERE users_search MATCH '"lov"*';\n`)).toBe(
      shell(filename, "SELECT seq FROM users WHERE id = 'ada';\n"),
    );
    const adapter = openAdapter();
    const page = (await adapter.users.list(listQuery({ filters: [{ attribute: 'labels', op: 'contains', values: ['ops'] }] })))!;
    expect(page.items.map((u) => u.id)).toEqual(['cyd']);
    const all = (await adapter.users.list(listQuery()))!;
    expect(all.items.map((u) => u.id)).toEqual(['ada', 'bob', 'cyd']);
  });

  it('opens a version 3 file once the adapter has upgraded it', async () => {
    createVersion3File(filename);
    if (oldShell) {
      const before = spawnSync(SQLITE3, [filename, 'SELECT count(*) FROM users;'], { encoding: 'utf8' });
      expect(before.stderr).toMatch(/malformed database schema \(targets_copy_after_insert\)/);
    }
    openAdapter();
    await closeAll();
    expect(shell(filename, 'SELECT id FROM users ORDER BY id;\n')).toBe('ada\nbob\n');
  });
});
