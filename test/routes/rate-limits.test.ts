// Appwrite's per-route rate limits: counters, headers, keys, reset on success, shared storage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { expectError, PASSWORD, signIn, signUp, testRouter } from '../helpers/test-instance';
import { createSqliteAdapter } from '../../adapters/sqlite';
import type { AccountRouter } from '../../lib';

const routers: AccountRouter[] = [];
/** The tests play a proxy on loopback, so X-Forwarded-For names the client. */
function limitedApp(options: Parameters<typeof testRouter>[0] = {}): express.Express {
  const router = testRouter({ rateLimits: true, trustProxy: 'loopback', ...options });
  routers.push(router);
  return express().use('/v1', router);
}
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
});

const account = (app: express.Express, i: number, ip = '203.0.113.7') =>
  request(app).post('/v1/account').set('X-Forwarded-For', ip).send({ userId: 'unique()', email: `u${i}@example.com`, password: PASSWORD });

describe('create (POST /account): 10 per hour per IP', () => {
  it('answers the 11th sign-up from one IP with 429 and the X-RateLimit headers', async () => {
    const app = limitedApp();
    const first = await account(app, 0);
    expect(first.headers['x-ratelimit-limit']).toBe('10');
    expect(first.headers['x-ratelimit-remaining']).toBe('9');
    const reset = Number(first.headers['x-ratelimit-reset']);
    expect(reset % 3600).toBe(0);
    expect(reset * 1000).toBeGreaterThan(Date.now());
    for (let i = 1; i < 10; i++) expect((await account(app, i)).status).toBe(201);
    const refused = await account(app, 10);
    expectError(refused, 429, 'general_rate_limit_exceeded');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-ratelimit-limit']).toBe('10');
    expect((await account(app, 11, '198.51.100.1')).status).toBe(201);
  });

  it('counts invalid requests too, and answers guests on user routes without limit headers', async () => {
    const app = limitedApp();
    const bad = await request(app).post('/v1/account').send({ email: 'nope' });
    expectError(bad, 400, 'general_argument_invalid');
    expect(bad.headers['x-ratelimit-remaining']).toBe('9');
    expect((await request(app).get('/v1/account')).headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('shares counters between two routers on one SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'account-router-rl-'));
    try {
      const file = join(dir, 'shared.sqlite');
      const a = limitedApp({ storage: createSqliteAdapter({ filename: file }) });
      const b = limitedApp({ storage: createSqliteAdapter({ filename: file }), secret: undefined });
      for (let i = 0; i < 5; i++) expect((await account(a, i)).status).toBe(201);
      for (let i = 5; i < 10; i++) expect((await account(b, i)).status).toBe(201);
      expectError(await account(a, 10), 429, 'general_rate_limit_exceeded');
      expectError(await account(b, 11), 429, 'general_rate_limit_exceeded');
    } finally {
      await Promise.all(routers.splice(0).map((r) => r.close()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is off with rateLimits: false', async () => {
    const app = limitedApp({ rateLimits: false });
    for (let i = 0; i < 12; i++) {
      const res = await account(app, i);
      expect(res.status).toBe(201);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('accepts a custom store factory', async () => {
    const prefixes: string[] = [];
    const counts = new Map<string, number>();
    const app = limitedApp({
      rateLimits: {
        store: (prefix) => {
          prefixes.push(prefix);
          return {
            increment: (key) => {
              counts.set(prefix + key, (counts.get(prefix + key) ?? 0) + 1);
              return { totalHits: counts.get(prefix + key)!, resetTime: new Date(Date.now() + 1000) };
            },
            decrement: () => undefined,
            resetKey: (key) => void counts.delete(prefix + key),
          };
        },
      },
    });
    await account(app, 0);
    expect(prefixes).toContain('rl:post:/account:url+ip:');
    expect([...counts.values()]).toEqual([1]);
  });
});

describe('createEmailPasswordSession: 10 per hour per email, reset by success', () => {
  it('allows 20 good sign-ins, then 10 wrong passwords, then refuses even the right one', async () => {
    const app = limitedApp({ session: { maxPerUser: 0 } });
    await signUp(app);
    for (let i = 0; i < 20; i++) await signIn(app);
    const attempt = (password: string) => request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password });
    for (let i = 0; i < 10; i++) expectError(await attempt('wrong password'), 401, 'user_invalid_credentials');
    expectError(await attempt('wrong password'), 429, 'general_rate_limit_exceeded');
    expectError(await attempt(PASSWORD), 429, 'general_rate_limit_exceeded');
    expect((await request(app).post('/v1/account/sessions/email').send({ email: 'other@example.com', password: PASSWORD })).status).toBe(401);
  });

  it('counts the alias POST /account/sessions in the same bucket', async () => {
    const app = limitedApp();
    const wrong = { email: 'ada@example.com', password: 'wrong password' };
    for (let i = 0; i < 5; i++) await request(app).post('/v1/account/sessions/email').send(wrong);
    const res = await request(app).post('/v1/account/sessions').send(wrong);
    expect(res.headers['x-ratelimit-remaining']).toBe('4');
  });
});

describe('createJWT: 120 per minute per user', () => {
  it('reports 119 remaining after the first JWT', async () => {
    const app = limitedApp();
    await signUp(app);
    const cookie = await signIn(app);
    const res = await request(app).post('/v1/account/jwt').set('Cookie', cookie);
    expect(res.status).toBe(201);
    expect([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']]).toEqual(['120', '119']);
  });
});
