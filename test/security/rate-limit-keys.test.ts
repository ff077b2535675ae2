// Rate-limit keys cannot be multiplied by respelling a parameter or the Host header. Every route
// keyed by a parameter is driven from the route table: the spellings its rule accepts (padded,
// cased) share the value's bucket, the spellings it refuses share one bucket of their own, so the
// request after the budget is 429 whatever the spelling.
import express from 'express';
import request from 'supertest';
import { ROUTES } from '../../lib/routes';
import type { AnyRoute } from '../../lib/route';
import type { AccountRouter } from '../../lib';
import { expectError, PASSWORD, signIn, signUp, testRouter } from '../helpers/test-instance';

const routers: AccountRouter[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
});

/** A fresh router with its limits on, behind a "proxy" on loopback so tests can pick client addresses. */
function limitedApp(options: Parameters<typeof testRouter>[0] = {}): express.Express {
  const router = testRouter({ rateLimits: true, trustProxy: 'loopback', ...options });
  routers.push(router);
  return express().use('/v1', router);
}

interface Spellings {
  /** Spellings of one value that the parameter's rule accepts. */
  accepted: string[];
  /** The i-th spelling the rule refuses: each one different. */
  refused(i: number): string;
}

const EMAIL: Spellings = {
  accepted: ['ada@example.com', ' ada@example.com', 'ADA@Example.COM', 'ada@example.com  ', '\tAda@example.com\n'],
  refused: (i) => ['ada@@example.com', 'ada @example.com', 'not an email'][i % 3] + ' '.repeat(i),
};
const PHONE: Spellings = { accepted: ['+14155550100'], refused: (i) => ' '.repeat(i + 1) + '+14155550100' };
const USER_ID: Spellings = { accepted: ['someUser'], refused: (i) => ' '.repeat(i + 1) + 'someUser' };
const CHALLENGE_ID: Spellings = { accepted: ['someChallenge'], refused: (i) => 'c'.repeat(257 + i) };

/** Every route keyed by a parameter: the spellings of that parameter and the rest of a request. */
const CASES: Record<string, { param: string; spellings: Spellings; rest: Record<string, unknown>; signedIn?: boolean }> = {
  createEmailPasswordSession: { param: 'email', spellings: EMAIL, rest: { password: 'wrong password' } },
  createEmailToken: { param: 'email', spellings: EMAIL, rest: { userId: 'unique()' } },
  createMagicURLToken: { param: 'email', spellings: EMAIL, rest: { userId: 'unique()', url: 'http://localhost/magic' } },
  createPhoneToken: { param: 'phone', spellings: PHONE, rest: { userId: 'unique()' } },
  createSession: { param: 'userId', spellings: USER_ID, rest: { secret: 'wrong' } },
  updateMagicURLSession: { param: 'userId', spellings: USER_ID, rest: { secret: 'wrong' } },
  updatePhoneSession: { param: 'userId', spellings: USER_ID, rest: { secret: 'wrong' } },
  createRecovery: { param: 'email', spellings: EMAIL, rest: { url: 'http://localhost/recover' } },
  updateRecovery: { param: 'userId', spellings: USER_ID, rest: { secret: 'wrong', password: 'a new password' } },
  updateEmailVerification: { param: 'userId', spellings: USER_ID, rest: { secret: 'wrong' } },
  createRecoveryOTP: { param: 'email', spellings: EMAIL, rest: {} },
  updateRecoveryOTP: { param: 'userId', spellings: USER_ID, rest: { secret: '123456', password: 'a new password' } },
  updateEmailVerificationOTP: { param: 'userId', spellings: USER_ID, rest: { secret: '123456' } },
  updatePhoneVerification: { param: 'userId', spellings: USER_ID, rest: { secret: 'wrong' } },
  updateMFAChallenge: { param: 'challengeId', spellings: CHALLENGE_ID, rest: { otp: '123456' }, signedIn: true },
};

