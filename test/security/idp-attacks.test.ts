// Attacks on the authorization server, each refused: redirect-URI mismatch and open redirects,
// code replay and codes taken to another client, PKCE downgrade, refresh reuse (also concurrent),
// tokens for another resource, `alg: none` and key confusion, forged consent decisions, and
// Client ID Metadata Documents that point at private addresses or are too large or too slow.
import { createHmac } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/test-instance';
import { authorizationCode, authorizeUrl, pkcePair, startProtectedApi, tokenRequest, tokensFor } from '../helpers/idp-flow';

const REDIRECT = 'https://notes.example/callback';
const SECRET = 'notes-secret-0123456789';
let server: TestServer;
let api: { origin: string; close(): Promise<void> };
let cookie: string;

const notes = { clientId: 'notes', secret: SECRET, redirectUri: REDIRECT, scope: 'openid offline_access' };

beforeAll(async () => {
  server = await startTestServer({
    identityProvider: {
      clients: [
        { id: 'notes', name: 'Notes', secret: SECRET, redirectUris: [REDIRECT] },
        { id: 'other', name: 'Other', secret: 'other-secret-0123456789', redirectUris: [REDIRECT] },
      ],
    },
  });
  const user = await server.signedIn();
  cookie = [...user.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  api = await startProtectedApi(server.router);
});
afterAll(async () => {
  await api.close();
  await server.close();
});

async function authorizeRaw(params: Record<string, string>) {
  const url = new URL(`${server.endpoint}/oauth2/authorize`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return fetch(url, { headers: { cookie }, redirect: 'manual' });
}

const { challenge } = pkcePair();
const base = { response_type: 'code', client_id: 'notes', redirect_uri: REDIRECT, scope: 'openid', state: 's1', code_challenge: challenge, code_challenge_method: 'S256' };

describe('redirect URIs', () => {
  it.each([
    ['another host', 'https://evil.example/callback'],
    ['a longer path', `${REDIRECT}/more`],
    ['an added query', `${REDIRECT}?next=https://evil.example`],
    ['another scheme', REDIRECT.replace('https', 'http')],
    ['a different case', REDIRECT.toUpperCase()],
    ['a userinfo trick', 'https://notes.example@evil.example/callback'],
  ])('a redirect_uri that is not an exact match (%s) is shown an error, never redirected to', async (_, uri) => {
    const res = await authorizeRaw({ ...base, redirect_uri: uri });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('an unknown client is no open redirector either', async () => {
    const res = await authorizeRaw({ ...base, client_id: 'nobody', redirect_uri: 'https://evil.example/' });
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
  });
});

describe('authorization codes', () => {
  it('a code works once: the replay is invalid_grant', async () => {
    const { code, verifier } = await authorizationCode(server.endpoint, cookie, notes);
    const exchange = () => tokenRequest(server.endpoint, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, code_verifier: verifier }, notes);
    expect((await exchange()).status).toBe(200);
    expect(await exchange()).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } });
  });

  it('of 10 concurrent exchanges of one code, exactly one gets tokens', async () => {
    const { code, verifier } = await authorizationCode(server.endpoint, cookie, notes);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => tokenRequest(server.endpoint, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, code_verifier: verifier }, notes)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it("another client cannot redeem the code, even with the right verifier, and the code is spent", async () => {
    const { code, verifier } = await authorizationCode(server.endpoint, cookie, notes);
    const stolen = await tokenRequest(server.endpoint, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, code_verifier: verifier }, { clientId: 'other', secret: 'other-secret-0123456789' });
    expect(stolen.body.error).toBe('invalid_grant');
    const owner = await tokenRequest(server.endpoint, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, code_verifier: verifier }, notes);
    expect(owner.body.error).toBe('invalid_grant');
  });

  it('a wrong client secret is invalid_client with a Basic challenge', async () => {
    const res = await tokenRequest(server.endpoint, { grant_type: 'authorization_code', code: 'x' }, { clientId: 'notes', secret: 'wrong-secret-0123456789' });
    expect(res).toEqual({ status: 401, body: { error: 'invalid_client', error_description: expect.any(String) } });
  });
});

