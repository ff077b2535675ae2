// The Users API's changes to one user: name, email, phone, password, status, labels, preferences
// and the verification flags. Every one is core/user-admin.ts's changeUser, so the email and sms
// targets, the password policies and history, and conflict answers are the Account API's own.
// Appwrite logs each under the user it changed; so does the security log here.
import { p } from '../params';
import { defineRoute, reply } from '../route';
import { changeUser, requireUser, type AdminUserChange } from '../core/user-admin';
import type { Services } from '../route';

/** A change, logged as the changed user's. */
async function changed(services: Services, userId: string, change: AdminUserChange) {
  const user = await changeUser(services, userId, change);
  return reply(user, { actor: user });
}

/** Sets the name (up to 128 characters; '' clears it). */
export const updateName = defineRoute({
  method: 'patch',
  path: '/users/:userId/name',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), name: p.text(0, 128) },
  status: 200,
  model: 'user',
  sdk: 'updateName',
  audit: 'user.update',
  async handler({ services, params }) {
    return changed(services, params.userId, { name: params.name });
  },
});

/**
 * Sets the email ('' clears it) and resets `emailVerification`; the email target follows. 409
 * `user_target_already_exists` when another account has the address, `user_email_already_exists`
 * when another user's OAuth2 identity reported it.
 */
export const updateEmail = defineRoute({
  method: 'patch',
  path: '/users/:userId/email',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), email: p.emptyOr(p.email()) },
  status: 200,
  model: 'user',
  sdk: 'updateEmail',
  audit: 'user.update',
  async handler({ services, params }) {
    return changed(services, params.userId, { email: params.email });
  },
});

/**
 * Sets the phone number from `number` (E.164; '' clears it) and resets `phoneVerification`; the
 * sms target follows. 409 `user_target_already_exists` when another account has the number.
 */
export const updatePhone = defineRoute({
  method: 'patch',
  path: '/users/:userId/phone',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), number: p.emptyOr(p.phone()) },
  status: 200,
  model: 'user',
  sdk: 'updatePhone',
  audit: 'user.update',
  async handler({ services, params }) {
    return changed(services, params.userId, { phone: params.number });
  },
});

/**
 * Sets the password ('' removes it) through the password policies (strength, dictionary, personal
 * data, history, breached passwords); signs the user out everywhere when
 * `session.invalidateOnPasswordChange` is on.
 */
export const updatePassword = defineRoute({
  method: 'patch',
  path: '/users/:userId/password',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), password: p.emptyOr(p.password()) },
  status: 200,
  model: 'user',
  sdk: 'updatePassword',
  audit: 'user.update',
  async handler({ services, params }) {
    return changed(services, params.userId, { password: params.password });
  },
});

/** Blocks (`false`) or unblocks (`true`) the user: a blocked user's sessions and JWTs get 401 `user_blocked`. */
export const updateStatus = defineRoute({
  method: 'patch',
  path: '/users/:userId/status',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), status: p.looseBoolean() },
  status: 200,
  model: 'user',
  sdk: 'updateStatus',
  audit: 'user.update',
  async handler({ services, params }) {
    return changed(services, params.userId, { status: params.status });
  },
});

/**
 * Replaces the labels (duplicates dropped): at most 1,000, each 1–36 letters or digits, else 400
 * `general_argument_invalid`. Host routes can demand one (see docs/integration.md).
 */
export const updateLabels = defineRoute({
  method: 'put',
  path: '/users/:userId/labels',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), labels: p.labels() },
  status: 200,
  model: 'user',
  sdk: 'updateLabels',
  audit: 'user.update',
  async handler({ services, params }) {
    return changed(services, params.userId, { labels: params.labels });
  },
});

/** The user's preferences. */
export const getPrefs = defineRoute({
  method: 'get',
  path: '/users/:userId/prefs',
  scope: 'server',
  keyScopes: ['users.read'],
  params: { userId: p.uid() },
  status: 200,
  model: 'preferences',
  sdk: 'getPrefs',
  async handler({ services, params }) {
    return requireUser(services, params.userId);
  },
});

/** Replaces the preferences (at most 64 kB as Appwrite measures it); answers the preferences. Not logged, as in Appwrite. */
export const updatePrefs = defineRoute({
  method: 'patch',
  path: '/users/:userId/prefs',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), prefs: p.object(65535) },
  status: 200,
  model: 'preferences',
  sdk: 'updatePrefs',
  async handler({ services, params }) {
    return changeUser(services, params.userId, { prefs: params.prefs });
  },
});

/** Marks the email verified or not. */
export const updateEmailVerification = defineRoute({
  method: 'patch',
  path: '/users/:userId/verification',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), emailVerification: p.looseBoolean() },
  status: 200,
  model: 'user',
  sdk: 'updateEmailVerification',
  audit: 'verification.update',
  async handler({ services, params }) {
    return changed(services, params.userId, { emailVerification: params.emailVerification });
  },
});

/** Marks the phone number verified or not. */
export const updatePhoneVerification = defineRoute({
  method: 'patch',
  path: '/users/:userId/verification/phone',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), phoneVerification: p.looseBoolean() },
  status: 200,
  model: 'user',
  sdk: 'updatePhoneVerification',
  audit: 'verification.update',
  async handler({ services, params }) {
    return changed(services, params.userId, { phoneVerification: params.phoneVerification });
  },
});

export const userUpdateRoutes = [
  updateName,
  updateEmail,
  updatePhone,
  updatePassword,
  updateStatus,
  updateLabels,
  getPrefs,
  updatePrefs,
  updateEmailVerification,
  updatePhoneVerification,
];
