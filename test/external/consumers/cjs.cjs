// A CommonJS consumer of the packed package.
const express = require('express');
const { createAccountRouter, AccountError } = require('account-router');
const { createSqliteAdapter } = require('account-router/adapters/sqlite');
const { smokeTest } = require('./smoke.cjs');

const router = createAccountRouter({ storage: createSqliteAdapter({ filename: ':memory:' }), password: { bcryptCost: 4 } });
smokeTest(express().use('/v1', router), router, new AccountError('user_blocked').code).then(
  (result) => console.log(JSON.stringify({ format: 'cjs', ...result })),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
