// X-Appwrite-JWT tampering: only an unexpired HS256 token signed with the server secret, exactly as
// issued, authenticates; everything else is 401 user_jwt_invalid (lib/core/jwt.ts).
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { AccountRouter } from '../../lib';
import { expectError, signIn, signUp, testRouter } from '../helpers/test-instance';

const SECRET = 'the server secret of this test';
let router: AccountRouter;
let app: express.Express;
let token: string;
let claims: { userId: string; sessionId: string; exp: number };
beforeEach(async () => {
  router = testRouter({ secret: SECRET });
  app = express().use('/v1', router);
  await signUp(app);
  await signUp(app, 'eve@example.com');
  const res = await request(app).post('/v1/account/jwts').set('Cookie', await signIn(app));
  token = res.body.jwt;
  claims = jwt.decode(token) as typeof claims;
});
afterEach(() => router.close());

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const withJwt = (value: string) => request(app).get('/v1/account').set('X-Appwrite-JWT', value);

it('accepts the token as issued', async () => {
  const res = await withJwt(token);
  expect([res.status, res.body.email]).toEqual([200, 'ada@example.com']);
});

it.each<[string, () => string]>([
  ['alg none, no signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
  ['alg none, the original signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.${token.split('.')[2]}`],
  ['HS256 with another key', () => jwt.sign(claims, 'another secret entirely', { algorithm: 'HS256', noTimestamp: true })],
  ['HS512 with the server secret', () => jwt.sign(claims, SECRET, { algorithm: 'HS512', noTimestamp: true })],
  ['expired, signed with the server secret', () => jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 }, SECRET, { algorithm: 'HS256', noTimestamp: true })],
  ['without exp, signed with the server secret', () => jwt.sign({ userId: claims.userId, sessionId: claims.sessionId }, SECRET, { algorithm: 'HS256', noTimestamp: true })],
  ['payload edited, signature kept', () => {
    const [header, , signature] = token.split('.');
    return `${header}.${b64({ ...claims, exp: claims.exp + 3600 })}.${signature}`;
  }],
  ['signature truncated', () => token.slice(0, -2)],
])('refuses %s', async (_name, forge) => {
  expectError(await withJwt(forge()), 401, 'user_jwt_invalid');
});

it("refuses a payload edited to another user's id", async () => {
  const eve = await request(app).post('/v1/account/jwts').set('Cookie', await signIn(app, 'eve@example.com'));
  const eveClaims = jwt.decode(eve.body.jwt) as typeof claims;
  const [header, , signature] = token.split('.');
  expectError(await withJwt(`${header}.${b64({ ...claims, userId: eveClaims.userId })}.${signature}`), 401, 'user_jwt_invalid');
});
