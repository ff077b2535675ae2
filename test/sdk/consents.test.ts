// The Account consent routes of appwrite@27/28 through today's web SDK: the apps a user let in
// through the authorization server, their token families, and revoking either.
import { AppwriteException, Query } from 'appwrite28';
import { cookieClient28, uniqueEmail, type Sdk28User } from '../helpers/sdk';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/test-instance';
import { authorizationCode, tokenRequest, tokensFor } from '../helpers/idp-flow';

const REDIRECT = 'http://127.0.0.1:9/cb';
const SECRET = 'notes-secret-0123456789';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    identityProvider: {
      clients: [
        { id: 'notes', name: 'Notes', secret: SECRET, redirectUris: [REDIRECT] },
        { id: 'diary', name: 'Diary', redirectUris: [REDIRECT] },
      ],
    },
  });
});
afterAll(() => server.close());

async function user28(): Promise<Sdk28User & { cookie: string }> {
  const sdk = cookieClient28(server.endpoint);
  const email = uniqueEmail();
  await sdk.account.create({ userId: 'unique()', email, password: PASSWORD });
  await sdk.account.createEmailPasswordSession({ email, password: PASSWORD });
  return { ...sdk, cookie: [...sdk.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
}

const notes = { clientId: 'notes', secret: SECRET, redirectUri: REDIRECT, scope: 'openid email offline_access', resource: 'https://api.example/mcp' };

it('listConsents / getConsent: the models exactly as the SDK declares them', async () => {
  const user = await user28();
  expect(await user.account.listConsents()).toEqual({ total: 0, consents: [] });
  await tokensFor(server.endpoint, user.cookie, notes);
  await tokensFor(server.endpoint, user.cookie, { clientId: 'diary', redirectUri: REDIRECT, scope: 'openid' });
  const list = await user.account.listConsents();
  expect(list.total).toBe(2);
  const consent = list.consents.find((c) => c.appId === 'notes')!;
  expect(Object.keys(consent)).toEqual(['$id', '$createdAt', '$updatedAt', 'userId', 'appId', 'cimdUrl', 'scopes', 'resources', 'authorizationDetails', 'expire']);
  const me = await user.account.get();
  expect(consent).toMatchObject({ userId: me.$id, appId: 'notes', cimdUrl: '', scopes: ['openid', 'email', 'offline_access'], resources: ['https://api.example/mcp'], authorizationDetails: '[]', expire: '' });
  expect(await user.account.getConsent({ consentId: consent.$id })).toEqual(consent);
  const filtered = await user.account.listConsents({ queries: [Query.equal('appId', 'diary')] });
  expect(filtered.consents.map((c) => c.appId)).toEqual(['diary']);
});

it('listConsentTokens / getConsentToken / deleteConsentToken: one family per authorization, revoked alone', async () => {
  const user = await user28();
  const first = await tokensFor(server.endpoint, user.cookie, notes);
  const second = await tokensFor(server.endpoint, user.cookie, notes);
  const [consent] = (await user.account.listConsents()).consents;
  const tokens = await user.account.listConsentTokens({ consentId: consent!.$id });
  expect(tokens.total).toBe(2);
  const token = tokens.tokens[0]!;
  expect(Object.keys(token)).toEqual(['$id', '$createdAt', '$updatedAt', 'consentId', 'userId', 'appId', 'cimdUrl', 'scopes', 'resources', 'authorizationDetails', 'expire']);
  expect(JSON.stringify(tokens)).not.toContain(first.refresh_token!.split('.')[2]!);
  expect(await user.account.getConsentToken({ consentId: consent!.$id, tokenId: token.$id })).toEqual(token);
  await user.account.deleteConsentToken({ consentId: consent!.$id, tokenId: token.$id });
  expect((await user.account.listConsentTokens({ consentId: consent!.$id })).total).toBe(1);
  // Newest first: the second authorization's family went; the first still refreshes.
  const refreshed = (token: string) => tokenRequest(server.endpoint, { grant_type: 'refresh_token', refresh_token: token }, { clientId: 'notes', secret: SECRET });
  expect((await refreshed(second.refresh_token!)).body.error).toBe('invalid_grant');
  expect((await refreshed(first.refresh_token!)).status).toBe(200);
});

it('deleteConsent revokes every family under it, and the app must ask again', async () => {
  const user = await user28();
  const tokens = await tokensFor(server.endpoint, user.cookie, notes);
  const [consent] = (await user.account.listConsents()).consents;
  await user.account.deleteConsent({ consentId: consent!.$id });
  expect(await user.account.listConsents()).toEqual({ total: 0, consents: [] });
  const refresh = await tokenRequest(server.endpoint, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { clientId: 'notes', secret: SECRET });
  expect(refresh.body.error).toBe('invalid_grant');
  const again = await authorizationCode(server.endpoint, user.cookie, { ...notes, decision: 'deny' });
  expect([again.consentShown, again.error]).toEqual([true, 'access_denied']);
});

it("another user's consent is 404 oauth2_consent_not_found", async () => {
  const owner = await user28();
  await tokensFor(server.endpoint, owner.cookie, notes);
  const [consent] = (await owner.account.listConsents()).consents;
  const stranger = await user28();
  for (const call of [
    () => stranger.account.getConsent({ consentId: consent!.$id }),
    () => stranger.account.deleteConsent({ consentId: consent!.$id }),
    () => stranger.account.listConsentTokens({ consentId: consent!.$id }),
  ]) {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppwriteException);
    expect([(error as AppwriteException).code, (error as AppwriteException).type]).toEqual([404, 'oauth2_consent_not_found']);
  }
  expect((await owner.account.listConsents()).total).toBe(1);
});
