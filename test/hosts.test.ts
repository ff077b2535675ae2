// The router answers the same in every Connect-style host: Express 5, Express 4, Connect and a
// bare node:http server — it never relies on what only an Express app installs. Covered: sign-up,
// cookie sign-in, GET /account, error bodies, the OAuth2 redirect, a rate-limited route, CORS
// preflights and headers, and the Origin check.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import connect from 'connect';
import express5 from 'express';
import express4 from 'express4';
import { testRouter } from './helpers/test-instance';
import type { AccountRouter } from '../lib';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const HOSTS: Record<string, (router: AccountRouter) => Handler> = {
  'Express 5': (router) => express5().use('/v1', router) as unknown as Handler,
  'Express 4': (router) => express4().use('/v1', router as never) as unknown as Handler,
  Connect: (router) => connect().use('/v1', router as never) as unknown as Handler,
  'plain node:http': (router) => (req, res) => {
    if (!req.url?.startsWith('/v1/')) {
      res.statusCode = 404;
      return res.end('host 404');
    }
    // Like Express and Connect, keep the full URL in originalUrl: the router derives its mount path from it.
    (req as { originalUrl?: string }).originalUrl = req.url;
    req.url = req.url.slice(3);
    router(req as never, res as never, () => {
      res.statusCode = 404;
      res.end('host 404');
    });
  },
};

describe.each(Object.entries(HOSTS))('%s', (_name, host) => {
  let router: AccountRouter;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    router = testRouter({ rateLimits: true, oauth2: { github: { clientId: 'gh-client', clientSecret: 'gh-secret' } } });
    server = http.createServer(host(router));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await router.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('signs up, signs in with a cookie and reads the account', async () => {
    const signUp = await post('/account', { userId: 'unique()', email: 'host@example.com', password: 'password123' });
    expect(signUp.status).toBe(201);
    expect(signUp.headers.get('x-ratelimit-remaining')).toBe('9');
    const signIn = await post('/account/sessions/email', { email: 'host@example.com', password: 'password123' });
    expect(signIn.status).toBe(201);
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(cookie.startsWith('a_session_default=')).toBe(true);
    const me = await fetch(`${base}/account`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(((await me.json()) as { email: string }).email).toBe('host@example.com');
    const sessions = await fetch(`${base}/account/sessions?queries[]=x`, { headers: { cookie } });
    expect(((await sessions.json()) as { total: number }).total).toBe(1);
  });

  it('answers errors with the Appwrite body', async () => {
    const res = await fetch(`${base}/account`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      message: 'User (role: guests) missing scopes (["account"])',
      code: 401,
      type: 'general_unauthorized_scope',
      version: '1.9.6',
    });
    const missing = await fetch(`${base}/account/nowhere`);
    expect(((await missing.json()) as { type: string }).type).toBe('general_route_not_found');
    const malformed = await fetch(`${base}/account`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(((await malformed.json()) as { type: string }).type).toBe('general_bad_request');
  });

  it('redirects to the OAuth2 provider with a signed state', async () => {
    const success = encodeURIComponent('http://localhost/done');
    const res = await fetch(`${base}/account/sessions/oauth2/github?project=default&success=${success}&failure=${success}`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://github.com/login/oauth/authorize');
    expect(location.searchParams.get('client_id')).toBe('gh-client');
    expect(location.searchParams.get('redirect_uri')).toBe(`${base}/account/sessions/oauth2/callback/github/default`);
    expect(location.searchParams.get('state')).toBeTruthy();
    const refused = await fetch(`${base}/account/sessions/oauth2/github?project=default&success=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
    expect(refused.status).toBe(400);
  });

  it('answers preflights, puts CORS on errors and refuses a foreign Origin', async () => {
    const web = 'http://localhost:5173';
    const preflight = await fetch(`${base}/account/sessions/email`, {
      method: 'OPTIONS',
      headers: { origin: web, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-appwrite-project' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(web);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Appwrite-Project');
    const unknown = await fetch(`${base}/storage/files`, { method: 'OPTIONS', headers: { origin: web, 'access-control-request-method': 'GET' } });
    expect(unknown.status).toBe(204);
    const error = await fetch(`${base}/account`, { headers: { origin: web } });
    expect(error.status).toBe(401);
    expect(error.headers.get('access-control-allow-origin')).toBe(web);
    expect(error.headers.get('access-control-expose-headers')).toBe('X-Appwrite-Session, X-Fallback-Cookies');
    expect(error.headers.get('vary')).toBe('Origin');
    const refused = await post('/account/sessions/email', { email: 'host@example.com', password: 'password123' }, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await refused.json()) as { type: string }).type).toBe('general_unknown_origin');
  });

  it('rate-limits by the socket address: by default no host trusts a client-sent X-Forwarded-For', async () => {
    for (let i = 0; i < 10; i++) await post('/account', { email: `rl${i}@example.com` }, { 'x-forwarded-for': `192.0.2.${i}` });
    const refused = await post('/account', { email: 'rl@example.com' }, { 'x-forwarded-for': '192.0.2.200' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('10');
    expect(((await refused.json()) as { type: string }).type).toBe('general_rate_limit_exceeded');
  });
});

it('mounted at the root, runs what a host adds to the router itself for paths outside /account', async () => {
  const router = testRouter();
  router.get('/status', (_req, res) => res.json({ up: true }));
  const app = express5().use(router).use((_req: IncomingMessage, res: ServerResponse) => res.writeHead(404).end('host 404'));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    expect(await (await fetch(`${base}/status`)).json()).toEqual({ up: true });
    expect((await fetch(`${base}/account`)).status).toBe(401);
    const outside = await fetch(`${base}/elsewhere`);
    expect([outside.status, await outside.text()]).toEqual([404, 'host 404']);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await router.close();
  }
});
