// ES-module entry of the SQLite adapter (see esm/index.mjs).
export * from '../dist/adapters/sqlite/index.js';
