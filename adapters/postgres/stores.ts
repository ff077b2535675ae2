// The per-entity stores over a `Db`: the pool (each statement in autocommit) or one client inside
// an open transaction (index.ts builds both). Every query is parameterised; the SQL text comes
// only from the constants below and the column lists of adapters/sql/schema.ts.

import type { QueryResult } from 'pg';
import type {
  ApiKeyStore, AuthenticatorStore, ChallengeStore, CounterStore, HostSessionStore, IdentityStore, ListQuery, LogStore, Page,
  PasswordHistoryStore, RecoveryCodeEntry, RecoveryCodeStore, SessionStore, SettingStore, StorageStores, TargetStore,
  TokenStore, UserRecord, UserStore,
} from '../types';
import {
  IDENTITY_LIST, USER_LIST, countStatement, cursorColumns, identitySearch, labelSets, pageStatement,
  type Bind, type ListDialect, type ListSource, type ListTable,
} from '../sql/list';
import type { Row } from '../sql/rows';
import { COLUMNS, PATCHABLE, conflictError, liveAccountSession, liveHostSession, lowerEmail } from '../sql/schema';
import { USER_SEARCH_FIELDS, searchQueryWords, userSearchWords } from '../sql/search';
import { readers, toParam, toParams } from './rows';

const { toApiKey, toAuthenticator, toChallenge, toHostSession, toIdentity, toLog, toSession, toTarget, toToken, toUser } = readers;

/** Runs one parameterised statement. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
}

/** Where the stores' statements go. */
export interface Db extends Queryable {
  /**
   * One statement that may fail on a constraint. Inside an open transaction it runs under a
   * savepoint, so that a caught ConflictError leaves the transaction usable (as in SQLite, where a
   * failed statement does not abort the transaction); outside one it is a plain autocommit query.
   */
  write(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
  /** Several statements as one unit: a transaction of their own, or a savepoint inside the open one. */
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
}

/**
 * A unique violation (SQLSTATE 23505) as the contract's ConflictError. Constraints are named
 * `<table>_<column>_pk|unique` (migrations.ts), so the constraint name gives the field.
 */
export function asConflict(error: unknown): unknown {
  const { code, table, constraint } = (error ?? {}) as { code?: unknown; table?: unknown; constraint?: unknown };
  if (code !== '23505' || typeof table !== 'string' || typeof constraint !== 'string') return error;
  const prefix = `${table}_`;
  const match = constraint.startsWith(prefix) ? /^(\w+?)_(?:pk|unique)$/.exec(constraint.slice(prefix.length)) : null;
  return (match && conflictError(table, match[1])) ?? error;
}

/** SQLSTATE foreign_key_violation. */
const FOREIGN_KEY_VIOLATION = '23503';

async function mapped<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw asConflict(error);
  }
}

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
}

/**
 * `UPDATE … SET` for the columns the patch carries (a field set to null included, undefined
 * skipped); null when it carries none. `$1` is the id.
 */
function updateSql(
  table: string,
  patchable: ReadonlyMap<string, string>,
  id: string,
  patch: object,
): { text: string; values: unknown[] } | null {
  const values: unknown[] = [id];
  const assignments: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    const column = patchable.get(field);
    if (value === undefined || column === undefined) continue;
    values.push(toParam(column, value));
    assignments.push(`${column} = $${values.length}`);
  }
  return assignments.length ? { text: `UPDATE ${table} SET ${assignments.join(', ')} WHERE id = $1`, values } : null;
}

/**
 * The user's targets as one JSON array (oldest first), so a user and its targets come back in a
 * single query. Dates go in as epoch milliseconds: a timestamptz rendered as JSON text carries the
 * session's time-zone offset, which for old dates in some zones has seconds that Date cannot parse.
 */
function targetsOf(userId: string): string {
  const dates = new Set(['created_at', 'updated_at']);
  const fields = COLUMNS.targets.map((c) =>
    dates.has(c) ? `'${c}', round(extract(epoch FROM t.${c}) * 1000)` : `'${c}', t.${c}`,
  ).join(', ');
  return `(SELECT COALESCE(json_agg(json_build_object(${fields}) ORDER BY t.created_at, t.id), '[]'::json)
           FROM targets t WHERE t.user_id = ${userId})`;
}

/** A user's record columns and its targets: never `*`, which would carry the search vector along. */
const USER = `${COLUMNS.users.map((c) => `u.${c}`).join(', ')}, ${targetsOf('u.id')} AS targets`;
const SELECT_USER = `SELECT ${USER} FROM users u`;

