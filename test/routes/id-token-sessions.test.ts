// createIdTokenSession (POST /account/sessions/id-token) over HTTP, against a real local issuer
// (oauth2-mock-server: discovery, JWKS, RS256 and ES256 signing) configured as both Google and
// Apple: valid tokens of each profile, wrong audience, expired, bad signature, wrong nonce, a key
// rotated in, account resolution and linking, the 409s, the parameters and the rate limit.
import { createHash } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import type { AccountRouter, AccountRouterOptions, StorageAdapter } from '../../lib';
import { cookieOf, expectError, PASSWORD, signedIn, signIn, signUp, testInstance } from '../helpers/test-instance';
import { startIdTokenIssuer, type IdTokenIssuer } from '../helpers/id-token-issuer';

const GOOGLE_CLIENT = 'web-client.apps.googleusercontent.com';
const APPLE_CLIENT = 'com.example.app';
const NONCE = 'a-random-nonce-the-app-made';
const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

let issuer: IdTokenIssuer;
beforeAll(async () => {
  issuer = await startIdTokenIssuer();
});
afterAll(() => issuer.stop());

let router: AccountRouter;
let app: express.Express;
let storage: StorageAdapter;
function setUp(options: AccountRouterOptions = {}) {
  ({ router, app, storage } = testInstance({
    idTokens: { google: { clientIds: [GOOGLE_CLIENT, 'android-client.apps.googleusercontent.com'], issuer: issuer.issuer }, apple: { clientIds: [APPLE_CLIENT], issuer: issuer.issuer } },
    ...options,
  }));
}
beforeEach(() => setUp());
afterEach(() => router.close());

let n = 0;
/** Each profile's valid token for a new provider account, and what the app sends with it. */
const PROFILES = [
  {
    provider: 'google' as const,
    kid: 'rs-1',
    claims: () => ({ aud: GOOGLE_CLIENT, sub: `1101694844743862${++n}`, email: `Jane.Doe${n}@Example.com`, email_verified: true, name: 'Jane Doe' }),
    body: {} as Record<string, unknown>,
    name: 'Jane Doe',
  },
  {
    provider: 'apple' as const,
    kid: 'es-1',
    claims: () => ({ aud: APPLE_CLIENT, sub: `001234.abcdef${++n}.0042`, email: `x7k2${n}@privaterelay.appleid.com`, email_verified: 'true', is_private_email: 'true', nonce: sha256Hex(NONCE) }),
    // Apple puts no name in the token: the app forwards the one it got on the first authorization.
    body: { nonce: NONCE, name: 'Jane Appleseed' } as Record<string, unknown>,
    name: 'Jane Appleseed',
  },
];

const signInWith = (body: Record<string, unknown>, cookie?: string) => {
  const req = request(app).post('/v1/account/sessions/id-token').set('X-Appwrite-Response-Format', '2.3.0');
  return (cookie ? req.set('Cookie', cookie) : req).send(body);
};

