// `Authorization: Bearer <access token>` on the Account routes, sent by appwrite@28's `setBearer()`
// from Node after a real code + PKCE flow: the token's scopes open the routes of the table in
// lib/idp/account-access.ts and nothing else; a token for another resource, revoked or of a
// blocked account is a guest's; a token with a session at once is refused.
import { AppwriteException, Client, Account } from 'appwrite28';
import { cookieClient28, uniqueEmail } from '../helpers/sdk';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/test-instance';
import { tokensFor, type FlowOptions } from '../helpers/idp-flow';

const REDIRECT = 'http://127.0.0.1:9/cb';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ identityProvider: { clients: [{ id: 'app', name: 'App', redirectUris: [REDIRECT] }] } });
});
afterAll(() => server.close());

interface SignedIn {
  userId: string;
  email: string;
  cookie: string;
}

async function signIn(endpoint = server.endpoint): Promise<SignedIn> {
  const sdk = cookieClient28(endpoint);
  const email = uniqueEmail();
  const user = await sdk.account.create({ userId: 'unique()', email, password: PASSWORD, name: 'Bea Bearer' });
  await sdk.account.createEmailPasswordSession({ email, password: PASSWORD });
  return { userId: user.$id, email, cookie: [...sdk.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
}

/** An access token of the app for `user`, for this API (the issuer as resource) unless told otherwise. */
async function accessToken(user: SignedIn, scope: string, extra: Partial<FlowOptions> = {}, endpoint = server.endpoint): Promise<string> {
  const tokens = await tokensFor(endpoint, user.cookie, { clientId: 'app', redirectUri: REDIRECT, scope, resource: endpoint, ...extra });
  return tokens.access_token;
}

function bearerAccount(token: string, endpoint = server.endpoint): Account {
  return new Account(new Client().setEndpoint(endpoint).setProject('default').setBearer(token));
}

async function refusal(promise: Promise<unknown>): Promise<{ code: number; type: string; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppwriteException);
  const { code, type, message } = error as AppwriteException;
  return { code, type, message };
}

it('setBearer: get and getPrefs with the identity scopes; writes need `account`; the rest is refused', async () => {
  const user = await signIn();
  const account = bearerAccount(await accessToken(user, 'openid profile email phone'));
  expect(await account.get()).toMatchObject({ $id: user.userId, email: user.email, name: 'Bea Bearer' });
  expect(await account.getPrefs()).toEqual({});
  expect(await refusal(account.updateName({ name: 'Not Allowed' }))).toEqual({
    code: 401,
    type: 'general_unauthorized_scope',
    message: `${user.email} (role: users) missing scopes (["account"])`,
  });
  // Credentials, sessions, JWTs and consents are never an app's, whatever it holds.
  const writer = bearerAccount(await accessToken(user, 'openid account'));
  expect(await writer.updateName({ name: 'Renamed By App' })).toMatchObject({ name: 'Renamed By App' });
  expect(await writer.updatePrefs({ prefs: { theme: 'dark' } })).toMatchObject({ prefs: { theme: 'dark' } });
  for (const call of [
    () => writer.updatePassword({ password: 'another long password', oldPassword: PASSWORD }),
    () => writer.listSessions(),
    () => writer.createJWT(),
    () => writer.listConsents(),
    () => writer.deleteSession({ sessionId: 'current' }),
  ]) {
    expect(await refusal(call())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
  }
  // Reading the account takes every identity scope, since its model shows name, email and phone.
  expect(await refusal(writer.get())).toEqual({ code: 401, type: 'general_unauthorized_scope', message: `${user.email} (role: users) missing scopes (["profile","email","phone"])` });
});

it('setBearer: a token for another resource, or for the app itself, is a guest here', async () => {
  const user = await signIn();
  for (const token of [await accessToken(user, 'openid profile email phone', { resource: 'https://api.example/mcp' }), await accessToken(user, 'openid profile email phone', { resource: undefined })]) {
    expect(await refusal(bearerAccount(token).get())).toEqual({ code: 401, type: 'general_unauthorized_scope', message: 'User (role: guests) missing scopes (["account"])' });
  }
  expect(await refusal(bearerAccount('not.a.token').get())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
});

it('setBearer: a revoked token and a blocked account\'s token stop at once', async () => {
  const user = await signIn();
  const token = await accessToken(user, 'openid profile email phone');
  expect(await bearerAccount(token).get()).toMatchObject({ $id: user.userId });
  const revoked = await fetch(`${server.endpoint}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, client_id: 'app' }) });
  expect(revoked.status).toBe(200);
  expect(await refusal(bearerAccount(token).get())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });

  const other = await signIn();
  const live = await accessToken(other, 'openid profile email phone');
  await server.router.users.block(other.userId);
  expect(await refusal(bearerAccount(live).get())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
});

it('setBearer with a session cookie too: refused, as a JWT with a session is', async () => {
  const user = await signIn();
  const token = await accessToken(user, 'openid profile email phone');
  const response = await fetch(`${server.endpoint}/account`, { headers: { authorization: `Bearer ${token}`, cookie: user.cookie, 'x-appwrite-project': 'default' } });
  expect(response.status).toBe(403);
  expect(((await response.json()) as { type: string }).type).toBe('user_jwt_and_cookie_set');
});

it('the authorization server\'s own routes read their tokens themselves: userinfo takes a token for the app', async () => {
  const user = await signIn();
  const token = await accessToken(user, 'openid profile email phone', { resource: undefined });
  const userinfo = await fetch(`${server.endpoint}/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } });
  expect(userinfo.status).toBe(200);
  expect(((await userinfo.json()) as { email: string }).email).toBe(user.email);
});
