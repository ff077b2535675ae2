// An ES-module consumer of the packed package.
import express from 'express';
import { createAccountRouter, AccountError } from 'account-router';
import { createSqliteAdapter } from 'account-router/adapters/sqlite';
import smoke from './smoke.cjs';

const router = createAccountRouter({ storage: createSqliteAdapter({ filename: ':memory:' }), password: { bcryptCost: 4 } });
const result = await smoke.smokeTest(express().use('/v1', router), router, new AccountError('user_blocked').code);
console.log(JSON.stringify({ format: 'esm', ...result }));
