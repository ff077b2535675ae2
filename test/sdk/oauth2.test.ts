// OAuth2 through the official `appwrite` web SDK: the token variant built by
// account.createOAuth2Token, completed by account.createSession(userId, secret), and the
// identities it leaves, listed and deleted with account.listIdentities / account.deleteIdentity.
import { AppwriteException, OAuthProvider, Query } from 'appwrite';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { cookieClient } from '../helpers/sdk';
import { startTestServer, type TestServer } from '../helpers/test-instance';
import { Browser, startOidcMock, type OidcMock } from '../helpers/oidc-mock';

jest.mock('cross-fetch', () => ({ fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) }));

const APP = 'http://localhost:5556';
let mock: OidcMock;
let server: TestServer;

beforeAll(async () => {
  mock = await startOidcMock();
  server = await startTestServer({
    storage: createSqliteAdapter({ filename: ':memory:' }),
    oauth2: { oidc: { clientId: 'sdk-client', clientSecret: 'sdk-secret', issuer: mock.issuer } },
  });
});
afterAll(async () => {
  await server.close();
  await mock.stop();
});

test('createOAuth2Token → provider → success URL → createSession(userId, secret) → identities', async () => {
  await mock.setProfile({ sub: 'sdk-user-1', email: 'sdk-oauth@example.com', email_verified: true, name: 'Sdk Person' });
  const { account } = cookieClient(server.endpoint);
  const url = await account.createOAuth2Token(OAuthProvider.Oidc, `${APP}/done`, `${APP}/failed`, ['offline_access']);
  expect(typeof url).toBe('string');
  const start = new URL(url as unknown as string);
  expect(start.searchParams.get('project')).toBe('default');

  const { final } = await new Browser().follow(start.toString(), (u) => u.startsWith(APP));
  const landed = new URL(final);
  expect(landed.pathname).toBe('/done');
  const userId = landed.searchParams.get('userId')!;
  const secret = landed.searchParams.get('secret')!;

  const session = await account.createSession(userId, secret);
  expect(session).toMatchObject({ userId, provider: 'oidc' });
  const me = await account.get();
  expect(me).toMatchObject({ $id: userId, email: 'sdk-oauth@example.com', emailVerification: true, name: 'Sdk Person' });

  const identities = await account.listIdentities();
  expect(identities.total).toBe(1);
  expect(identities.identities[0]).toMatchObject({ userId, provider: 'oidc', providerUid: 'sdk-user-1', providerEmail: 'sdk-oauth@example.com' });
  expect((await account.listIdentities([Query.limit(1), Query.offset(1)])).identities).toEqual([]);
  expect((await account.listIdentities([Query.equal('provider', 'oidc'), Query.orderDesc('$createdAt')])).total).toBe(1);
  expect((await account.listIdentities([Query.equal('provider', 'github')])).identities).toEqual([]);

  await account.deleteIdentity(identities.identities[0]!.$id);
  expect((await account.listIdentities()).total).toBe(0);
  const again = await account.deleteIdentity(identities.identities[0]!.$id).catch((e: unknown) => e);
  expect(again).toBeInstanceOf(AppwriteException);
  expect((again as AppwriteException).type).toBe('user_identity_not_found');
});

test('createOAuth2Session URL runs the cookie dance', async () => {
  await mock.setProfile({ sub: 'sdk-user-2', email: 'sdk-oauth2@example.com', email_verified: true, name: 'Second' });
  const { account } = cookieClient(server.endpoint);
  const url = (await account.createOAuth2Session(OAuthProvider.Oidc, `${APP}/done`, `${APP}/failed`)) as unknown as string;
  const browser = new Browser();
  const { final } = await browser.follow(url, (u) => u.startsWith(APP));
  expect(final).toBe(`${APP}/done`);
  const session = browser.cookies.get('a_session_default')!;
  const me = await fetch(`${server.endpoint}/account`, { headers: { 'x-appwrite-session': session, 'x-appwrite-project': 'default' } });
  expect(await me.json()).toMatchObject({ email: 'sdk-oauth2@example.com' });
});
