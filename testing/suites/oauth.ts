// The authorization server's stores: clients, consents (one per user and client), single-use codes
// (one winner among 20 concurrent redeemers), token families whose refresh rotation has one winner
// per generation, and signing keys that stay listed until they expire.

import type { OAuthClientRecord, OAuthCodeRecord, OAuthConsentRecord, OAuthGrantRecord, SigningKeyRecord, StorageAdapter } from '../../adapters/types';
import { expectConflict, times, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

let sequence = 0;
const nextId = (prefix: string): string => `${prefix}${String(++sequence).padStart(6, '0')}`;

export function makeOAuthClient(overrides: Partial<OAuthClientRecord> = {}): OAuthClientRecord {
  return {
    id: nextId('client'),
    createdAt: at(0),
    updatedAt: at(1),
    name: 'Notes app ✍',
    secretHash: 'hash:client-secret',
    redirectUris: ['https://notes.example/callback', 'http://127.0.0.1:8080/cb'],
    scopes: [],
    source: 'host',
    clientUri: 'https://notes.example',
    expire: null,
    accessTokenFormat: 'jwt',
    ...overrides,
  };
}

export function makeOAuthConsent(userId: string, clientId: string, overrides: Partial<OAuthConsentRecord> = {}): OAuthConsentRecord {
  return {
    id: nextId('consent'),
    userId,
    clientId,
    createdAt: at(0),
    updatedAt: at(0),
    scopes: ['openid', 'email'],
    resources: ['https://api.example/mcp'],
    authorizationDetails: [{ type: 'payment_initiation', amount: { currency: 'EUR', value: '12.50' } }],
    expire: null,
    ...overrides,
  };
}

export function makeOAuthCode(consent: OAuthConsentRecord, overrides: Partial<OAuthCodeRecord> = {}): OAuthCodeRecord {
  return {
    codeHash: nextId('code-hash'),
    clientId: consent.clientId,
    userId: consent.userId,
    consentId: consent.id,
    sessionId: 'session1',
    redirectUri: 'https://notes.example/callback',
    scopes: consent.scopes,
    resources: consent.resources,
    authorizationDetails: null,
    nonce: 'n-0S6_WzA2Mj',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    authTime: at(-MINUTE),
    amr: ['pwd', 'otp'],
    createdAt: at(0),
    expire: at(MINUTE),
    ...overrides,
  };
}

export function makeOAuthGrant(consent: OAuthConsentRecord, overrides: Partial<OAuthGrantRecord> = {}): OAuthGrantRecord {
  return {
    id: nextId('grant'),
    consentId: consent.id,
    userId: consent.userId,
    clientId: consent.clientId,
    createdAt: at(0),
    updatedAt: at(0),
    scopes: consent.scopes,
    resources: consent.resources,
    authorizationDetails: consent.authorizationDetails,
    authTime: at(-MINUTE),
    amr: ['pwd'],
    expire: at(60 * MINUTE),
    generation: 1,
    refreshHash: 'hash:refresh-1',
    accessHash: null,
    accessClaims: null,
    ...overrides,
  };
}

export function makeSigningKey(overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  return {
    id: nextId('key'),
    alg: 'ES256',
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' },
    privateKey: 'sealed:private-key',
    createdAt: at(0),
    expire: at(60 * MINUTE),
    ...overrides,
  };
}

/** A user, a client and the user's consent for it. */
async function consented(a: StorageAdapter, createUser: () => Promise<{ id: string }>): Promise<OAuthConsentRecord> {
  const user = await createUser();
  const client = await a.oauthClients.create(makeOAuthClient());
  return a.oauthConsents.grant(makeOAuthConsent(user.id, client.id));
}

export const oauthSuite = defineSuite('oauth', {
  'creates, reads, replaces and deletes a client': async ({ a }) => {
    const client = makeOAuthClient();
    expect(await a.oauthClients.create(client)).toEqual(client);
    expect(await a.oauthClients.get(client.id)).toEqual(client);
    expect(await a.oauthClients.get('missing')).toBeNull();
    await expectConflict(a.oauthClients.create(makeOAuthClient({ id: client.id })), 'oauthClient', 'id');
    const cached = makeOAuthClient({ id: 'https://agent.example/client.json', secretHash: null, source: 'metadata', expire: at(MINUTE) });
    expect(await a.oauthClients.put(cached)).toEqual(cached);
    const refreshed = { ...cached, name: 'Agent 2', updatedAt: at(MINUTE), expire: at(2 * MINUTE), redirectUris: ['http://127.0.0.1/cb'] };
    expect(await a.oauthClients.put(refreshed)).toEqual(refreshed);
    expect(await a.oauthClients.get(cached.id)).toEqual(refreshed);
    expect(await a.oauthClients.delete(client.id)).toBe(true);
    expect(await a.oauthClients.delete(client.id)).toBe(false);
    expect(await a.oauthClients.get(client.id)).toBeNull();
  },

  'keeps one consent per user and client, replacing its grant but not its id': async ({ a, createUser }) => {
    const consent = await consented(a, createUser);
    expect(await a.oauthConsents.get(consent.id)).toEqual(consent);
    const again = makeOAuthConsent(consent.userId, consent.clientId, {
      createdAt: at(MINUTE), updatedAt: at(MINUTE), scopes: ['openid', 'email', 'offline_access'], resources: [], authorizationDetails: null,
    });
    const stored = await a.oauthConsents.grant(again);
    expect(stored).toEqual({ ...again, id: consent.id, createdAt: consent.createdAt });
    expect(await a.oauthConsents.getByClient(consent.userId, consent.clientId)).toEqual(stored);
    expect(await a.oauthConsents.getByClient(consent.userId, 'other')).toBeNull();
  },

  'lists a user\'s consents newest first with the total': async ({ a, createUser }) => {
    const user = await createUser();
    const clients = await Promise.all(times(3, () => a.oauthClients.create(makeOAuthClient())));
    const consents = [];
    for (const [i, client] of clients.entries()) consents.push(await a.oauthConsents.grant(makeOAuthConsent(user.id, client.id, { createdAt: at(i * MINUTE) })));
    expect(await a.oauthConsents.listByUser(user.id, { limit: 2, offset: 0 })).toEqual({ total: 3, items: [consents[2], consents[1]] });
    expect(await a.oauthConsents.listByUser(user.id, { limit: 2, offset: 2 })).toEqual({ total: 3, items: [consents[0]] });
    expect(await a.oauthConsents.listByUser('nobody', { limit: 2, offset: 0 })).toEqual({ total: 0, items: [] });
  },

  'deleting a consent deletes its codes and token families; deleting the user deletes the consent': async ({ a, createUser }) => {
    const consent = await consented(a, createUser);
    const code = await a.oauthCodes.create(makeOAuthCode(consent));
    const grant = await a.oauthGrants.create(makeOAuthGrant(consent));
    expect(await a.oauthConsents.delete(consent.id)).toBe(true);
    expect(await a.oauthConsents.delete(consent.id)).toBe(false);
    expect(await a.oauthCodes.consume(code.codeHash, at(0))).toBeNull();
    expect(await a.oauthGrants.get(grant.id)).toBeNull();
    const other = await consented(a, createUser);
    await a.users.delete(other.userId);
    expect(await a.oauthConsents.get(other.id)).toBeNull();
  },

  'gives a code to exactly one of 20 concurrent redeemers, and never after it expired': async ({ a, createUser }) => {
    const consent = await consented(a, createUser);
    const code = await a.oauthCodes.create(makeOAuthCode(consent));
    const results = await Promise.all(times(20, () => a.oauthCodes.consume(code.codeHash, at(0))));
    expect(results.filter((r) => r !== null)).toEqual([code]);
    const late = await a.oauthCodes.create(makeOAuthCode(consent, { expire: at(MINUTE) }));
    expect(await a.oauthCodes.consume(late.codeHash, at(MINUTE))).toBeNull();
    expect(await a.oauthCodes.consume(late.codeHash, at(0))).toBeNull();
    const kept = await a.oauthCodes.create(makeOAuthCode(consent, { expire: at(5 * MINUTE) }));
    await a.oauthCodes.create(makeOAuthCode(consent, { expire: at(MINUTE) }));
    expect(await a.oauthCodes.deleteExpired(at(MINUTE))).toBe(1);
    expect(await a.oauthCodes.consume(kept.codeHash, at(0))).toEqual(kept);
  },

  'rotates a token family for exactly one of 20 concurrent callers per generation': async ({ a, createUser }) => {
    const consent = await consented(a, createUser);
    const grant = await a.oauthGrants.create(makeOAuthGrant(consent));
    expect(await a.oauthGrants.get(grant.id)).toEqual(grant);
    const results = await Promise.all(
      times(20, (i) => a.oauthGrants.rotate({ id: grant.id, generation: 1, refreshHash: `hash:${i}`, expire: at(90 * MINUTE), now: at(MINUTE) })),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toEqual({ ...grant, generation: 2, refreshHash: winners[0]!.refreshHash, expire: at(90 * MINUTE), updatedAt: at(MINUTE) });
    expect(await a.oauthGrants.get(grant.id)).toEqual(winners[0]);
    expect(await a.oauthGrants.rotate({ id: grant.id, generation: 1, refreshHash: 'x', expire: at(99 * MINUTE), now: at(MINUTE) })).toBeNull();
    expect(await a.oauthGrants.rotate({ id: grant.id, generation: 2, refreshHash: 'x', expire: at(99 * MINUTE), now: at(90 * MINUTE) })).toBeNull();
  },

  'finds a token family by its current opaque access token only, and keeps the client setting': async ({ a, createUser }) => {
    const client = await a.oauthClients.create(makeOAuthClient({ accessTokenFormat: 'opaque' }));
    expect((await a.oauthClients.get(client.id))?.accessTokenFormat).toBe('opaque');
    expect((await a.oauthClients.put({ ...client, accessTokenFormat: 'jwt' })).accessTokenFormat).toBe('jwt');
    const consent = await consented(a, createUser);
    const grant = await a.oauthGrants.create(makeOAuthGrant(consent));
    expect(await a.oauthGrants.getByAccessHash('hash:access-1')).toBeNull();
    const claims = { sub: consent.userId, scope: 'openid email', aud: ['https://api.example/mcp'], exp: 1_700_000_900, nested: { ok: true } };
    expect(await a.oauthGrants.setAccessToken({ id: grant.id, accessHash: 'hash:access-1', accessClaims: claims })).toBe(true);
    expect(await a.oauthGrants.getByAccessHash('hash:access-1')).toEqual({ ...grant, accessHash: 'hash:access-1', accessClaims: claims });
    expect(await a.oauthGrants.setAccessToken({ id: grant.id, accessHash: 'hash:access-2', accessClaims: claims })).toBe(true);
    expect(await a.oauthGrants.getByAccessHash('hash:access-1')).toBeNull();
    expect((await a.oauthGrants.getByAccessHash('hash:access-2'))?.id).toBe(grant.id);
    // Rotating the refresh token keeps the access token until the caller replaces it.
    await a.oauthGrants.rotate({ id: grant.id, generation: 1, refreshHash: 'hash:refresh-2', expire: at(90 * MINUTE), now: at(MINUTE) });
    expect((await a.oauthGrants.getByAccessHash('hash:access-2'))?.generation).toBe(2);
    expect(await a.oauthGrants.delete(grant.id)).toBe(true);
    expect(await a.oauthGrants.getByAccessHash('hash:access-2')).toBeNull();
    expect(await a.oauthGrants.setAccessToken({ id: grant.id, accessHash: 'hash:access-3', accessClaims: claims })).toBe(false);
  },

  'lists, deletes and prunes token families': async ({ a, createUser }) => {
    const consent = await consented(a, createUser);
    const older = await a.oauthGrants.create(makeOAuthGrant(consent, { refreshHash: null, expire: at(MINUTE) }));
    const newer = await a.oauthGrants.create(makeOAuthGrant(consent, { createdAt: at(MINUTE) }));
    expect(await a.oauthGrants.listByConsent(consent.id, { limit: 10, offset: 0 })).toEqual({ total: 2, items: [newer, older] });
    expect(await a.oauthGrants.listByConsent('none', { limit: 10, offset: 0 })).toEqual({ total: 0, items: [] });
    expect(await a.oauthGrants.deleteExpired(at(MINUTE))).toBe(1);
    expect(await a.oauthGrants.delete(newer.id)).toBe(true);
    expect(await a.oauthGrants.delete(newer.id)).toBe(false);
    expect(await a.oauthGrants.listByConsent(consent.id, { limit: 10, offset: 0 })).toEqual({ total: 0, items: [] });
  },

  'lists live signing keys newest first and prunes expired ones': async ({ a }) => {
    const old = await a.signingKeys.create(makeSigningKey({ createdAt: at(0), expire: at(MINUTE) }));
    const current = await a.signingKeys.create(makeSigningKey({ alg: 'RS256', createdAt: at(30_000), publicJwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }));
    expect(await a.signingKeys.list(at(0))).toEqual([current, old]);
    expect(await a.signingKeys.list(at(MINUTE))).toEqual([current]);
    expect(await a.signingKeys.deleteExpired(at(MINUTE))).toBe(1);
    expect(await a.signingKeys.list(at(0))).toEqual([current]);
  },
});
