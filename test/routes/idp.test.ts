// The authorization server's own behaviour beyond what the relying-party suites drive: sign-in
// redirects (loginUrl, prompt, max_age, login_hint), a factor owed by the session, the host's own
// consent page (consentUrl + consentRequest), clients registered in code, RS256 keys and key
// rotation that keeps the old public key listed, the server turned off.
import { startTestServer, later, type TestServer } from '../helpers/test-instance';
import { authorizationCode, authorizeUrl, pkcePair, tokenRequest, tokensFor } from '../helpers/idp-flow';
import { browse } from '../helpers/openid-rp';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { verifyJwt } from '../../lib/idp/keys';

const REDIRECT = 'https://notes.example/callback';
const clients = [{ id: 'notes', name: 'Notes', redirectUris: [REDIRECT] }];
const notes = { clientId: 'notes', redirectUri: REDIRECT, scope: 'openid' };

async function serverWith(options: Record<string, unknown> = {}) {
  return startTestServer({ identityProvider: { clients, ...options } });
}
const cookieOf = (user: { cookies: Map<string, string> }) => [...user.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const redirectOf = (location: string) => new URL(location, 'http://x');

describe('authorizeClient', () => {
  let server: TestServer;
  const storage = createSqliteAdapter({ filename: ':memory:' });
  beforeAll(async () => {
    server = await startTestServer({ storage, identityProvider: { clients, loginUrl: '/sign-in' } });
  });
  afterAll(() => server.close());

  it('sends a guest to loginUrl with returnTo (prompt=login removed) and login_hint', async () => {
    const { challenge } = pkcePair();
    const url = authorizeUrl(server.endpoint, { ...notes, extra: { prompt: 'login consent', login_hint: 'ada@example.com' } }, challenge, 'st');
    const res = await fetch(url, { redirect: 'manual' });
    const location = redirectOf(res.headers.get('location')!);
    expect([res.status, location.pathname, location.searchParams.get('login_hint')]).toEqual([302, '/sign-in', 'ada@example.com']);
    const back = new URL(location.searchParams.get('returnTo')!);
    expect([back.origin + back.pathname, back.searchParams.get('prompt'), back.searchParams.get('state')]).toEqual([`${server.endpoint}/oauth2/authorize`, 'consent', 'st']);
  });

  it('prompt=login and a session older than max_age go to sign in again', async () => {
    const user = await server.signedIn();
    const { challenge } = pkcePair();
    for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      const res = await later(2000, () => fetch(authorizeUrl(server.endpoint, { ...notes, extra }, challenge), { headers: { cookie: cookieOf(user) }, redirect: 'manual' }));
      expect(redirectOf(res.headers.get('location')!).pathname).toBe('/sign-in');
    }
    const fresh = await fetch(authorizeUrl(server.endpoint, { ...notes, extra: { max_age: '3600' } }, challenge), { headers: { cookie: cookieOf(user) }, redirect: 'manual' });
    expect(fresh.status).toBe(200);
  });

  it('prompt=none answers login_required for a guest and consent_required without a consent', async () => {
    const guest = await authorizationCode(server.endpoint, '', { ...notes, extra: { prompt: 'none' } });
    expect(guest.error).toBe('login_required');
    const user = await server.signedIn();
    const unconsented = await authorizationCode(server.endpoint, cookieOf(user), { ...notes, extra: { prompt: 'none' } });
    expect(unconsented.error).toBe('consent_required');
    await tokensFor(server.endpoint, cookieOf(user), notes);
    expect((await authorizationCode(server.endpoint, cookieOf(user), { ...notes, extra: { prompt: 'none' } })).code).toBeTruthy();
  });

  it('a session that still owes a factor gets no code: interaction_required, or sign in again', async () => {
    const user = await server.signedIn();
    const me = await user.account.get();
    // MFA on with a verified email: the session signed in with a password alone now owes a factor.
    await storage.users.update(me.$id, { mfa: true, emailVerification: true });
    const { challenge } = pkcePair();
    const silent = await browse(authorizeUrl(server.endpoint, { ...notes, extra: { prompt: 'none' } }, challenge), cookieOf(user));
    expect(redirectOf(silent.location).searchParams.get('error')).toBe('interaction_required');
    const interactive = await browse(authorizeUrl(server.endpoint, notes, challenge), cookieOf(user));
    expect(redirectOf(interactive.location).pathname).toBe('/sign-in');
  });

  it('without loginUrl a guest is sent back with login_required and the state', async () => {
    const other = await serverWith();
    try {
      const { challenge } = pkcePair();
      const res = await fetch(authorizeUrl(other.endpoint, notes, challenge, 'st2'), { redirect: 'manual' });
      const location = new URL(res.headers.get('location')!);
      expect([location.origin + location.pathname, location.searchParams.get('error'), location.searchParams.get('state')]).toEqual([REDIRECT, 'login_required', 'st2']);
    } finally {
      await other.close();
    }
  });
});

