// The per-entity stores over one better-sqlite3 connection. Every statement is prepared here, once,
// when the adapter is created. These stores run their statements directly: index.ts adds the lock
// that keeps outside callers out of an open transaction.

import type Database from 'better-sqlite3';
import type {
  ApiKeyStore, AuthenticatorStore, ChallengeStore, CounterStore, HostSessionStore, IdentityStore, ListQuery, LogStore, Page,
  PasswordHistoryStore, RecoveryCodeEntry, RecoveryCodeStore, SessionStore, SettingStore, StorageStores, TargetStore,
  TokenStore, UserStore,
} from '../types';
import {
  COMMON_LABEL_HOLDERS, IDENTITY_LIST, USER_LIST, countStatement, cursorColumns, identitySearch, pageStatement,
  type Bind, type ListDialect, type ListSource, type ListTable,
} from '../sql/list';
import type { Row } from '../sql/rows';
import { COLUMNS, PATCHABLE, conflictError, liveAccountSession, liveHostSession, lowerEmail } from '../sql/schema';
import { USER_SEARCH_FIELDS, searchQueryWords, userSearchWords } from '../sql/search';
import { readers, toParams, toSqlValue, type SqlValue } from './rows';
import { createOAuthStores } from './oauth-stores';

const { toApiKey, toAuthenticator, toChallenge, toHostSession, toIdentity, toLog, toSession, toTarget, toToken, toUser } = readers;

/** A unique-index refusal ("UNIQUE constraint failed: users.email") as the contract's ConflictError. */
function asConflict(error: unknown): unknown {
  // Matched by code, not `instanceof SqliteError`: the native addon keeps the SqliteError class of
  // the first better-sqlite3 instance loaded in the process, which need not be the one imported
  // here (jest's per-file module registries, or two copies of the package).
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return error;
  // A composite index names its first column, which the schema orders to be the reported field.
  const match = /constraint failed: (\w+)\.(\w+)/.exec(String(message));
  return (match && conflictError(match[1], match[2])) ?? error;
}