describe('PKCE', () => {
  it.each([
    ['plain', { code_challenge_method: 'plain' }],
    ['a missing method', { code_challenge_method: '' }],
    ['a missing challenge', { code_challenge: '' }],
  ])('%s is refused at the redirect URI with invalid_request', async (_, change) => {
    const params = Object.fromEntries(Object.entries({ ...base, ...change }).filter(([, v]) => v !== ''));
    const res = await authorizeRaw(params);
    const location = new URL(res.headers.get('location')!);
    expect([location.origin + location.pathname, location.searchParams.get('error'), location.searchParams.get('state')]).toEqual([REDIRECT, 'invalid_request', 's1']);
  });

  it.each([
    ['no verifier', undefined],
    ['a wrong verifier', pkcePair().verifier],
  ])('a code exchanged with %s is invalid_grant', async (_, verifier) => {
    const { code } = await authorizationCode(server.endpoint, cookie, notes);
    const res = await tokenRequest(server.endpoint, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, code_verifier: verifier }, notes);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('refresh tokens', () => {
  const refresh = (token: string) => tokenRequest(server.endpoint, { grant_type: 'refresh_token', refresh_token: token }, notes);

  it('of 5 concurrent refreshes with one token at most one succeeds, and a reuse ends the family', async () => {
    const tokens = await tokensFor(server.endpoint, cookie, notes);
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(tokens.refresh_token!)));
    const winners = results.filter((r) => r.status === 200);
    expect(winners.length).toBeLessThanOrEqual(1);
    if (winners[0]) expect((await refresh(winners[0].body.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('a forged or tampered refresh token is refused without touching the family', async () => {
    const tokens = await tokensFor(server.endpoint, cookie, notes);
    const [family, generation, random] = tokens.refresh_token!.split('.');
    expect((await refresh(`${family}.${Number(generation) - 1 || 0}.${random}.forged`)).body.error).toBe('invalid_grant');
    expect((await refresh(tokens.refresh_token!)).status).toBe(200);
  });

  it("another client's refresh token is invalid_grant", async () => {
    const tokens = await tokensFor(server.endpoint, cookie, notes);
    const res = await tokenRequest(server.endpoint, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { clientId: 'other', secret: 'other-secret-0123456789' });
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('presented access tokens', () => {
  const callApi = (token: string) => fetch(`${api.origin}/api`, { headers: { authorization: `Bearer ${token}` } });
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('a token for the resource is accepted; a token for another resource is refused', async () => {
    const mine = await tokensFor(server.endpoint, cookie, { ...notes, resource: `${api.origin}/api` });
    expect((await callApi(mine.access_token)).status).toBe(200);
    const elsewhere = await tokensFor(server.endpoint, cookie, { ...notes, resource: 'https://other.example/api' });
    const refused = await callApi(elsewhere.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain(`resource_metadata="${api.origin}/.well-known/oauth-protected-resource/api"`);
    const plain = await tokensFor(server.endpoint, cookie, notes);
    expect((await callApi(plain.access_token)).status).toBe(401);
  });

  it("a blocked account's token stops at once", async () => {
    const user = await server.signedIn();
    const token = await tokensFor(server.endpoint, [...user.cookies].map(([k, v]) => `${k}=${v}`).join('; '), { ...notes, resource: `${api.origin}/api` });
    expect((await callApi(token.access_token)).status).toBe(200);
    await user.account.updateStatus();
    expect((await callApi(token.access_token)).status).toBe(401);
  });

  it('a token request for a resource outside the grant is invalid_target', async () => {
    const { code, verifier } = await authorizationCode(server.endpoint, cookie, { ...notes, resource: 'https://one.example/' });
    const res = await tokenRequest(server.endpoint, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, code_verifier: verifier, resource: 'https://two.example/' }, notes);
    expect(res.body.error).toBe('invalid_target');
  });

  it('alg none, HS256 keyed with the public key, an ID token and a tampered payload are all refused', async () => {
    const good = await tokensFor(server.endpoint, cookie, { ...notes, resource: `${api.origin}/api` });
    const [header, payload, signature] = good.access_token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString());
    const jwks = (await (await fetch(`${server.endpoint}/oauth2/jwks`)).json()) as { keys: Record<string, unknown>[] };
    const publicKey = JSON.stringify(jwks.keys.find((key) => key.kid === decodedHeader.kid));
    const none = `${part({ ...decodedHeader, alg: 'none' })}.${payload}.`;
    const hsInput = `${part({ ...decodedHeader, alg: 'HS256' })}.${payload}`;
    const confused = `${hsInput}.${createHmac('sha256', publicKey).update(hsInput).digest('base64url')}`;
    const tampered = `${header}.${part({ ...claims, sub: 'someone-else' })}.${signature}`;
    for (const token of [none, confused, tampered, good.id_token!]) expect((await callApi(token)).status).toBe(401);
    const userinfo = await fetch(`${server.endpoint}/oauth2/userinfo`, { headers: { authorization: `Bearer ${none}` } });
    expect(userinfo.status).toBe(401);
  });
});

describe('the consent decision', () => {
  it('a decision posted from another origin is refused', async () => {
    const { challenge: c } = pkcePair();
    const page = await (await fetch(authorizeUrl(server.endpoint, { ...notes, extra: { prompt: 'consent' } }, c), { headers: { cookie } })).text();
    const handle = /name="request" value="([^"]+)"/.exec(page)![1]!;
    const res = await fetch(`${server.endpoint}/oauth2/authorize/decision`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: handle, decision: 'approve' }),
      redirect: 'manual',
    });
    expect([res.status, res.headers.get('location'), ((await res.json()) as { error: string }).error]).toEqual([403, null, 'access_denied']);
  });

  it("another session cannot take the decision with the victim's handle", async () => {
    const { challenge: c } = pkcePair();
    const page = await (await fetch(authorizeUrl(server.endpoint, { ...notes, extra: { prompt: 'consent' } }, c), { headers: { cookie } })).text();
    const handle = /name="request" value="([^"]+)"/.exec(page)![1]!;
    const attacker = await server.signedIn();
    const res = await fetch(`${server.endpoint}/oauth2/authorize/decision`, {
      method: 'POST',
      headers: { cookie: [...attacker.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: handle, decision: 'approve' }),
      redirect: 'manual',
    });
    expect([res.status, res.headers.get('location')]).toEqual([400, null]);
  });

  it('the consent page may not be framed', async () => {
    const { challenge: c } = pkcePair();
    const res = await fetch(authorizeUrl(server.endpoint, { ...notes, extra: { prompt: 'consent' } }, c), { headers: { cookie } });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('client ID metadata documents', () => {
  it.each(['https://127.0.0.1/client.json', 'https://localhost/client.json', 'https://[::1]/client.json', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.1/c.json'])(
    'a document at a private address (%s) is never fetched: the client is unknown',
    async (url) => {
      const res = await authorizeRaw({ ...base, client_id: url, redirect_uri: 'http://127.0.0.1:9/cb' });
      expect([res.status, res.headers.get('location')]).toEqual([400, null]);
    },
  );

  async function withDocumentFetch(fetchImpl: typeof fetch, run: (issuer: string) => Promise<void>) {
    const other = await startTestServer({ identityProvider: { clientMetadataDocuments: { fetch: fetchImpl } } });
    try {
      await run(other.endpoint);
    } finally {
      await other.close();
    }
  }
  const url = 'https://agent.example/client.json';

  it('an oversized document is refused (at most 5 kB read)', async () => {
    const big = (async () => new Response(JSON.stringify({ client_id: url, redirect_uris: ['http://127.0.0.1:9/cb'], padding: 'x'.repeat(20_000) }))) as typeof fetch;
    await withDocumentFetch(big, async (issuer) => {
      const res = await fetch(`${issuer}/oauth2/authorize?client_id=${encodeURIComponent(url)}&redirect_uri=http://127.0.0.1:9/cb`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([400, null]);
    });
  });

  it('a slow document is given up after 5 s', async () => {
    const slow = ((_: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))))) as typeof fetch;
    await withDocumentFetch(slow, async (issuer) => {
      const res = await fetch(`${issuer}/oauth2/authorize?client_id=${encodeURIComponent(url)}&redirect_uri=http://127.0.0.1:9/cb`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([400, null]);
    });
  }, 15_000);

  it('a document that names another client_id is refused', async () => {
    const lying = (async () => new Response(JSON.stringify({ client_id: 'https://bank.example/client.json', redirect_uris: ['http://127.0.0.1:9/cb'] }))) as typeof fetch;
    await withDocumentFetch(lying, async (issuer) => {
      const res = await fetch(`${issuer}/oauth2/authorize?client_id=${encodeURIComponent(url)}&redirect_uri=http://127.0.0.1:9/cb`, { redirect: 'manual' });
      expect(res.status).toBe(400);
    });
  });
});

describe('dynamic registration', () => {
  it('is off by default (404)', async () => {
    const res = await fetch(`${server.endpoint}/oauth2/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [REDIRECT] }) });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([404, 'not_found']);
  });

  it('registers public clients only, with exact https or loopback redirect URIs', async () => {
    const other = await startTestServer({ identityProvider: { dynamicRegistration: true } });
    try {
      const register = (body: object) => fetch(`${other.endpoint}/oauth2/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' })).status).toBe(400);
      expect((await register({ redirect_uris: ['http://evil.example/cb'] })).status).toBe(400);
      expect((await register({ redirect_uris: ['javascript:alert(1)'] })).status).toBe(400);
      const ok = await register({ redirect_uris: [REDIRECT], client_name: 'Agent' });
      expect(ok.status).toBe(201);
      expect(await ok.json()).toMatchObject({ client_id: expect.any(String), token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT] });
    } finally {
      await other.close();
    }
  });
});
