// Browsers on other origins (lib/core/origins.ts), over HTTP: preflights for every route and alias,
// CORS on every answer (errors included), the Origin check against login CSRF, and hosts that do
// CORS with their own middleware. The real browser runs in test/e2e/cross-origin.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import express from 'express';
import request from 'supertest';
import { createSqliteAdapter } from '../../adapters/sqlite';
import type { StorageAdapter } from '../../adapters/types';
import { createAccountRouter, type AccountRouter, type AccountRouterOptions } from '../../lib';
import { cookieOf, PASSWORD, signUp, testRouter } from '../helpers/test-instance';

const WEB = 'http://localhost:5173';
const EVIL = 'https://evil.example';
const APP_ID = 'com.example.app';

let router: AccountRouter;
let storage: StorageAdapter;
let app: express.Express;
function setUp(options: AccountRouterOptions = {}) {
  storage = createSqliteAdapter({ filename: ':memory:' });
  router = testRouter({ storage, platforms: [APP_ID], ...options });
  app = express().use('/v1', router);
}
afterEach(() => router.close());

function expectCors(res: request.Response, origin: string): void {
  expect(res.headers['access-control-allow-origin']).toBe(origin);
  expect(res.headers['access-control-allow-credentials']).toBe('true');
  expect(res.headers.vary).toMatch(/\bOrigin\b/);
}

function expectNoCors(res: request.Response): void {
  expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
}