const keyedRoutes = ROUTES.filter((route) => route.rateLimit?.keys.flat().some((part) => part.startsWith('param:')));

it('covers every route whose rate limit is keyed by a parameter', () => {
  expect(keyedRoutes.map((route) => route.sdk).sort()).toEqual(Object.keys(CASES).sort());
});

describe.each(keyedRoutes.map((route) => [route.sdk, route] as const))('%s', (_sdk, route: AnyRoute) => {
  const { param, spellings, rest, signedIn } = CASES[route.sdk]!;
  const { limit, keys } = route.rateLimit!;
  // With a separate per-IP key, each request comes from its own address so that only the
  // parameter's key can refuse; where the IP is part of the parameter's key, one address is used.
  const ownAddressEach = keys.some((parts) => parts.includes('ip') && !parts.some((part) => part.startsWith('param:')));

  async function attempts(app: express.Express, values: (i: number) => string, count: number, cookie?: string): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      let req = request(app)[route.method](`/v1${route.path}`).set('X-Forwarded-For', ownAddressEach ? `198.51.100.${i % 250}` : '198.51.100.1');
      if (cookie) req = req.set('Cookie', cookie);
      statuses.push((await req.send({ ...rest, [param]: values(i) })).status);
    }
    return statuses;
  }

  async function setUp(): Promise<{ app: express.Express; cookie?: string }> {
    const app = limitedApp();
    if (!signedIn) return { app };
    await signUp(app);
    return { app, cookie: await signIn(app) };
  }

  it(`spends one budget of ${limit} on every accepted spelling of one ${param}`, async () => {
    const { app, cookie } = await setUp();
    const spelling = (i: number) => spellings.accepted[i % spellings.accepted.length]!;
    const statuses = await attempts(app, spelling, limit + spellings.accepted.length, cookie);
    expect(statuses.slice(0, limit)).not.toContain(429);
    expect(statuses.slice(limit)).toEqual(spellings.accepted.map(() => 429));
  });

  it(`counts refused spellings of ${param} in one shared bucket, apart from valid values`, async () => {
    const { app, cookie } = await setUp();
    const statuses = await attempts(app, spellings.refused, limit + 2, cookie);
    expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(400));
    expect(statuses.slice(limit)).toEqual([429, 429]);
    const valid = await attempts(app, () => spellings.accepted[0]!, 1, cookie);
    expect(valid).not.toContain(429);
  });
});

describe('the key parts', () => {
  it('are built from the normalised value, and the route path without the Host header', async () => {
    const keys: string[] = [];
    const app = limitedApp({
      rateLimits: {
        store: (prefix) => ({
          increment: (key) => {
            keys.push(prefix + key);
            return { totalHits: 1, resetTime: new Date(Date.now() + 60_000) };
          },
          decrement: () => undefined,
          resetKey: () => undefined,
        }),
      },
    });
    await request(app).post('/v1/account/sessions/email').set('Host', 'evil.example').send({ email: '  ADA@Example.com ', password: PASSWORD });
    await request(app).post('/v1/account/sessions/email').send({ email: 'ada@@example.com  ', password: PASSWORD });
    expect(keys).toEqual([
      'rl:post:/account/sessions/email:url+param:email:url:/account/sessions/email,email:ada@example.com',
      'rl:post:/account/sessions/email:url+param:email:url:/account/sessions/email,email:{param-email}',
    ]);
  });

  it('do not change with the Host header: a made-up host is no fresh budget', async () => {
    const app = limitedApp();
    const attempt = (i: number) =>
      request(app).post('/v1/account/sessions/email').set('Host', `h${i}.example`).send({ email: 'ada@example.com', password: 'wrong password' });
    for (let i = 0; i < 10; i++) expectError(await attempt(i), 401, 'user_invalid_credentials');
    expectError(await attempt(10), 429, 'general_rate_limit_exceeded');
  });
});
