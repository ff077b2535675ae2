// The caller's OAuth2 consents (appwrite@27+): what third-party apps the user let in through the
// authorization server (lib/idp/), and the token families each holds. Deleting a consent revokes
// every token family under it, and the app must ask again; secrets are never part of a model.
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR, type Services } from '../route';
import type { OAuthConsentRecord, OAuthGrantRecord } from '../../adapters/types';
import type { ConsentToken } from '../models';
import { MAX_LIMIT, queryInMemory, type QueryAttribute } from '../core/queries';

const CONSENT_ATTRIBUTES: Record<string, QueryAttribute<OAuthConsentRecord>> = {
  $id: { read: (c) => c.id },
  $createdAt: { read: (c) => c.createdAt, date: true },
  $updatedAt: { read: (c) => c.updatedAt, date: true },
  userId: { read: (c) => c.userId },
  appId: { read: (c) => (c.clientId.startsWith('https://') ? '' : c.clientId) },
  cimdUrl: { read: (c) => (c.clientId.startsWith('https://') ? c.clientId : '') },
  expire: { read: (c) => c.expire, date: true },
};

const TOKEN_ATTRIBUTES: Record<string, QueryAttribute<OAuthGrantRecord>> = {
  $id: { read: (t) => t.id },
  $createdAt: { read: (t) => t.createdAt, date: true },
  $updatedAt: { read: (t) => t.updatedAt, date: true },
  consentId: { read: (t) => t.consentId },
  userId: { read: (t) => t.userId },
  appId: { read: (t) => (t.clientId.startsWith('https://') ? '' : t.clientId) },
  cimdUrl: { read: (t) => (t.clientId.startsWith('https://') ? t.clientId : '') },
};

/** The caller's consent; another user's is reported as unknown (ids of other accounts are not confirmed). */
async function ownConsent(services: Services, userId: string, consentId: string): Promise<OAuthConsentRecord> {
  const consent = await services.storage.oauthConsents.get(consentId);
  if (!consent || consent.userId !== userId) throw new AccountError('oauth2_consent_not_found');
  return consent;
}

/** The family as the model shows it: `expire` is when its current access token ends. */
function asConsentToken(services: Services, grant: OAuthGrantRecord): ConsentToken {
  const seconds = services.config.identityProvider?.accessTokenSeconds ?? 0;
  const accessTokenExpire = new Date(Math.min(grant.updatedAt.getTime() + seconds * 1000, grant.expire.getTime()));
  return { ...grant, accessTokenExpire };
}

const listParams = { queries: p.stringArray(100, 4096).optional([]), total: p.looseBoolean().optional(true) };

/**
 * The apps the caller consented to. `queries` filters (`equal`, `notEqual`, `lessThan`,
 * `greaterThan`, `between`, `startsWith`, …) on `$id`, `$createdAt`, `$updatedAt`, `userId`,
 * `appId`, `cimdUrl` and `expire`, orders, pages with cursors, `limit` and `offset`.
 */
export const listConsents = defineRoute({
  method: 'get',
  path: '/account/consents',
  scope: 'user',
  params: listParams,
  status: 200,
  model: 'oauth2ConsentList',
  sdk: 'listConsents',
  async handler({ services, params, caller }) {
    // A user consents to a handful of apps, so the filters run over all of them here.
    const all = await services.storage.oauthConsents.listByUser(caller.user.id, { limit: MAX_LIMIT, offset: 0 });
    const found = queryInMemory(all.items, params.queries, CONSENT_ATTRIBUTES, (consent) => consent.id);
    return { total: params.total ? found.total : 0, items: found.items };
  },
});

/** One of the caller's consents; another user's is 404 `oauth2_consent_not_found`. */
export const getConsent = defineRoute({
  method: 'get',
  path: '/account/consents/:consentId',
  scope: 'user',
  params: { consentId: p.uid() },
  status: 200,
  model: 'oauth2Consent',
  sdk: 'getConsent',
  async handler({ services, params, caller }) {
    return ownConsent(services, caller.user.id, params.consentId);
  },
});

/** Revokes a consent: every token family under it ends (refresh and access tokens), and the app must ask again. */
export const deleteConsent = defineRoute({
  method: 'delete',
  path: '/account/consents/:consentId',
  scope: 'user',
  rateLimit: { limit: 100, windowMs: HOUR, keys: [['url', 'ip']] },
  params: { consentId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'deleteConsent',
  audit: 'oauth2.consent.delete',
  async handler({ services, params, caller }) {
    const consent = await ownConsent(services, caller.user.id, params.consentId);
    if (!(await services.storage.oauthConsents.delete(consent.id))) throw new AccountError('oauth2_consent_not_found');
  },
});

/**
 * The token families issued under one of the caller's consents (one per authorized device or
 * sign-in), with the same `queries` as `listConsents` on `$id`, `$createdAt`, `$updatedAt`,
 * `consentId`, `userId`, `appId` and `cimdUrl`.
 */
export const listConsentTokens = defineRoute({
  method: 'get',
  path: '/account/consents/:consentId/tokens',
  scope: 'user',
  params: { consentId: p.uid(), ...listParams },
  status: 200,
  model: 'oauth2ConsentTokenList',
  sdk: 'listConsentTokens',
  async handler({ services, params, caller }) {
    const consent = await ownConsent(services, caller.user.id, params.consentId);
    const all = await services.storage.oauthGrants.listByConsent(consent.id, { limit: MAX_LIMIT, offset: 0 });
    const live = all.items.filter((grant) => grant.expire > services.now());
    const found = queryInMemory(live, params.queries, TOKEN_ATTRIBUTES, (grant) => grant.id);
    return { total: params.total ? found.total : 0, items: found.items.map((grant) => asConsentToken(services, grant)) };
  },
});

/** Loads a token family of one of the caller's consents, or 404. */
async function ownToken(services: Services, userId: string, consentId: string, tokenId: string): Promise<OAuthGrantRecord> {
  const consent = await ownConsent(services, userId, consentId);
  const grant = await services.storage.oauthGrants.get(tokenId);
  if (!grant || grant.consentId !== consent.id || grant.expire <= services.now()) throw new AccountError('oauth2_consent_token_not_found');
  return grant;
}

/** One token family of one of the caller's consents; its secrets are never returned. */
export const getConsentToken = defineRoute({
  method: 'get',
  path: '/account/consents/:consentId/tokens/:tokenId',
  scope: 'user',
  params: { consentId: p.uid(), tokenId: p.uid() },
  status: 200,
  model: 'oauth2ConsentToken',
  sdk: 'getConsentToken',
  async handler({ services, params, caller }) {
    return asConsentToken(services, await ownToken(services, caller.user.id, params.consentId, params.tokenId));
  },
});

/** Revokes one token family (one device); the consent stays, so the app may sign in again without asking. */
export const deleteConsentToken = defineRoute({
  method: 'delete',
  path: '/account/consents/:consentId/tokens/:tokenId',
  scope: 'user',
  rateLimit: { limit: 100, windowMs: HOUR, keys: [['url', 'ip']] },
  params: { consentId: p.uid(), tokenId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'deleteConsentToken',
  audit: 'oauth2.token.delete',
  async handler({ services, params, caller }) {
    const grant = await ownToken(services, caller.user.id, params.consentId, params.tokenId);
    if (!(await services.storage.oauthGrants.delete(grant.id))) throw new AccountError('oauth2_consent_token_not_found');
  },
});

export const consentRoutes = [listConsents, getConsent, deleteConsent, listConsentTokens, getConsentToken, deleteConsentToken];
