// The account itself: sign-up, reading and changing it, preferences, blocking and deleting it.
import { ConflictError, type StorageStores, type UserPatch, type UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR, reply, signedOut, type RouteCall, type Services } from '../route';
import { createUser, updateUserRecord } from '../core/users';
import { checkPasswordHistory, checkPasswordStrength, hashNewPassword } from '../core/password-policy';
import { newId } from '../core/ids';

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
    const passwordHash = await hashNewPassword(services, password, { id, email, name });
    const user = await createUser(services, { id, email, name, passwordHash });
    return reply(user, { actor: user });
  },
});

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

export const updatePrefs = defineRoute({
  method: 'patch',
  path: '/account/prefs',
  scope: 'user',
  params: { prefs: p.object(65535) },
  status: 200,
  model: 'account',
  sdk: 'updatePrefs',
  audit: 'user.update',
  async handler(call) {
    const { services, caller } = call;
    const user = await services.storage.users.update(caller.user.id, { prefs: call.params.prefs, updatedAt: services.now() });
    if (!user) throw new AccountError('user_not_found');
    return user;
  },
});

export const updateName = defineRoute({
  method: 'patch',
  path: '/account/name',
  scope: 'user',
  params: { name: p.text(1, 128) },
  status: 200,
  model: 'account',
  sdk: 'updateName',
  audit: 'user.update',
  async handler(call) {
    return updateUser(call.services, call.caller.user.id, { name: call.params.name });
  },
});

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
    const passwordHash = await hashNewPassword(services, params.password, caller.user);
    const user = await updateUser(services, caller.user.id, { passwordHash, passwordUpdatedAt: services.now() });
    if (services.config.session.invalidateOnPasswordChange) {
      await services.storage.sessions.deleteByUser(user.id, { exceptId: caller.session.id });
    }
    return user;
  },
});

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
    const { email } = call.params;
    const passwordPatch = await confirmOrSetPassword(call, { email });
    return changeContact(call.services, call.caller.user, 'email', email, async (tx) => {
      const identity = await tx.identities.getByProviderEmail(email);
      // Deliberately vague, as Appwrite: the address belongs to someone's OAuth2 identity.
      if (identity && identity.userId !== call.caller.user.id) throw new AccountError('general_bad_request');
      return { ...passwordPatch, email, emailVerification: false };
    });
  },
});

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
    const { phone } = call.params;
    const passwordPatch = await confirmOrSetPassword(call, { phone });
    return changeContact(call.services, call.caller.user, 'phone', phone, async () => ({ ...passwordPatch, phone, phoneVerification: false }));
  },
});

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
    return signedOut(await updateUser(call.services, call.caller.user.id, { status: false }));
  },
});

/** 0.6-era route, still served by Appwrite to signed-in users: the account and everything it owns go. */
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

async function updateUser(services: Services, id: string, patch: UserPatch): Promise<UserRecord> {
  const user = await updateUserRecord(services, id, { ...patch, updatedAt: services.now() });
  if (!user) throw new AccountError('user_not_found');
  return user;
}

/**
 * Email and phone changes need the account's password; an account without one (anonymous,
 * token or OAuth2 sign-up) sets it here instead, under the password policies, which is how an
 * anonymous account is upgraded.
 */
async function confirmOrSetPassword(call: RouteCall<{ password: string }, 'user'>, contact: { email?: string; phone?: string }): Promise<UserPatch> {
  const { services, caller, params } = call;
  if (caller.user.passwordHash) {
    if (!(await services.passwords.verify(params.password, caller.user.passwordHash))) throw new AccountError('user_invalid_credentials');
    return {};
  }
  await checkPasswordStrength(services, params.password);
  return { passwordHash: await hashNewPassword(services, params.password, { ...caller.user, ...contact }), passwordUpdatedAt: services.now() };
}

const CONTACT = {
  email: { providerType: 'email', clash: 'general_bad_request' },
  phone: { providerType: 'sms', clash: 'user_phone_already_exists' },
} as const;

/**
 * Moves the user's email or phone, and its messaging target with it, in one transaction: a
 * clash with another account leaves nothing half-changed.
 */
async function changeContact(
  services: Services,
  user: UserRecord,
  field: 'email' | 'phone',
  value: string,
  buildPatch: (tx: StorageStores) => Promise<UserPatch>,
): Promise<UserRecord> {
  const { providerType, clash } = CONTACT[field];
  const now = services.now();
  try {
    return await services.storage.transaction(async (tx) => {
      const patch = await buildPatch(tx);
      if (await tx.targets.getByIdentifier(providerType, value)) throw new AccountError('user_target_already_exists');
      const updated = await updateUserRecord(services, user.id, { ...patch, updatedAt: now }, tx);
      if (!updated) throw new AccountError('user_not_found');
      const target = user.targets.find((t) => t.providerType === providerType);
      if (target) await tx.targets.update(target.id, { identifier: value, updatedAt: now });
      else {
        await tx.targets.create({ id: newId(), userId: user.id, createdAt: now, updatedAt: now, providerType, identifier: value, providerId: null, name: '', expired: false, sessionId: null });
      }
      return (await tx.users.get(user.id))!;
    });
  } catch (error) {
    if (error instanceof ConflictError) throw new AccountError(error.entity === 'target' ? 'user_target_already_exists' : clash, undefined, { cause: error });
    throw error;
  }
}

export const accountRoutes = [create, get, getPrefs, updatePrefs, updateName, updatePassword, updateEmail, updatePhone, updateStatus, deleteAccount];
