// Numbered schema migrations for PostgreSQL. Applied versions are rows of
// `account_router_migrations`; `runMigrations` applies the missing ones under a session-level
// advisory lock, so several app instances starting at once migrate exactly once.
//
// Storage conventions: dates are `timestamptz` (microsecond precision, so JavaScript's milliseconds
// round-trip), booleans `boolean`, arrays and objects `jsonb`, emails lower-cased by the adapter.
// Ids are `text COLLATE "C"`, so ties in `ORDER BY …, id` sort bytewise whatever the database's
// collation, as in SQLite. Every unique constraint (or unique index) is named
// `<table>_<column>_pk|unique` after the column ConflictError reports (see `asConflict` in stores.ts).

import type { PoolClient } from 'pg';
import { userSearchWords } from '../sql/search';

export interface Migration {
  version: number;
  name: string;
  up: string;
  /** Fills what SQL cannot compute (the search words), after `up`, in the same transaction. */
  backfill?: (client: PoolClient) => Promise<void>;
}

/** Writes every user's search words, a batch at a time in id order. */
async function backfillUserSearch(client: PoolClient): Promise<void> {
  type User = { id: string; email: string | null; phone: string | null; name: string };
  for (let after = ''; ; ) {
    const { rows } = await client.query<User>(
      'SELECT id, email, phone, name FROM users WHERE id > $1 ORDER BY id LIMIT 5000',
      [after],
    );
    if (rows.length === 0) return;
    await client.query(
      `UPDATE users SET search = array_to_tsvector(string_to_array(batch.words, ' '))
       FROM unnest($1::text[], $2::text[]) AS batch (id, words) WHERE users.id = batch.id`,
      [rows.map((row) => row.id), rows.map((row) => userSearchWords(row).join(' '))],
    );
    after = rows[rows.length - 1].id;
  }
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: `
      CREATE TABLE users (
        id text COLLATE "C" NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        name text NOT NULL,
        email text,
        phone text,
        password_hash text,
        password_updated_at timestamptz,
        status boolean NOT NULL,
        labels jsonb NOT NULL,
        email_verification boolean NOT NULL,
        phone_verification boolean NOT NULL,
        mfa boolean NOT NULL,
        prefs jsonb NOT NULL,
        accessed_at timestamptz NOT NULL,
        CONSTRAINT users_id_pk PRIMARY KEY (id),
        -- Unique constraints let any number of rows hold NULL, which anonymous users need.
        CONSTRAINT users_email_unique UNIQUE (email),
        CONSTRAINT users_phone_unique UNIQUE (phone)
      );

      CREATE TABLE targets (
        id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        provider_type text NOT NULL,
        identifier text NOT NULL,
        provider_id text,
        name text NOT NULL,
        expired boolean NOT NULL,
        session_id text COLLATE "C",
        CONSTRAINT targets_id_pk PRIMARY KEY (id),
        CONSTRAINT targets_identifier_unique UNIQUE (identifier, provider_type)
      );
      CREATE INDEX targets_user ON targets (user_id, created_at, id);

      CREATE TABLE sessions (
        id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        expire timestamptz NOT NULL,
        secret_hash text NOT NULL,
        provider text NOT NULL,
        provider_uid text NOT NULL,
        provider_access_token text NOT NULL,
        provider_refresh_token text NOT NULL,
        provider_access_token_expiry timestamptz,
        ip text NOT NULL,
        user_agent text NOT NULL,
        country_code text NOT NULL,
        factors jsonb NOT NULL,
        mfa_updated_at timestamptz,
        CONSTRAINT sessions_id_pk PRIMARY KEY (id),
        CONSTRAINT sessions_secret_hash_unique UNIQUE (secret_hash)
      );
      CREATE INDEX sessions_user ON sessions (user_id, created_at, id);
      CREATE INDEX sessions_expire ON sessions (expire);

      CREATE TABLE tokens (
        id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type text NOT NULL,
        created_at timestamptz NOT NULL,
        expire timestamptz NOT NULL,
        secret_hash text NOT NULL,
        phrase text NOT NULL,
        provider text NOT NULL,
        CONSTRAINT tokens_id_pk PRIMARY KEY (id)
      );
      CREATE INDEX tokens_user_secret ON tokens (user_id, secret_hash);
      CREATE INDEX tokens_expire ON tokens (expire);

      CREATE TABLE identities (
        id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        provider text NOT NULL,
        provider_uid text NOT NULL,
        provider_email text NOT NULL,
        provider_access_token text NOT NULL,
        provider_refresh_token text NOT NULL,
        provider_access_token_expiry timestamptz,
        CONSTRAINT identities_id_pk PRIMARY KEY (id),
        -- provider first: the constraint then names the field ConflictError reports for this clash.
        CONSTRAINT identities_provider_unique UNIQUE (provider, provider_uid)
      );
      CREATE INDEX identities_user ON identities (user_id, created_at, id);
      CREATE INDEX identities_provider_email ON identities (provider_email, created_at, id);

      -- No foreign key: the security log outlives the user it describes.
      CREATE TABLE logs (
        id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL,
        event text NOT NULL,
        user_email text NOT NULL,
        user_name text NOT NULL,
        mode text NOT NULL,
        ip text NOT NULL,
        user_agent text NOT NULL,
        country_code text NOT NULL,
        time timestamptz NOT NULL,
        CONSTRAINT logs_id_pk PRIMARY KEY (id)
      );
      CREATE INDEX logs_user_time ON logs (user_id, time, id);

      CREATE TABLE authenticators (
        id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type text NOT NULL,
        verified boolean NOT NULL,
        secret text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT authenticators_id_pk PRIMARY KEY (id),
        CONSTRAINT authenticators_user_id_unique UNIQUE (user_id, type)
      );

      CREATE TABLE challenges (
        id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type text NOT NULL,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        expire timestamptz NOT NULL,
        CONSTRAINT challenges_id_pk PRIMARY KEY (id)
      );
      CREATE INDEX challenges_user ON challenges (user_id);
      CREATE INDEX challenges_expire ON challenges (expire);

      -- position keeps the order the codes were issued in, which list() returns.
      CREATE TABLE recovery_codes (
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        position integer NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT recovery_codes_code_hash_pk PRIMARY KEY (user_id, code_hash)
      );

      CREATE TABLE counters (
        key text NOT NULL,
        count integer NOT NULL,
        window_start timestamptz NOT NULL,
        reset_at timestamptz NOT NULL,
        CONSTRAINT counters_key_pk PRIMARY KEY (key)
      );
      CREATE INDEX counters_reset_at ON counters (reset_at);

      CREATE TABLE settings (
        key text NOT NULL,
        value text NOT NULL,
        CONSTRAINT settings_key_pk PRIMARY KEY (key)
      );
    `,
  },
  {
    version: 2,
    name: 'password history',
    up: `
      CREATE TABLE password_history (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT password_history_seq_pk PRIMARY KEY (seq)
      );
      CREATE INDEX password_history_user ON password_history (user_id, seq);
    `,
  },
  {
    version: 3,
    name: 'host sessions',
    // The host app's express-session sessions (accounts.sessionStore()). A tied row names its
    // account session, and the database ends it with that session, whichever code deletes it; the
    // trigger does the same when a user is blocked, since blocking keeps the account sessions.
    // `data` is json, not jsonb: it keeps the text as written, \u0000 escapes included.
    up: `
      CREATE TABLE host_sessions (
        id text COLLATE "C" NOT NULL,
        data json NOT NULL,
        expire timestamptz NOT NULL,
        account_session_id text COLLATE "C" REFERENCES sessions (id) ON DELETE CASCADE,
        CONSTRAINT host_sessions_id_pk PRIMARY KEY (id)
      );
      CREATE INDEX host_sessions_expire ON host_sessions (expire);
      -- The cascade finds a session's rows through this index instead of scanning the table.
      CREATE INDEX host_sessions_account_session ON host_sessions (account_session_id);

      -- search_path FROM CURRENT: the function finds this schema's tables whoever updates users.
      CREATE FUNCTION host_sessions_end_on_block() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      BEGIN
        DELETE FROM host_sessions WHERE account_session_id IN (SELECT id FROM sessions WHERE user_id = NEW.id);
        RETURN NULL;
      END $$;
      CREATE TRIGGER host_sessions_end_on_block AFTER UPDATE OF status ON users
        FOR EACH ROW WHEN (NOT NEW.status) EXECUTE FUNCTION host_sessions_end_on_block();
    `,
  },
  {
    version: 4,
    name: 'password pwned, provider ID token, challenge code',
    // The newest generation's fields: the breached-password flag (NULL: never checked), the ID
    // token of a native sign-in (sealed; '' for the browser flow) and a challenge's code when the
    // host delivers it and must read it back (sealed; '' otherwise). Constant defaults: no rewrite.
    up: `
      ALTER TABLE users ADD COLUMN password_pwned boolean;
      ALTER TABLE identities ADD COLUMN provider_id_token text NOT NULL DEFAULT '';
      ALTER TABLE challenges ADD COLUMN code text NOT NULL DEFAULT '';
    `,
  },
  {
    version: 5,
    name: 'user lists and impersonators',
    // Listing and searching users at scale (users.list), and the impersonator flag (Appwrite 1.9).
    //
    // `seq` is the insertion sequence (Appwrite's `$sequence`): the default order and every order's
    // tie-breaker; existing users get theirs in creation order. Each index puts it after the
    // filtered column, so an equality filter yields its rows already in list order.
    //
    // Text that lists compare or sort is COLLATE "C", as SQLite compares: by code point, so that a
    // prefix is one index range and orders agree between adapters whatever the database's locale.
    //
    // `search` holds the user's search words (adapters/sql/search.ts), computed by the adapter
    // (lower() and regex classes follow the locale) and stored as-is by array_to_tsvector; a
    // search is a tsquery of word prefixes, which the GIN index answers. No extension is needed
    // (pg_trgm would want CREATE rights on the database, which an application role often lacks).
    up: `
      ALTER TABLE users ADD COLUMN impersonator boolean NOT NULL DEFAULT false;
      ALTER TABLE users ADD COLUMN seq bigint;
      UPDATE users SET seq = ranked.n
        FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM users) AS ranked
        WHERE users.id = ranked.id;
      ALTER TABLE users ALTER COLUMN seq SET NOT NULL;
      ALTER TABLE users ALTER COLUMN seq ADD GENERATED BY DEFAULT AS IDENTITY;
      SELECT setval(pg_get_serial_sequence('users', 'seq'), (SELECT coalesce(max(seq), 0) + 1 FROM users), false);
      ALTER TABLE users ADD CONSTRAINT users_seq_unique UNIQUE (seq);
      ALTER TABLE users ADD COLUMN search tsvector NOT NULL DEFAULT '';
      ALTER TABLE users
        ALTER COLUMN name TYPE text COLLATE "C",
        ALTER COLUMN email TYPE text COLLATE "C",
        ALTER COLUMN phone TYPE text COLLATE "C";

      CREATE INDEX users_search ON users USING gin (search);
      CREATE INDEX users_labels ON users USING gin (labels);
      CREATE INDEX users_name ON users (name, seq);
      -- Email and phone stay unique through indexes of the constraints' names, now ordered as
      -- lists order (nulls first), so that one index per column serves lookups, prefixes and orders.
      ALTER TABLE users DROP CONSTRAINT users_email_unique, DROP CONSTRAINT users_phone_unique;
      CREATE UNIQUE INDEX users_email_unique ON users (email NULLS FIRST);
      CREATE UNIQUE INDEX users_phone_unique ON users (phone NULLS FIRST);
      CREATE INDEX users_created_at ON users (created_at, seq);
      CREATE INDEX users_updated_at ON users (updated_at, seq);
      CREATE INDEX users_password_updated_at ON users (password_updated_at NULLS FIRST, seq);
      CREATE INDEX users_status ON users (status, seq);
      CREATE INDEX users_email_verification ON users (email_verification, seq);
      CREATE INDEX users_phone_verification ON users (phone_verification, seq);
      CREATE INDEX users_impersonator ON users (impersonator, seq);

      ALTER TABLE identities
        ALTER COLUMN provider TYPE text COLLATE "C",
        ALTER COLUMN provider_uid TYPE text COLLATE "C",
        ALTER COLUMN provider_email TYPE text COLLATE "C";
      CREATE INDEX identities_created_at ON identities (created_at, id);
      CREATE INDEX identities_uid ON identities (provider_uid);
      CREATE INDEX identities_provider_access_token_expiry ON identities (provider_access_token_expiry NULLS FIRST, created_at, id);
    `,
    backfill: backfillUserSearch,
  },
  {
    version: 6,
    name: 'api keys',
    // Server API keys (X-Appwrite-Key): a request's key is found by the keyed hash of its secret,
    // so the hash is the unique constraint; the secret itself is never stored.
    up: `
      CREATE TABLE api_keys (
        id text COLLATE "C" NOT NULL,
        name text NOT NULL,
        scopes jsonb NOT NULL,
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        expire timestamptz,
        accessed_at timestamptz,
        CONSTRAINT api_keys_id_pk PRIMARY KEY (id),
        CONSTRAINT api_keys_secret_hash_unique UNIQUE (secret_hash)
      );
    `,
  },
  {
    // The authorization server (lib/idp/): clients, consents, codes, token families, signing keys.
    // Consents end with their user or client; codes and token families with their consent.
    version: 7,
    name: 'authorization server',
    up: `
      CREATE TABLE oauth_clients (
        id text COLLATE "C" NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        name text NOT NULL,
        secret_hash text,
        redirect_uris jsonb NOT NULL,
        scopes jsonb NOT NULL,
        source text NOT NULL,
        client_uri text NOT NULL,
        expire timestamptz,
        CONSTRAINT oauth_clients_id_pk PRIMARY KEY (id)
      );
      CREATE TABLE oauth_consents (
        id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        client_id text COLLATE "C" NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        scopes jsonb NOT NULL,
        resources jsonb NOT NULL,
        authorization_details jsonb,
        expire timestamptz,
        CONSTRAINT oauth_consents_id_pk PRIMARY KEY (id),
        CONSTRAINT oauth_consents_user_client_unique UNIQUE (user_id, client_id)
      );
      CREATE INDEX oauth_consents_user_created ON oauth_consents (user_id, created_at, id);
      CREATE INDEX oauth_consents_client ON oauth_consents (client_id);
      CREATE TABLE oauth_codes (
        code_hash text COLLATE "C" NOT NULL,
        client_id text NOT NULL,
        user_id text NOT NULL,
        consent_id text COLLATE "C" NOT NULL REFERENCES oauth_consents (id) ON DELETE CASCADE,
        session_id text NOT NULL,
        redirect_uri text NOT NULL,
        scopes jsonb NOT NULL,
        resources jsonb NOT NULL,
        authorization_details jsonb,
        nonce text,
        code_challenge text NOT NULL,
        auth_time timestamptz NOT NULL,
        amr jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        expire timestamptz NOT NULL,
        CONSTRAINT oauth_codes_code_hash_pk PRIMARY KEY (code_hash)
      );
      CREATE INDEX oauth_codes_consent ON oauth_codes (consent_id);
      CREATE INDEX oauth_codes_expire ON oauth_codes (expire);
      CREATE TABLE oauth_grants (
        id text COLLATE "C" NOT NULL,
        consent_id text COLLATE "C" NOT NULL REFERENCES oauth_consents (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        client_id text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        scopes jsonb NOT NULL,
        resources jsonb NOT NULL,
        authorization_details jsonb,
        auth_time timestamptz NOT NULL,
        amr jsonb NOT NULL,
        expire timestamptz NOT NULL,
        generation integer NOT NULL,
        refresh_hash text,
        CONSTRAINT oauth_grants_id_pk PRIMARY KEY (id)
      );
      CREATE INDEX oauth_grants_consent ON oauth_grants (consent_id, created_at, id);
      CREATE INDEX oauth_grants_expire ON oauth_grants (expire);
      CREATE TABLE signing_keys (
        id text COLLATE "C" NOT NULL,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_key text NOT NULL,
        created_at timestamptz NOT NULL,
        expire timestamptz NOT NULL,
        CONSTRAINT signing_keys_id_pk PRIMARY KEY (id)
      );
    `,
  },
  {
    // Opaque access tokens, per client: the family keeps the keyed hash of its current one and the
    // claims it stands for, found by that hash (unique; NULL for JWT clients).
    version: 8,
    name: 'opaque access tokens',
    up: `
      ALTER TABLE oauth_clients ADD COLUMN access_token_format text NOT NULL DEFAULT 'jwt';
      ALTER TABLE oauth_grants ADD COLUMN access_hash text COLLATE "C";
      ALTER TABLE oauth_grants ADD COLUMN access_claims jsonb;
      CREATE UNIQUE INDEX oauth_grants_access_hash ON oauth_grants (access_hash);
    `,
  },
];

/** The highest migration version; a fully migrated schema has a row for it. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * The name whose `hashtextextended(name, 0)` is the advisory-lock key `runMigrations` holds while it
 * migrates `schema` (the `schema` option, else the connection's current schema). Exported for tests.
 */
export function migrationLockName(schema: string): string {
  return `account-router:migrate:${schema}`;
}

/** `"name"`, for the few statements (CREATE SCHEMA) that cannot take the name as a parameter. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates `schema` when given and applies every missing migration, each in its own transaction
 * together with its row in `account_router_migrations`.
 *
 * Everything happens under a session-level advisory lock keyed by the schema name: a second
 * instance starting at the same moment waits at the lock, then finds every version recorded and
 * does nothing. (The lock is needed from the start: even `CREATE SCHEMA IF NOT EXISTS` and
 * `CREATE TABLE IF NOT EXISTS` fail with a unique violation when two sessions race them.)
 */
export async function runMigrations(client: PoolClient, schema: string | undefined): Promise<void> {
  const name = schema ?? ((await client.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0].s ?? '');
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [migrationLockName(name)]);
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS account_router_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM account_router_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.up);
        await migration.backfill?.(client);
        await client.query('INSERT INTO account_router_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [migrationLockName(name)]);
  }
}
