// The account itself: sign-up, reading and changing it, preferences, blocking and deleting it.
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR, reply, signedOut, type RouteCall } from '../route';
import { sessionCaller } from '../core/sessions';
import { createUser, updateUser, type UserChange } from '../core/users';
import { acceptNewPassword, checkPasswordHistory, checkPasswordStrength } from '../core/password-policy';
import { newId } from '../core/ids';

/**
 * Signs a new user up with email and password; no session is created. `userId` is `unique()` or a
 * custom id, and 0.6-era SDKs may leave it out. 409 `user_already_exists` when the id or email is
 * taken, 400 `user_count_exceeded` beyond `userLimit`; the password policies apply.
 */
export const create = defineRoute({
  method: 'post',
  path: '/account',
  scope: 'any',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'ip']] },
  // userId is optional so that 0.6-era SDKs, which never send it, still sign up.
  params: { userId: p.customId().optional(null), email: p.email(), password: p.password(), name: p.text(1, 128).optional('') },
  status: 201,
  model: 'account',
  sdk: 'create',
  audit: 'user.create',
  async handler(call) {
    const { services } = call;
    const { userId, email, password, name } = call.params;
    await checkPasswordStrength(services, password);
    const id = userId ?? newId();
    const newPassword = await acceptNewPassword(services, password, { id, email, name });
    const user = await createUser(services, { id, email, name, ...newPassword });
    return reply(user, { actor: user });
  },
});

/** The caller's account. */
export const get = defineRoute({
  method: 'get',
  path: '/account',
  scope: 'user',
  params: {},
  status: 200,
  model: 'account',
  sdk: 'get',
  async handler(call) {
    return call.caller.user;
  },
});

/** The caller's preferences. */
export const getPrefs = defineRoute({
  method: 'get',
  path: '/account/prefs',
  scope: 'user',
  params: {},
  status: 200,
  model: 'preferences',
  sdk: 'getPrefs',
  async handler(call) {
    return call.caller.user;
  },
});

/** Replaces the whole preferences object (at most 64 kB as Appwrite measures it). */
export const updatePrefs = defineRoute({
  method: 'patch',
  path: '/account/prefs',
  scope: 'user',
  params: { prefs: p.object(65535) },
  status: 200,
  model: 'account',
  sdk: 'updatePrefs',
  audit: 'user.update',
  async handler({ services, caller, params }) {
    return updateUser(services, caller.user, { prefs: params.prefs });
  },
});

/** Sets the caller's name (1–128 characters). */
export const updateName = defineRoute({
  method: 'patch',
  path: '/account/name',
  scope: 'user',
  params: { name: p.text(1, 128) },
  status: 200,
  model: 'account',
  sdk: 'updateName',
  audit: 'user.update',
  async handler({ services, caller, params }) {
    return updateUser(services, caller.user, { name: params.name });
  },
});

/**
 * Changes the password. `oldPassword` is required when the account has a password (401
 * `user_invalid_credentials` when wrong); an account without one sets its first here. The password
 * policies apply, and the user's other sessions are signed out unless
 * `session.invalidateOnPasswordChange` is off.
 */
export const updatePassword = defineRoute({
  method: 'patch',
  path: '/account/password',
  scope: 'user',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'ip']] },
  params: { password: p.password(), oldPassword: p.text(0, 256).optional('') },
  status: 200,
  model: 'account',
  sdk: 'updatePassword',
  audit: 'user.update',
  async handler(call) {
    const { services, caller, params } = call;
    await checkPasswordStrength(services, params.password);
    // Accounts without a password yet (anonymous, token, OAuth2) set one without the old one.
    if (caller.user.passwordHash && !(await services.passwords.verify(params.oldPassword!, caller.user.passwordHash))) {
      throw new AccountError('user_invalid_credentials');
    }
    await checkPasswordHistory(services, caller.user, params.password);
    const user = await updateUser(services, caller.user, await acceptNewPassword(services, params.password, caller.user));
    if (services.config.session.invalidateOnPasswordChange) {
      await services.storage.sessions.deleteByUser(user.id, { exceptId: sessionCaller(caller).session.id });
    }
    return user;
  },
});

