// Identities (spec §5.5): the OAuth2 provider accounts linked to the caller.
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR } from '../route';
import type { IdentityRecord } from '../../adapters/types';
import { MAX_LIMIT, queryInMemory, type QueryAttribute } from '../core/queries';
import { revealIdentity } from '../core/oauth2';

const IDENTITY_ATTRIBUTES: Record<string, QueryAttribute<IdentityRecord>> = {
  $id: { read: (i) => i.id },
  $createdAt: { read: (i) => i.createdAt, date: true },
  $updatedAt: { read: (i) => i.updatedAt, date: true },
  userId: { read: (i) => i.userId },
  provider: { read: (i) => i.provider },
  providerUid: { read: (i) => i.providerUid },
  providerEmail: { read: (i) => i.providerEmail },
  providerAccessTokenExpiry: { read: (i) => i.providerAccessTokenExpiry, date: true },
};

/**
 * The provider accounts linked to the caller. `queries` (JSON or the 1.4-era syntax) filters with
 * `equal`, `notEqual`, `lessThan(Equal)`, `greaterThan(Equal)`, `between`, `isNull`, `isNotNull`,
 * `startsWith`, `endsWith` on `$id`, `$createdAt`, `$updatedAt`, `userId`, `provider`,
 * `providerUid`, `providerEmail` and `providerAccessTokenExpiry`, orders with
 * `orderAsc`/`orderDesc`, pages with `cursorAfter`/`cursorBefore`, `limit` and `offset`; others are
 * 400 `general_query_invalid`, an unknown cursor 400 `general_cursor_not_found`.
 */
export const listIdentities = defineRoute({
  method: 'get',
  path: '/account/identities',
  scope: 'user',
  params: { queries: p.stringArray(100, 4096).optional([]), total: p.looseBoolean().optional(true) },
  status: 200,
  model: 'identityList',
  sdk: 'listIdentities',
  async handler(call) {
    const { services, params, caller } = call;
    // A user has a handful of identities (one per linked provider account), so the spec's filters,
    // orders and cursors run over all of them here rather than in every storage adapter.
    const all = await services.storage.identities.listByUser(caller.user.id, { limit: MAX_LIMIT, offset: 0 });
    const found = queryInMemory(all.items, params.queries, IDENTITY_ATTRIBUTES, (identity) => identity.id);
    return { total: params.total ? found.total : 0, items: found.items.map((identity) => revealIdentity(services, identity)) };
  },
});

/**
 * Unlinks one of the caller's provider accounts; another user's identity is 404
 * `user_identity_not_found`.
 */
export const deleteIdentity = defineRoute({
  method: 'delete',
  path: '/account/identities/:identityId',
  scope: 'user',
  rateLimit: { limit: 100, windowMs: HOUR, keys: [['url', 'ip']] },
  params: { identityId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'deleteIdentity',
  audit: 'identity.delete',
  async handler(call) {
    const { services, params, caller } = call;
    const identity = await services.storage.identities.get(params.identityId);
    // Another user's identity is reported as unknown: ids of other accounts are not confirmed.
    if (!identity || identity.userId !== caller.user.id) throw new AccountError('user_identity_not_found');
    if (!(await services.storage.identities.delete(identity.id))) throw new AccountError('user_identity_not_found');
  },
});

export const identityRoutes = [listIdentities, deleteIdentity];
