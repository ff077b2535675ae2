// Numbered schema migrations. The applied version lives in `PRAGMA user_version`, so it commits or
// rolls back together with the schema change itself.
//
// Storage conventions: dates are INTEGER milliseconds since the epoch, booleans 0/1, arrays and
// objects JSON text, emails lower-cased by the adapter before they are written.

import type Database from 'better-sqlite3';
import { userSearchWords } from '../sql/search';

export interface Migration {
  version: number;
  up: string;
  /** Fills what SQL cannot compute (the search words), after `up`, in the same transaction. */
  backfill?: (db: Database.Database) => void;
}

/** The target columns as `json_object` arguments: spelled out here, since a migration's SQL must not change. */
const TARGET_FIELDS = ['id', 'user_id', 'created_at', 'updated_at', 'provider_type', 'identifier', 'provider_id', 'name', 'expired', 'session_id']
  .map((column) => `'${column}', t.${column}`)
  .join(', ');

/**
 * Rewrites `users.targets` of the users whose ids `userIds` lists (SQL), oldest target first, as
 * version 2 wrote it: ORDER BY inside the aggregate, which SQLite before 3.44 cannot parse, so a
 * file with these triggers cannot be opened by older sqlite3 shells. Version 4 replaces them.
 */
function copyTargetsIntoV2(userIds: string): string {
  return `UPDATE users SET targets = (
      SELECT json_group_array(json_object(${TARGET_FIELDS}) ORDER BY t.created_at, t.id) FROM targets t WHERE t.user_id = users.id)
    WHERE id IN (${userIds});`;
}

/**
 * The same copy in SQL that SQLite 3.37 understands: the aggregate reads an ordered subquery. SQLite
 * does not flatten a subquery with ORDER BY into an aggregate query, so the rows reach
 * json_group_array in that order (the conformance suite checks the order on every adapter).
 */
function copyTargetsInto(userIds: string): string {
  return `UPDATE users SET targets = (
      SELECT json_group_array(json_object(${TARGET_FIELDS}))
      FROM (SELECT * FROM targets WHERE user_id = users.id ORDER BY created_at, id) t)
    WHERE id IN (${userIds});`;
}

/** The triggers that keep `users.targets` exact, in the same statement as any change to targets. */
function targetCopyTriggers(copy: (userIds: string) => string): string {
  return `
      CREATE TRIGGER targets_copy_after_insert AFTER INSERT ON targets BEGIN
        ${copy('NEW.user_id')}
      END;
      CREATE TRIGGER targets_copy_after_update AFTER UPDATE ON targets BEGIN
        ${copy('OLD.user_id, NEW.user_id')}
      END;
      CREATE TRIGGER targets_copy_after_delete AFTER DELETE ON targets BEGIN
        ${copy('OLD.user_id')}
      END;
    `;
}

/** Users ordered as Appwrite's `$sequence` would have them: by creation, ties by id. */
const BACKFILL_SEQ = `UPDATE users SET seq = ranked.n
  FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM users) AS ranked
  WHERE users.id = ranked.id;`;

