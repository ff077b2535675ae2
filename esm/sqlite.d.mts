export * from '../dist/adapters/sqlite/index.js';