/** How lists (adapters/sql/list.ts) are written for PostgreSQL. */
export const LIST_DIALECT: ListDialect = {
  placeholder: (n) => `$${n}`,
  value: (value) => value,
  contains: (haystack, needle) => `strpos(${haystack}, ${needle}) > 0`,
  // PostgreSQL's autovacuum keeps statistics: the planner knows how many rows a range keeps.
  dateRange: (condition) => condition,
  orderBy: (expression, direction, nullable) =>
    `${expression} ${direction.toUpperCase()}${nullable ? (direction === 'asc' ? ' NULLS FIRST' : ' NULLS LAST') : ''}`,
  // jsonb_ops: the GIN index on labels answers ?| (has any) and ?& (has all). The planner has no
  // statistics for them, so a common label is tested with the function instead, which no index
  // answers: the page then walks its order rather than read every holder and sort them.
  labels(alias, op, labels, bind, common) {
    const list = `${bind([...new Set(labels)])}::text[]`;
    if (op === 'contains') return common ? `jsonb_exists_any(${alias}.labels, ${list})` : `${alias}.labels ?| ${list}`;
    if (op === 'notContains') return `NOT jsonb_exists_any(${alias}.labels, ${list})`;
    return `${alias}.labels ?& ${list}`;
  },
};

/** The users columns a list reads; their targets come in a second statement (see `withTargets`). */
export const USER_LIST_SELECT = COLUMNS.users.map((c) => `u.${c}`).join(', ');

/** How many of the newest users a search is tried on first, to tell a common search from a rare one. */
const SEARCH_SAMPLE = 2000;
/** The most matching seqs a rare search fetches from the index before it reads the page. */
const SEARCH_CANDIDATES = 20_000;

/** A tsquery of word prefixes, each word quoted as the tsquery input syntax wants. */
function prefixQuery(words: string[]): string {
  return words.map((word) => `'${word.replace(/['\\]/g, (c) => c + c)}':*`).join(' & ');
}

/**
 * How a search's condition is written: `index` lets the GIN index answer it (the planner takes the
 * index for a condition it expects to keep few rows), `test` checks each row with the function
 * behind @@, which no index answers (the statement then walks the list's order and stops at the
 * page's end), `among` keeps the rows whose seq is in `seqs` (the index's answer, fetched first).
 */
export type SearchCondition =
  | { kind: 'index'; query: string; rare: string }
  | { kind: 'test'; query: string }
  | { kind: 'among'; query: string; seqs: string[] }
  | { kind: 'nothing' };

function searchWhere(condition: SearchCondition, bind: Bind): string {
  if (condition.kind === 'nothing') return '1 = 0';
  const test = `ts_match_vq(u.search, ${bind(condition.query)}::tsquery)`;
  if (condition.kind === 'test') return test;
  if (condition.kind === 'index') return `u.search @@ ${bind(condition.rare)}::tsquery AND ${test}`;
  return `u.seq = ANY (${bind(condition.seqs)}::bigint[]) AND ${test}`;
}

export function userSource(search: SearchCondition | null, commonLabels?: (labels: string[]) => boolean): (bind: Bind) => ListSource {
  return (bind) => ({ from: 'users u', where: search && searchWhere(search, bind), commonLabels });
}

function identitySource(search: string): (bind: Bind) => ListSource {
  return (bind) => ({ from: 'identities i', where: identitySearch(search, bind) });
}

/** Session columns as they are, user columns prefixed `u_` so the two never collide. */
const SELECT_SESSION_WITH_USER = `
  SELECT s.*, ${COLUMNS.users.map((c) => `u.${c} AS u_${c}`).join(', ')}, ${targetsOf('u.id')} AS u_targets
  FROM sessions s JOIN users u ON u.id = s.user_id`;

/** A host session's columns, `data` as the stored JSON text (pg would parse a json column). */
const HOST_SESSION = 'id, data::text AS data, expire, account_session_id';

/**
 * Serialises writers per user for the rest of the transaction: `sessions.create`,
 * `recoveryCodes.replace` and `passwordHistory.add` read the user's rows and then write, which READ
 * COMMITTED alone would let two transactions do side by side. NO KEY UPDATE leaves foreign-key
 * checks (KEY SHARE) unblocked.
 */
const LOCK_USER = 'SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE';

/**
 * A count and a page from one statement, hence one snapshot: the LEFT JOIN keeps the count's row
 * when the page is empty (its columns are then null). `order` is written once per side of the join.
 */
function pageSql(table: string, order: string, outerOrder: string): string {
  return `
    SELECT c.total, p.* FROM (SELECT count(*)::int AS total FROM ${table} WHERE user_id = $1) c
    LEFT JOIN LATERAL (SELECT * FROM ${table} WHERE user_id = $1 ORDER BY ${order} LIMIT $2 OFFSET $3) p ON true
    ORDER BY ${outerOrder}`;
}

