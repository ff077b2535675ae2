export * from '../dist/adapters/postgres/index.js';
