// PostgreSQL storage adapter on `pg`: a connection pool shared by any number of app instances on
// one database. Statements outside a transaction run on any pooled connection in autocommit; a
// transaction holds one connection from BEGIN to COMMIT/ROLLBACK. The isolation level is READ
// COMMITTED throughout: every race the contract names is settled by one atomic statement (unique
// constraints, DELETE … RETURNING, INSERT … ON CONFLICT) or by a row lock on the user.

import { Pool, type PoolClient } from 'pg';
import type { StorageAdapter } from '../types';
import { runMigrations } from './migrations';
import { createStores, preparedStatementName, type Db, type Queryable } from './stores';

/** Options of {@link createPostgresAdapter}: give `connectionString` or `pool`. */
export interface PostgresAdapterOptions {
  /** `postgres://user:password@host:port/database`; the adapter creates its own pool and `close()` ends it. */
  connectionString?: string;
  /** An existing `pg` Pool to use instead; `close()` leaves it open. */
  pool?: Pool;
  /**
   * Schema holding the adapter's tables; `migrate()` creates it when missing. Lower-case letters,
   * digits and `_`. @default the connection's own search_path (normally `public`)
   */
  schema?: string;
  /** Connections in the adapter's own pool (ignored with `pool`). @default 10 */
  max?: number;
  /**
   * Runs the fixed statements as named prepared statements, parsed and planned once per connection.
   * Turn it off behind a pooler that cannot keep them (PgBouncer before 1.21 in transaction mode).
   * A connection keeps its plans until it closes, so after an upgrade whose migration adds columns,
   * restart instances still running the old version. @default true
   */
  prepare?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function check(condition: boolean, message: string): void {
  if (!condition) throw new TypeError(`createPostgresAdapter: ${message}`);
}

/**
 * Runs `fn` on one pooled connection inside BEGIN … COMMIT, rolling back when it throws. A
 * connection whose ROLLBACK fails is broken and is discarded rather than returned to the pool.
 */
async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

type Runner = Queryable['query'];

function runner(target: Pool | PoolClient, prepare: boolean): Runner {
  if (!prepare) return (text, values) => target.query(text, values);
  return (text, values) => {
    const name = preparedStatementName(text);
    return name ? target.query({ name, text, values }) : target.query(text, values);
  };
}

/** Statements on the pool: each one autocommits; `atomic` opens a transaction of its own. */
function poolDb(pool: Pool, prepare: boolean): Db {
  const query = runner(pool, prepare);
  return { query, write: query, atomic: (fn) => inTransaction(pool, (client) => fn({ query: runner(client, prepare) })) };
}

/**
 * Statements on the client of an open transaction. `atomic` sections (and conflict-prone writes)
 * run under a savepoint, one at a time, so a failure inside one rolls back only that section.
 */
function transactionDb(client: PoolClient, prepare: boolean): Db {
  let queue: Promise<unknown> = Promise.resolve();
  let depth = 0;
  const query = runner(client, prepare);
  function atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const run = async () => {
      const name = `account_router_${++depth}`;
      await client.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn({ query });
        await client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      } finally {
        depth--;
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }
  return { query, write: (text, values) => atomic((q) => q.query(text, values)), atomic };
}

/**
 * Creates a PostgreSQL adapter. Nothing touches the database until the first call; `migrate()`
 * (which the router awaits before its first request) creates the schema and tables.
 *
 * Inside {@link StorageAdapter.transaction} use the `tx` stores passed to `fn`: the adapter's own
 * stores run on other pooled connections and do not see the transaction's uncommitted writes
 * (and with a pool of one connection they would wait for it forever).
 */
export function createPostgresAdapter(options: PostgresAdapterOptions): StorageAdapter {
  const { connectionString, schema, max = 10, prepare = true } = options;
  check((connectionString === undefined) !== (options.pool === undefined), 'give exactly one of `connectionString` and `pool`.');
  check(connectionString === undefined || (typeof connectionString === 'string' && connectionString.length > 0), '`connectionString` must be a non-empty string.');
  check(schema === undefined || SCHEMA_NAME.test(schema), '`schema` must be 1–63 lower-case letters, digits or _, not starting with a digit.');
  check(Number.isInteger(max) && max >= 1, '`max` must be a positive integer.');
  check(typeof prepare === 'boolean', '`prepare` must be a boolean.');
  check(
    schema === undefined || connectionString === undefined || !/[?&]options=/.test(connectionString),
    '`schema` sets the connection `options`; do not also put `options=` in `connectionString`.',
  );

  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    new Pool({
      connectionString,
      max,
      application_name: 'account-router',
      // search_path as a startup parameter: set before the connection runs anything.
      options: schema ? `-c search_path=${schema}` : undefined,
    });
  let setSearchPath: ((client: PoolClient) => void) | undefined;
  if (ownsPool) {
    // An idle connection that dies (server restart, network) is dropped from the pool by pg; the
    // listener only keeps that 'error' event from being unhandled, which would end the process.
    pool.on('error', () => undefined);
  } else if (schema) {
    check(pool.totalCount === 0, 'with `schema`, pass a `pool` that has not connected yet (its search_path is set as each connection opens).');
    // Queued before any query the connection's first user sends.
    setSearchPath = (client) => void client.query(`SET search_path TO ${schema}`).catch(() => undefined);
    pool.on('connect', setSearchPath);
  }

  let migrated: Promise<void> | undefined;
  let closed: Promise<void> | undefined;

  return {
    name: 'postgres',
    ...createStores(poolDb(pool, prepare)),

    migrate() {
      migrated ??= (async () => {
        const client = await pool.connect();
        let failure: Error | undefined;
        try {
          await runMigrations(client, schema);
        } catch (error) {
          failure = error as Error;
          throw error;
        } finally {
          // A failed migration's connection is discarded, which also drops any lock it still holds.
          client.release(failure);
        }
      })();
      migrated.catch(() => (migrated = undefined));
      return migrated;
    },

    transaction(fn) {
      return inTransaction(pool, (client) => fn(createStores(transactionDb(client, prepare))));
    },

    close() {
      closed ??= (async () => {
        if (setSearchPath) pool.off('connect', setSearchPath);
        if (ownsPool) await pool.end();
      })();
      return closed;
    },
  };
}