describe('preflights', () => {
  beforeEach(() => setUp());

  // The authorization server's public endpoints answer `*` without credentials instead (test/routes/idp.test.ts).
  const paths = testRouter().routes.filter((route) => !(route.oauth && route.anyOrigin)).flatMap((route) =>
    [route.path, ...(route.aliases ?? [])].map((path) => [route.method.toUpperCase(), path.replace(/:[A-Za-z]+/g, 'x'), route.sdk] as const),
  );
  it.each(paths)('OPTIONS for %s %s (%s) answers 204 with the methods and SDK headers', async (method, path) => {
    const requested = 'content-type,x-appwrite-project,x-appwrite-response-format,x-sdk-name,x-sdk-platform,x-sdk-language,x-sdk-version,x-fallback-cookies,x-appwrite-jwt';
    const res = await request(app).options(`/v1${path}`).set({ Origin: WEB, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': requested });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectCors(res, WEB);
    expect(res.headers['access-control-allow-methods']!.split(', ')).toContain(method);
    const allowed = res.headers['access-control-allow-headers']!.toLowerCase().split(', ');
    for (const name of requested.split(',')) expect(allowed).toContain(name);
    expect(res.headers['access-control-max-age']).toBe('86400');
  });

  it('answers preflights for unknown paths below the mount point too', async () => {
    for (const path of ['/v1/account/nowhere', '/v1/storage/buckets', '/v1']) {
      const res = await request(app).options(path).set({ Origin: WEB, 'Access-Control-Request-Method': 'POST' });
      expect(res.status).toBe(204);
      expectCors(res, WEB);
    }
  });

  it('gives a disallowed origin a 204 without Access-Control-Allow-Origin, so the browser stops there', async () => {
    for (const origin of [EVIL, 'http://localhost.evil.example', 'null', 'appwrite-ios://com.other.app']) {
      const res = await request(app).options('/v1/account/sessions/email').set({ Origin: origin, 'Access-Control-Request-Method': 'POST' });
      expect(res.status).toBe(204);
      expectNoCors(res);
      expect(res.headers.vary).toBe('Origin');
    }
  });

  it('mounted at the root, answers preflights for /account paths and leaves the rest to the host', async () => {
    const root = express().use(router).use((_req, res) => void res.status(418).send('host'));
    const ours = await request(root).options('/account/sessions/email').set({ Origin: WEB, 'Access-Control-Request-Method': 'POST' });
    expect(ours.status).toBe(204);
    expectCors(ours, WEB);
    const theirs = await request(root).options('/api/orders').set({ Origin: WEB, 'Access-Control-Request-Method': 'POST' });
    expect(theirs.status).toBe(418);
    expectNoCors(theirs);
  });
});

describe('CORS on every answer', () => {
  beforeEach(() => setUp());

  it('createEmailPasswordSession echoes an allowed origin and exposes X-Fallback-Cookies', async () => {
    await request(app).post('/v1/account').send({ userId: 'unique()', email: 'ada@example.com', password: PASSWORD });
    const res = await request(app).post('/v1/account/sessions/email').set('Origin', WEB).send({ email: 'ada@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
    expectCors(res, WEB);
    expect(res.headers['access-control-expose-headers']).toBe('X-Appwrite-Session, X-Fallback-Cookies');
    expect(res.headers['x-fallback-cookies']).toBeDefined();
  });

  it.each([
    ['GET', '/v1/account', 401, 'general_unauthorized_scope'],
    ['GET', '/v1/account/nowhere', 404, 'general_route_not_found'],
    ['GET', '/v1/account?project=other', 404, 'project_not_found'],
    ['POST', '/v1/account/sessions/email', 400, 'general_argument_invalid'],
  ])('errors carry CORS too, so the page can read them: %s %s → %i', async (method, path, status, type) => {
    const res = await request(app)[method === 'GET' ? 'get' : 'post'](path).set('Origin', WEB);
    expect([res.status, res.body.type]).toEqual([status, type]);
    expectCors(res, WEB);
  });

  it('a 429 carries CORS', async () => {
    await router.close();
    setUp({ rateLimits: true });
    let res: request.Response | undefined;
    for (let i = 0; i <= 10; i++) res = await request(app).post('/v1/account').set('Origin', WEB).send({ email: `rl${i}@example.com` });
    expect(res!.status).toBe(429);
    expectCors(res!, WEB);
  });

  it('echoes a listed native app origin; sends only Vary to callers without an allowed origin', async () => {
    const native = await request(app).get('/v1/account').set('Origin', `appwrite-android://${APP_ID}`);
    expectCors(native, `appwrite-android://${APP_ID}`);
    for (const headers of [{}, { Origin: EVIL }, { Origin: 'null' }]) {
      const res = await request(app).get('/v1/account').set(headers);
      expectNoCors(res);
      expect(res.headers.vary).toBe('Origin');
    }
  });

  it('never answers with `*`: a bare `*` in allowedHosts admits redirects, not origins', async () => {
    await router.close();
    setUp({ allowedHosts: ['*'] });
    const res = await request(app).get('/v1/account').set('Origin', EVIL);
    expectNoCors(res);
    const post = await request(app).post('/v1/account').set('Origin', EVIL).send({ userId: 'unique()', email: 'ada@example.com', password: PASSWORD });
    expect(post.status).toBe(403);
  });

  it('cors: false sends no Access-Control-* header and answers OPTIONS as an unknown route', async () => {
    await router.close();
    setUp({ cors: false });
    const res = await request(app).get('/v1/account').set('Origin', WEB);
    expectNoCors(res);
    const preflight = await request(app).options('/v1/account').set({ Origin: WEB, 'Access-Control-Request-Method': 'POST' });
    expect([preflight.status, preflight.body.type]).toEqual([404, 'general_route_not_found']);
  });
});

/** One request on a real port, with the raw header list (supertest folds repeated headers). */
async function rawRequest(host: express.Express, method: string, path: string, headers: Record<string, string>, body?: string) {
  const server = http.createServer(host);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<{ status: number; headers: string[] }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, method, path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.rawHeaders }));
      });
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    server.close();
  }
}

function headerValues(raw: string[], name: string): string[] {
  return raw.flatMap((value, i) => (i % 2 === 1 && raw[i - 1]!.toLowerCase() === name ? [value] : []));
}

