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

/** Runs `fn` on one short-lived pg client. */
async function withPostgresClient(connectionString, fn) {
  const { Client } = require('pg');
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops a bench schema and everything in it. */
function dropPostgresSchema({ connectionString, schema }) {
  return withPostgresClient(connectionString, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** Size of a bench schema's tables and indexes, in MiB. */
async function postgresSchemaMiB({ connectionString, schema }) {
  const { rows } = await withPostgresClient(connectionString, (client) =>
    client.query(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    ),
  );
  return Number(rows[0].bytes) / 1048576;
}

/** The server's version, e.g. `15.18 (Debian 15.18-0+deb12u1)`. */
async function postgresVersion(connectionString) {
  const { rows } = await withPostgresClient(connectionString, (client) => client.query('SHOW server_version'));
  return rows[0].server_version;
}

module.exports = { createBenchStorage, dropPostgresSchema, postgresSchemaMiB, postgresVersion };