/**
 * Changes the email address and resets `emailVerification`; the email target moves with it. Needs
 * the password; an account without one (anonymous, token or OAuth2 sign-up) sets it here, which is
 * how an anonymous account is upgraded. An address taken by another account is 409
 * `user_target_already_exists` (or 400 `general_bad_request` when it belongs to another user's
 * OAuth2 identity).
 */
export const updateEmail = defineRoute({
  method: 'patch',
  path: '/account/email',
  scope: 'user',
  params: { email: p.email(), password: p.password() },
  status: 200,
  model: 'account',
  sdk: 'updateEmail',
  audit: 'user.update',
  async handler(call) {
    const { services, caller, params } = call;
    const password = await confirmOrSetPassword(call, { email: params.email });
    const identity = await services.storage.identities.getByProviderEmail(params.email);
    // Deliberately vague, as Appwrite: the address belongs to someone's OAuth2 identity.
    if (identity && identity.userId !== caller.user.id) throw new AccountError('general_bad_request');
    return updateUser(services, caller.user, { ...password, email: params.email, emailVerification: false });
  },
});

/**
 * Changes the phone number (E.164) and resets `phoneVerification`; the SMS target moves with it.
 * Needs the password, as `updateEmail` does; a number taken by another account is 409
 * `user_target_already_exists`.
 */
export const updatePhone = defineRoute({
  method: 'patch',
  path: '/account/phone',
  scope: 'user',
  params: { phone: p.phone(), password: p.password() },
  status: 200,
  model: 'account',
  sdk: 'updatePhone',
  audit: 'user.update',
  async handler(call) {
    const { services, caller, params } = call;
    const password = await confirmOrSetPassword(call, { phone: params.phone });
    return updateUser(services, caller.user, { ...password, phone: params.phone, phoneVerification: false });
  },
});

/**
 * Blocks the caller's own account: its cookies are cleared, and every later request with its
 * sessions or JWTs, and every sign-in, gets 401 `user_blocked`.
 */
export const updateStatus = defineRoute({
  method: 'patch',
  path: '/account/status',
  scope: 'user',
  params: {},
  status: 200,
  model: 'account',
  sdk: 'updateStatus',
  audit: 'user.update',
  async handler(call) {
    return signedOut(await updateUser(call.services, call.caller.user, { status: false }));
  },
});

/**
 * Deletes the account with its sessions, tokens, identities and targets; its security log stays.
 * The 0.6-era route Appwrite still serves to signed-in users.
 */
export const deleteAccount = defineRoute({
  method: 'delete',
  path: '/account',
  scope: 'user',
  params: {},
  status: 204,
  model: undefined,
  sdk: 'delete',
  audit: 'user.delete',
  async handler(call) {
    await call.services.storage.users.delete(call.caller.user.id);
    return signedOut();
  },
});

/**
 * Email and phone changes need the account's password; an account without one (anonymous,
 * token or OAuth2 sign-up) sets it here instead, under the password policies, which is how an
 * anonymous account is upgraded.
 */
async function confirmOrSetPassword(call: RouteCall<{ password: string }, 'user'>, contact: { email?: string; phone?: string }): Promise<UserChange> {
  const { services, caller, params } = call;
  if (caller.user.passwordHash) {
    if (!(await services.passwords.verify(params.password, caller.user.passwordHash))) throw new AccountError('user_invalid_credentials');
    return {};
  }
  await checkPasswordStrength(services, params.password);
  return acceptNewPassword(services, params.password, { ...caller.user, ...contact });
}

export const accountRoutes = [create, get, getPrefs, updatePrefs, updateName, updatePassword, updateEmail, updatePhone, updateStatus, deleteAccount];
