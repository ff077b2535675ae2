// Administering users from the server: what the Users API routes (lib/routes/users*.ts) and the
// in-process admin API (`router.users`, lib/admin.ts) both do, so that either way a change goes
// through the same core functions as the Account API (createUser, updateUser, the password
// policies, createSession) and the same invariants hold: targets follow the email and phone, new
// passwords pass the policies and enter the history, clashes get Appwrite's answers.
import type { SessionRecord, TargetRecord, TokenRecord, UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import { p } from '../params';
import type { Services } from '../route';
import { answerConflicts } from './conflicts';
import { newId } from './ids';
import { importPasswordHash, type ImportedPasswordHash } from './imported-hashes';
import { signJwt } from './jwt';
import { issueRecoveryCodes, listFactors, readRecoveryCodes } from './mfa';
import { acceptNewPassword, checkPasswordHistory, checkPasswordStrength } from './password-policy';
import { randomHex } from './secrets';
import { createSession, encodeSessionCredential, type SessionClient } from './sessions';
import { issueToken } from './tokens';
import { createUser, newTarget, updateUser, type UserChange } from './users';
import type { MfaFactorList } from '../models';

/** The user, or 404 user_not_found. */
export async function requireUser(services: Services, userId: string): Promise<UserRecord> {
  const user = await services.storage.users.get(userId);
  if (!user) throw new AccountError('user_not_found');
  return user;
}

/** Appwrite refuses a new account's email that another user's OAuth2 identity reported (409). */
async function refuseIdentityEmail(services: Services, email: string, userId: string | null): Promise<void> {
  const identity = await services.storage.identities.getByProviderEmail(email);
  if (identity && identity.userId !== userId) throw new AccountError('user_email_already_exists');
}

export interface NewAdminUser {
  /** null: generate one. */
  userId: string | null;
  email?: string | null;
  phone?: string | null;
  name?: string;
}

/**
 * Creates a user with a plain-text password (or none: '' or absent), through the password policies
 * (400 general_argument_invalid, password_personal_data, password_pwned). 409
 * user_already_exists for a taken id, email or phone; user_email_already_exists when the email
 * belongs to another user's OAuth2 identity.
 */
export async function createUserWithPassword(services: Services, init: NewAdminUser & { password?: string }): Promise<UserRecord> {
  const id = init.userId ?? newId();
  if (init.email) await refuseIdentityEmail(services, init.email, null);
  const password = init.password ? await newPassword(services, init.password, { ...init, id }) : {};
  return createUser(services, { id, email: init.email ?? null, phone: init.phone ?? null, name: init.name ?? '', ...password });
}

/**
 * Creates a user whose password is a hash exported from another system (Appwrite's seven import
 * routes); the user signs in with the old password, which is then re-hashed with ours. A hash or
 * option importPasswordHash refuses is 400 general_argument_invalid naming the problem.
 */
export async function importUser(services: Services, init: NewAdminUser & { email: string; imported: ImportedPasswordHash }): Promise<UserRecord> {
  let passwordHash: string;
  try {
    passwordHash = importPasswordHash(init.imported);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new AccountError('general_argument_invalid', `Invalid \`password\` param: ${error.message.replace(/^importPasswordHash: /, '')}`);
  }
  const id = init.userId ?? newId();
  await refuseIdentityEmail(services, init.email, null);
  return createUser(services, { id, email: init.email, name: init.name ?? '', passwordHash });
}

/** What an admin may change on a user; '' clears `email`, `phone` and `password`. */
export interface AdminUserChange {
  name?: string;
  email?: string;
  phone?: string;
  password?: string;
  status?: boolean;
  labels?: string[];
  prefs?: Record<string, unknown>;
  emailVerification?: boolean;
  phoneVerification?: boolean;
  mfa?: boolean;
}

/**
 * Changes a user as the Users API does: a new email or phone resets its verification and moves
 * its target (409 user_target_already_exists when another target has it, user_email_already_exists
 * when another user's identity reported the email); a new password passes the policies and the
 * history, and signs the user out everywhere when `session.invalidateOnPasswordChange` is on;
 * labels lose duplicates. 404 user_not_found.
 */
export async function changeUser(services: Services, userId: string, change: AdminUserChange): Promise<UserRecord> {
  const user = await requireUser(services, userId);
  const { email, phone, password, labels, ...plain } = change;
  const patch: UserChange = { ...plain };
  if (email !== undefined) {
    if (email) await refuseIdentityEmail(services, email, user.id);
    Object.assign(patch, { email: email || null, emailVerification: change.emailVerification ?? false });
  }
  if (phone !== undefined) Object.assign(patch, { phone: phone || null, phoneVerification: change.phoneVerification ?? false });
  if (labels !== undefined) patch.labels = [...new Set(labels)];
  if (password !== undefined) {
    if (password) {
      Object.assign(patch, await newPassword(services, password, { ...user, ...patch }));
      await checkPasswordHistory(services, user, password);
    } else Object.assign(patch, { passwordHash: null, passwordPwned: null });
  }
  const updated = await updateUser(services, user, patch, 'admin');
  if (password && services.config.session.invalidateOnPasswordChange) await services.storage.sessions.deleteByUser(user.id);
  return updated;
}

async function newPassword(services: Services, password: string, owner: { id: string; email?: string | null; name?: string; phone?: string | null }) {
  await checkPasswordStrength(services, password);
  return acceptNewPassword(services, password, owner);
}

/** Deletes the user with everything that belongs to it (its security log stays); 404 user_not_found. */
export async function deleteUser(services: Services, userId: string): Promise<UserRecord> {
  const user = await requireUser(services, userId);
  if (!(await services.storage.users.delete(user.id))) throw new AccountError('user_not_found');
  return user;
}

// ---------------------------------------------------------------- sessions, tokens, JWTs

/** The user's sessions, oldest first. */
export async function listUserSessions(services: Services, userId: string): Promise<{ user: UserRecord; sessions: SessionRecord[] }> {
  const user = await requireUser(services, userId);
  return { user, sessions: await services.storage.sessions.listByUser(user.id) };
}

/**
 * A session made by the server (provider and factor `server`), for server-side rendering: `secret`
 * is the cookie value (`a_session_<project>`), shown once.
 */
export async function createServerSession(services: Services, userId: string, client: SessionClient): Promise<{ user: UserRecord; session: SessionRecord; secret: string }> {
  const user = await requireUser(services, userId);
  const { session, secret } = await createSession(services, client, { user, provider: 'server', factors: ['server'] });
  return { user, session, secret: encodeSessionCredential(user.id, secret) };
}

/** Ends one of the user's sessions: 404 user_not_found, or user_session_not_found when it is not theirs. */
export async function deleteUserSession(services: Services, userId: string, sessionId: string): Promise<UserRecord> {
  const user = await requireUser(services, userId);
  const session = await services.storage.sessions.get(sessionId);
  if (!session || session.userId !== user.id || !(await services.storage.sessions.delete(session.id))) throw new AccountError('user_session_not_found');
  return user;
}

/** Ends every session of the user. */
export async function deleteUserSessions(services: Services, userId: string): Promise<UserRecord> {
  const user = await requireUser(services, userId);
  await services.storage.sessions.deleteByUser(user.id);
  return user;
}

/** Secret lengths and lifetimes Appwrite allows for a custom sign-in token. */
export const TOKEN_LENGTH = { min: 4, max: 128, default: 6 } as const;
export const TOKEN_EXPIRE_SECONDS = { min: 60, max: 31_536_000, default: 900 } as const;

/**
 * A sign-in token for a custom flow: the client exchanges `secret` for a session with
 * `account.createSession(userId, secret)` (POST /account/sessions/token), once, before it expires.
 */
export async function createSignInToken(
  services: Services,
  userId: string,
  options: { length?: number; expireSeconds?: number } = {},
): Promise<{ user: UserRecord; token: TokenRecord; secret: string }> {
  const user = await requireUser(services, userId);
  const length = options.length ?? TOKEN_LENGTH.default;
  const expireSeconds = options.expireSeconds ?? TOKEN_EXPIRE_SECONDS.default;
  if (!Number.isInteger(length) || length < TOKEN_LENGTH.min || length > TOKEN_LENGTH.max) throw new TypeError(`length must be an integer from ${TOKEN_LENGTH.min} to ${TOKEN_LENGTH.max}`);
  if (!Number.isInteger(expireSeconds) || expireSeconds < TOKEN_EXPIRE_SECONDS.min || expireSeconds > TOKEN_EXPIRE_SECONDS.max) {
    throw new TypeError(`expireSeconds must be an integer from ${TOKEN_EXPIRE_SECONDS.min} to ${TOKEN_EXPIRE_SECONDS.max}`);
  }
  const secret = randomHex(Math.ceil(length / 2)).slice(0, length);
  const token = await issueToken(services, { userId: user.id, type: 'generic', secret, lifetimeMs: expireSeconds * 1000 });
  return { user, token, secret };
}

/**
 * A JWT for one of the user's sessions (`recent`: the newest), valid `durationSeconds`. 404
 * user_session_not_found when the user has no such session: a JWT must name a live session.
 */
export async function createUserJwt(services: Services, userId: string, sessionId: string, durationSeconds: number): Promise<{ jwt: string }> {
  const { user, sessions } = await listUserSessions(services, userId);
  const session = sessionId === 'recent' ? sessions.at(-1) : sessions.find((s) => s.id === sessionId);
  if (!session) throw new AccountError('user_session_not_found');
  return { jwt: signJwt(services.jwtKey, { userId: user.id, sessionId: session.id }, durationSeconds, services.now()) };
}

// ---------------------------------------------------------------- MFA

export async function userMfaFactors(services: Services, userId: string): Promise<MfaFactorList> {
  return listFactors(services, await requireUser(services, userId));
}

/** Removes the user's TOTP authenticator: 404 user_authenticator_not_found when there is none. */
export async function deleteUserAuthenticator(services: Services, userId: string): Promise<UserRecord> {
  const user = await requireUser(services, userId);
  if (!(await services.storage.authenticators.delete(user.id, 'totp'))) throw new AccountError('user_authenticator_not_found');
  return user;
}

/** The unused recovery codes: 404 user_recovery_codes_not_found when there are none. */
export async function userRecoveryCodes(services: Services, userId: string): Promise<{ user: UserRecord; recoveryCodes: string[] }> {
  const user = await requireUser(services, userId);
  const recoveryCodes = await readRecoveryCodes(services, user.id);
  if (!recoveryCodes.length) throw new AccountError('user_recovery_codes_not_found');
  return { user, recoveryCodes };
}

/**
 * New recovery codes: `create` refuses while unused ones exist (409
 * user_recovery_codes_already_exists), `regenerate` needs some (404 user_recovery_codes_not_found).
 */
export async function issueUserRecoveryCodes(services: Services, userId: string, mode: 'create' | 'regenerate'): Promise<{ user: UserRecord; recoveryCodes: string[] }> {
  const user = await requireUser(services, userId);
  const existing = (await services.storage.recoveryCodes.list(user.id)).length > 0;
  if (mode === 'create' && existing) throw new AccountError('user_recovery_codes_already_exists');
  if (mode === 'regenerate' && !existing) throw new AccountError('user_recovery_codes_not_found');
  return { user, recoveryCodes: await issueRecoveryCodes(services, user.id) };
}

/** Turns MFA off and removes every factor the user set up (authenticator, recovery codes): a lost device. */
export async function resetUserMfa(services: Services, userId: string): Promise<UserRecord> {
  const user = await requireUser(services, userId);
  await services.storage.authenticators.delete(user.id, 'totp');
  await services.storage.recoveryCodes.replace(user.id, [], services.now());
  return updateUser(services, user, { mfa: false }, 'admin');
}

// ---------------------------------------------------------------- targets

const TARGET_IDENTIFIER = { email: p.email(), sms: p.phone() } as const;

/** An email target's identifier must be an email, an sms one's a phone number (400, as Appwrite). */
function checkIdentifier(providerType: TargetRecord['providerType'], identifier: string): string {
  if (providerType === 'push') return identifier;
  const value = TARGET_IDENTIFIER[providerType].check(identifier, { allowedHosts: [] });
  if (typeof value !== 'string') throw new AccountError(providerType === 'email' ? 'general_invalid_email' : 'general_invalid_phone');
  return value;
}

/** One of the user's targets: 404 user_not_found, or user_target_not_found when it is not theirs. */
export async function getUserTarget(services: Services, userId: string, targetId: string): Promise<{ user: UserRecord; target: TargetRecord }> {
  const user = await requireUser(services, userId);
  const target = user.targets.find((t) => t.id === targetId);
  if (!target) throw new AccountError('user_target_not_found');
  return { user, target };
}

export interface NewUserTarget {
  /** null: generate one. */
  targetId: string | null;
  providerType: TargetRecord['providerType'];
  identifier: string;
  providerId?: string | null;
  name?: string;
}

/** Adds a messaging target; 409 user_target_already_exists for a taken id or identifier. */
export async function createUserTarget(services: Services, userId: string, init: NewUserTarget): Promise<{ user: UserRecord; target: TargetRecord }> {
  const identifier = checkIdentifier(init.providerType, init.identifier);
  const user = await requireUser(services, userId);
  const target = newTarget({ ...init, id: init.targetId, identifier, userId: user.id, at: services.now() });
  return { user, target: await answerConflicts('new target', services.storage.targets.create(target)) };
}

/** Changes a target's identifier (validated by its type; `expired` is cleared), provider or name. */
export async function updateUserTarget(
  services: Services,
  userId: string,
  targetId: string,
  change: { identifier?: string; providerId?: string; name?: string },
): Promise<{ user: UserRecord; target: TargetRecord }> {
  const { user, target } = await getUserTarget(services, userId, targetId);
  const patch = {
    updatedAt: services.now(),
    ...(change.identifier ? { identifier: checkIdentifier(target.providerType, change.identifier), expired: false } : {}),
    ...(change.providerId ? { providerId: change.providerId } : {}),
    ...(change.name ? { name: change.name } : {}),
  };
  const updated = await answerConflicts('target change', services.storage.targets.update(target.id, patch));
  if (!updated) throw new AccountError('user_target_not_found');
  return { user, target: updated };
}

export async function deleteUserTarget(services: Services, userId: string, targetId: string): Promise<UserRecord> {
  const { user, target } = await getUserTarget(services, userId, targetId);
  if (!(await services.storage.targets.delete(target.id))) throw new AccountError('user_target_not_found');
  return user;
}
