// SQLite storage adapter on better-sqlite3: one synchronous connection per adapter, many processes
// per file (WAL). Statements run synchronously inside async methods; the only asynchrony is the
// lock that keeps other callers out while a transaction's async `fn` is between statements.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StorageAdapter, StorageStores } from '../types';
import { runMigrations } from './migrations';
import { createStores } from './stores';

/** Options of {@link createSqliteAdapter}. */
export interface SqliteAdapterOptions {
  /** Path of the database file (its directory is created when missing), or `:memory:`. */
  filename: string;
}

type Method = (...args: unknown[]) => Promise<unknown>;

const BUSY_TIMEOUT_MS = 5000;

/**
 * Switching a new file to WAL needs an exclusive lock, and when several connections switch it at
 * once SQLite answers SQLITE_BUSY straight away instead of calling the busy handler (its deadlock
 * rule for a lock upgrade), so the switch is retried here until the busy timeout.
 */
function enableWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(sleeper, 0, 0, 5 + Math.random() * 20);
    }
  }
}

/**
 * Opens (creating when needed) the SQLite database at `options.filename`, applies pending
 * migrations before returning, and prepares every statement the stores use.
 *
 * Inside {@link StorageAdapter.transaction} use only the `tx` stores passed to `fn`: the adapter's
 * own stores, and nested `transaction` calls, wait for the open transaction to end and so would
 * never run.
 */
export function createSqliteAdapter(options: SqliteAdapterOptions): StorageAdapter {
  const inMemory = options.filename === ':memory:';
  if (!inMemory) mkdirSync(path.dirname(path.resolve(options.filename)), { recursive: true });

  const db = new Database(options.filename);
  let stores: StorageStores;
  try {
    // busy_timeout first: the pragmas and migrations below may meet another process's lock.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!inMemory) enableWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    runMigrations(db);
    stores = createStores(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');

  /** Settles when the open transaction ends; null while none is open. */
  let pending: Promise<void> | null = null;

  async function afterPending(method: Method, args: unknown[]): Promise<unknown> {
    while (pending) await pending;
    return method(...args);
  }

  /** The store as outside callers see it: straight through unless a transaction is open. */
  function locked<S extends object>(store: S): S {
    const wrapped: Record<string, Method> = {};
    for (const [name, method] of Object.entries(store) as [string, Method][]) {
      wrapped[name] = (...args) => (pending ? afterPending(method, args) : method(...args));
    }
    return wrapped as S;
  }

  return {
    name: 'sqlite',
    users: locked(stores.users),
    sessions: locked(stores.sessions),
    tokens: locked(stores.tokens),
    identities: locked(stores.identities),
    logs: locked(stores.logs),
    targets: locked(stores.targets),
    authenticators: locked(stores.authenticators),
    challenges: locked(stores.challenges),
    recoveryCodes: locked(stores.recoveryCodes),
    passwordHistory: locked(stores.passwordHistory),
    counters: locked(stores.counters),
    settings: locked(stores.settings),
    hostSessions: locked(stores.hostSessions),
    apiKeys: locked(stores.apiKeys),

    /** Migrations already ran, synchronously, when the adapter was created. */
    async migrate() {},

    async transaction(fn) {
      // Re-checked after every wake-up: another waiter may have opened the next transaction first.
      while (pending) await pending;
      let release!: () => void;
      pending = new Promise((resolve) => (release = resolve));
      try {
        begin.run();
        try {
          const result = await fn(stores);
          commit.run();
          return result;
        } catch (error) {
          if (db.inTransaction) rollback.run();
          throw error;
        }
      } finally {
        pending = null;
        release();
      }
    },

    async close() {
      while (pending) await pending;
      db.close();
    },
  };
}
