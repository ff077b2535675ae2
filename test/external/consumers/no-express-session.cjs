// A CommonJS consumer whose project has no express-session: importing and mounting the router
// works, and only sessionStore() fails, saying which package to install.
const express = require('express');
const { createAccountRouter } = require('account-router');
const { createSqliteAdapter } = require('account-router/adapters/sqlite');

const accounts = createAccountRouter({ storage: createSqliteAdapter({ filename: ':memory:' }) });
express().use('/v1', accounts);
let message = null;
try {
  accounts.sessionStore();
} catch (error) {
  message = error.message;
}
accounts.close().then(() => console.log(JSON.stringify({ message })));
