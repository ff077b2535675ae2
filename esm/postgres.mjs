// ES-module entry of the PostgreSQL adapter (see esm/index.mjs).
export * from '../dist/adapters/postgres/index.js';
