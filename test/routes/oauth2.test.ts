// OAuth2 sign-in end to end against a real OpenID Connect provider (oauth2-mock-server) in this
// machine: the browser's redirect dance is followed hop by hop with a cookie jar.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageAdapter } from '../../adapters/types';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { startTestServer, type TestServer } from '../helpers/test-instance';
import { Browser, startOidcMock, type OidcMock } from '../helpers/oidc-mock';

const APP = 'http://localhost:5555';
const SUCCESS = `${APP}/ok?keep=1`;
const FAILURE = `${APP}/failed`;

let mock: OidcMock;
let server: TestServer;
let storage: StorageAdapter;

beforeAll(async () => {
  mock = await startOidcMock();
  storage = createSqliteAdapter({ filename: ':memory:' });
  server = await startTestServer({
    storage,
    oauth2: { oidc: { clientId: 'client-1', clientSecret: 'secret-1', issuer: mock.issuer } },
  });
});
afterAll(async () => {
  await server.close();
  await mock.stop();
});

let uid = 0;
/** A fresh provider identity per test. */
async function profile(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const n = `${Date.now().toString(36)}${uid++}`;
  const claims = { sub: `sub-${n}`, email: `oidc-${n}@example.com`, email_verified: true, name: `User ${n}`, ...extra };
  await mock.setProfile(claims);
  return claims;
}

function startUrl(query: Record<string, string | string[]> = {}, variant: 'sessions' | 'tokens' = 'sessions', provider = 'oidc'): string {
  const search = new URLSearchParams({ project: 'default' });
  for (const [k, v] of Object.entries({ success: SUCCESS, failure: FAILURE, ...query })) {
    if (Array.isArray(v)) v.forEach((item) => search.append(`${k}[]`, item));
    else search.set(k, v);
  }
  return `${server.endpoint}/account/${variant}/oauth2/${provider}?${search}`;
}

/** Runs the dance until the browser is sent back to the app; returns where it landed. */
async function dance(browser: Browser, query: Record<string, string | string[]> = {}, variant: 'sessions' | 'tokens' = 'sessions') {
  const result = await browser.follow(startUrl(query, variant), (url) => url.startsWith(APP));
  return { ...result, landed: new URL(result.final) };
}

