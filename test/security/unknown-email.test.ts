// An unknown email and a wrong password cannot be told apart: the same error, and a full bcrypt
// check against a dummy hash when there is no account (asserted by call, never by timing).
import express from 'express';
import request from 'supertest';
import bcrypt from 'bcrypt';
import type { AccountRouter } from '../../lib';
import { PasswordHasher } from '../../lib/core/passwords';
import { expectError, PASSWORD, signUp, testRouter } from '../helpers/test-instance';

let router: AccountRouter;
let app: express.Express;
beforeEach(async () => {
  router = testRouter({ mailer: async () => undefined });
  app = express().use('/v1', router);
  await signUp(app);
  // An email-code token creates pat's account without a password.
  expect((await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'pat@example.com' })).status).toBe(201);
});
afterEach(async () => {
  jest.restoreAllMocks();
  await router.close();
});

const attempt = (email: string, password: string) => request(app).post('/v1/account/sessions/email').send({ email, password });

it.each([
  ['an unknown email', 'nobody@example.com', PASSWORD, 1],
  ['an account without a password', 'pat@example.com', PASSWORD, 1],
  ['a wrong password', 'ada@example.com', 'wrong password', 0],
])('answers %s with 401 user_invalid_credentials after one bcrypt check', async (_case, email, password, dummyChecks) => {
  const dummy = jest.spyOn(PasswordHasher.prototype, 'verifyDummy');
  const compare = jest.spyOn(bcrypt, 'compare');
  const res = await attempt(email, password);
  expectError(res, 401, 'user_invalid_credentials');
  expect(res.body.message).toBe('Invalid credentials. Please check the email and password.');
  expect(dummy).toHaveBeenCalledTimes(dummyChecks);
  expect(compare).toHaveBeenCalledTimes(1);
});
