// node-appwrite's Apps service with a real API key: the host's backend registers the authorization
// server's clients (confidential with a secret from createSecret, or public) and they sign users in.
import { Apps, AppwriteException, Client } from 'node-appwrite';
import request from 'supertest';
import { cookieClient28, uniqueEmail } from '../helpers/sdk';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/test-instance';
import { tokensFor } from '../helpers/idp-flow';

const KEY = 'apps-key-0123456789abcdef0123456789abcdef';
const READ_KEY = 'apps-read-key-0123456789abcdef0123456789';
const USERS_KEY = 'users-key-0123456789abcdef0123456789abcd';
const REDIRECT = 'http://127.0.0.1:9/cb';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    identityProvider: {},
    apiKeys: [
      { secret: KEY, scopes: ['apps.read', 'apps.write'] },
      { secret: READ_KEY, scopes: ['apps.read'] },
      { secret: USERS_KEY, scopes: ['users.read', 'users.write'] },
    ],
  });
});
afterAll(() => server.close());

const apps = (key = KEY) => new Apps(new Client().setEndpoint(server.endpoint).setProject('default').setKey(key));

async function signedInCookie(): Promise<string> {
  const sdk = cookieClient28(server.endpoint);
  const email = uniqueEmail();
  await sdk.account.create({ userId: 'unique()', email, password: PASSWORD });
  await sdk.account.createEmailPasswordSession({ email, password: PASSWORD });
  return [...sdk.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

async function refusal(promise: Promise<unknown>): Promise<{ code: number; type: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppwriteException);
  return { code: (error as AppwriteException).code, type: (error as AppwriteException).type };
}

it('create / createSecret: a confidential app signs a user in with the secret shown once', async () => {
  const app = await apps().create({ appId: 'notes', name: 'Notes', redirectUris: [REDIRECT] });
  expect(app).toMatchObject({ $id: 'notes', name: 'Notes', redirectUris: [REDIRECT], type: 'confidential', enabled: true, secrets: [] });
  const secret = await apps().createSecret({ appId: 'notes' });
  expect(secret).toMatchObject({ appId: 'notes', hint: secret.secret.slice(-4) });
  expect(secret.secret).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(await apps(READ_KEY).get({ appId: 'notes' }))).not.toContain(secret.secret);
  const tokens = await tokensFor(server.endpoint, await signedInCookie(), { clientId: 'notes', secret: secret.secret, redirectUri: REDIRECT, scope: 'openid' });
  expect(tokens.access_token).toBeTruthy();
  // A new secret replaces the old one at once.
  const next = await apps().createSecret({ appId: 'notes' });
  await expect(tokensFor(server.endpoint, await signedInCookie(), { clientId: 'notes', secret: secret.secret, redirectUri: REDIRECT, scope: 'openid' })).rejects.toThrow(/invalid_client/);
  expect((await tokensFor(server.endpoint, await signedInCookie(), { clientId: 'notes', secret: next.secret, redirectUri: REDIRECT, scope: 'openid' })).access_token).toBeTruthy();
});

it('create: a public app (PKCE alone); it has no secret to create', async () => {
  const app = await apps().create({ appId: 'unique()', name: 'Phone', redirectUris: ['com.example.phone:/cb'], type: 'public' });
  expect(app.type).toBe('public');
  expect(await refusal(apps().createSecret({ appId: app.$id }))).toEqual({ code: 400, type: 'general_argument_invalid' });
});

it('create: bad redirect URIs and a taken id are the SDK\'s 4xx', async () => {
  expect(await refusal(apps().create({ appId: 'bad', name: 'Bad', redirectUris: ['http://evil.example/cb'] }))).toEqual({ code: 400, type: 'general_argument_invalid' });
  expect(await refusal(apps().create({ appId: 'bad', name: 'Bad', redirectUris: [] }))).toEqual({ code: 400, type: 'general_argument_invalid' });
  await apps().create({ appId: 'twice', name: 'Twice', redirectUris: [REDIRECT] });
  expect(await refusal(apps().create({ appId: 'twice', name: 'Twice', redirectUris: [REDIRECT] }))).toEqual({ code: 409, type: 'app_already_exists' });
});

it('delete: the app and everything under it go; get answers app_not_found', async () => {
  await apps().create({ appId: 'gone', name: 'Gone', redirectUris: [REDIRECT] });
  await apps().delete({ appId: 'gone' });
  expect(await refusal(apps().get({ appId: 'gone' }))).toEqual({ code: 404, type: 'app_not_found' });
  expect(await refusal(apps().delete({ appId: 'gone' }))).toEqual({ code: 404, type: 'app_not_found' });
});

it('the key scopes: apps.read reads, apps.write writes; other keys and no key are refused', async () => {
  await apps().create({ appId: 'scoped', name: 'Scoped', redirectUris: [REDIRECT] });
  expect((await apps(READ_KEY).get({ appId: 'scoped' })).$id).toBe('scoped');
  expect(await refusal(apps(READ_KEY).create({ appId: 'nope', name: 'Nope', redirectUris: [REDIRECT] }))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
  expect(await refusal(apps(USERS_KEY).get({ appId: 'scoped' }))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
  const anonymous = await request(server.app).get('/v1/apps/scoped').set('X-Appwrite-Project', 'default');
  expect(anonymous.status).toBe(401);
  expect(anonymous.body.type).toBe('general_unauthorized_scope');
});
