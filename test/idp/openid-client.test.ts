// The authorization server against openid-client 6 (panva) as the relying party, over real ports:
// discovery, code + PKCE, ID-token validation (signature, iss, aud, nonce, auth_time, amr), the
// remembered consent, userinfo, refresh rotation with reuse detection, revocation, introspection.
import { startTestServer, type TestServer } from '../helpers/test-instance';
import { browse, startRelyingParty, type RelyingParty } from '../helpers/openid-rp';

const REDIRECT = 'http://127.0.0.1:9/callback';
const SECRET = 'rp-secret-0123456789abcdef';
let server: TestServer;
let rp: RelyingParty;
let issuer: string;

beforeAll(async () => {
  server = await startTestServer({
    identityProvider: { clients: [{ id: 'notes', name: 'Notes <app>', secret: SECRET, redirectUris: [REDIRECT] }] },
  });
  issuer = server.endpoint;
  rp = await startRelyingParty();
  const discovered = await rp.send({ cmd: 'discover', issuer, clientId: 'notes', secret: SECRET });
  expect(discovered.error).toBeUndefined();
});

afterAll(async () => {
  await rp.stop();
  await server.close();
});

async function cookieOf(user: { cookies: Map<string, string> }): Promise<string> {
  return [...user.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

async function signInWithApp(scope = 'openid email profile offline_access') {
  const user = await server.signedIn({ name: 'Ada' });
  const cookie = await cookieOf(user);
  const start = await rp.send({ cmd: 'start', redirectUri: REDIRECT, scope });
  const browser = await browse(start.url, cookie);
  const result = await rp.send({ cmd: 'callback', url: browser.location });
  return { user, cookie, start, browser, result };
}

it('discovery: openid-client reads the provider configuration under the mount path', async () => {
  const { metadata } = await rp.send({ cmd: 'discover', issuer, clientId: 'notes', secret: SECRET });
  expect(metadata).toMatchObject({
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    code_challenge_methods_supported: ['S256'],
    response_types_supported: ['code'],
    id_token_signing_alg_values_supported: ['ES256'],
  });
});

it('authorize → consent page → token: a valid ID token with sub, aud, nonce, auth_time and amr', async () => {
  const { user, start, browser, result } = await signInWithApp();
  expect(browser.consentShown).toBe(true);
  expect(result.error).toBeUndefined();
  const me = await user.account.get();
  expect(result.claims).toMatchObject({ iss: issuer, sub: me.$id, aud: 'notes', nonce: start.nonce, amr: ['pwd'], email: me.email, name: 'Ada' });
  expect(typeof result.claims.auth_time).toBe('number');
  expect(result.tokens.token_type).toBe('bearer');
  expect(result.tokens.refresh_token).toMatch(/\./);
  expect(result.tokens.scope).toBe('openid email profile offline_access');
});

it('a remembered consent skips the page; prompt=consent shows it again', async () => {
  const { cookie } = await signInWithApp('openid email');
  const again = await rp.send({ cmd: 'start', redirectUri: REDIRECT, scope: 'openid' });
  const silent = await browse(again.url, cookie);
  expect(silent.consentShown).toBe(false);
  expect((await rp.send({ cmd: 'callback', url: silent.location })).error).toBeUndefined();
  const forced = await rp.send({ cmd: 'start', redirectUri: REDIRECT, scope: 'openid', extra: { prompt: 'consent' } });
  expect((await browse(forced.url, cookie)).consentShown).toBe(true);
});

it('denying answers access_denied with the state', async () => {
  const user = await server.signedIn();
  const start = await rp.send({ cmd: 'start', redirectUri: REDIRECT, scope: 'openid' });
  const denied = await browse(start.url, await cookieOf(user), 'deny');
  const url = new URL(denied.location);
  expect([url.origin + url.pathname, url.searchParams.get('error'), url.searchParams.get('state'), url.searchParams.get('iss')]).toEqual([REDIRECT, 'access_denied', start.state, issuer]);
});

it('userinfo answers the claims the scopes release', async () => {
  const { user, result } = await signInWithApp('openid email');
  const me = await user.account.get();
  const { userinfo } = await rp.send({ cmd: 'userinfo', accessToken: result.tokens.access_token, sub: me.$id });
  expect(userinfo).toEqual({ sub: me.$id, email: me.email, email_verified: false });
  const byPost = await fetch(`${issuer}/oauth2/userinfo`, { method: 'POST', headers: { authorization: `Bearer ${result.tokens.access_token}` } });
  expect(await byPost.json()).toEqual(userinfo);
});

it('refresh rotates; presenting a rotated refresh token again revokes the whole family', async () => {
  const { result } = await signInWithApp();
  const first = await rp.send({ cmd: 'refresh', refreshToken: result.tokens.refresh_token });
  expect(first.error).toBeUndefined();
  expect(first.tokens.refresh_token).not.toBe(result.tokens.refresh_token);
  expect(first.claims).toMatchObject({ sub: result.claims.sub, aud: 'notes' });
  const reused = await rp.send({ cmd: 'refresh', refreshToken: result.tokens.refresh_token });
  expect(reused.error).toMatchObject({ oauth: 'invalid_grant' });
  // The family is gone: the newest refresh token and its access token are dead too.
  expect((await rp.send({ cmd: 'refresh', refreshToken: first.tokens.refresh_token })).error).toMatchObject({ oauth: 'invalid_grant' });
  expect((await rp.send({ cmd: 'introspect', token: first.tokens.access_token })).introspection).toEqual({ active: false });
});

it('introspection describes a live token; revocation ends it', async () => {
  const { result } = await signInWithApp();
  const live = await rp.send({ cmd: 'introspect', token: result.tokens.access_token });
  expect(live.introspection).toMatchObject({ active: true, client_id: 'notes', sub: result.claims.sub, scope: 'openid email profile offline_access', token_type: 'Bearer' });
  const refresh = await rp.send({ cmd: 'introspect', token: result.tokens.refresh_token });
  expect(refresh.introspection).toMatchObject({ active: true, token_type: 'refresh_token' });
  expect((await rp.send({ cmd: 'revoke', token: result.tokens.refresh_token })).revoked).toBe(true);
  expect((await rp.send({ cmd: 'introspect', token: result.tokens.access_token })).introspection).toEqual({ active: false });
  expect((await rp.send({ cmd: 'refresh', refreshToken: result.tokens.refresh_token })).error).toMatchObject({ oauth: 'invalid_grant' });
});