const SQL = {
  insertUser: `
    INSERT INTO users (${COLUMNS.users.join(', ')}, search)
    VALUES (${COLUMNS.users.map((_, i) => `$${i + 1}`).join(', ')}, array_to_tsvector($${COLUMNS.users.length + 1}::text[]))
    RETURNING ${COLUMNS.users.join(', ')}, '[]'::json AS targets`,
  setUserSearch: 'UPDATE users SET search = array_to_tsvector($2::text[]) WHERE id = $1',
  // Sampled, not counted: the GIN index hands back every holder before a LIMIT applies (10 ms for
  // a label 100,000 users hold), and a scan for a rare one would read the whole table.
  labelShare: `
    SELECT count(*) FILTER (WHERE jsonb_exists_any(labels, $1::text[])) AS hits, count(*) AS n
    FROM (SELECT labels FROM users ORDER BY seq DESC LIMIT ${SEARCH_SAMPLE}) AS newest`,
  searchCandidates: `SELECT seq FROM users WHERE search @@ $1::tsquery LIMIT ${SEARCH_CANDIDATES + 1}`,
  targetsOfUsers: 'SELECT * FROM targets WHERE user_id = ANY ($1::text[]) ORDER BY created_at, id',
  getUser: `${SELECT_USER} WHERE u.id = $1`,
  getUserByEmail: `${SELECT_USER} WHERE u.email = $1`,
  getUserByPhone: `${SELECT_USER} WHERE u.phone = $1`,
  returningUser: `RETURNING ${COLUMNS.users.join(', ')}, ${targetsOf('users.id')} AS targets`,
  deleteUser: 'DELETE FROM users WHERE id = $1',
  countUsers: 'SELECT count(*)::int AS n FROM users',

  insertSession: `${insertSql('sessions', COLUMNS.sessions)} RETURNING *`,
  // Keeps the new session ($2) plus the $3 newest others.
  pruneSessions: `
    DELETE FROM sessions WHERE id IN (
      SELECT id FROM sessions WHERE user_id = $1 AND id <> $2
      ORDER BY created_at DESC, id DESC OFFSET $3)`,
  getSession: 'SELECT * FROM sessions WHERE id = $1',
  getSessionWithUserBySecret: `${SELECT_SESSION_WITH_USER} WHERE s.secret_hash = $1`,
  getSessionWithUser: `${SELECT_SESSION_WITH_USER} WHERE s.id = $1`,
  listSessions: 'SELECT * FROM sessions WHERE user_id = $1 ORDER BY created_at, id',
  deleteSession: 'DELETE FROM sessions WHERE id = $1',
  deleteUserSessions: 'DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2',
  deleteExpiredSessions: 'DELETE FROM sessions WHERE expire <= $1',

  insertToken: `${insertSql('tokens', COLUMNS.tokens)} RETURNING *`,
  // One row by id: of concurrent DELETEs of it the first wins, and every other, re-checking the
  // row after the winner commits, finds it gone and deletes (and returns) nothing.
  consumeToken: `
    DELETE FROM tokens WHERE id = (
      SELECT id FROM tokens
      WHERE user_id = $1 AND secret_hash = $2 AND expire > $3 AND type = ANY ($4::text[])
      LIMIT 1)
    RETURNING *`,
  deleteToken: 'DELETE FROM tokens WHERE id = $1',
  deleteExpiredTokens: 'DELETE FROM tokens WHERE expire <= $1',

  insertIdentity: `${insertSql('identities', COLUMNS.identities)} RETURNING *`,
  getIdentity: 'SELECT * FROM identities WHERE id = $1',
  getIdentityByProviderUid: 'SELECT * FROM identities WHERE provider = $1 AND provider_uid = $2',
  getIdentityByProviderEmail: 'SELECT * FROM identities WHERE provider_email = $1 ORDER BY created_at, id LIMIT 1',
  listIdentities: pageSql('identities', 'created_at, id', 'p.created_at, p.id'),
  deleteIdentity: 'DELETE FROM identities WHERE id = $1',

  insertLog: insertSql('logs', COLUMNS.logs),
  listLogs: pageSql('logs', 'time DESC, id DESC', 'p.time DESC, p.id DESC'),

  insertTarget: `${insertSql('targets', COLUMNS.targets)} RETURNING *`,
  getTarget: 'SELECT * FROM targets WHERE id = $1',
  getTargetByIdentifier: 'SELECT * FROM targets WHERE provider_type = $1 AND identifier = $2',
  deleteTarget: 'DELETE FROM targets WHERE id = $1',

  // Replaces the whole row, id included: the contract keeps one authenticator per (user, type).
  upsertAuthenticator: `
    ${insertSql('authenticators', COLUMNS.authenticators)}
    ON CONFLICT (user_id, type) DO UPDATE SET
      id = excluded.id, verified = excluded.verified, secret = excluded.secret,
      created_at = excluded.created_at, updated_at = excluded.updated_at
    RETURNING *`,
  getAuthenticator: 'SELECT * FROM authenticators WHERE user_id = $1 AND type = $2',
  deleteAuthenticator: 'DELETE FROM authenticators WHERE user_id = $1 AND type = $2',

  insertChallenge: `${insertSql('challenges', COLUMNS.challenges)} RETURNING *`,
  getChallenge: 'SELECT * FROM challenges WHERE id = $1',
  deleteChallenge: 'DELETE FROM challenges WHERE id = $1',
  deleteExpiredChallenges: 'DELETE FROM challenges WHERE expire <= $1',

  // `code_hash` holds the whole entry, hash and ciphertext (RecoveryCodeEntry); the column keeps
  // its first name, since renaming it would break instances of the previous version mid-upgrade.
  deleteRecoveryCodes: 'DELETE FROM recovery_codes WHERE user_id = $1',
  // DO NOTHING: a repeated entry in one batch is the same code, stored once.
  insertRecoveryCodes: `
    INSERT INTO recovery_codes (user_id, code_hash, position, created_at)
    SELECT $1, code.entry, code.position, $3 FROM unnest($2::text[]) WITH ORDINALITY AS code (entry, position)
    ON CONFLICT DO NOTHING`,
  listRecoveryCodes: 'SELECT code_hash FROM recovery_codes WHERE user_id = $1 ORDER BY position',
  deleteRecoveryCode: 'DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2',

  insertPasswordHistory: 'INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)',
  prunePasswordHistory: `
    DELETE FROM password_history WHERE user_id = $1 AND seq NOT IN (
      SELECT seq FROM password_history WHERE user_id = $1 ORDER BY seq DESC LIMIT $2)`,
  listPasswordHistory: 'SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY seq DESC',

  // One statement, atomic under any concurrency (the conflicting row is locked and re-read). A hit
  // stamped with an older window than the stored one (an instance whose clock lags) counts in the
  // newer window instead of wiping it; a newer window starts the count again at 1.
  hitCounter: `
    INSERT INTO counters AS c (key, count, window_start, reset_at) VALUES ($1, 1, $2, $3)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN excluded.window_start > c.window_start THEN 1 ELSE c.count + 1 END,
      reset_at = CASE WHEN excluded.window_start > c.window_start THEN excluded.reset_at ELSE c.reset_at END,
      window_start = GREATEST(c.window_start, excluded.window_start)
    RETURNING count, reset_at`,
  decrementCounter: 'UPDATE counters SET count = GREATEST(count - 1, 0) WHERE key = $1',
  deleteCounter: 'DELETE FROM counters WHERE key = $1',
  deleteExpiredCounters: 'DELETE FROM counters WHERE reset_at <= $1',

  getSetting: 'SELECT value FROM settings WHERE key = $1',
  insertSetting: 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',

  insertApiKey: `${insertSql('api_keys', COLUMNS.api_keys)} RETURNING *`,
  getApiKeyBySecretHash: 'SELECT * FROM api_keys WHERE secret_hash = $1',
  listApiKeys: 'SELECT * FROM api_keys ORDER BY created_at, id',
  deleteApiKey: 'DELETE FROM api_keys WHERE id = $1',
  touchApiKey: 'UPDATE api_keys SET accessed_at = $2 WHERE id = $1',

  getHostSession: `SELECT ${HOST_SESSION} FROM host_sessions WHERE id = $1 AND ${liveHostSession('$2')}`,
  // The tie is checked as the row is written. An account session deleted after this statement's
  // snapshot is caught by the foreign key instead (23503, which set() reports as not written).
  setHostSession: `
    INSERT INTO host_sessions (id, data, expire, account_session_id)
    SELECT $1, $2::json, $3::timestamptz, $4::text
    WHERE $4::text IS NULL OR ${liveAccountSession('$4::text', '$5::timestamptz')}
    ON CONFLICT (id) DO UPDATE SET
      data = excluded.data, expire = excluded.expire, account_session_id = excluded.account_session_id`,
  touchHostSession: `UPDATE host_sessions SET expire = $2 WHERE id = $1 AND ${liveHostSession('$3')}`,
  destroyHostSession: 'DELETE FROM host_sessions WHERE id = $1',
  allHostSessions: `SELECT ${HOST_SESSION} FROM host_sessions WHERE ${liveHostSession('$1')} ORDER BY id`,
  countHostSessions: `SELECT count(*)::int AS n FROM host_sessions WHERE ${liveHostSession('$1')}`,
  clearHostSessions: 'DELETE FROM host_sessions',
  deleteExpiredHostSessions: 'DELETE FROM host_sessions WHERE expire <= $1',
} as const;

