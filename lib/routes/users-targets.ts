// The Users API's messaging targets of a user (email, sms, push) and the OAuth2 identities of all
// users. The email and sms targets that follow the account's email and phone are listed here too;
// changing the account's email or phone (users-updates.ts) moves them.
import type { TargetRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import { listParams, p } from '../params';
import { defineRoute, reply } from '../route';
import { queryInMemory, type QueryAttribute } from '../core/queries';
import { listIdentities as listAllIdentities } from '../core/list-queries';
import { revealIdentity } from '../core/oauth2';
import { createUserTarget, deleteUserTarget, getUserTarget, requireUser, updateUserTarget } from '../core/user-admin';

const TARGET_ATTRIBUTES: Record<string, QueryAttribute<TargetRecord>> = {
  $id: { read: (t) => t.id },
  $createdAt: { read: (t) => t.createdAt, date: true },
  $updatedAt: { read: (t) => t.updatedAt, date: true },
  userId: { read: (t) => t.userId },
  providerId: { read: (t) => t.providerId },
  providerType: { read: (t) => t.providerType },
  identifier: { read: (t) => t.identifier },
  name: { read: (t) => t.name },
};

/**
 * The user's messaging targets. `queries` filters (equal, notEqual, comparisons, between, isNull,
 * startsWith, endsWith), orders and pages on `$id`, `$createdAt`, `$updatedAt`, `userId`,
 * `providerId`, `providerType`, `identifier` and `name`.
 */
export const listTargets = defineRoute({
  method: 'get',
  path: '/users/:userId/targets',
  scope: 'server',
  keyScopes: ['users.read'],
  params: { userId: p.uid(), queries: listParams().queries, total: listParams().total },
  status: 200,
  model: 'targetList',
  sdk: 'listTargets',
  async handler({ services, params }) {
    // A user has a few targets (an email, a phone, a push token per device): queried in memory.
    const user = await requireUser(services, params.userId);
    const found = queryInMemory(user.targets, params.queries, TARGET_ATTRIBUTES, (target) => target.id);
    return { total: params.total ? found.total : 0, items: found.items };
  },
});

/**
 * Adds a messaging target. An `email` target's identifier must be an email (400
 * `general_invalid_email`), an `sms` one's a phone number (400 `general_invalid_phone`); 409
 * `user_target_already_exists` for a taken id or identifier.
 */
export const createTarget = defineRoute({
  method: 'post',
  path: '/users/:userId/targets',
  scope: 'server',
  keyScopes: ['users.write'],
  params: {
    userId: p.uid(),
    targetId: p.customId(),
    providerType: p.oneOf(['email', 'sms', 'push'] as const),
    identifier: p.text(1, 255),
    providerId: p.uid().optional(),
    name: p.text(0, 128).optional(''),
  },
  status: 201,
  model: 'target',
  sdk: 'createTarget',
  audit: 'target.create',
  async handler({ services, params }) {
    const { user, target } = await createUserTarget(services, params.userId, params);
    return reply(target, { actor: user });
  },
});

/** One of the user's targets; 404 `user_target_not_found`. */
export const getTarget = defineRoute({
  method: 'get',
  path: '/users/:userId/targets/:targetId',
  scope: 'server',
  keyScopes: ['users.read'],
  params: { userId: p.uid(), targetId: p.uid() },
  status: 200,
  model: 'target',
  sdk: 'getTarget',
  async handler({ services, params }) {
    return (await getUserTarget(services, params.userId, params.targetId)).target;
  },
});

/** Changes a target's identifier (checked as on creation; `expired` is cleared), provider or name. */
export const updateTarget = defineRoute({
  method: 'patch',
  path: '/users/:userId/targets/:targetId',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), targetId: p.uid(), identifier: p.text(0, 255).optional(), providerId: p.uid().optional(), name: p.text(0, 128).optional() },
  status: 200,
  model: 'target',
  sdk: 'updateTarget',
  audit: 'target.update',
  async handler({ services, params }) {
    const { user, target } = await updateUserTarget(services, params.userId, params.targetId, params);
    return reply(target, { actor: user });
  },
});

/** Deletes one of the user's targets. */
export const deleteTarget = defineRoute({
  method: 'delete',
  path: '/users/:userId/targets/:targetId',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), targetId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'deleteTarget',
  audit: 'target.delete',
  async handler({ services, params }) {
    return reply(undefined, { actor: await deleteUserTarget(services, params.userId, params.targetId) });
  },
});

/**
 * The OAuth2 identities of all users, in the order they were linked. `queries` filters on `$id`,
 * `userId`, `provider`, `providerUid`, `providerEmail` and `providerAccessTokenExpiry`, orders
 * and pages as `list` does; `search` matches the start of the provider email, or the provider,
 * provider uid or user id exactly.
 */
export const listIdentities = defineRoute({
  method: 'get',
  path: '/users/identities',
  scope: 'server',
  keyScopes: ['users.read'],
  params: listParams(),
  status: 200,
  model: 'identityList',
  sdk: 'listIdentities',
  async handler({ services, params }) {
    const page = await listAllIdentities(services.storage, params);
    return { total: page.total, items: page.items.map((identity) => revealIdentity(services, identity)) };
  },
});

/** Unlinks an identity from its user; 404 `user_identity_not_found`. */
export const deleteIdentity = defineRoute({
  method: 'delete',
  path: '/users/identities/:identityId',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { identityId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'deleteIdentity',
  audit: 'identity.delete',
  async handler({ services, params }) {
    const identity = await services.storage.identities.get(params.identityId);
    const user = identity && (await services.storage.users.get(identity.userId));
    if (!identity || !(await services.storage.identities.delete(identity.id))) throw new AccountError('user_identity_not_found');
    return reply(undefined, { actor: user ?? null });
  },
});

export const userTargetRoutes = [listTargets, createTarget, getTarget, updateTarget, deleteTarget, listIdentities, deleteIdentity];