/** Runs a writing statement that RETURNs the row, with constraint errors mapped. */
function write(statement: Database.Statement, params: object): Row | undefined {
  try {
    return statement.get(params) as Row | undefined;
  } catch (error) {
    throw asConflict(error);
  }
}

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`;
}

/**
 * One UPDATE for every possible patch: `@set_<column>` says whether the patch carries the column,
 * so a field can be set to NULL as well as left alone, without preparing a statement per shape.
 */
function patchSql(table: string, patchable: ReadonlyMap<string, string>): string {
  const assignments = [...patchable.values()].map((c) => `${c} = CASE WHEN @set_${c} THEN @${c} ELSE ${c} END`);
  return `UPDATE ${table} SET ${assignments.join(', ')} WHERE id = @id`;
}

function patchParams(id: string, patch: object, patchable: ReadonlyMap<string, string>): Record<string, SqlValue> {
  const params: Record<string, SqlValue> = { id };
  for (const column of patchable.values()) {
    params[column] = null;
    params['set_' + column] = 0;
  }
  for (const [field, value] of Object.entries(patch)) {
    const column = patchable.get(field);
    if (value === undefined || column === undefined) continue;
    params[column] = toSqlValue(value);
    params['set_' + column] = 1;
  }
  return params;
}

/** `targets` is the user's targets as a JSON array, kept current by triggers (migration 2). */
const SELECT_USER = 'SELECT u.* FROM users u';

/** How lists (adapters/sql/list.ts) are written for SQLite. */
export const LIST_DIALECT: ListDialect = {
  placeholder: () => '?',
  value: toSqlValue,
  contains: (haystack, needle) => `instr(${haystack}, ${needle}) > 0`,
  // unlikely(): SQLite keeps no statistics here (no ANALYZE), and would otherwise walk users_seq.
  dateRange: (condition) => `unlikely(${condition})`,
  // SQLite's own order already puts nulls first ascending and last descending.
  orderBy: (expression, direction) => `${expression} ${direction.toUpperCase()}`,
  labels(alias, op, labels, bind, common) {
    const distinct = [...new Set(labels)];
    const list = distinct.map(bind).join(', ');
    if (op === 'containsAll') {
      return `(SELECT count(*) FROM user_labels WHERE user_seq = ${alias}.seq AND label IN (${list})) = ${distinct.length}`;
    }
    // A rare label: its holders, from the label index, in seq order. A common one (or none of
    // them): a check per user, by primary key, while the list walks its own order.
    if (op === 'contains' && !common) return `${alias}.seq IN (SELECT user_seq FROM user_labels WHERE label IN (${list}))`;
    const has = `EXISTS (SELECT 1 FROM user_labels WHERE user_seq = ${alias}.seq AND label IN (${list}))`;
    return op === 'contains' ? has : `NOT ${has}`;
  },
};

/**
 * Users, from the search index when there is a search: FTS5 hands out matching rowids (= seq) in
 * order, so a page in insertion order reads only as many matches as it returns.
 */
export function userSource(search: string, commonLabels?: (labels: string[]) => boolean): (bind: Bind) => ListSource {
  const words = searchQueryWords(search);
  return (bind) => {
    if (words === null) return { from: 'users u', where: null, commonLabels };
    if (words.length === 0) return { from: 'users u', where: '1 = 0' };
    return {
      from: 'users_search JOIN users u ON u.seq = users_search.rowid',
      // Each word quoted (a word is letters and digits only) and a prefix: `"ada"* "lov"*`.
      where: `users_search MATCH ${bind(words.map((word) => `"${word}"*`).join(' '))}`,
      expressions: { seq: 'users_search.rowid' },
      commonLabels,
    };
  };
}

function identitySource(search: string): (bind: Bind) => ListSource {
  return (bind) => ({ from: 'identities i', where: identitySearch(search, bind) });
}

/** Statements whose text depends on the query's shape, prepared once per shape (up to a bound). */
function statementCache(db: Database.Database, max = 200): (text: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (text) => {
    let statement = cache.get(text);
    if (statement) {
      // Most recently used last, so the first entry is the one to evict.
      cache.delete(text);
    } else {
      statement = db.prepare(text);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(text, statement);
    return statement;
  };
}

/** Session columns as they are, user columns prefixed `u_` so the two never collide. */
const SELECT_SESSION_WITH_USER = `
  SELECT s.*, ${COLUMNS.users.map((c) => `u.${c} AS u_${c}`).join(', ')}, u.targets AS u_targets
  FROM sessions s JOIN users u ON u.id = s.user_id`;

/**
 * A statement whose row objects are built here from its raw values. For the wide session-and-user
 * row that every authenticated request reads, better-sqlite3's own row objects cost about a third
 * of the query (measured: 25.7 → 18.1 µs a call); an object built in a loop over the column names
 * takes one shape, which the row readers then read fast.
 */
function builtRows(statement: Database.Statement): { get(...params: unknown[]): Row | undefined } {
  const names = statement.columns().map((column) => column.name);
  const raw = statement.raw(true);
  return {
    get(...params) {
      const values = raw.get(...params) as unknown[] | undefined;
      if (!values) return undefined;
      const row: Row = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
      return row;
    },
  };
}

function pageOf<T>(found: { total: number; rows: Row[] } | null, read: (row: Row) => T): Page<T> | null {
  return found && { total: found.total, items: found.rows.map((row) => read(row)) };
}

/** Builds the stores, preparing every statement they use. */
export function createStores(db: Database.Database): StorageStores {
  const sql = {
    // seq: one above the highest, computed inside the insert, which SQLite's single writer makes race-free.
    insertUser: db.prepare(`
      INSERT INTO users (${COLUMNS.users.join(', ')}, seq)
      VALUES (${COLUMNS.users.map((c) => '@' + c).join(', ')}, (SELECT ifnull(max(seq), 0) + 1 FROM users))
      RETURNING *`),
    // OR REPLACE: a user inserted without the adapter (a sqlite3 shell) has no search row yet.
    writeUserSearch: db.prepare('INSERT OR REPLACE INTO users_search (rowid, words) VALUES (?, ?)'),
    countLabelHolders: db.prepare(`
      SELECT count(*) FROM (SELECT 1 FROM user_labels WHERE label IN (SELECT value FROM json_each(?)) LIMIT ${COMMON_LABEL_HOLDERS})`).pluck(),
    getUser: db.prepare(`${SELECT_USER} WHERE u.id = ?`),
    getUserByEmail: db.prepare(`${SELECT_USER} WHERE u.email = ?`),
    getUserByPhone: db.prepare(`${SELECT_USER} WHERE u.phone = ?`),
    updateUser: db.prepare(`${patchSql('users', PATCHABLE.users)} RETURNING *`),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    countUsers: db.prepare('SELECT COUNT(*) FROM users').pluck(),

    insertSession: db.prepare(`${insertSql('sessions', COLUMNS.sessions)} RETURNING *`),
    // Keeps the new session plus the `keep` newest others.
    pruneSessions: db.prepare(`
      DELETE FROM sessions WHERE id IN (
        SELECT id FROM sessions WHERE user_id = @user_id AND id <> @id
        ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET @keep)`),
    getSession: db.prepare('SELECT * FROM sessions WHERE id = ?'),
    getSessionWithUserBySecret: builtRows(db.prepare(`${SELECT_SESSION_WITH_USER} WHERE s.secret_hash = ?`)),
    getSessionWithUser: builtRows(db.prepare(`${SELECT_SESSION_WITH_USER} WHERE s.id = ?`)),
    listSessions: db.prepare('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at, id'),
    updateSession: db.prepare(`${patchSql('sessions', PATCHABLE.sessions)} RETURNING *`),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
    deleteUserSessions: db.prepare('DELETE FROM sessions WHERE user_id = @user_id AND id IS NOT @except_id'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expire <= ?'),

    insertToken: db.prepare(`${insertSql('tokens', COLUMNS.tokens)} RETURNING *`),
    // The subquery picks one row so that even two tokens sharing a hash are consumed one at a time.
    consumeToken: db.prepare(`
      DELETE FROM tokens WHERE id = (
        SELECT id FROM tokens
        WHERE user_id = @user_id AND secret_hash = @secret_hash AND expire > @now
          AND type IN (SELECT value FROM json_each(@types))
        LIMIT 1)
      RETURNING *`),
    deleteToken: db.prepare('DELETE FROM tokens WHERE id = ?'),
    deleteExpiredTokens: db.prepare('DELETE FROM tokens WHERE expire <= ?'),

    insertIdentity: db.prepare(`${insertSql('identities', COLUMNS.identities)} RETURNING *`),
    getIdentity: db.prepare('SELECT * FROM identities WHERE id = ?'),
    getIdentityByProviderUid: db.prepare('SELECT * FROM identities WHERE provider = ? AND provider_uid = ?'),
    getIdentityByProviderEmail: db.prepare(
      'SELECT * FROM identities WHERE provider_email = ? ORDER BY created_at, id LIMIT 1',
    ),
    countIdentities: db.prepare('SELECT COUNT(*) FROM identities WHERE user_id = ?').pluck(),
    listIdentities: db.prepare(
      'SELECT * FROM identities WHERE user_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?',
    ),
    updateIdentity: db.prepare(`${patchSql('identities', PATCHABLE.identities)} RETURNING *`),
    deleteIdentity: db.prepare('DELETE FROM identities WHERE id = ?'),

    insertLog: db.prepare(insertSql('logs', COLUMNS.logs)),
    countLogs: db.prepare('SELECT COUNT(*) FROM logs WHERE user_id = ?').pluck(),
    listLogs: db.prepare('SELECT * FROM logs WHERE user_id = ? ORDER BY time DESC, id DESC LIMIT ? OFFSET ?'),

    insertTarget: db.prepare(`${insertSql('targets', COLUMNS.targets)} RETURNING *`),
    getTarget: db.prepare('SELECT * FROM targets WHERE id = ?'),
    getTargetByIdentifier: db.prepare('SELECT * FROM targets WHERE provider_type = ? AND identifier = ?'),
    updateTarget: db.prepare(`${patchSql('targets', PATCHABLE.targets)} RETURNING *`),
    deleteTarget: db.prepare('DELETE FROM targets WHERE id = ?'),

    // Replaces the whole row, id included: the contract keeps one authenticator per (user, type).
    upsertAuthenticator: db.prepare(`
      ${insertSql('authenticators', COLUMNS.authenticators)}
      ON CONFLICT (user_id, type) DO UPDATE SET
        id = excluded.id, verified = excluded.verified, secret = excluded.secret,
        created_at = excluded.created_at, updated_at = excluded.updated_at
      RETURNING *`),
    getAuthenticator: db.prepare('SELECT * FROM authenticators WHERE user_id = ? AND type = ?'),
    updateAuthenticator: db.prepare(`${patchSql('authenticators', PATCHABLE.authenticators)} RETURNING *`),
    deleteAuthenticator: db.prepare('DELETE FROM authenticators WHERE user_id = ? AND type = ?'),

    insertChallenge: db.prepare(`${insertSql('challenges', COLUMNS.challenges)} RETURNING *`),
    getChallenge: db.prepare('SELECT * FROM challenges WHERE id = ?'),
    deleteChallenge: db.prepare('DELETE FROM challenges WHERE id = ?'),
    deleteExpiredChallenges: db.prepare('DELETE FROM challenges WHERE expire <= ?'),

    // `code_hash` holds the whole entry, hash and ciphertext (RecoveryCodeEntry); the column keeps
    // its first name, since renaming it would break instances of the previous version mid-upgrade.
    deleteRecoveryCodes: db.prepare('DELETE FROM recovery_codes WHERE user_id = ?'),
    // OR IGNORE: a repeated entry in one batch is the same code, stored once.
    insertRecoveryCode: db.prepare(
      'INSERT OR IGNORE INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)',
    ),
    listRecoveryCodes: db.prepare('SELECT code_hash FROM recovery_codes WHERE user_id = ? ORDER BY rowid').pluck(),
    deleteRecoveryCode: db.prepare('DELETE FROM recovery_codes WHERE user_id = ? AND code_hash = ?'),

    insertPasswordHistory: db.prepare('INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?, ?, ?)'),
    prunePasswordHistory: db.prepare(`
      DELETE FROM password_history WHERE user_id = @user_id AND seq NOT IN (
        SELECT seq FROM password_history WHERE user_id = @user_id ORDER BY seq DESC LIMIT @keep)`),
    listPasswordHistory: db.prepare('SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY seq DESC').pluck(),

    // A hit stamped with an older window than the stored one (a process whose clock lags) counts in
    // the newer window instead of wiping it; a newer window starts the count again at 1.
    hitCounter: db.prepare(`
      INSERT INTO counters (key, count, window_start, reset_at) VALUES (@key, 1, @window_start, @reset_at)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN excluded.window_start > counters.window_start THEN 1 ELSE counters.count + 1 END,
        reset_at = CASE WHEN excluded.window_start > counters.window_start
                        THEN excluded.reset_at ELSE counters.reset_at END,
        window_start = MAX(counters.window_start, excluded.window_start)
      RETURNING count, reset_at`),
    decrementCounter: db.prepare('UPDATE counters SET count = MAX(count - 1, 0) WHERE key = ?'),
    deleteCounter: db.prepare('DELETE FROM counters WHERE key = ?'),
    deleteExpiredCounters: db.prepare('DELETE FROM counters WHERE reset_at <= ?'),

    getSetting: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
    insertSetting: db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)'),

    insertApiKey: db.prepare(`${insertSql('api_keys', COLUMNS.api_keys)} RETURNING *`),
    getApiKeyBySecretHash: db.prepare('SELECT * FROM api_keys WHERE secret_hash = ?'),
    listApiKeys: db.prepare('SELECT * FROM api_keys ORDER BY created_at, id'),
    deleteApiKey: db.prepare('DELETE FROM api_keys WHERE id = ?'),
    touchApiKey: db.prepare('UPDATE api_keys SET accessed_at = ? WHERE id = ?'),

    getHostSession: db.prepare(`SELECT * FROM host_sessions WHERE id = @id AND ${liveHostSession('@now')}`),
    // The tie is checked in the same statement as the write, which SQLite's single writer makes atomic.
    // (The WHERE also settles SQLite's parsing of INSERT … SELECT … ON CONFLICT.)
    setHostSession: db.prepare(`
      INSERT INTO host_sessions (id, data, expire, account_session_id)
      SELECT @id, @data, @expire, @account_session_id
      WHERE @account_session_id IS NULL OR ${liveAccountSession('@account_session_id', '@now')}
      ON CONFLICT (id) DO UPDATE SET
        data = excluded.data, expire = excluded.expire, account_session_id = excluded.account_session_id`),
    touchHostSession: db.prepare(`UPDATE host_sessions SET expire = @expire WHERE id = @id AND ${liveHostSession('@now')}`),
    destroyHostSession: db.prepare('DELETE FROM host_sessions WHERE id = ?'),
    allHostSessions: db.prepare(`SELECT * FROM host_sessions WHERE ${liveHostSession('@now')} ORDER BY id`),
    countHostSessions: db.prepare(`SELECT COUNT(*) FROM host_sessions WHERE ${liveHostSession('@now')}`).pluck(),
    clearHostSessions: db.prepare('DELETE FROM host_sessions'),
    deleteExpiredHostSessions: db.prepare('DELETE FROM host_sessions WHERE expire <= ?'),
  };

  // better-sqlite3 transactions (a savepoint when one is already open). `.immediate` takes the
  // write lock up front so a concurrent process cannot slip in between the statements.
  const createSession = db.transaction((params: Record<string, SqlValue>, maxPerUser: number) => {
    const row = sql.insertSession.get(params) as Row;
    if (maxPerUser > 0) sql.pruneSessions.run({ user_id: params.user_id, id: params.id, keep: maxPerUser - 1 });
    return row;
  });
  const replaceRecoveryCodes = db.transaction((userId: string, entries: RecoveryCodeEntry[], now: number) => {
    sql.deleteRecoveryCodes.run(userId);
    for (const entry of entries) sql.insertRecoveryCode.run(userId, entry, now);
  });
  const addPasswordHistory = db.transaction((userId: string, passwordHash: string, createdAt: number, keep: number) => {
    sql.insertPasswordHistory.run(userId, passwordHash, createdAt);
    sql.prunePasswordHistory.run({ user_id: userId, keep });
  });
  const prepared = statementCache(db);
  const createUser = db.transaction((params: Record<string, SqlValue>, words: string[]) => {
    const row = write(sql.insertUser, params)!;
    sql.writeUserSearch.run(row.seq, words.join(' '));
    return row;
  });
  const updateUser = db.transaction((params: Record<string, SqlValue>, reindex: boolean) => {
    const row = write(sql.updateUser, params);
    if (row && reindex) sql.writeUserSearch.run(row.seq, userSearchWords(toUser(row)).join(' '));
    return row;
  });
  /** One list, in a read transaction: the cursor row, the page and the count see one snapshot. */
  const list = db.transaction(
    <A extends string>(table: ListTable<A>, query: ListQuery<A>, select: string, source: (bind: Bind) => ListSource) => {
      let cursor: Row | null = null;
      if (query.cursor) {
        const lookup = `SELECT ${cursorColumns(table, query).join(', ')} FROM ${table.table} WHERE id = ?`;
        cursor = (prepared(lookup).get(query.cursor.id) as Row | undefined) ?? null;
        if (!cursor) return null;
      }
      const page = pageStatement(table, LIST_DIALECT, query, select, source, cursor);
      const rows = prepared(page.text).all(page.values) as Row[];
      if (query.cursor?.direction === 'before') rows.reverse();
      let total = 0;
      if (query.total) {
        const count = countStatement(table, LIST_DIALECT, query, source);
        total = (prepared(count.text).get(count.values) as { n: number }).n;
      }
      return { total, rows };
    },
  );
  // A read transaction gives the count and the page one snapshot, whatever other processes write.
  const page = db.transaction(
    (count: Database.Statement, list: Database.Statement, userId: string, limit: number, offset: number) => ({
      total: count.get(userId) as number,
      rows: list.all(userId, limit, offset) as Row[],
    }),
  );

  const users: UserStore = {
    async create(user) {
      const normalized = { ...user, email: lowerEmail(user.email) };
      return toUser(createUser(toParams(normalized), userSearchWords(normalized)));
    },
    async get(id) {
      const row = sql.getUser.get(id) as Row | undefined;
      return row ? toUser(row) : null;
    },
    async getByEmail(email) {
      const row = sql.getUserByEmail.get(email.toLowerCase()) as Row | undefined;
      return row ? toUser(row) : null;
    },
    async getByPhone(phone) {
      const row = sql.getUserByPhone.get(phone) as Row | undefined;
      return row ? toUser(row) : null;
    },
    async update(id, patch) {
      const normalized = patch.email === undefined ? patch : { ...patch, email: lowerEmail(patch.email) };
      const reindex = USER_SEARCH_FIELDS.some((field) => (normalized as Record<string, unknown>)[field] !== undefined);
      const row = updateUser(patchParams(id, normalized, PATCHABLE.users), reindex);
      return row ? toUser(row) : null;
    },
    async delete(id) {
      return sql.deleteUser.run(id).changes > 0;
    },
    async count() {
      return sql.countUsers.get() as number;
    },
    async list(query) {
      // Counted inside the list's read transaction, while its statements are built.
      const commonLabels = (labels: string[]) => (sql.countLabelHolders.get(JSON.stringify(labels)) as number) >= COMMON_LABEL_HOLDERS;
      return pageOf(list(USER_LIST, query, 'u.*', userSource(query.search, commonLabels)), toUser);
    },
  };

  const sessions: SessionStore = {
    async create(session, { maxPerUser }) {
      try {
        return toSession(createSession.immediate(toParams(session), maxPerUser));
      } catch (error) {
        throw asConflict(error);
      }
    },
    async get(id) {
      const row = sql.getSession.get(id) as Row | undefined;
      return row ? toSession(row) : null;
    },
    async getBySecretHashWithUser(secretHash) {
      const row = sql.getSessionWithUserBySecret.get(secretHash) as Row | undefined;
      return row ? { session: toSession(row), user: toUser(row, 'u_') } : null;
    },
    async getWithUser(id) {
      const row = sql.getSessionWithUser.get(id) as Row | undefined;
      return row ? { session: toSession(row), user: toUser(row, 'u_') } : null;
    },
    async listByUser(userId) {
      return (sql.listSessions.all(userId) as Row[]).map(toSession);
    },
    async update(id, patch) {
      const row = write(sql.updateSession, patchParams(id, patch, PATCHABLE.sessions));
      return row ? toSession(row) : null;
    },
    async delete(id) {
      return sql.deleteSession.run(id).changes > 0;
    },
    async deleteByUser(userId, options) {
      return sql.deleteUserSessions.run({ user_id: userId, except_id: options?.exceptId ?? null }).changes;
    },
    async deleteExpired(now) {
      return sql.deleteExpiredSessions.run(now.getTime()).changes;
    },
  };

  const tokens: TokenStore = {
    async create(token) {
      return toToken(write(sql.insertToken, toParams(token))!);
    },
    async consume({ userId, types, secretHash, now }) {
      const row = sql.consumeToken.get({
        user_id: userId,
        secret_hash: secretHash,
        now: now.getTime(),
        types: JSON.stringify(types),
      }) as Row | undefined;
      return row ? toToken(row) : null;
    },
    async delete(id) {
      return sql.deleteToken.run(id).changes > 0;
    },
    async deleteExpired(now) {
      return sql.deleteExpiredTokens.run(now.getTime()).changes;
    },
  };

  const identities: IdentityStore = {
    async create(identity) {
      const params = toParams({ ...identity, providerEmail: identity.providerEmail.toLowerCase() });
      return toIdentity(write(sql.insertIdentity, params)!);
    },
    async get(id) {
      const row = sql.getIdentity.get(id) as Row | undefined;
      return row ? toIdentity(row) : null;
    },
    async getByProviderUid(provider, providerUid) {
      const row = sql.getIdentityByProviderUid.get(provider, providerUid) as Row | undefined;
      return row ? toIdentity(row) : null;
    },
    async getByProviderEmail(email) {
      const row = sql.getIdentityByProviderEmail.get(email.toLowerCase()) as Row | undefined;
      return row ? toIdentity(row) : null;
    },
    async listByUser(userId, { limit, offset }) {
      const { total, rows } = page(sql.countIdentities, sql.listIdentities, userId, limit, offset);
      return { total, items: rows.map(toIdentity) };
    },
    async update(id, patch) {
      const normalized =
        patch.providerEmail === undefined ? patch : { ...patch, providerEmail: patch.providerEmail.toLowerCase() };
      const row = write(sql.updateIdentity, patchParams(id, normalized, PATCHABLE.identities));
      return row ? toIdentity(row) : null;
    },
    async delete(id) {
      return sql.deleteIdentity.run(id).changes > 0;
    },
    async list(query) {
      return pageOf(list(IDENTITY_LIST, query, 'i.*', identitySource(query.search)), toIdentity);
    },
  };

  const logs: LogStore = {
    async create(log) {
      sql.insertLog.run(toParams(log));
    },
    async listByUser(userId, { limit, offset }) {
      const { total, rows } = page(sql.countLogs, sql.listLogs, userId, limit, offset);
      return { total, items: rows.map(toLog) };
    },
  };

  const targets: TargetStore = {
    async create(target) {
      return toTarget(write(sql.insertTarget, toParams(target))!);
    },
    async get(id) {
      const row = sql.getTarget.get(id) as Row | undefined;
      return row ? toTarget(row) : null;
    },
    async getByIdentifier(providerType, identifier) {
      const row = sql.getTargetByIdentifier.get(providerType, identifier) as Row | undefined;
      return row ? toTarget(row) : null;
    },
    async update(id, patch) {
      const row = write(sql.updateTarget, patchParams(id, patch, PATCHABLE.targets));
      return row ? toTarget(row) : null;
    },
    async delete(id) {
      return sql.deleteTarget.run(id).changes > 0;
    },
  };

  const authenticators: AuthenticatorStore = {
    async upsert(authenticator) {
      return toAuthenticator(write(sql.upsertAuthenticator, toParams(authenticator))!);
    },
    async get(userId, type) {
      const row = sql.getAuthenticator.get(userId, type) as Row | undefined;
      return row ? toAuthenticator(row) : null;
    },
    async update(id, patch) {
      const row = write(sql.updateAuthenticator, patchParams(id, patch, PATCHABLE.authenticators));
      return row ? toAuthenticator(row) : null;
    },
    async delete(userId, type) {
      return sql.deleteAuthenticator.run(userId, type).changes > 0;
    },
  };

  const challenges: ChallengeStore = {
    async create(challenge) {
      return toChallenge(write(sql.insertChallenge, toParams(challenge))!);
    },
    async get(id) {
      const row = sql.getChallenge.get(id) as Row | undefined;
      return row ? toChallenge(row) : null;
    },
    async consume(id) {
      return sql.deleteChallenge.run(id).changes === 1;
    },
    async deleteExpired(now) {
      return sql.deleteExpiredChallenges.run(now.getTime()).changes;
    },
  };

  const recoveryCodes: RecoveryCodeStore = {
    async replace(userId, entries, now) {
      replaceRecoveryCodes.immediate(userId, entries, now.getTime());
    },
    async list(userId) {
      return sql.listRecoveryCodes.all(userId) as RecoveryCodeEntry[];
    },
    async consume(userId, entry) {
      return sql.deleteRecoveryCode.run(userId, entry).changes === 1;
    },
  };

  const passwordHistory: PasswordHistoryStore = {
    async add(userId, passwordHash, createdAt, keep) {
      addPasswordHistory.immediate(userId, passwordHash, createdAt.getTime(), keep);
    },
    async list(userId) {
      return sql.listPasswordHistory.all(userId) as string[];
    },
  };

  const counters: CounterStore = {
    async hit(key, windowMs, now) {
      const windowStart = now.getTime() - (now.getTime() % windowMs);
      const row = sql.hitCounter.get({ key, window_start: windowStart, reset_at: windowStart + windowMs }) as Row;
      return { count: row.count as number, resetAt: new Date(row.reset_at as number) };
    },
    async decrement(key) {
      sql.decrementCounter.run(key);
    },
    async reset(key) {
      sql.deleteCounter.run(key);
    },
    async deleteExpired(now) {
      return sql.deleteExpiredCounters.run(now.getTime()).changes;
    },
  };

  const settings: SettingStore = {
    async getOrCreate(key, value) {
      sql.insertSetting.run(key, value);
      return sql.getSetting.get(key) as string;
    },
  };

  const hostSessions: HostSessionStore = {
    async get(id, now) {
      const row = sql.getHostSession.get({ id, now: now.getTime() }) as Row | undefined;
      return row ? toHostSession(row) : null;
    },
    async set(record, now) {
      return sql.setHostSession.run({ ...toParams(record), now: now.getTime() }).changes > 0;
    },
    async touch(id, expire, now) {
      return sql.touchHostSession.run({ id, expire: expire.getTime(), now: now.getTime() }).changes > 0;
    },
    async destroy(id) {
      return sql.destroyHostSession.run(id).changes > 0;
    },
    async all(now) {
      return (sql.allHostSessions.all({ now: now.getTime() }) as Row[]).map(toHostSession);
    },
    async length(now) {
      return sql.countHostSessions.get({ now: now.getTime() }) as number;
    },
    async clear() {
      return sql.clearHostSessions.run().changes;
    },
    async deleteExpired(now) {
      return sql.deleteExpiredHostSessions.run(now.getTime()).changes;
    },
  };

  const apiKeys: ApiKeyStore = {
    async create(key) {
      return toApiKey(write(sql.insertApiKey, toParams(key))!);
    },
    async getBySecretHash(secretHash) {
      const row = sql.getApiKeyBySecretHash.get(secretHash) as Row | undefined;
      return row ? toApiKey(row) : null;
    },
    async list() {
      return (sql.listApiKeys.all() as Row[]).map(toApiKey);
    },
    async delete(id) {
      return sql.deleteApiKey.run(id).changes > 0;
    },
    async touch(id, accessedAt) {
      return sql.touchApiKey.run(accessedAt.getTime(), id).changes > 0;
    },
  };

  return {
    users, sessions, tokens, identities, logs, targets, authenticators, challenges, recoveryCodes, passwordHistory,
    counters, settings, hostSessions, apiKeys, ...createOAuthStores(db, write),
  };
}
