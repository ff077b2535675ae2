// A real PostgreSQL server for the tests that need one, named by ACCOUNT_TEST_DATABASE_URL
// (`bash scripts/ci-services.sh` starts one and prints the variable). Without it jest reports those
// suites as skipped, so `npm test` still passes on a bare machine.

import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createPostgresAdapter } from '../../adapters/postgres';
import type { StorageAdapter } from '../../adapters/types';
import { describeIf } from './describe-if';

/** The server the PostgreSQL tests use, or undefined when they are to be skipped. */
export const databaseUrl: string | undefined = process.env.ACCOUNT_TEST_DATABASE_URL || undefined;

/** `describe` for suites that need PostgreSQL. */
export const describePostgres = describeIf(
  databaseUrl !== undefined,
  'set ACCOUNT_TEST_DATABASE_URL to run it (eval "$(bash scripts/ci-services.sh)" starts a server and sets it)',
);

/** A fresh, unused schema name; the adapter creates the schema when it migrates. */
export function newSchemaName(): string {
  return `test_${randomBytes(6).toString('hex')}`;
}

let admin: Pool | undefined;

/** A small pool for set-up statements (dropping schemas, inspecting tables); ended by `closeAdmin`. */
export function adminPool(): Pool {
  if (!databaseUrl) throw new Error('ACCOUNT_TEST_DATABASE_URL is not set');
  admin ??= new Pool({ connectionString: databaseUrl, max: 2, allowExitOnIdle: true });
  return admin;
}

export async function closeAdmin(): Promise<void> {
  const pool = admin;
  admin = undefined;
  await pool?.end();
}

export async function dropSchema(schema: string): Promise<void> {
  await adminPool().query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

const schemas = new WeakMap<StorageAdapter, string>();

/** A PostgreSQL adapter on a schema of its own; `destroyTestAdapter` closes it and drops the schema. */
export async function createTestAdapter(options: { max?: number } = {}): Promise<StorageAdapter> {
  const schema = newSchemaName();
  const adapter = createPostgresAdapter({ connectionString: databaseUrl!, schema, max: options.max ?? 5 });
  schemas.set(adapter, schema);
  return adapter;
}

export async function destroyTestAdapter(adapter: StorageAdapter): Promise<void> {
  await adapter.close();
  const schema = schemas.get(adapter);
  if (schema) await dropSchema(schema);
}

/** `postgres://…/<database>` for another database on the same server. */
export function urlForDatabase(database: string): string {
  const url = new URL(databaseUrl!);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates a fresh database (for tests that run whole app instances on its default schema). */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `account_test_${randomBytes(6).toString('hex')}`;
  await adminPool().query(`CREATE DATABASE ${name}`);
  return {
    name,
    url: urlForDatabase(name),
    drop: async () => {
      await adminPool().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
