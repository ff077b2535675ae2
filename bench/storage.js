// The router's storage for the bench, from a JSON-able spec shared by the seeder and the server
// process: `{ filename }` → SQLite (the default), `{ postgres: { connectionString, schema } }` →
// PostgreSQL in its own schema, so a bench run never touches the database's other tables.
'use strict';
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');

function createBenchStorage(spec) {
  if (spec.postgres) {
    const { createPostgresAdapter } = require(path.join(dist, 'adapters', 'postgres'));
    return createPostgresAdapter({ connectionString: spec.postgres.connectionString, schema: spec.postgres.schema });
  }
  const { createSqliteAdapter } = require(path.join(dist, 'adapters', 'sqlite'));
  return createSqliteAdapter({ filename: spec.filename });
}

/** Drops a bench schema (and everything in it) with one short-lived pg client. */
async function dropPostgresSchema({ connectionString, schema }) {
  const { Client } = require('pg');
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Size of a bench schema's tables and indexes, in MiB. */
async function postgresSchemaMiB({ connectionString, schema }) {
  const { Client } = require('pg');
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    return Number(rows[0].bytes) / 1048576;
  } finally {
    await client.end();
  }
}

module.exports = { createBenchStorage, dropPostgresSchema, postgresSchemaMiB };
