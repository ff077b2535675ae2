// The Users API's MFA routes: turning MFA on or off for a user, reading their factors, removing
// their authenticator, and their recovery codes. Mind the verbs: here PATCH creates recovery codes
// and PUT regenerates them, the reverse of the Account API (POST creates, PATCH regenerates).
// node-appwrite calls each under two names (`updateMfa` and `updateMFA`); the route table has one.
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, reply } from '../route';
import { changeUser, deleteUserAuthenticator, issueUserRecoveryCodes, userMfaFactors, userRecoveryCodes } from '../core/user-admin';

/** Turns MFA on or off for the user (it then asks a second factor at sign-in). */
export const updateMfa = defineRoute({
  method: 'patch',
  path: '/users/:userId/mfa',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), mfa: p.looseBoolean() },
  status: 200,
  model: 'user',
  sdk: 'updateMfa',
  audit: 'user.update',
  async handler({ services, params }) {
    const user = await changeUser(services, params.userId, { mfa: params.mfa });
    return reply(user, { actor: user });
  },
});

/** Which second factors the user can give (the `mfa.factors` option's switched-off ones read false). */
export const listMfaFactors = defineRoute({
  method: 'get',
  path: '/users/:userId/mfa/factors',
  scope: 'server',
  keyScopes: ['users.read'],
  params: { userId: p.uid() },
  status: 200,
  model: 'mfaFactors',
  sdk: 'listMfaFactors',
  async handler({ services, params }) {
    return userMfaFactors(services, params.userId);
  },
});

/** Removes the user's TOTP authenticator (a lost phone); 404 `user_authenticator_not_found` when there is none. */
export const deleteMfaAuthenticator = defineRoute({
  method: 'delete',
  path: '/users/:userId/mfa/authenticators/:type',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), type: p.oneOf(['totp'] as const) },
  status: 204,
  model: undefined,
  sdk: 'deleteMfaAuthenticator',
  audit: 'user.update',
  async handler({ services, params }) {
    return reply(undefined, { actor: await deleteUserAuthenticator(services, params.userId) });
  },
});

/**
 * The user's unused recovery codes; 404 `user_recovery_codes_not_found` when there are none. They
 * are secrets that skip the second factor, so an API key reads them, not an impersonator's session
 * (401 `general_unauthorized_scope`), although the route's scope is `users.read`.
 */
export const getMfaRecoveryCodes = defineRoute({
  method: 'get',
  path: '/users/:userId/mfa/recovery-codes',
  scope: 'server',
  keyScopes: ['users.read'],
  params: { userId: p.uid() },
  status: 200,
  model: 'mfaRecoveryCodes',
  sdk: 'getMfaRecoveryCodes',
  async handler({ services, params, key }) {
    if (!key) throw new AccountError('general_unauthorized_scope', 'Recovery codes are read with an API key only, not by impersonators.');
    return userRecoveryCodes(services, params.userId);
  },
});

/**
 * Creates six recovery codes for the user (PATCH here, POST on Account); 409
 * `user_recovery_codes_already_exists` while unused ones exist. Answers 201, as Appwrite does
 * since its PR #13531.
 */
export const createMfaRecoveryCodes = defineRoute({
  method: 'patch',
  path: '/users/:userId/mfa/recovery-codes',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid() },
  status: 201,
  model: 'mfaRecoveryCodes',
  sdk: 'createMfaRecoveryCodes',
  audit: 'user.update',
  async handler({ services, params }) {
    const { user, recoveryCodes } = await issueUserRecoveryCodes(services, params.userId, 'create');
    return reply({ recoveryCodes }, { actor: user });
  },
});

/** Replaces the user's recovery codes with six new ones (PUT here, PATCH on Account); 404 when there are none. */
export const updateMfaRecoveryCodes = defineRoute({
  method: 'put',
  path: '/users/:userId/mfa/recovery-codes',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid() },
  status: 200,
  model: 'mfaRecoveryCodes',
  sdk: 'updateMfaRecoveryCodes',
  audit: 'user.update',
  async handler({ services, params }) {
    const { user, recoveryCodes } = await issueUserRecoveryCodes(services, params.userId, 'regenerate');
    return reply({ recoveryCodes }, { actor: user });
  },
});

export const userMfaRoutes = [updateMfa, listMfaFactors, deleteMfaAuthenticator, getMfaRecoveryCodes, createMfaRecoveryCodes, updateMfaRecoveryCodes];