describe.each(PROFILES)('$provider profile', (profile) => {
  const token = (claims: Record<string, unknown> = {}, extra: { kid?: string; expiresIn?: number; remove?: string[] } = {}) =>
    issuer.token({ kid: extra.kid ?? profile.kid, expiresIn: extra.expiresIn, claims: { ...profile.claims(), ...claims }, remove: extra.remove });

  it('a valid token creates the user and a session (201, cookie, factors email+oauth2) and keeps the token on the identity', async () => {
    const claims = profile.claims();
    const idToken = await issuer.token({ kid: profile.kid, claims });
    const res = await signInWith({ provider: profile.provider, idToken, ...profile.body });
    expect(res.status).toBe(201);
    expect(res.headers['set-cookie']![0]).toMatch(/^a_session_default=/);
    expect(res.body).toMatchObject({ provider: profile.provider, providerUid: claims.sub, factors: ['email', 'oauth2'], current: true, providerRefreshToken: '' });
    const cookie = cookieOf(res);
    const account = await request(app).get('/v1/account').set('Cookie', cookie);
    expect(account.body).toMatchObject({ email: claims.email.toLowerCase(), emailVerification: true, name: profile.name, passwordUpdate: '' });
    const identities = await request(app).get('/v1/account/identities').set('Cookie', cookie).set('X-Appwrite-Response-Format', '2.3.0');
    expect(identities.body.identities).toEqual([expect.objectContaining({ provider: profile.provider, providerUid: claims.sub, providerEmail: claims.email.toLowerCase(), providerIdToken: idToken })]);
    // Encrypted at rest, like the identity's other tokens.
    const stored = (await storage.identities.getByProviderUid(profile.provider, claims.sub))!;
    expect(stored.providerIdToken).toMatch(/^v1\./);
    expect(stored.providerIdToken).not.toContain(idToken.split('.')[1]);
    // The same provider account signs in to the same user.
    const again = await signInWith({ provider: profile.provider, idToken: await issuer.token({ kid: profile.kid, claims }), ...profile.body });
    expect([again.status, again.body.userId]).toEqual([201, res.body.userId]);
  });

  it('a token for another client (wrong audience) is 401 user_oauth2_token_invalid, naming the check', async () => {
    const res = await signInWith({ provider: profile.provider, idToken: await token({ aud: 'com.someone.else' }), ...profile.body });
    expectError(res, 401, 'user_oauth2_token_invalid');
    expect(res.body.message).toMatch(/^Audience mismatch/);
  });

  it('an expired token is 401', async () => {
    const res = await signInWith({ provider: profile.provider, idToken: await token({ iat: Math.floor(Date.now() / 1000) - 7200 }, { expiresIn: -3600 }), ...profile.body });
    expectError(res, 401, 'user_oauth2_token_invalid');
    expect(res.body.message).toBe('Token expired.');
  });

  it('a token whose payload was changed after signing (bad signature) is 401', async () => {
    const [header, , signature] = (await token()).split('.');
    const forged = Buffer.from(JSON.stringify({ ...profile.claims(), iss: issuer.issuer, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const res = await signInWith({ provider: profile.provider, idToken: `${header}.${forged}.${signature}`, ...profile.body });
    expectError(res, 401, 'user_oauth2_token_invalid');
    expect(res.body.message).toBe('Invalid token signature.');
  });

  it('a nonce that does not match the token is 401', async () => {
    const res = await signInWith({ provider: profile.provider, idToken: await token({ nonce: sha256Hex(NONCE) }), ...profile.body, nonce: 'another nonce' });
    expectError(res, 401, 'user_oauth2_token_invalid');
    expect(res.body.message).toBe('Nonce mismatch.');
  });

  it('a token signed with a key the issuer rotated in after the keys were cached is accepted (one refetch)', async () => {
    expect((await signInWith({ provider: profile.provider, idToken: await token(), ...profile.body })).status).toBe(201);
    const kid = `${profile.kid}-rotated-${profile.provider}`;
    await issuer.addKey(profile.kid.startsWith('es') ? 'ES256' : 'RS256', kid);
    const res = await signInWith({ provider: profile.provider, idToken: await token({}, { kid }), ...profile.body });
    expect(res.status).toBe(201);
  });
});

describe('the nonce rules of each provider', () => {
  it('Apple requires a nonce; Google accepts a token without one, with or without a nonce sent', async () => {
    const apple = await issuer.token({ kid: 'es-1', claims: { ...PROFILES[1]!.claims(), nonce: undefined }, remove: ['nonce'] });
    expectError(await signInWith({ provider: 'apple', idToken: apple, nonce: NONCE }), 401, 'user_oauth2_token_invalid');
    const google = await issuer.token({ claims: PROFILES[0]!.claims() });
    expect((await signInWith({ provider: 'google', idToken: google, nonce: NONCE })).status).toBe(201);
  });

  it('a nonce claim equal to the raw nonce (not its SHA-256) is refused by default', async () => {
    const idToken = await issuer.token({ claims: { ...PROFILES[0]!.claims(), nonce: NONCE } });
    expectError(await signInWith({ provider: 'google', idToken, nonce: NONCE }), 401, 'user_oauth2_token_invalid');
  });
});

describe('account resolution', () => {
  const google = (claims: Record<string, unknown> = {}) => issuer.token({ claims: { ...PROFILES[0]!.claims(), ...claims } });

  it('signs in to the existing account with the verified email; an unverified one is 400', async () => {
    const { $id: id } = await signUp(app, 'ada@example.com');
    const res = await signInWith({ provider: 'google', idToken: await google({ email: 'ADA@example.com', email_verified: true }) });
    expect([res.status, res.body.userId]).toEqual([201, id]);
    await signUp(app, 'bob@example.com');
    expectError(await signInWith({ provider: 'google', idToken: await google({ email: 'bob@example.com', email_verified: false }) }), 400, 'general_bad_request');
  });

  it('links to the signed-in caller: the identity joins the account, the new session replaces the old one', async () => {
    const { id, cookie } = await signedIn(app, 'ada@example.com');
    const res = await signInWith({ provider: 'google', idToken: await google({ email: 'ada.work@example.com' }) }, cookie);
    expect([res.status, res.body.userId]).toEqual([201, id]);
    expectError(await request(app).get('/v1/account').set('Cookie', cookie), 401, 'general_unauthorized_scope');
    const identities = await request(app).get('/v1/account/identities').set('Cookie', cookieOf(res));
    expect(identities.body.identities.map((i: { provider: string }) => i.provider)).toEqual(['google']);
  });

  it('upgrades an anonymous caller, giving it the verified email', async () => {
    const anonymous = await request(app).post('/v1/account/sessions/anonymous');
    const res = await signInWith({ provider: 'google', idToken: await google({ email: 'anon@example.com' }) }, cookieOf(anonymous));
    expect([res.status, res.body.userId]).toEqual([201, anonymous.body.userId]);
    expect((await request(app).get('/v1/account').set('Cookie', cookieOf(res))).body).toMatchObject({ email: 'anon@example.com', emailVerification: true, name: 'Jane Doe' });
  });

  it('409 user_already_exists when the provider account is linked to someone else, or its email is another user’s', async () => {
    const sub = 'google-account-of-bob';
    const bob = await signInWith({ provider: 'google', idToken: await google({ sub, email: 'bob@example.com' }) });
    expect(bob.status).toBe(201);
    const ada = await signedIn(app, 'ada@example.com');
    expectError(await signInWith({ provider: 'google', idToken: await google({ sub }) }, ada.cookie), 409, 'user_already_exists');
    await signUp(app, 'carol@example.com');
    expectError(await signInWith({ provider: 'google', idToken: await google({ email: 'carol@example.com' }) }, ada.cookie), 409, 'user_already_exists');
    // Nothing changed for the caller.
    expect((await request(app).get('/v1/account/identities').set('Cookie', ada.cookie)).body.total).toBe(0);
  });

  it('a blocked account is 401 user_blocked', async () => {
    const res = await signInWith({ provider: 'google', idToken: await google({ sub: 'blocked-one' }) });
    await storage.users.update(res.body.userId, { status: false });
    expectError(await signInWith({ provider: 'google', idToken: await google({ sub: 'blocked-one' }) }), 401, 'user_blocked');
  });

  it('keeps an access token and its lifetime on the session and the identity', async () => {
    const res = await signInWith({ provider: 'google', idToken: await google(), accessToken: 'ya29.provider-access', accessTokenExpiry: 3599 });
    expect(res.body.providerAccessToken).toBe('ya29.provider-access');
    expect(Math.abs(new Date(res.body.providerAccessTokenExpiry).getTime() - (Date.now() + 3_599_000))).toBeLessThan(5000);
    const identity = (await request(app).get('/v1/account/identities').set('Cookie', cookieOf(res))).body.identities[0];
    expect(identity.providerAccessToken).toBe('ya29.provider-access');
  });
});

describe('parameters and configuration', () => {
  it('400 for a missing or oversized token, an unknown provider or a bad lifetime; 400 project_provider_unsupported for a provider without native sign-in', async () => {
    expectError(await signInWith({ provider: 'google' }), 400, 'general_argument_invalid');
    expectError(await signInWith({ provider: 'google', idToken: 'x'.repeat(8193) }), 400, 'general_argument_invalid');
    expectError(await signInWith({ provider: 'myspace', idToken: 'a.b.c' }), 400, 'general_argument_invalid');
    expectError(await signInWith({ provider: 'google', idToken: 'a.b.c', accessTokenExpiry: -1 }), 400, 'general_argument_invalid');
    expectError(await signInWith({ provider: 'github', idToken: 'a.b.c' }), 400, 'project_provider_unsupported');
  });

  it('a provider not configured is 412 project_provider_disabled; the browser-flow settings do not enable it', async () => {
    await router.close();
    setUp({ idTokens: {}, oauth2: { google: { clientId: GOOGLE_CLIENT, clientSecret: 'secret' } } });
    expectError(await signInWith({ provider: 'google', idToken: await issuer.token({ claims: PROFILES[0]!.claims() }) }), 412, 'project_provider_disabled');
  });

  it('a provider whose keys cannot be fetched is 424 user_oauth2_provider_error', async () => {
    await router.close();
    setUp({ logger: { error: () => undefined, warn: () => undefined } });
    const idToken = await issuer.token({ claims: PROFILES[0]!.claims() });
    await issuer.setJwks('error');
    try {
      expectError(await signInWith({ provider: 'google', idToken }), 424, 'user_oauth2_provider_error');
    } finally {
      await issuer.setJwks('up');
    }
  });

  it('bad idTokens options throw a TypeError naming the option', () => {
    expect(() => testInstance({ idTokens: { google: { clientIds: [] } } })).toThrow(/option `idTokens\.google\.clientIds`/);
    expect(() => testInstance({ idTokens: { google: { clientIds: ['x'], issuer: 'http://evil.example.com' } } })).toThrow(/option `idTokens\.google\.issuer`/);
    expect(() => testInstance({ idTokens: { github: { clientIds: ['x'] } } as never })).toThrow(/option `idTokens\.github`/);
  });

  it('is rate limited to 10 per hour per IP, reset by a success, with the X-RateLimit headers', async () => {
    await router.close();
    setUp({ rateLimits: true });
    const bad = () => signInWith({ provider: 'google', idToken: 'not.a.token' });
    const first = await bad();
    expect([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']]).toEqual(['10', '9']);
    for (let i = 1; i < 9; i++) expectError(await bad(), 401, 'user_oauth2_token_invalid');
    // A success forgives the failures before it.
    expect((await signInWith({ provider: 'google', idToken: await issuer.token({ claims: PROFILES[0]!.claims() }) })).status).toBe(201);
    for (let i = 0; i < 10; i++) expectError(await bad(), 401, 'user_oauth2_token_invalid');
    expectError(await bad(), 429, 'general_rate_limit_exceeded');
  });

  it('writes session.create to the security log', async () => {
    const res = await signInWith({ provider: 'google', idToken: await issuer.token({ claims: PROFILES[0]!.claims() }) });
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookieOf(res));
    expect(logs.body.logs.map((l: { event: string }) => l.event)).toEqual(['session.create']);
  });
});

it('a session from an ID token is complete even when the account has MFA on', async () => {
  const { cookie } = await signedIn(app, 'mfa@example.com');
  await storage.users.update((await request(app).get('/v1/account').set('Cookie', cookie)).body.$id, { mfa: true, emailVerification: true });
  const res = await signInWith({ provider: 'google', idToken: await issuer.token({ claims: { ...PROFILES[0]!.claims(), email: 'mfa@example.com' } }) });
  expect((await request(app).get('/v1/account').set('Cookie', cookieOf(res))).status).toBe(200);
  // A password sign-in of the same account still owes its second factor.
  expectError(await request(app).get('/v1/account').set('Cookie', await signIn(app, 'mfa@example.com', PASSWORD)), 401, 'user_more_factors_required');
});
