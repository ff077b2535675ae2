// The Users API's sign-in side: a user's sessions (listing, creating one server-side, revoking),
// custom sign-in tokens, JWTs, the security log and team memberships (none: teams are not served).
import { listParams, p } from '../params';
import { defineRoute, reply } from '../route';
import { parsePageQueries } from '../core/queries';
import { parseQuery } from '../core/list-queries';
import {
  createServerSession,
  createSignInToken,
  createUserJwt,
  deleteUserSession,
  deleteUserSessions,
  listUserSessions,
  requireUser,
  TOKEN_EXPIRE_SECONDS,
  TOKEN_LENGTH,
} from '../core/user-admin';

/** The user's sessions, oldest first; `total: false` leaves the count out. */
export const listSessions = defineRoute({
  method: 'get',
  path: '/users/:userId/sessions',
  scope: 'server',
  keyScopes: ['users.read', 'sessions.read'],
  params: { userId: p.uid(), total: p.looseBoolean().optional(true) },
  status: 200,
  model: 'sessionList',
  sdk: 'listSessions',
  async handler({ services, params }) {
    const { sessions } = await listUserSessions(services, params.userId);
    return { total: params.total ? sessions.length : 0, items: sessions };
  },
});

/**
 * Creates a session for the user from the server (provider `server`, factors `['server']`), for
 * server-side rendering: the answer's `secret` is the session cookie's value, shown once. The
 * host sets it as `a_session_<projectId>` or passes it to node-appwrite's `client.setSession()`.
 */
export const createSession = defineRoute({
  method: 'post',
  path: '/users/:userId/sessions',
  scope: 'server',
  keyScopes: ['users.write', 'sessions.write'],
  params: { userId: p.uid() },
  status: 201,
  model: 'session',
  sdk: 'createSession',
  audit: 'session.create',
  async handler({ services, params, request }) {
    const { user, session, secret } = await createServerSession(services, params.userId, request);
    return reply({ ...session, secret }, { actor: user });
  },
});

/** Revokes every session of the user. */
export const deleteSessions = defineRoute({
  method: 'delete',
  path: '/users/:userId/sessions',
  scope: 'server',
  keyScopes: ['users.write', 'sessions.write'],
  params: { userId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'deleteSessions',
  audit: 'session.delete',
  async handler({ services, params }) {
    return reply(undefined, { actor: await deleteUserSessions(services, params.userId) });
  },
});

/** Revokes one session of the user; another user's session is 404 `user_session_not_found`. */
export const deleteSession = defineRoute({
  method: 'delete',
  path: '/users/:userId/sessions/:sessionId',
  scope: 'server',
  keyScopes: ['users.write', 'sessions.write'],
  params: { userId: p.uid(), sessionId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'deleteSession',
  audit: 'session.delete',
  async handler({ services, params }) {
    return reply(undefined, { actor: await deleteUserSession(services, params.userId, params.sessionId) });
  },
});

/**
 * Mints a token for a custom sign-in flow: `secret` (`length` characters, 6 by default, 4–128)
 * is shown once and valid `expire` seconds (900 by default, 60 to a year). The client exchanges it
 * with `account.createSession(userId, secret)`; it works once.
 */
export const createToken = defineRoute({
  method: 'post',
  path: '/users/:userId/tokens',
  scope: 'server',
  keyScopes: ['users.write'],
  params: {
    userId: p.uid(),
    length: p.integer(TOKEN_LENGTH.min, TOKEN_LENGTH.max).optional(TOKEN_LENGTH.default),
    expire: p.integer(TOKEN_EXPIRE_SECONDS.min, TOKEN_EXPIRE_SECONDS.max).optional(TOKEN_EXPIRE_SECONDS.default),
  },
  status: 201,
  model: 'token',
  sdk: 'createToken',
  audit: 'tokens.create',
  async handler({ services, params }) {
    const { user, token, secret } = await createSignInToken(services, params.userId, { length: params.length, expireSeconds: params.expire });
    return reply({ ...token, secret }, { actor: user });
  },
});

/**
 * Mints a JWT for one of the user's sessions (`sessionId`, or `recent` — the default — for the
 * newest), valid `duration` seconds (900 by default, at most 3600). 404 `user_session_not_found`
 * when the user has no such session.
 */
export const createJWT = defineRoute({
  method: 'post',
  path: '/users/:userId/jwts',
  scope: 'server',
  keyScopes: ['users.write'],
  // Appwrite accepts 0 and signs a token dead on arrival; 1 second is the least here, as on /account/jwts.
  params: { userId: p.uid(), sessionId: p.text(0, 36).optional('recent'), duration: p.integer(1, 3600).optional(900) },
  status: 201,
  model: 'jwt',
  sdk: 'createJWT',
  async handler({ services, params }) {
    return createUserJwt(services, params.userId, params.sessionId || 'recent', params.duration!);
  },
});

/**
 * The user's security log, newest first: what the user did, and what the Users API did to the
 * account. `queries` takes `limit` and `offset`; `total: false` leaves the count out.
 */
export const listLogs = defineRoute({
  method: 'get',
  path: '/users/:userId/logs',
  scope: 'server',
  keyScopes: ['users.read'],
  params: { userId: p.uid(), queries: listParams().queries, total: listParams().total },
  status: 200,
  model: 'logList',
  sdk: 'listLogs',
  async handler({ services, params }) {
    const user = await requireUser(services, params.userId);
    const page = await services.storage.logs.listByUser(user.id, parsePageQueries(params.queries));
    return params.total ? page : { total: 0, items: page.items };
  },
});

/**
 * The user's team memberships: always empty, since account-router serves no teams (the answer
 * Appwrite gives for a user in none). The queries are still checked (400 `general_query_invalid`).
 */
export const listMemberships = defineRoute({
  method: 'get',
  path: '/users/:userId/memberships',
  scope: 'server',
  keyScopes: ['users.read'],
  params: { userId: p.uid(), ...listParams() },
  status: 200,
  model: 'membershipList',
  sdk: 'listMemberships',
  async handler({ services, params }) {
    await requireUser(services, params.userId);
    params.queries!.forEach(parseQuery);
    return { total: 0, items: [] };
  },
});

export const userSessionRoutes = [listSessions, createSession, deleteSessions, deleteSession, createToken, createJWT, listLogs, listMemberships];