/** Writes the search words of every user, a batch at a time (a statement cannot write while another iterates). */
function backfillUserSearch(db: Database.Database): void {
  type User = { seq: number; id: string; email: string | null; phone: string | null; name: string };
  const insert = db.prepare('INSERT INTO users_search (rowid, words) VALUES (?, ?)');
  const batch = db.prepare('SELECT seq, id, email, phone, name FROM users WHERE seq > ? ORDER BY seq LIMIT 5000');
  for (let after = 0; ; ) {
    const users = batch.all(after) as User[];
    if (users.length === 0) return;
    for (const user of users) insert.run(user.seq, userSearchWords(user).join(' '));
    after = users[users.length - 1].seq;
  }
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        name TEXT NOT NULL,
        email TEXT,
        phone TEXT,
        password_hash TEXT,
        password_updated_at INTEGER,
        status INTEGER NOT NULL,
        labels TEXT NOT NULL,
        email_verification INTEGER NOT NULL,
        phone_verification INTEGER NOT NULL,
        mfa INTEGER NOT NULL,
        prefs TEXT NOT NULL,
        accessed_at INTEGER NOT NULL
      );
      -- SQLite unique indexes let any number of rows hold NULL, which anonymous users need.
      CREATE UNIQUE INDEX users_email ON users (email);
      CREATE UNIQUE INDEX users_phone ON users (phone);

      CREATE TABLE targets (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        provider_type TEXT NOT NULL,
        identifier TEXT NOT NULL,
        provider_id TEXT,
        name TEXT NOT NULL,
        expired INTEGER NOT NULL,
        session_id TEXT
      );
      -- identifier first: it is the selective column, and the constraint error then names it,
      -- which is the field ConflictError reports for this clash.
      CREATE UNIQUE INDEX targets_identifier ON targets (identifier, provider_type);
      CREATE INDEX targets_user ON targets (user_id, created_at);

      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expire INTEGER NOT NULL,
        secret_hash TEXT NOT NULL,
        provider TEXT NOT NULL,
        provider_uid TEXT NOT NULL,
        provider_access_token TEXT NOT NULL,
        provider_refresh_token TEXT NOT NULL,
        provider_access_token_expiry INTEGER,
        ip TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        country_code TEXT NOT NULL,
        factors TEXT NOT NULL,
        mfa_updated_at INTEGER
      );
      CREATE UNIQUE INDEX sessions_secret_hash ON sessions (secret_hash);
      CREATE INDEX sessions_user ON sessions (user_id, created_at, id);
      CREATE INDEX sessions_expire ON sessions (expire);

      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expire INTEGER NOT NULL,
        secret_hash TEXT NOT NULL,
        phrase TEXT NOT NULL,
        provider TEXT NOT NULL
      );
      CREATE INDEX tokens_user_secret ON tokens (user_id, secret_hash);
      CREATE INDEX tokens_expire ON tokens (expire);

      CREATE TABLE identities (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        provider TEXT NOT NULL,
        provider_uid TEXT NOT NULL,
        provider_email TEXT NOT NULL,
        provider_access_token TEXT NOT NULL,
        provider_refresh_token TEXT NOT NULL,
        provider_access_token_expiry INTEGER
      );
      CREATE UNIQUE INDEX identities_provider_uid ON identities (provider, provider_uid);
      CREATE INDEX identities_user ON identities (user_id, created_at, id);
      CREATE INDEX identities_provider_email ON identities (provider_email);

      -- No foreign key: the security log outlives the user it describes.
      CREATE TABLE logs (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        event TEXT NOT NULL,
        user_email TEXT NOT NULL,
        user_name TEXT NOT NULL,
        mode TEXT NOT NULL,
        ip TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        country_code TEXT NOT NULL,
        time INTEGER NOT NULL
      );
      CREATE INDEX logs_user_time ON logs (user_id, time, id);

      CREATE TABLE authenticators (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        verified INTEGER NOT NULL,
        secret TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX authenticators_user_type ON authenticators (user_id, type);

      CREATE TABLE challenges (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        code_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expire INTEGER NOT NULL
      );
      CREATE INDEX challenges_user ON challenges (user_id);
      CREATE INDEX challenges_expire ON challenges (expire);

      CREATE TABLE recovery_codes (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, code_hash)
      );

      CREATE TABLE counters (
        key TEXT PRIMARY KEY,
        count INTEGER NOT NULL,
        window_start INTEGER NOT NULL,
        reset_at INTEGER NOT NULL
      );
      CREATE INDEX counters_reset_at ON counters (reset_at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    // The user's targets, kept on the user row as the JSON array every user read returns: the
    // authentication lookup then reads 4 B-trees instead of 6 (no targets index and table), a
    // third fewer page reads per request at 1 M users. Triggers keep the copy exact, in the same
    // statement as the change to targets, whoever writes them.
    up: `
      ALTER TABLE users ADD COLUMN targets TEXT NOT NULL DEFAULT '[]';
      ${copyTargetsIntoV2('SELECT user_id FROM targets')}${targetCopyTriggers(copyTargetsIntoV2)}`,
  },
  {
    version: 3,
    // The rowid orders a user's entries: a new row's rowid is above every row that still exists.
    up: `
      CREATE TABLE password_history (
        seq INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX password_history_user ON password_history (user_id, seq);
    `,
  },
  {
    version: 4,
    // The targets-copy triggers again, in SQL that SQLite 3.37 understands, so that the sqlite3
    // shells of current distributions (Debian 12 ships 3.40) can open, query, .dump and .backup the
    // file. The copies themselves are unchanged: same rows, same order.
    up: `
      DROP TRIGGER targets_copy_after_insert;
      DROP TRIGGER targets_copy_after_update;
      DROP TRIGGER targets_copy_after_delete;${targetCopyTriggers(copyTargetsInto)}`,
  },
  {
    version: 5,
    // The host app's express-session sessions (accounts.sessionStore()). A tied row names its
    // account session, and the database ends it with that session, whichever code deletes it; the
    // trigger does the same when a user is blocked, since blocking keeps the account sessions.
    up: `
      CREATE TABLE host_sessions (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        expire INTEGER NOT NULL,
        account_session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE
      );
      CREATE INDEX host_sessions_expire ON host_sessions (expire);
      -- The cascade finds a session's rows through this index instead of scanning the table.
      CREATE INDEX host_sessions_account_session ON host_sessions (account_session_id);
      CREATE TRIGGER host_sessions_end_on_block AFTER UPDATE OF status ON users WHEN NEW.status = 0 BEGIN
        DELETE FROM host_sessions WHERE account_session_id IN (SELECT id FROM sessions WHERE user_id = NEW.id);
      END;
    `,
  },
  {
    version: 6,
    // The newest generation's fields: the breached-password flag (NULL: never checked), the ID
    // token of a native sign-in (sealed; '' for the browser flow) and a challenge's code when the
    // host delivers it and must read it back (sealed; '' otherwise).
    up: `
      ALTER TABLE users ADD COLUMN password_pwned INTEGER;
      ALTER TABLE identities ADD COLUMN provider_id_token TEXT NOT NULL DEFAULT '';
      ALTER TABLE challenges ADD COLUMN code TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 7,
    // Listing and searching users at scale (users.list), and the impersonator flag (Appwrite 1.9).
    //
    // `seq` is the insertion sequence (Appwrite's `$sequence`): the default order and every order's
    // tie-breaker, and the rowid of the user's search row. It is a column of its own because VACUUM
    // may renumber the implicit rowid of a table whose key is not an INTEGER PRIMARY KEY. The
    // adapter gives it on insert; the trigger gives one to rows inserted without it (a sqlite3 shell).
    //
    // Each index puts `seq` after the filtered column, so an equality filter yields its rows already
    // in list order and a page stops after `limit` rows.
    //
    // Labels are JSON on the user row; user_labels repeats them one row per label, kept by triggers
    // whoever writes, so that a label filter reads an index instead of parsing a million arrays.
    //
    // users_search holds each user's search words (adapters/sql/search.ts), which the adapter
    // computes and writes, since SQL has no Unicode case folding: FTS5's ascii tokenizer then only
    // splits them at the spaces. FTS5 answers a prefix longer than its prefix indexes by merging
    // the doclists of every word it starts, all of them before the first row (0.7 s for a word a
    // million users share); prefix indexes of 1 to 8 characters make every prefix up to 8
    // characters one doclist read in rowid order, for about a fifth more index (measured at 1 M
    // users: 110 → 135 MiB). detail=none: the search needs neither phrases nor columns.
    up: `
      ALTER TABLE users ADD COLUMN impersonator INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN seq INTEGER;
      ${BACKFILL_SEQ}
      CREATE UNIQUE INDEX users_seq ON users (seq);
      CREATE TRIGGER users_seq_after_insert AFTER INSERT ON users WHEN NEW.seq IS NULL BEGIN
        UPDATE users SET seq = (SELECT ifnull(max(seq), 0) + 1 FROM users) WHERE rowid = NEW.rowid;
      END;

      CREATE INDEX users_name ON users (name, seq);
      CREATE INDEX users_created_at ON users (created_at, seq);
      CREATE INDEX users_updated_at ON users (updated_at, seq);
      CREATE INDEX users_password_updated_at ON users (password_updated_at, seq);
      CREATE INDEX users_status ON users (status, seq);
      CREATE INDEX users_email_verification ON users (email_verification, seq);
      CREATE INDEX users_phone_verification ON users (phone_verification, seq);
      CREATE INDEX users_impersonator ON users (impersonator, seq);

      CREATE TABLE user_labels (
        user_seq INTEGER NOT NULL,
        label TEXT NOT NULL,
        PRIMARY KEY (user_seq, label)
      ) WITHOUT ROWID;
      CREATE INDEX user_labels_label ON user_labels (label, user_seq);
      INSERT OR IGNORE INTO user_labels (user_seq, label)
        SELECT u.seq, j.value FROM users u, json_each(u.labels) j WHERE j.type = 'text';
      CREATE TRIGGER user_labels_after_insert AFTER INSERT ON users WHEN NEW.seq IS NOT NULL BEGIN
        INSERT OR IGNORE INTO user_labels (user_seq, label) SELECT NEW.seq, value FROM json_each(NEW.labels) WHERE type = 'text';
      END;
      CREATE TRIGGER user_labels_after_update AFTER UPDATE OF labels, seq ON users BEGIN
        DELETE FROM user_labels WHERE user_seq = OLD.seq;
        INSERT OR IGNORE INTO user_labels (user_seq, label)
          SELECT NEW.seq, value FROM json_each(NEW.labels) WHERE type = 'text' AND NEW.seq IS NOT NULL;
      END;

      CREATE VIRTUAL TABLE users_search USING fts5 (words, tokenize = 'ascii', prefix = '1 2 3 4 5 6 7 8', detail = none, columnsize = 0);
      CREATE TRIGGER users_after_delete AFTER DELETE ON users BEGIN
        DELETE FROM user_labels WHERE user_seq = OLD.seq;
        DELETE FROM users_search WHERE rowid = OLD.seq;
      END;

      CREATE INDEX identities_created_at ON identities (created_at, id);
      CREATE INDEX identities_uid ON identities (provider_uid);
      CREATE INDEX identities_provider_access_token_expiry ON identities (provider_access_token_expiry, created_at, id);
    `,
    backfill: backfillUserSearch,
  },
  {
    version: 8,
    // Server API keys (X-Appwrite-Key): a request's key is found by the keyed hash of its secret,
    // so the hash is the unique index; the secret itself is never stored.
    up: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expire INTEGER,
        accessed_at INTEGER
      );
      CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);
    `,
  },
  {
    // The authorization server (lib/idp/): clients, consents, codes, token families, signing keys.
    // Consents end with their user or client; codes and token families with their consent.
    version: 9,
    up: `
      CREATE TABLE oauth_clients (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        name TEXT NOT NULL,
        secret_hash TEXT,
        redirect_uris TEXT NOT NULL,
        scopes TEXT NOT NULL,
        source TEXT NOT NULL,
        client_uri TEXT NOT NULL,
        expire INTEGER
      );
      CREATE TABLE oauth_consents (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        scopes TEXT NOT NULL,
        resources TEXT NOT NULL,
        authorization_details TEXT,
        expire INTEGER
      );
      CREATE UNIQUE INDEX oauth_consents_user_client ON oauth_consents (user_id, client_id);
      CREATE INDEX oauth_consents_user_created ON oauth_consents (user_id, created_at, id);
      CREATE INDEX oauth_consents_client ON oauth_consents (client_id);
      CREATE TABLE oauth_codes (
        code_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        consent_id TEXT NOT NULL REFERENCES oauth_consents (id) ON DELETE CASCADE,
        session_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        scopes TEXT NOT NULL,
        resources TEXT NOT NULL,
        authorization_details TEXT,
        nonce TEXT,
        code_challenge TEXT NOT NULL,
        auth_time INTEGER NOT NULL,
        amr TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expire INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX oauth_codes_consent ON oauth_codes (consent_id);
      CREATE INDEX oauth_codes_expire ON oauth_codes (expire);
      CREATE TABLE oauth_grants (
        id TEXT PRIMARY KEY,
        consent_id TEXT NOT NULL REFERENCES oauth_consents (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        scopes TEXT NOT NULL,
        resources TEXT NOT NULL,
        authorization_details TEXT,
        auth_time INTEGER NOT NULL,
        amr TEXT NOT NULL,
        expire INTEGER NOT NULL,
        generation INTEGER NOT NULL,
        refresh_hash TEXT
      );
      CREATE INDEX oauth_grants_consent ON oauth_grants (consent_id, created_at, id);
      CREATE INDEX oauth_grants_expire ON oauth_grants (expire);
      CREATE TABLE signing_keys (
        id TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        private_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expire INTEGER NOT NULL
      );
    `,
  },
  {
    // Opaque access tokens, per client: the family keeps the keyed hash of its current one and the
    // claims it stands for, found by that hash (unique; NULL for JWT clients).
    version: 10,
    up: `
      ALTER TABLE oauth_clients ADD COLUMN access_token_format TEXT NOT NULL DEFAULT 'jwt';
      ALTER TABLE oauth_grants ADD COLUMN access_hash TEXT;
      ALTER TABLE oauth_grants ADD COLUMN access_claims TEXT;
      CREATE UNIQUE INDEX oauth_grants_access_hash ON oauth_grants (access_hash);
    `,
  },
];

/** The schema version a fully migrated database reports in `PRAGMA user_version`. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration newer than the database's version, all in one transaction.
 * BEGIN IMMEDIATE takes the write lock before the version is read, so when several processes open
 * a new file at once one migrates and the others, once it commits, find nothing left to do.
 */
export function runMigrations(db: Database.Database): void {
  if (userVersion(db) >= LATEST_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = userVersion(db);
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.up);
      migration.backfill?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