describe('consentUrl: the host\'s own consent page', () => {
  it('receives the request handle, reads the request in-process, and posts the decision', async () => {
    const server = await serverWith({ consentUrl: '/consent' });
    try {
      const user = await server.signedIn();
      const { challenge, verifier } = pkcePair();
      const res = await fetch(authorizeUrl(server.endpoint, { ...notes, scope: 'openid email' }, challenge), { headers: { cookie: cookieOf(user) }, redirect: 'manual' });
      const location = redirectOf(res.headers.get('location')!);
      expect(location.pathname).toBe('/consent');
      const handle = location.searchParams.get('request')!;
      const pending = await server.router.consentRequest(handle);
      expect(pending).toMatchObject({ client: { id: 'notes', name: 'Notes' }, request: { scopes: ['openid', 'email'], redirectUri: REDIRECT } });
      expect(await server.router.consentRequest('v1.forged')).toBeNull();
      const decided = await fetch(`${server.endpoint}/oauth2/authorize/decision`, {
        method: 'POST',
        headers: { cookie: cookieOf(user), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request: handle, decision: 'approve' }),
        redirect: 'manual',
      });
      const code = new URL(decided.headers.get('location')!).searchParams.get('code')!;
      const tokens = await tokenRequest(server.endpoint, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, { clientId: 'notes' });
      expect(tokens.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('router.oauthClients', () => {
  it('registers a confidential client whose secret is returned once, and deletes it with its consents', async () => {
    const server = await serverWith();
    try {
      const { client, secret } = await server.router.admin.oauthClients.create({ name: 'Reports', redirectUris: ['https://reports.example/cb'] });
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(client.secretHash).not.toContain(secret!);
      expect(await server.router.admin.oauthClients.get(client.id)).toEqual(client);
      const user = await server.signedIn();
      const options = { clientId: client.id, secret: secret!, redirectUri: 'https://reports.example/cb', scope: 'openid offline_access' };
      const tokens = await tokensFor(server.endpoint, cookieOf(user), options);
      expect(await server.router.admin.oauthClients.delete(client.id)).toBe(true);
      expect(await server.router.admin.oauthClients.get(client.id)).toBeNull();
      const refresh = await tokenRequest(server.endpoint, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { clientId: client.id, secret: secret! });
      expect(refresh.body.error).toBe('invalid_client');
    } finally {
      await server.close();
    }
  });
});

describe('signing keys', () => {
  it('RS256 when asked; a rotated key stays in the JWKS while its tokens live, and the new one signs', async () => {
    const storage = createSqliteAdapter({ filename: ':memory:' });
    const server = await startTestServer({ storage, identityProvider: { clients, signingAlg: 'RS256', keyRotationSeconds: 60, accessTokenSeconds: 600 } });
    try {
      const user = await server.signedIn();
      const first = await tokensFor(server.endpoint, cookieOf(user), notes);
      const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string; kid: string };
      expect(header(first.access_token).alg).toBe('RS256');
      const jwks = async () => ((await (await fetch(`${server.endpoint}/oauth2/jwks`)).json()) as { keys: { kid: string; kty: string; alg: string }[] }).keys;
      const [only] = await jwks();
      expect(only).toMatchObject({ kid: header(first.access_token).kid, kty: 'RSA', alg: 'RS256' });
      expect(JSON.stringify(await storage.signingKeys.list(new Date()))).not.toContain('PRIVATE KEY');
      await later(2 * 60_000, async () => {
        const second = await tokensFor(server.endpoint, cookieOf(user), { ...notes, extra: { prompt: 'none' } });
        expect(header(second.access_token).kid).not.toBe(only!.kid);
        expect((await jwks()).map((key) => key.kid).sort()).toEqual([only!.kid, header(second.access_token).kid].sort());
        // The first token is still good: its key is still listed until the token has expired.
        const services = { storage, now: () => new Date(), config: { identityProvider: {} } } as never;
        expect(await verifyJwt(services, first.access_token, 'at+jwt')).not.toBeNull();
      });
    } finally {
      await server.close();
    }
  });
});

describe('identityProvider off', () => {
  it('every authorization-server route answers 404 not_found', async () => {
    const server = await startTestServer();
    try {
      for (const path of ['/.well-known/openid-configuration', '/oauth2/jwks', '/oauth2/authorize']) {
        const res = await fetch(`${server.endpoint}${path}`, { redirect: 'manual' });
        expect([path, res.status, ((await res.json()) as { error: string }).error]).toEqual([path, 404, 'not_found']);
      }
      const consents = await (await server.signedIn()).account.client.call('get', new URL(`${server.endpoint}/account/consents`));
      expect(consents).toEqual({ total: 0, consents: [] });
    } finally {
      await server.close();
    }
  });
});

describe('CORS', () => {
  it('the endpoints clients call from anywhere answer every origin without credentials; the consent decision does not', async () => {
    const server = await serverWith();
    try {
      const origin = { origin: 'https://inspector.example' };
      const preflight = await fetch(`${server.endpoint}/oauth2/token`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect([preflight.status, preflight.headers.get('access-control-allow-origin'), preflight.headers.get('access-control-allow-credentials')]).toEqual([204, '*', null]);
      for (const path of ['/.well-known/openid-configuration', '/oauth2/jwks']) {
        expect((await fetch(`${server.endpoint}${path}`, { headers: origin })).headers.get('access-control-allow-origin')).toBe('*');
      }
      const decision = await fetch(`${server.endpoint}/oauth2/authorize/decision`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST' } });
      expect(decision.headers.get('access-control-allow-origin')).toBeNull();
      const account = await fetch(`${server.endpoint}/account`, { headers: origin });
      expect(account.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.close();
    }
  });
});

describe('resource indicators', () => {
  it('several resources in one request are all consented to and all become the audience', async () => {
    const server = await serverWith({ loginUrl: '/sign-in' });
    try {
      const user = await server.signedIn();
      const { challenge, verifier } = pkcePair();
      const url = new URL(authorizeUrl(server.endpoint, notes, challenge));
      url.searchParams.append('resource', 'https://a.example/api');
      url.searchParams.append('resource', 'https://b.example/api');
      const guest = await fetch(url, { redirect: 'manual' });
      const back = new URL(redirectOf(guest.headers.get('location')!).searchParams.get('returnTo')!);
      expect(back.searchParams.getAll('resource')).toEqual(['https://a.example/api', 'https://b.example/api']);
      const browser = await browse(url.href, cookieOf(user));
      const code = new URL(browser.location).searchParams.get('code')!;
      const tokens = await tokenRequest(server.endpoint, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, { clientId: 'notes' });
      const claims = JSON.parse(Buffer.from(tokens.body.access_token.split('.')[1], 'base64url').toString());
      expect(claims.aud).toEqual(['https://a.example/api', 'https://b.example/api']);
    } finally {
      await server.close();
    }
  });
});
