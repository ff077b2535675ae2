// `npm start`, as a relying party and an agent meet it: the example app in its own process, with
// dynamic registration on. openid-client registers nothing itself, so the test registers a public
// client (RFC 7591) and openid-client runs discovery, code + PKCE, userinfo and refresh against it;
// the MCP SDK's client finds everything itself from the 401 of the app's `/mcp` endpoint.
import { startExample, type ExampleProcess } from '../helpers/example-process';
import { cookieClient28, uniqueEmail } from '../helpers/sdk';
import { PASSWORD } from '../helpers/test-instance';
import { browse, startRelyingParty, type RelyingParty } from '../helpers/openid-rp';
import { connectAndCall, memoryProvider } from '../helpers/mcp-client';

const REDIRECT = 'http://127.0.0.1:9/callback';
let app: ExampleProcess;
let rp: RelyingParty;

beforeAll(async () => {
  app = await startExample('example app', { ACCOUNT_DATABASE: ':memory:', ACCOUNT_IDP_DYNAMIC_REGISTRATION: 'on' });
  rp = await startRelyingParty();
}, 90_000);
afterAll(async () => {
  await rp?.stop();
  await app?.stop();
});

/** A new account signed in through appwrite@28: its email and session cookie. */
async function signIn(endpoint: string, name?: string): Promise<{ email: string; cookie: string }> {
  const sdk = cookieClient28(endpoint);
  const email = uniqueEmail();
  await sdk.account.create({ userId: 'unique()', email, password: PASSWORD, name });
  await sdk.account.createEmailPasswordSession({ email, password: PASSWORD });
  return { email, cookie: [...sdk.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
}

it('openid-client signs in with the example app: discovery at the root, registration, code + PKCE, userinfo, refresh', async () => {
  const issuer = `${app.url}/v1`;
  const root = (await (await fetch(`${app.url}/.well-known/oauth-authorization-server`)).json()) as { issuer: string; registration_endpoint: string };
  expect(root.issuer).toBe(issuer);
  const registered = await fetch(root.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Relying party', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
  });
  const { client_id: clientId } = (await registered.json()) as { client_id: string };
  expect((await rp.send({ cmd: 'discover', issuer, clientId })).error).toBeUndefined();

  const { email, cookie } = await signIn(issuer);

  const start = await rp.send({ cmd: 'start', redirectUri: REDIRECT, scope: 'openid email offline_access' });
  const browser = await browse(start.url, cookie);
  expect(browser.consentShown).toBe(true);
  const result = await rp.send({ cmd: 'callback', url: browser.location });
  expect(result.error).toBeUndefined();
  expect(result.claims).toMatchObject({ iss: issuer, aud: clientId, email, nonce: start.nonce });
  const { userinfo } = await rp.send({ cmd: 'userinfo', accessToken: result.tokens.access_token, sub: result.claims.sub });
  expect(userinfo).toMatchObject({ sub: result.claims.sub, email });
  const refreshed = await rp.send({ cmd: 'refresh', refreshToken: result.tokens.refresh_token });
  expect(refreshed.error).toBeUndefined();
}, 60_000);

it('the MCP SDK signs in to the example app\'s /mcp: 401 → protected-resource metadata → discovery → registration → PKCE → token → whoami', async () => {
  const { email, cookie } = await signIn(`${app.url}/v1`, 'Ada Agent');
  const metadata = (await (await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`)).json()) as { resource: string; authorization_servers: string[] };
  expect(metadata).toMatchObject({ resource: `${app.url}/mcp`, authorization_servers: [`${app.url}/v1`] });
  const { provider, state } = memoryProvider(cookie);
  const answer = await connectAndCall(`${app.url}/mcp`, provider, state);
  expect(state.consentShown).toBe(true);
  expect(state.client?.client_id).toBeTruthy();
  expect(answer).toMatchObject({ name: 'Ada Agent', email });
  // The token names the MCP endpoint as its audience (RFC 8707), so it is good for nothing else.
  const [, payload] = state.tokens!.access_token.split('.');
  expect(JSON.parse(Buffer.from(payload!, 'base64url').toString()).aud).toBe(`${app.url}/mcp`);
  expect(app.output()).toContain(`MCP: ${app.url}/mcp`);
}, 60_000);