async function me(browser: Browser) {
  const response = await browser.get(`${server.endpoint}/account`, { headers: { 'x-appwrite-project': 'default' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function errorOf(landed: URL): { message: string; type: string; code: number } {
  expect(landed.origin + landed.pathname).toBe(FAILURE);
  return JSON.parse(landed.searchParams.get('error')!) as { message: string; type: string; code: number };
}

describe('start: GET /account/sessions/oauth2/:provider', () => {
  test('301 to the authorization endpoint with client id, redirect URI, scopes, signed state and PKCE', async () => {
    const response = await new Browser().get(startUrl({ scopes: ['offline_access'] }));
    expect(response.status).toBe(301);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${mock.issuer}/authorize`);
    expect(location.searchParams.get('client_id')).toBe('client-1');
    expect(location.searchParams.get('redirect_uri')).toBe(`${server.endpoint}/account/sessions/oauth2/callback/oidc/default`);
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('scope')).toBe('openid profile email offline_access');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const state = location.searchParams.get('state')!;
    expect(state).toMatch(/^[\w-]+\.[\w-]+$/);
    // The PKCE verifier is not in the state.
    expect(Buffer.from(state.split('.')[0]!, 'base64url').toString()).not.toContain('verifier');
  });

  test('unknown provider → 400, provider not configured → 412, bad success/failure → 400 without a redirect', async () => {
    const browser = new Browser();
    let response = await browser.get(startUrl({}, 'sessions', 'nope'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { type: string }).type).toBe('general_argument_invalid');
    response = await browser.get(startUrl({}, 'sessions', 'github'));
    expect(response.status).toBe(412);
    expect(((await response.json()) as { type: string }).type).toBe('project_provider_disabled');
    response = await browser.get(startUrl({ success: 'https://evil.example.net/x' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(((await response.json()) as { type: string }).type).toBe('general_argument_invalid');
    response = await browser.get(startUrl({ failure: 'javascript:alert(1)' }));
    expect(response.status).toBe(400);
    response = await browser.get(startUrl({ project: 'other' }));
    expect(response.status).toBe(404);
  });
});

describe('the session dance', () => {
  test('a new user: callback → redirect route → cookie session → success URL', async () => {
    const claims = await profile();
    const browser = new Browser();
    const { hops, landed } = await dance(browser);
    expect(hops.map((h) => h.status)).toEqual([301, 302, 301, 301]);
    expect(new URL(hops[2]!.url).pathname).toBe('/v1/account/sessions/oauth2/callback/oidc/default');
    const redirectHop = new URL(hops[3]!.url);
    expect(redirectHop.pathname).toBe('/v1/account/sessions/oauth2/oidc/redirect');
    expect(redirectHop.searchParams.get('project')).toBe('default');
    expect(landed.toString()).toBe(SUCCESS);
    expect(browser.cookies.has('a_session_default')).toBe(true);

    const account = await me(browser);
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ email: claims.email, emailVerification: true, name: claims.name });
    const sessions = await browser.get(`${server.endpoint}/account/sessions/current`);
    const session = (await sessions.json()) as Record<string, unknown>;
    expect(session).toMatchObject({ provider: 'oidc', providerUid: claims.sub, factors: ['email', 'oauth2'] });
    expect(session.providerAccessToken).not.toBe('');
    expect(session.providerRefreshToken).not.toBe('');

    // The token request used the PKCE verifier and client_secret_post.
    const tokenRequest = await mock.lastTokenRequest();
    expect(tokenRequest).toMatchObject({ grant_type: 'authorization_code', client_id: 'client-1', client_secret: 'secret-1' });
    expect(tokenRequest!.code_verifier).toMatch(/^[\w-]{43}$/);

    // The identity keeps the provider tokens encrypted at rest and shows them decrypted.
    const page = await storage.identities.listByUser(account.body.$id as string, { limit: 10, offset: 0 });
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ provider: 'oidc', providerUid: claims.sub, providerEmail: claims.email });
    expect(page.items[0]!.providerAccessToken).toMatch(/^v1\./);
    expect(page.items[0]!.providerAccessToken).not.toBe(session.providerAccessToken);
    const listed = (await (await browser.get(`${server.endpoint}/account/identities`)).json()) as { total: number; identities: Record<string, unknown>[] };
    expect(listed.total).toBe(1);
    expect(listed.identities[0]!.providerAccessToken).toBe(session.providerAccessToken);
  });

  test('a returning user signs in to the same account', async () => {
    await profile();
    const first = new Browser();
    await dance(first);
    const id = (await me(first)).body.$id;
    const second = new Browser();
    const { landed } = await dance(second);
    expect(landed.toString()).toBe(SUCCESS);
    expect((await me(second)).body.$id).toBe(id);
    const page = await storage.identities.listByUser(id as string, { limit: 10, offset: 0 });
    expect(page.total).toBe(1);
  });

  test('a verified provider email signs in to the existing account with that email', async () => {
    const claims = await profile();
    const signUp = await fetch(`${server.endpoint}/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'unique()', email: claims.email, password: 'password123' }),
    });
    const existing = (await signUp.json()) as { $id: string };
    const browser = new Browser();
    const { landed } = await dance(browser);
    expect(landed.toString()).toBe(SUCCESS);
    const account = await me(browser);
    expect(account.body.$id).toBe(existing.$id);
    expect(account.body.emailVerification).toBe(true);
  });

  test('an unverified provider email is not linked to an existing account', async () => {
    const claims = await profile({ email_verified: false });
    await fetch(`${server.endpoint}/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'unique()', email: claims.email, password: 'password123' }),
    });
    const browser = new Browser();
    const { landed } = await dance(browser);
    expect(errorOf(landed)).toMatchObject({ type: 'general_bad_request', code: 400 });
    expect(browser.cookies.has('a_session_default')).toBe(false);
  });

  test('an unverified email of a new user creates the account unverified', async () => {
    const claims = await profile({ email_verified: false });
    const browser = new Browser();
    await dance(browser);
    expect((await me(browser)).body).toMatchObject({ email: claims.email, emailVerification: false });
  });

  test('a signed-in anonymous user links the provider and keeps its $id', async () => {
    const claims = await profile();
    const browser = new Browser();
    const anon = await browser.get(`${server.endpoint}/account/sessions/anonymous`, { method: 'POST', headers: { 'x-appwrite-project': 'default' } });
    expect(anon.status).toBe(201);
    const anonymous = (await anon.json()) as { $id: string; userId: string };
    const { landed } = await dance(browser);
    expect(landed.toString()).toBe(SUCCESS);
    const account = await me(browser);
    expect(account.body).toMatchObject({ $id: anonymous.userId, email: claims.email, emailVerification: true });
    // The anonymous session was replaced by the OAuth2 one.
    expect(await storage.sessions.get(anonymous.$id)).toBeNull();
    const sessions = (await (await browser.get(`${server.endpoint}/account/sessions`)).json()) as { total: number; sessions: { provider: string }[] };
    expect(sessions.sessions.map((s) => s.provider)).toEqual(['oidc']);
  });

  test('linking an identity that belongs to another account → user_already_exists', async () => {
    await profile();
    await dance(new Browser()); // someone signs up with this identity
    const browser = new Browser();
    await browser.get(`${server.endpoint}/account/sessions/anonymous`, { method: 'POST' });
    const { landed } = await dance(browser);
    expect(errorOf(landed)).toMatchObject({ type: 'user_already_exists', code: 409 });
  });

  test('a blocked user is sent to the failure URL', async () => {
    await profile();
    const first = new Browser();
    await dance(first);
    const id = (await me(first)).body.$id as string;
    await storage.users.update(id, { status: false });
    const { landed } = await dance(new Browser());
    expect(errorOf(landed)).toMatchObject({ type: 'user_blocked' });
  });

  test('denied consent (error=access_denied) → failure URL', async () => {
    await profile();
    await mock.denyNext();
    const browser = new Browser();
    const { landed } = await dance(browser);
    expect(errorOf(landed)).toMatchObject({ type: 'user_oauth2_provider_error', code: 424 });
    expect(errorOf(landed).message).toContain('access_denied');
  });

  test('a failed token exchange → failure URL with user_oauth2_bad_request', async () => {
    await profile();
    await mock.failNextToken();
    const { landed } = await dance(new Browser());
    expect(errorOf(landed)).toMatchObject({ type: 'user_oauth2_bad_request', code: 400 });
  });

  test('a provider without an email → user_unauthorized', async () => {
    await profile({ email: undefined });
    const { landed } = await dance(new Browser());
    expect(errorOf(landed)).toMatchObject({ type: 'user_unauthorized', code: 401 });
  });

  test('no failure URL: errors are answered directly', async () => {
    await profile();
    await mock.denyNext();
    const browser = new Browser();
    const result = await browser.follow(startUrl({ failure: '' }).replace('&failure=', '&x='), (url) => url.startsWith(APP));
    expect(result.response.status).toBe(424);
    expect(((await result.response.json()) as { type: string }).type).toBe('user_oauth2_provider_error');
  });
});

describe('state', () => {
  /** Runs the dance up to the redirect route and returns that URL without opening it. */
  async function redirectRouteUrl(browser: Browser): Promise<URL> {
    const result = await browser.follow(startUrl(), (url) => url.includes('/oauth2/oidc/redirect'));
    return new URL(result.final);
  }

  test('a tampered state is refused with 400 and no redirect', async () => {
    await profile();
    const browser = new Browser();
    const url = await redirectRouteUrl(browser);
    const [body, sig] = url.searchParams.get('state')!.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    payload.success = 'https://evil.example.net/';
    url.searchParams.set('state', `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`);
    const response = await browser.get(url.toString());
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    url.searchParams.delete('state');
    expect((await browser.get(url.toString())).status).toBe(400);
  });

  test('a replayed state/code is refused (single use) → failure URL', async () => {
    await profile();
    const browser = new Browser();
    const url = await redirectRouteUrl(browser);
    const first = await browser.get(url.toString());
    expect(first.headers.get('location')).toBe(SUCCESS);
    const replay = await new Browser().get(url.toString());
    expect(replay.status).toBe(301);
    expect(errorOf(new URL(replay.headers.get('location')!))).toMatchObject({ type: 'general_bad_request' });
    expect(errorOf(new URL(replay.headers.get('location')!)).message).toContain('already been used');
  });

  test('an expired state → failure URL', async () => {
    await profile();
    const browser = new Browser();
    const url = await redirectRouteUrl(browser);
    // Only Date moves on (16 minutes); timers and the event loop stay real.
    jest.useFakeTimers({
      now: Date.now() + 16 * 60_000,
      doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    });
    try {
      const response = await browser.get(url.toString());
      expect(errorOf(new URL(response.headers.get('location')!)).message).toContain('expired');
    } finally {
      jest.useRealTimers();
    }
  });

  test('a flow started on one process can finish on another sharing the database; replays fail on both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth2-'));
    const oauth2 = { oidc: { clientId: 'client-1', clientSecret: 'secret-1', issuer: mock.issuer } };
    const a = await startTestServer({ storage: createSqliteAdapter({ filename: join(dir, 'db.sqlite') }), oauth2 });
    const b = await startTestServer({ storage: createSqliteAdapter({ filename: join(dir, 'db.sqlite') }), oauth2 });
    try {
      const claims = await profile();
      const browser = new Browser();
      const start = startUrl().replace(server.endpoint, a.endpoint);
      const result = await browser.follow(start, (url) => url.includes('/oauth2/oidc/redirect'));
      const onB = result.final.replace(a.origin, b.origin);
      const finished = await browser.get(onB);
      expect(finished.headers.get('location')).toBe(SUCCESS);
      const account = await browser.get(`${b.endpoint}/account`);
      expect(((await account.json()) as { email: string }).email).toBe(claims.email);
      const replay = await new Browser().get(result.final);
      expect(errorOf(new URL(replay.headers.get('location')!)).message).toContain('already been used');
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the callback checks the project id in its path', async () => {
    const response = await new Browser().get(`${server.endpoint}/account/sessions/oauth2/callback/oidc/other?code=x&state=y`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { type: string }).type).toBe('project_not_found');
  });

  test('a POST callback (form_post) is re-targeted to the redirect route with its fields', async () => {
    const response = await new Browser().get(`${server.endpoint}/account/sessions/oauth2/callback/oidc/default`, {
      method: 'POST',
      body: 'code=abc&state=xyz&user=%7B%7D',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(301);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe('/v1/account/sessions/oauth2/oidc/redirect');
    expect(Object.fromEntries(location.searchParams)).toEqual({ code: 'abc', state: 'xyz', user: '{}', project: 'default' });
  });
});

test('apple: form_post callback, ES256 client secret, profile from the id_token, name from the `user` field', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const apple = await startTestServer({
    oauth2: {
      apple: {
        clientId: 'com.example.web',
        clientSecret: '',
        keyId: 'KEY1',
        teamId: 'TEAM1',
        privateKey: key,
        authorizationEndpoint: `${mock.issuer}/authorize`,
        tokenEndpoint: `${mock.issuer}/token`,
      },
    },
  });
  try {
    const claims = await profile({ name: undefined, email_verified: 'true' });
    const browser = new Browser();
    const start = await browser.get(`${apple.endpoint}/account/sessions/oauth2/apple?project=default&success=${encodeURIComponent(SUCCESS)}&failure=${encodeURIComponent(FAILURE)}`);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('response_mode')).toBe('form_post');
    expect(authorize.searchParams.get('scope')).toBe('name email');
    const back = new URL((await browser.get(authorize.toString())).headers.get('location')!);
    // Apple POSTs the code, the state and (first time only) the user's name to the callback.
    const form = new URLSearchParams({ code: back.searchParams.get('code')!, state: back.searchParams.get('state')!, user: JSON.stringify({ name: { firstName: 'Ann', lastName: 'Apple' } }) });
    const callback = await browser.get(back.origin + back.pathname, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(callback.status).toBe(301);
    const done = await browser.get(callback.headers.get('location')!);
    expect(done.headers.get('location')).toBe(SUCCESS);
    const account = await browser.get(`${apple.endpoint}/account`);
    expect(await account.json()).toMatchObject({ email: claims.email, emailVerification: true, name: 'Ann Apple' });
    const tokenRequest = await mock.lastTokenRequest();
    const secret = tokenRequest!.client_secret!;
    const { default: jwt } = await import('jsonwebtoken');
    expect(jwt.decode(secret, { complete: true })).toMatchObject({ header: { alg: 'ES256', kid: 'KEY1' }, payload: { iss: 'TEAM1', sub: 'com.example.web' } });
  } finally {
    await apple.close();
  }
});

test('a table provider (zoom) through the generic strategy: HTTP Basic client auth, PKCE, its own profile mapping', async () => {
  const zoom = await startTestServer({
    oauth2: {
      zoom: {
        clientId: 'zoom-id',
        clientSecret: 'zoom-secret',
        authorizationEndpoint: `${mock.issuer}/authorize`,
        tokenEndpoint: `${mock.issuer}/token`,
        userinfoEndpoint: `${mock.issuer}/userinfo`,
      },
    },
  });
  try {
    await mock.setProfile({ sub: 'ignored', id: 'zoom-user-1', email: 'zoomer@example.com', first_name: 'Zed', last_name: 'Oom', verified: 1 });
    const browser = new Browser();
    const start = `${zoom.endpoint}/account/sessions/oauth2/zoom?project=default&success=${encodeURIComponent(SUCCESS)}`;
    const { final } = await browser.follow(start, (url) => url.startsWith(APP));
    expect(final).toBe(SUCCESS);
    const account = await browser.get(`${zoom.endpoint}/account`);
    expect(await account.json()).toMatchObject({ email: 'zoomer@example.com', emailVerification: true, name: 'Zed Oom' });
    const session = (await (await browser.get(`${zoom.endpoint}/account/sessions/current`)).json()) as Record<string, unknown>;
    expect(session).toMatchObject({ provider: 'zoom', providerUid: 'zoom-user-1' });
    const tokenRequest = await mock.lastTokenRequest();
    expect(tokenRequest!.authorization).toBe(`Basic ${Buffer.from('zoom-id:zoom-secret').toString('base64')}`);
    expect(tokenRequest!.client_secret ?? '').toBe('');
    expect(tokenRequest!.code_verifier).toMatch(/^[\w-]{43}$/);
  } finally {
    await zoom.close();
  }
});

test('the redirect route allows 50 requests per hour per IP', async () => {
  const limited = await startTestServer({ rateLimits: true, trustProxy: 'loopback', oauth2: { oidc: { clientId: 'c', clientSecret: 's', issuer: mock.issuer } } });
  try {
    const url = `${limited.endpoint}/account/sessions/oauth2/oidc/redirect?code=x&state=bad`;
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    for (let i = 0; i < 50; i++) expect((await fetch(url, { headers, redirect: 'manual' })).status).toBe(400);
    const refused = await fetch(url, { headers, redirect: 'manual' });
    expect(refused.status).toBe(429);
    expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.10' }, redirect: 'manual' })).status).toBe(400);
  } finally {
    await limited.close();
  }
});

describe('PATCH /account/sessions/:id', () => {
  test('refreshes the provider tokens of an OAuth2 session with the refresh_token grant', async () => {
    await profile();
    const browser = new Browser();
    await dance(browser);
    const before = (await (await browser.get(`${server.endpoint}/account/sessions/current`)).json()) as Record<string, string>;
    const response = await browser.get(`${server.endpoint}/account/sessions/current`, { method: 'PATCH' });
    expect(response.status).toBe(200);
    const after = (await response.json()) as Record<string, string>;
    expect(after.providerAccessToken).not.toBe('');
    expect(after.providerRefreshToken).not.toBe(before.providerRefreshToken);
    expect(await mock.lastTokenRequest()).toMatchObject({ grant_type: 'refresh_token', refresh_token: before.providerRefreshToken });
    const identities = (await (await browser.get(`${server.endpoint}/account/identities`)).json()) as { identities: Record<string, string>[] };
    expect(identities.identities[0]!.providerAccessToken).toBe(after.providerAccessToken);
  });

  test('a refresh the provider refuses is reported', async () => {
    await profile();
    const browser = new Browser();
    await dance(browser);
    await mock.failNextToken();
    const response = await browser.get(`${server.endpoint}/account/sessions/current`, { method: 'PATCH' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { type: string }).type).toBe('user_oauth2_bad_request');
  });
});

describe('token variant: GET /account/tokens/oauth2/:provider', () => {
  test('the success URL receives userId and a secret redeemable at POST /account/sessions/token', async () => {
    const claims = await profile();
    const browser = new Browser();
    const { landed } = await dance(browser, {}, 'tokens');
    expect(landed.origin + landed.pathname).toBe(`${APP}/ok`);
    expect(landed.searchParams.get('keep')).toBe('1');
    const userId = landed.searchParams.get('userId')!;
    const secret = landed.searchParams.get('secret')!;
    expect(browser.cookies.has('a_session_default')).toBe(false);
    const exchange = await fetch(`${server.endpoint}/account/sessions/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-appwrite-project': 'default' },
      body: JSON.stringify({ userId, secret }),
    });
    expect(exchange.status).toBe(201);
    expect(await exchange.json()).toMatchObject({ userId, provider: 'oidc' });
    const user = await storage.users.get(userId);
    expect(user?.email).toBe(claims.email);
    // Single use.
    const again = await fetch(`${server.endpoint}/account/sessions/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, secret }),
    });
    expect(again.status).toBe(401);
  });
});