describe('hosts that do CORS themselves (the cors package)', () => {
  const hostCors = cors({ origin: [WEB], credentials: true, exposedHeaders: ['X-Fallback-Cookies'] });

  it.each([true, false])('no header is doubled (router cors: %s)', async (routerCors) => {
    setUp({ cors: routerCors });
    const host = express().use(hostCors).use('/v1', router);
    const preflight = await rawRequest(host, 'OPTIONS', '/v1/account/sessions/email', { Origin: WEB, 'Access-Control-Request-Method': 'POST' });
    expect(preflight.status).toBe(204);
    expect(headerValues(preflight.headers, 'access-control-allow-origin')).toEqual([WEB]);
    const body = JSON.stringify({ userId: 'unique()', email: 'ada@example.com', password: PASSWORD });
    const signUp = await rawRequest(host, 'POST', '/v1/account', { Origin: WEB, 'Content-Type': 'application/json' }, body);
    expect(signUp.status).toBe(201);
    for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'vary']) {
      expect(headerValues(signUp.headers, name)).toHaveLength(1);
    }
    expect(headerValues(signUp.headers, 'vary')).toEqual(['Origin']);
  });

  it('the Origin check stays on with cors: false', async () => {
    setUp({ cors: false });
    const host = express().use(cors({ origin: true, credentials: true })).use('/v1', router);
    const res = await request(host).post('/v1/account').set('Origin', EVIL).send({ userId: 'unique()', email: 'ada@example.com', password: PASSWORD });
    expect([res.status, res.body.type]).toEqual([403, 'general_unknown_origin']);
  });
});

