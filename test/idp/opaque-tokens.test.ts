// Opaque access tokens, a per-client setting: a client with `accessTokenFormat: 'opaque'` gets
// random strings instead of JWTs after code + PKCE, and every reader of access tokens (introspection,
// userinfo, requireAccessToken, revocation, Bearer on the Account routes) takes them; a refresh
// replaces the family's token, expiry and revocation end it, and a forged one is refused.
import { Client, Account } from 'appwrite28';
import { startTestServer, type TestServer } from '../helpers/test-instance';
import { startProtectedApi, tokenRequest, tokensFor } from '../helpers/idp-flow';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { resolveOptions } from '../../lib/options';

const REDIRECT = 'https://notes.example/callback';
const SECRET = 'notes-secret-0123456789';
const RS_SECRET = 'resource-secret-0123456789';
const storage = createSqliteAdapter({ filename: ':memory:' });
let server: TestServer;
let api: { origin: string; close(): Promise<void> };
let cookie: string;
let userId: string;

const opaque = { clientId: 'notes', secret: SECRET, redirectUri: REDIRECT, scope: 'openid email offline_access' };
const resourceServer = { clientId: 'rs', secret: RS_SECRET };

beforeAll(async () => {
  server = await startTestServer({
    storage,
    identityProvider: {
      clients: [
        { id: 'notes', name: 'Notes', secret: SECRET, redirectUris: [REDIRECT], accessTokenFormat: 'opaque' },
        { id: 'rs', name: 'Resource server', secret: RS_SECRET, redirectUris: [REDIRECT] },
      ],
    },
  });
  const user = await server.signedIn();
  cookie = [...user.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  userId = (await user.account.get()).$id;
  api = await startProtectedApi(server.router);
});
afterAll(async () => {
  await api.close();
  await server.close();
});

async function introspect(token: string): Promise<Record<string, any>> {
  const answer = await fetch(`${server.endpoint}/oauth2/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`rs:${RS_SECRET}`).toString('base64') },
    body: new URLSearchParams({ token }),
  });
  return (await answer.json()) as Record<string, any>;
}

const userinfo = (token: string) => fetch(`${server.endpoint}/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } });

const revoke = (token: string) =>
  fetch(`${server.endpoint}/oauth2/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`notes:${SECRET}`).toString('base64') },
    body: new URLSearchParams({ token }),
  });

it('issues an opaque token, not a JWT, that introspection and userinfo read; the other client still gets JWTs', async () => {
  const tokens = await tokensFor(server.endpoint, cookie, opaque);
  expect(tokens.access_token).toMatch(/^arat_[A-Za-z0-9_-]{43}$/);
  expect(tokens.id_token!.split('.')).toHaveLength(3);
  expect(await introspect(tokens.access_token)).toMatchObject({ active: true, client_id: 'notes', sub: userId, token_type: 'Bearer', scope: 'openid email offline_access', aud: 'notes' });
  const info = await userinfo(tokens.access_token);
  expect([info.status, await info.json()]).toEqual([200, expect.objectContaining({ sub: userId, email: expect.any(String) })]);
  const jwt = await tokensFor(server.endpoint, cookie, { ...resourceServer, redirectUri: REDIRECT, scope: 'openid' });
  expect(jwt.access_token.split('.')).toHaveLength(3);
});

it('requireAccessToken and Bearer on the Account routes take an opaque token for their resource', async () => {
  const forApi = await tokensFor(server.endpoint, cookie, { ...opaque, resource: `${api.origin}/api` });
  const ok = await fetch(`${api.origin}/api`, { headers: { authorization: `Bearer ${forApi.access_token}` } });
  expect([ok.status, await ok.json()]).toEqual([200, { userId }]);
  const forAccount = await tokensFor(server.endpoint, cookie, { ...opaque, scope: 'openid profile email phone', resource: server.endpoint });
  const account = new Account(new Client().setEndpoint(server.endpoint).setProject('default').setBearer(forAccount.access_token));
  expect(await account.get()).toMatchObject({ $id: userId });
  // Bound to its resource like a JWT: the API's token is no good for userinfo (audience: the API).
  expect((await userinfo(forApi.access_token)).status).toBe(401);
});

it('a refresh replaces the opaque token: the old one stops working, the new one works', async () => {
  const first = await tokensFor(server.endpoint, cookie, opaque);
  const refreshed = await tokenRequest(server.endpoint, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, opaque);
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.access_token).toMatch(/^arat_/);
  expect(refreshed.body.access_token).not.toBe(first.access_token);
  expect(await introspect(first.access_token)).toEqual({ active: false });
  expect((await userinfo(first.access_token)).status).toBe(401);
  expect(await introspect(refreshed.body.access_token)).toMatchObject({ active: true });
});

it('revoking the opaque access token ends it and its family (the refresh token too)', async () => {
  const tokens = await tokensFor(server.endpoint, cookie, opaque);
  expect((await revoke(tokens.access_token)).status).toBe(200);
  expect(await introspect(tokens.access_token)).toEqual({ active: false });
  expect((await userinfo(tokens.access_token)).status).toBe(401);
  expect(await introspect(tokens.refresh_token!)).toEqual({ active: false });
});

it('an expired opaque token is refused although its family lives on', async () => {
  const tokens = await tokensFor(server.endpoint, cookie, opaque);
  const consent = await storage.oauthConsents.getByClient(userId, 'notes');
  const { items } = await storage.oauthGrants.listByConsent(consent!.id, { limit: 100, offset: 0 });
  expect(items.some((item) => item.accessHash !== null)).toBe(true);
  // Move the families' tokens into the past: what the clock does after accessTokenSeconds.
  for (const item of items.filter((entry) => entry.accessHash !== null)) {
    await storage.oauthGrants.setAccessToken({ id: item.id, accessHash: item.accessHash!, accessClaims: { ...item.accessClaims, exp: Math.floor(Date.now() / 1000) - 1 } });
  }
  expect(await introspect(tokens.access_token)).toEqual({ active: false });
  expect((await userinfo(tokens.access_token)).status).toBe(401);
  expect(await introspect(tokens.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token' });
});

it('a forged or unknown opaque token is refused everywhere', async () => {
  const tokens = await tokensFor(server.endpoint, cookie, opaque);
  const forged = tokens.access_token.slice(0, -1) + (tokens.access_token.endsWith('A') ? 'B' : 'A');
  for (const token of [forged, `arat_${'A'.repeat(43)}`, 'arat_short']) {
    expect(await introspect(token)).toEqual({ active: false });
    expect((await userinfo(token)).status).toBe(401);
    expect((await fetch(`${api.origin}/api`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  }
});

it('router.admin.oauthClients.create takes the setting and refuses anything else', async () => {
  const { client } = await server.router.admin.oauthClients.create({ name: 'Opaque', redirectUris: [REDIRECT], accessTokenFormat: 'opaque' });
  expect(client.accessTokenFormat).toBe('opaque');
  const { client: plain } = await server.router.admin.oauthClients.create({ name: 'Plain', redirectUris: [REDIRECT] });
  expect(plain.accessTokenFormat).toBe('jwt');
  await expect(server.router.admin.oauthClients.create({ name: 'Bad', redirectUris: [REDIRECT], accessTokenFormat: 'paseto' as never })).rejects.toThrow(/accessTokenFormat/);
  expect(() => resolveOptions({ identityProvider: { clients: [{ id: 'x', name: 'X', redirectUris: [REDIRECT], accessTokenFormat: 'paseto' as never }] } })).toThrow(/clients\[0\]\.accessTokenFormat/);
});
