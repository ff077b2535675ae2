// `npm start`, as a relying party meets it: the example app in its own process, with dynamic
// registration on; openid-client registers nothing itself, so the test registers a public client
// (RFC 7591) and openid-client runs discovery, code + PKCE, userinfo and refresh against it.
import { startExample, type ExampleProcess } from '../helpers/example-process';
import { cookieClient28, uniqueEmail } from '../helpers/sdk';
import { PASSWORD } from '../helpers/test-instance';
import { browse, startRelyingParty, type RelyingParty } from '../helpers/openid-rp';

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

  const sdk = cookieClient28(issuer);
  const email = uniqueEmail();
  await sdk.account.create({ userId: 'unique()', email, password: PASSWORD });
  await sdk.account.createEmailPasswordSession({ email, password: PASSWORD });
  const cookie = [...sdk.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

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