const first = (result: QueryResult<Row>): Row | undefined => result.rows[0];

/**
 * Names under which the fixed statements are prepared once per connection (Parse and plan happen
 * on first use, later calls only Bind and Execute: it halves the database's CPU on the hot path).
 * Statements built per call (the patches of update) stay unnamed.
 */
const STATEMENT_NAMES = new Map<string, string>(
  [...Object.entries(SQL), ['lockUser', LOCK_USER]].map(([key, text]) => [text, `account_router_${key}`]),
);

export function preparedStatementName(text: string): string | undefined {
  return STATEMENT_NAMES.get(text);
}

/** Builds the stores over `db`. */
export function createStores(db: Db): StorageStores {
  /**
   * One list: the cursor row's values first (the keyset compares with them, so the page is right
   * even when the row goes away meanwhile), then the page and the count side by side.
   */
  async function list<A extends string, T>(
    table: ListTable<A>,
    query: ListQuery<A>,
    select: string,
    sources: { page: (bind: Bind) => ListSource; count: (bind: Bind) => ListSource },
    read: (rows: Row[]) => Promise<T[]>,
  ): Promise<Page<T> | null> {
    let cursor: Row | null = null;
    if (query.cursor) {
      const lookup = `SELECT ${cursorColumns(table, query).join(', ')} FROM ${table.table} WHERE id = $1`;
      cursor = first(await db.query(lookup, [query.cursor.id])) ?? null;
      if (!cursor) return null;
    }
    const page = pageStatement(table, LIST_DIALECT, query, select, sources.page, cursor);
    const count = query.total ? countStatement(table, LIST_DIALECT, query, sources.count) : null;
    const [{ rows }, counted] = await Promise.all([
      db.query(page.text, page.values),
      count ? db.query(count.text, count.values) : null,
    ]);
    if (query.cursor?.direction === 'before') rows.reverse();
    return { total: counted ? Number(counted.rows[0].n) : 0, items: await read(rows) };
  }

  /**
   * Users with their targets, read for the page's users only: a targets subquery in the page's
   * SELECT would also run for every row an OFFSET skips (a second per 100,000 at 1 M users).
   */
  async function withTargets(rows: Row[]): Promise<UserRecord[]> {
    if (rows.length === 0) return [];
    const targetsByUser = new Map<unknown, Row[]>();
    for (const target of (await db.query(SQL.targetsOfUsers, [rows.map((row) => row.id)])).rows) {
      const list = targetsByUser.get(target.user_id) ?? [];
      list.push(target);
      targetsByUser.set(target.user_id, list);
    }
    return rows.map((row) => toUser({ ...row, targets: targetsByUser.get(row.id) ?? [] }));
  }

  /**
   * Chooses how a search is read. PostgreSQL expects any prefix to match 2 % of the rows, so left
   * alone it walks users_seq testing each row (a full scan for a rare search) or reads the GIN
   * index (a million row ids for a common one). The newest SEARCH_SAMPLE users are tried first:
   * a search that 1 % of them match is tested row by row while the page walks its order (the
   * count too from 10 %, else it reads the index for the search's rarest word); a rarer one
   * fetches its matching seqs from the index for that word, and the page is those users, sorted.
   */
  async function planSearch(search: string): Promise<{ page: SearchCondition; count: SearchCondition } | null> {
    const words = searchQueryWords(search);
    if (words === null) return null;
    if (words.length === 0) return { page: { kind: 'nothing' }, count: { kind: 'nothing' } };
    const query = prefixQuery(words);
    const perWord = words.map((_, i) => `count(*) FILTER (WHERE ts_match_vq(search, $${i + 2}::tsquery)) AS w${i}`);
    const sample = first(await db.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE ts_match_vq(search, $1::tsquery)) AS hits, ${perWord.join(', ')}
       FROM (SELECT search FROM users ORDER BY seq DESC LIMIT ${SEARCH_SAMPLE}) AS newest`,
      [query, ...words.map((word) => prefixQuery([word]))],
    ))!;
    const share = Number(sample.hits) / Math.max(1, Number(sample.n));
    let rarest = 0;
    words.forEach((_, i) => {
      if (Number(sample[`w${i}`]) < Number(sample[`w${rarest}`])) rarest = i;
    });
    const rare = prefixQuery([words[rarest]]);
    const test: SearchCondition = { kind: 'test', query };
    const index: SearchCondition = { kind: 'index', query, rare };
    if (share >= 0.01) return { page: test, count: share >= 0.1 ? test : index };
    const { rows } = await db.query(SQL.searchCandidates, [rare]);
    if (rows.length > SEARCH_CANDIDATES) return { page: test, count: index };
    const among: SearchCondition = { kind: 'among', query, seqs: rows.map((row) => String(row.seq)) };
    return { page: among, count: among };
  }

  const users: UserStore = {
    async create(user) {
      const normalized = { ...user, email: lowerEmail(user.email) };
      const params = [...toParams(normalized, COLUMNS.users), userSearchWords(normalized)];
      return toUser(first(await mapped(db.write(SQL.insertUser, params)))!);
    },
    async get(id) {
      const row = first(await db.query(SQL.getUser, [id]));
      return row ? toUser(row) : null;
    },
    async getByEmail(email) {
      const row = first(await db.query(SQL.getUserByEmail, [email.toLowerCase()]));
      return row ? toUser(row) : null;
    },
    async getByPhone(phone) {
      const row = first(await db.query(SQL.getUserByPhone, [phone]));
      return row ? toUser(row) : null;
    },
    async update(id, patch) {
      const normalized = patch.email === undefined ? patch : { ...patch, email: lowerEmail(patch.email) };
      const update = updateSql('users', PATCHABLE.users, id, normalized);
      if (!update) return users.get(id);
      const text = `${update.text} ${SQL.returningUser}`;
      const reindex = USER_SEARCH_FIELDS.some((field) => (normalized as Record<string, unknown>)[field] !== undefined);
      const row = reindex
        ? await mapped(
            db.atomic(async (q) => {
              const updated = first(await q.query(text, update.values));
              if (updated) await q.query(SQL.setUserSearch, [id, userSearchWords(toUser(updated))]);
              return updated;
            }),
          )
        : first(await mapped(db.write(text, update.values)));
      return row ? toUser(row) : null;
    },
    async delete(id) {
      return ((await db.query(SQL.deleteUser, [id])).rowCount ?? 0) > 0;
    },
    async count() {
      return first(await db.query(SQL.countUsers))!.n as number;
    },
    async list(query) {
      // Whether a label is common (held by 1 % of the newest users): see ListDialect.labels.
      const common = new Set<string>();
      for (const labels of labelSets(USER_LIST, query.filters)) {
        const { hits, n } = first(await db.query(SQL.labelShare, [labels]))!;
        if (Number(hits) >= Math.max(1, Number(n) / 100)) common.add(JSON.stringify(labels));
      }
      const commonLabels = (labels: string[]) => common.has(JSON.stringify(labels));
      const search = await planSearch(query.search);
      const sources = {
        page: userSource(search?.page ?? null, commonLabels),
        count: userSource(search?.count ?? null, commonLabels),
      };
      return list(USER_LIST, query, USER_LIST_SELECT, sources, withTargets);
    },
  };

  const sessions: SessionStore = {
    async create(session, { maxPerUser }) {
      const params = toParams(session, COLUMNS.sessions);
      if (maxPerUser <= 0) return toSession(first(await mapped(db.write(SQL.insertSession, params)))!);
      const row = await mapped(
        db.atomic(async (q) => {
          await q.query(LOCK_USER, [session.userId]);
          const inserted = first(await q.query(SQL.insertSession, params))!;
          await q.query(SQL.pruneSessions, [session.userId, session.id, maxPerUser - 1]);
          return inserted;
        }),
      );
      return toSession(row);
    },
    async get(id) {
      const row = first(await db.query(SQL.getSession, [id]));
      return row ? toSession(row) : null;
    },
    async getBySecretHashWithUser(secretHash) {
      const row = first(await db.query(SQL.getSessionWithUserBySecret, [secretHash]));
      return row ? { session: toSession(row), user: toUser(row, 'u_') } : null;
    },
    async getWithUser(id) {
      const row = first(await db.query(SQL.getSessionWithUser, [id]));
      return row ? { session: toSession(row), user: toUser(row, 'u_') } : null;
    },
    async listByUser(userId) {
      return (await db.query(SQL.listSessions, [userId])).rows.map(toSession);
    },
    async update(id, patch) {
      const update = updateSql('sessions', PATCHABLE.sessions, id, patch);
      if (!update) return sessions.get(id);
      const row = first(await mapped(db.write(`${update.text} RETURNING *`, update.values)));
      return row ? toSession(row) : null;
    },
    async delete(id) {
      return ((await db.query(SQL.deleteSession, [id])).rowCount ?? 0) > 0;
    },
    async deleteByUser(userId, options) {
      return (await db.query(SQL.deleteUserSessions, [userId, options?.exceptId ?? null])).rowCount ?? 0;
    },
    async deleteExpired(now) {
      return (await db.query(SQL.deleteExpiredSessions, [now])).rowCount ?? 0;
    },
  };

  const tokens: TokenStore = {
    async create(token) {
      return toToken(first(await mapped(db.write(SQL.insertToken, toParams(token, COLUMNS.tokens))))!);
    },
    async consume({ userId, types, secretHash, now }) {
      const row = first(await db.query(SQL.consumeToken, [userId, secretHash, now, types]));
      return row ? toToken(row) : null;
    },
    async delete(id) {
      return ((await db.query(SQL.deleteToken, [id])).rowCount ?? 0) > 0;
    },
    async deleteExpired(now) {
      return (await db.query(SQL.deleteExpiredTokens, [now])).rowCount ?? 0;
    },
  };

  const identities: IdentityStore = {
    async create(identity) {
      const params = toParams({ ...identity, providerEmail: identity.providerEmail.toLowerCase() }, COLUMNS.identities);
      return toIdentity(first(await mapped(db.write(SQL.insertIdentity, params)))!);
    },
    async get(id) {
      const row = first(await db.query(SQL.getIdentity, [id]));
      return row ? toIdentity(row) : null;
    },
    async getByProviderUid(provider, providerUid) {
      const row = first(await db.query(SQL.getIdentityByProviderUid, [provider, providerUid]));
      return row ? toIdentity(row) : null;
    },
    async getByProviderEmail(email) {
      const row = first(await db.query(SQL.getIdentityByProviderEmail, [email.toLowerCase()]));
      return row ? toIdentity(row) : null;
    },
    async listByUser(userId, { limit, offset }) {
      const { rows } = await db.query(SQL.listIdentities, [userId, limit, offset]);
      return { total: rows[0].total as number, items: rows.filter((row) => row.id !== null).map(toIdentity) };
    },
    async update(id, patch) {
      const normalized =
        patch.providerEmail === undefined ? patch : { ...patch, providerEmail: patch.providerEmail.toLowerCase() };
      const update = updateSql('identities', PATCHABLE.identities, id, normalized);
      if (!update) return identities.get(id);
      const row = first(await mapped(db.write(`${update.text} RETURNING *`, update.values)));
      return row ? toIdentity(row) : null;
    },
    async delete(id) {
      return ((await db.query(SQL.deleteIdentity, [id])).rowCount ?? 0) > 0;
    },
    async list(query) {
      const source = identitySource(query.search);
      return list(IDENTITY_LIST, query, 'i.*', { page: source, count: source }, async (rows) => rows.map(toIdentity));
    },
  };

  const logs: LogStore = {
    async create(log) {
      await mapped(db.write(SQL.insertLog, toParams(log, COLUMNS.logs)));
    },
    async listByUser(userId, { limit, offset }) {
      const { rows } = await db.query(SQL.listLogs, [userId, limit, offset]);
      return { total: rows[0].total as number, items: rows.filter((row) => row.id !== null).map(toLog) };
    },
  };

  const targets: TargetStore = {
    async create(target) {
      return toTarget(first(await mapped(db.write(SQL.insertTarget, toParams(target, COLUMNS.targets))))!);
    },
    async get(id) {
      const row = first(await db.query(SQL.getTarget, [id]));
      return row ? toTarget(row) : null;
    },
    async getByIdentifier(providerType, identifier) {
      const row = first(await db.query(SQL.getTargetByIdentifier, [providerType, identifier]));
      return row ? toTarget(row) : null;
    },
    async update(id, patch) {
      const update = updateSql('targets', PATCHABLE.targets, id, patch);
      if (!update) return targets.get(id);
      const row = first(await mapped(db.write(`${update.text} RETURNING *`, update.values)));
      return row ? toTarget(row) : null;
    },
    async delete(id) {
      return ((await db.query(SQL.deleteTarget, [id])).rowCount ?? 0) > 0;
    },
  };

  const authenticators: AuthenticatorStore = {
    async upsert(authenticator) {
      const params = toParams(authenticator, COLUMNS.authenticators);
      return toAuthenticator(first(await mapped(db.write(SQL.upsertAuthenticator, params)))!);
    },
    async get(userId, type) {
      const row = first(await db.query(SQL.getAuthenticator, [userId, type]));
      return row ? toAuthenticator(row) : null;
    },
    async update(id, patch) {
      const update = updateSql('authenticators', PATCHABLE.authenticators, id, patch);
      const row = update
        ? first(await mapped(db.write(`${update.text} RETURNING *`, update.values)))
        : first(await db.query('SELECT * FROM authenticators WHERE id = $1', [id]));
      return row ? toAuthenticator(row) : null;
    },
    async delete(userId, type) {
      return ((await db.query(SQL.deleteAuthenticator, [userId, type])).rowCount ?? 0) > 0;
    },
  };

  const challenges: ChallengeStore = {
    async create(challenge) {
      return toChallenge(first(await mapped(db.write(SQL.insertChallenge, toParams(challenge, COLUMNS.challenges))))!);
    },
    async get(id) {
      const row = first(await db.query(SQL.getChallenge, [id]));
      return row ? toChallenge(row) : null;
    },
    async consume(id) {
      return (await db.query(SQL.deleteChallenge, [id])).rowCount === 1;
    },
    async deleteExpired(now) {
      return (await db.query(SQL.deleteExpiredChallenges, [now])).rowCount ?? 0;
    },
  };

  const recoveryCodes: RecoveryCodeStore = {
    async replace(userId, entries, now) {
      await db.atomic(async (q) => {
        await q.query(LOCK_USER, [userId]);
        await q.query(SQL.deleteRecoveryCodes, [userId]);
        if (entries.length > 0) await q.query(SQL.insertRecoveryCodes, [userId, entries, now]);
      });
    },
    async list(userId) {
      return (await db.query(SQL.listRecoveryCodes, [userId])).rows.map((row) => row.code_hash as RecoveryCodeEntry);
    },
    async consume(userId, entry) {
      return (await db.query(SQL.deleteRecoveryCode, [userId, entry])).rowCount === 1;
    },
  };

  const passwordHistory: PasswordHistoryStore = {
    async add(userId, passwordHash, createdAt, keep) {
      await db.atomic(async (q) => {
        await q.query(LOCK_USER, [userId]);
        await q.query(SQL.insertPasswordHistory, [userId, passwordHash, createdAt]);
        await q.query(SQL.prunePasswordHistory, [userId, keep]);
      });
    },
    async list(userId) {
      return (await db.query(SQL.listPasswordHistory, [userId])).rows.map((row) => row.password_hash as string);
    },
  };

  const counters: CounterStore = {
    async hit(key, windowMs, now) {
      const windowStart = now.getTime() - (now.getTime() % windowMs);
      const row = first(
        await db.query(SQL.hitCounter, [key, new Date(windowStart), new Date(windowStart + windowMs)]),
      )!;
      return { count: row.count as number, resetAt: row.reset_at as Date };
    },
    async decrement(key) {
      await db.query(SQL.decrementCounter, [key]);
    },
    async reset(key) {
      await db.query(SQL.deleteCounter, [key]);
    },
    async deleteExpired(now) {
      return (await db.query(SQL.deleteExpiredCounters, [now])).rowCount ?? 0;
    },
  };

  const settings: SettingStore = {
    async getOrCreate(key, value) {
      // Two statements on purpose: under READ COMMITTED the SELECT takes a new snapshot, so it sees
      // a value another instance committed while the INSERT waited on it (one statement would not).
      await db.query(SQL.insertSetting, [key, value]);
      return first(await db.query(SQL.getSetting, [key]))!.value as string;
    },
  };

  const hostSessions: HostSessionStore = {
    async get(id, now) {
      const row = first(await db.query(SQL.getHostSession, [id, now]));
      return row ? toHostSession(row) : null;
    },
    async set(record, now) {
      const params = [...toParams(record, COLUMNS.host_sessions), now];
      try {
        return ((await db.write(SQL.setHostSession, params)).rowCount ?? 0) > 0;
      } catch (error) {
        if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) return false;
        throw error;
      }
    },
    async touch(id, expire, now) {
      return ((await db.query(SQL.touchHostSession, [id, expire, now])).rowCount ?? 0) > 0;
    },
    async destroy(id) {
      return ((await db.query(SQL.destroyHostSession, [id])).rowCount ?? 0) > 0;
    },
    async all(now) {
      return (await db.query(SQL.allHostSessions, [now])).rows.map(toHostSession);
    },
    async length(now) {
      return first(await db.query(SQL.countHostSessions, [now]))!.n as number;
    },
    async clear() {
      return (await db.query(SQL.clearHostSessions)).rowCount ?? 0;
    },
    async deleteExpired(now) {
      return (await db.query(SQL.deleteExpiredHostSessions, [now])).rowCount ?? 0;
    },
  };

  const apiKeys: ApiKeyStore = {
    async create(key) {
      return toApiKey(first(await mapped(db.write(SQL.insertApiKey, toParams(key, COLUMNS.api_keys))))!);
    },
    async getBySecretHash(secretHash) {
      const row = first(await db.query(SQL.getApiKeyBySecretHash, [secretHash]));
      return row ? toApiKey(row) : null;
    },
    async list() {
      return (await db.query(SQL.listApiKeys)).rows.map(toApiKey);
    },
    async delete(id) {
      return ((await db.query(SQL.deleteApiKey, [id])).rowCount ?? 0) > 0;
    },
    async touch(id, accessedAt) {
      return ((await db.query(SQL.touchApiKey, [id, accessedAt])).rowCount ?? 0) > 0;
    },
  };

  return {
    users, sessions, tokens, identities, logs, targets, authenticators, challenges, recoveryCodes, passwordHistory,
    counters, settings, hostSessions, apiKeys,
  };
}
