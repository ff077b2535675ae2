// Whether a sign-in answers with X-Fallback-Cookies depends on whether the caller's Origin is
// another site than the API's host. Sites are drawn by the Public Suffix List (private suffixes
// such as github.io included), not by the last two labels.
import express from 'express';
import request from 'supertest';
import type { AccountRouter } from '../../lib';
import { PASSWORD, signUp, testRouter } from '../helpers/test-instance';

let router: AccountRouter;
let app: express.Express;
beforeEach(async () => {
  // Only the same-site decision is under test here; the Origin check has its own suite (routes/origins).
  router = testRouter({ originCheck: false });
  app = express().use('/v1', router);
  await signUp(app);
});
afterEach(() => router.close());

async function sendsFallbackHeader(host: string, origin: string): Promise<boolean> {
  const res = await request(app).post('/v1/account/sessions/email').set('Host', host).set('Origin', origin).send({ email: 'ada@example.com', password: PASSWORD });
  expect(res.status).toBe(201);
  return res.headers['x-fallback-cookies'] !== undefined;
}

it.each([
  ['api.example.co.uk', 'https://app.example.co.uk'],
  ['API.Example.co.uk', 'https://example.co.uk'],
  ['api.alice.github.io', 'https://alice.github.io'],
  ['api.example.com:8443', 'https://www.example.com'],
  ['localhost:3000', 'http://localhost:5173'],
  ['127.0.0.1:3000', 'http://127.0.0.1:5173'],
  ['[::1]:3000', 'http://[::1]:5173'],
  ['[2001:db8::1]', 'https://[2001:DB8::1]:8443'],
])('treats %s and %s as one site: no fallback header', async (host, origin) => {
  expect(await sendsFallbackHeader(host, origin)).toBe(false);
});

it.each([
  ['a.example.co.uk', 'https://b.other.co.uk'],
  ['alice.github.io', 'https://bob.github.io'],
  ['api.example.com', 'https://example.org'],
  ['127.0.0.1:3000', 'http://127.0.0.2:3000'],
  ['127.0.0.1:3000', 'http://localhost:3000'],
  ['[::1]:3000', 'http://[::2]:3000'],
  ['api.localhost', 'http://app.localhost'],
])('treats %s and %s as two sites: fallback header', async (host, origin) => {
  expect(await sendsFallbackHeader(host, origin)).toBe(true);
});