describe('the Origin check (login CSRF)', () => {
  beforeEach(() => setUp());

  function formSignIn(headers: Record<string, string>, email = 'attacker@example.com') {
    return request(app).post('/v1/account/sessions/email').set(headers).type('form').send(`email=${encodeURIComponent(email)}&password=${PASSWORD}`);
  }

  function jsonSignIn(headers: Record<string, string>, email = 'attacker@example.com') {
    return request(app).post('/v1/account/sessions/email').set(headers).send({ email, password: PASSWORD });
  }

  it.each([
    ['a form POST', formSignIn],
    ['a JSON POST', jsonSignIn],
  ])('createEmailPasswordSession refuses %s from an unlisted origin with 403 and signs nobody in', async (_kind, signIn) => {
    const { $id: userId } = await signUp(app, 'attacker@example.com');
    const logs = () => storage.logs.listByUser(userId, { limit: 25, offset: 0 });
    const logsBefore = await logs();
    const res = await signIn({ Origin: EVIL });
    expect(res.body).toEqual({
      message: "Invalid Origin. Register your new client (evil.example) as a new Web platform: add it to the router's allowedHosts.",
      code: 403,
      type: 'general_unknown_origin',
      version: '1.9.6',
    });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['x-fallback-cookies']).toBeUndefined();
    expect(await storage.sessions.listByUser(userId)).toEqual([]);
    expect(await logs()).toEqual(logsBefore);
  });

  it.each([
    ['a listed web origin', { Origin: WEB }],
    ['a listed native app', { Origin: `appwrite-ios://${APP_ID}` }],
    ['the same native app on Android', { Origin: `appwrite-android://${APP_ID}` }],
    ['no Origin at all', {}],
    ['a listed Referer without Origin', { Referer: `${WEB}/sign-in` }],
  ])('createEmailPasswordSession signs in from %s, form or JSON', async (_kind, headers) => {
    await signUp(app, 'attacker@example.com');
    expect((await formSignIn(headers)).status).toBe(201);
    expect((await jsonSignIn(headers)).status).toBe(201);
  });

  it('create refuses a sign-up from an unlisted origin and creates no user', async () => {
    const res = await request(app).post('/v1/account').set('Origin', EVIL).type('form').send(`userId=unique()&email=victim%40example.com&password=${PASSWORD}`);
    expect([res.status, res.body.type]).toEqual([403, 'general_unknown_origin']);
    expect(await storage.users.count()).toBe(0);
  });

  it('deleteSession refuses a foreign page acting with the cookie; reads from it pass but stay unreadable', async () => {
    await signUp(app, 'ada@example.com');
    const cookie = cookieOf(await jsonSignIn({}, 'ada@example.com'));
    const signOut = await request(app).delete('/v1/account/sessions/current').set({ Origin: EVIL, Cookie: cookie });
    expect([signOut.status, signOut.body.type]).toEqual([403, 'general_unknown_origin']);
    const read = await request(app).get('/v1/account').set({ Origin: EVIL, Cookie: cookie });
    expect(read.status).toBe(200);
    expectNoCors(read);
  });

  it.each([
    [{ Referer: 'https://evil.example/page' }, "Invalid Origin. Register your new client (evil.example) as a new Web platform: add it to the router's allowedHosts."],
    [{ Origin: 'null' }, 'The request originated from an unknown origin. If you trust this domain, add it to allowedHosts (web) or platforms (native apps).'],
    [{ Origin: 'appwrite-ios://com.other.app' }, "Invalid Origin. Register your new client (com.other.app) as a new iOS platform: add it to the router's platforms."],
    [{ Origin: 'chrome-extension://abcdef' }, "Invalid Origin. Register your new client (chrome-extension://abcdef) as a platform: add this origin to the router's platforms."],
    [{ Origin: 'http://localhost.evil.example:5173' }, "Invalid Origin. Register your new client (localhost.evil.example) as a new Web platform: add it to the router's allowedHosts."],
  ])('refuses %j with a message naming the client', async (headers, message) => {
    const res = await request(app).post('/v1/account').set(headers).send({ userId: 'unique()', email: 'ada@example.com', password: PASSWORD });
    expect([res.status, res.body.type, res.body.message]).toEqual([403, 'general_unknown_origin', message]);
  });

  it('admits exact origins listed in platforms', async () => {
    await router.close();
    setUp({ platforms: ['chrome-extension://abcdef', 'appwrite-ios://com.ios.only'] });
    const post = (origin: string, email: string) => request(app).post('/v1/account').set('Origin', origin).send({ userId: 'unique()', email, password: PASSWORD });
    expect((await post('chrome-extension://abcdef', 'a@example.com')).status).toBe(201);
    expect((await post('appwrite-ios://com.ios.only', 'b@example.com')).status).toBe(201);
    expect((await post('appwrite-android://com.ios.only', 'c@example.com')).status).toBe(403);
  });

  it('refuses before reading the body or counting the rate limit', async () => {
    await router.close();
    setUp({ rateLimits: true, bodyLimitBytes: 1024 });
    const oversized = await request(app).post('/v1/account').set('Origin', EVIL).send({ name: 'x'.repeat(4096) });
    expect([oversized.status, oversized.body.type]).toEqual([403, 'general_unknown_origin']);
    for (let i = 0; i < 12; i++) {
      const refused = await request(app).post('/v1/account').set('Origin', EVIL).send({ userId: 'unique()', email: `x${i}@example.com`, password: PASSWORD });
      expect(refused.status).toBe(403);
      expect(refused.headers['x-ratelimit-remaining']).toBeUndefined();
    }
    const allowed = await request(app).post('/v1/account').set('Origin', WEB).send({ userId: 'unique()', email: 'ada@example.com', password: PASSWORD });
    expect([allowed.status, allowed.headers['x-ratelimit-remaining']]).toEqual([201, '9']);
  });

  it('oauth2CallbackPost takes Apple form posts from the provider page', async () => {
    const res = await request(app).post('/v1/account/sessions/oauth2/callback/apple/default').set('Origin', 'https://appleid.apple.com').type('form').send('code=abc&state=xyz');
    expect(res.status).toBe(301);
    expect(res.headers.location).toMatch(/\/v1\/account\/sessions\/oauth2\/apple\/redirect\?code=abc&state=xyz&project=default$/);
  });

  it('originCheck: false lets any origin through', async () => {
    await router.close();
    setUp({ originCheck: false });
    await signUp(app, 'attacker@example.com');
    expect((await formSignIn({ Origin: EVIL })).status).toBe(201);
  });
});

describe('options', () => {
  it.each([
    [{ platforms: 'com.example.app' }, 'platforms'],
    [{ platforms: ['https://app.example.com'] }, 'platforms[]'],
    [{ platforms: ['bad id!'] }, 'platforms[]'],
    [{ platforms: ['appwrite-ios://com.example.app/path'] }, 'platforms[]'],
    [{ platforms: [''] }, 'platforms[]'],
    [{ platforms: [42] }, 'platforms[]'],
    [{ cors: 'yes' }, 'cors'],
    [{ originCheck: 0 }, 'originCheck'],
  ])('%j throws a TypeError naming %s', (options, name) => {
    expect(() => createAccountRouter(options as AccountRouterOptions)).toThrow(new RegExp(`option \`${name.replace(/[[\]]/g, '\\$&')}\``));
    expect(() => createAccountRouter(options as AccountRouterOptions)).toThrow(TypeError);
  });
});
