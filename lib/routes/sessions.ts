// Sessions: email/password sign-in, listing, reading, extending and ending sessions.
import type { SessionRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR, signedIn, signedOut, type Caller, type RouteCall } from '../route';
import { alertNewSession, createSession } from '../core/sessions';
import { createUser, replacePasswordHash } from '../core/users';
import { checkSignInPassword } from '../core/password-policy';
import { refreshProviderTokens } from '../core/oauth2';

/**
 * Signs in with email and password and sets the session cookie. An unknown email and a wrong
 * password are the same 401 `user_invalid_credentials`, after the same work; a blocked user gets
 * 401 `user_blocked`. With `password.pwned.signIn` the password, once verified, is checked against
 * the breach corpus and the answer recorded as `passwordPwned`; in `block` mode a breached one is
 * 412 `user_password_reset_required` and no session is made.
 */
export const createEmailPasswordSession = defineRoute({
  method: 'post',
  path: '/account/sessions/email',
  aliases: ['/account/sessions'],
  scope: 'guest',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:email']], resetOnSuccess: true },
  params: { email: p.email(), password: p.password() },
  status: 201,
  model: 'session',
  sdk: 'createEmailPasswordSession',
  audit: 'session.create',
  async handler(call) {
    const { services, params } = call;
    const found = await services.storage.users.getByEmail(params.email);
    // Unknown email, no password and wrong password are one error, in about the same time.
    const valid = found?.passwordHash
      ? await services.passwords.verify(params.password, found.passwordHash)
      : await services.passwords.verifyDummy(params.password);
    if (!found || !valid) throw new AccountError('user_invalid_credentials');
    if (!found.status) throw new AccountError('user_blocked');
    if (services.passwords.needsRehash(found.passwordHash!)) await replacePasswordHash(services, found, await services.passwords.hash(params.password));
    // Only a password that verified is sent to the breach check (password.pwned.signIn).
    const user = await checkSignInPassword(services, found, params.password);
    const { session, secret } = await createSession(services, call.request, {
      user,
      provider: 'email',
      providerUid: user.email ?? params.email,
      factors: ['password'],
    });
    alertNewSession(services, call.request, user, session);
    return signedIn(session, secret, user);
  },
});

/**
 * Creates a user without email or password and signs it in; `updateEmail` later upgrades it to a
 * full account with the same id.
 */
export const createAnonymousSession = defineRoute({
  method: 'post',
  path: '/account/sessions/anonymous',
  scope: 'guest',
  rateLimit: { limit: 50, windowMs: HOUR, keys: [['ip']] },
  params: {},
  status: 201,
  model: 'session',
  sdk: 'createAnonymousSession',
  audit: 'session.create',
  async handler(call) {
    const user = await createUser(call.services, { id: null });
    const { session, secret } = await createSession(call.services, call.request, { user, provider: 'anonymous', factors: ['anonymous'] });
    return signedIn(session, secret, user);
  },
});

/** The caller's sessions, oldest first; `current` marks the one making the request. */
export const listSessions = defineRoute({
  method: 'get',
  path: '/account/sessions',
  scope: 'user',
  params: {},
  status: 200,
  model: 'sessionList',
  sdk: 'listSessions',
  async handler(call) {
    const items = await call.services.storage.sessions.listByUser(call.caller.user.id);
    return { total: items.length, items };
  },
});

/** The caller's own session by id or `current`; anything else is 404 user_session_not_found. */
async function findOwnSession(call: RouteCall<{ sessionId: string }, 'user'>): Promise<SessionRecord> {
  const { caller, params } = call;
  if (params.sessionId === 'current') {
    if (caller.via !== 'session') throw new AccountError('user_session_not_found');
    return caller.session;
  }
  const session = await call.services.storage.sessions.get(params.sessionId);
  if (!session || session.userId !== caller.user.id) throw new AccountError('user_session_not_found');
  return session;
}

function isCurrent(caller: Caller, session: SessionRecord): boolean {
  return caller.via === 'session' && caller.session.id === session.id;
}

const sessionId = p.uid();

/**
 * One of the caller's sessions, by id or `current`; another user's session is 404
 * `user_session_not_found`.
 */
export const getSession = defineRoute({
  method: 'get',
  path: '/account/sessions/:sessionId',
  scope: 'user',
  params: { sessionId },
  status: 200,
  model: 'session',
  sdk: 'getSession',
  async handler(call) {
    return findOwnSession(call);
  },
});

/**
 * Extends a session by `session.durationSeconds` from now (the cookie is not re-issued); an OAuth2
 * session with a refresh token also gets fresh provider tokens.
 */
export const updateSession = defineRoute({
  method: 'patch',
  path: '/account/sessions/:sessionId',
  scope: 'user',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'ip']] },
  params: { sessionId },
  status: 200,
  model: 'session',
  sdk: 'updateSession',
  audit: 'session.update',
  async handler(call) {
    const { services } = call;
    const session = await findOwnSession(call);
    // OAuth2 sessions with a refresh token also get fresh provider tokens (refresh_token grant).
    const providerTokens = await refreshProviderTokens(services, session);
    const now = services.now();
    const updated = await services.storage.sessions.update(session.id, {
      expire: new Date(now.getTime() + services.config.session.durationSeconds * 1000),
      updatedAt: now,
      ...(providerTokens ?? {}),
    });
    if (!updated) throw new AccountError('user_session_not_found');
    return updated;
  },
});

/**
 * Signs one session out, by id or `current`; clears the cookie when it is the caller's own.
 * Reachable by a session that still owes an MFA factor, so a half-signed-in user can always sign
 * out.
 */
export const deleteSession = defineRoute({
  method: 'delete',
  path: '/account/sessions/:sessionId',
  scope: 'user',
  mfaExempt: true,
  rateLimit: { limit: 100, windowMs: HOUR, keys: [['url', 'ip']] },
  params: { sessionId },
  status: 204,
  model: undefined,
  sdk: 'deleteSession',
  audit: 'session.delete',
  async handler(call) {
    const session = await findOwnSession(call);
    await call.services.storage.sessions.delete(session.id);
    if (isCurrent(call.caller, session)) return signedOut();
  },
});

/** Signs every session of the user out, the caller's included. */
export const deleteSessions = defineRoute({
  method: 'delete',
  path: '/account/sessions',
  scope: 'user',
  rateLimit: { limit: 100, windowMs: HOUR, keys: [['url', 'ip']] },
  params: {},
  status: 204,
  model: undefined,
  sdk: 'deleteSessions',
  audit: 'session.delete',
  async handler(call) {
    await call.services.storage.sessions.deleteByUser(call.caller.user.id);
    if (call.caller.via === 'session') return signedOut();
  },
});

export const sessionRoutes = [
  createEmailPasswordSession,
  createAnonymousSession,
  listSessions,
  getSession,
  updateSession,
  deleteSession,
  deleteSessions,
];
