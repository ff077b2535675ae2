// `router.users`: administering users from the host's own code, without HTTP or an API key. Every
// method is the Users API route's core function (core/user-admin.ts), so the same invariants hold
// either way; only the arguments are checked here, by the same parameter rules the routes use.
import type { Page, SessionRecord, TokenRecord, UserRecord } from '../adapters/types';
import { p, type ParamRule } from './params';
import type { Services } from './route';
import type { ImportedPasswordHash } from './core/imported-hashes';
import { listUsers, type ListRequest } from './core/list-queries';
import type { SessionClient } from './core/sessions';
import {
  changeUser,
  createServerSession,
  createSignInToken,
  createUserJwt,
  createUserWithPassword,
  deleteUser,
  deleteUserSession,
  deleteUserSessions,
  importUser,
  listUserSessions,
  requireUser,
  resetUserMfa,
  type AdminUserChange,
} from './core/user-admin';

/** A new user for `router.users.create`: a plain `password`, or a `passwordHash` exported elsewhere. */
export interface NewUserInput {
  /** @default a generated id */
  userId?: string;
  email?: string;
  phone?: string;
  name?: string;
  /** Passes the password policies, as on the Users API. */
  password?: string;
  /** An exported hash (Appwrite's seven import formats); needs `email`. */
  passwordHash?: ImportedPasswordHash;
}

/**
 * `router.users`. Failures throw the Users API's AccountError (`error.type`: `user_not_found`,
 * `user_already_exists`, `password_recently_used`, …); arguments its rules refuse throw a
 * TypeError naming them.
 */
export interface UsersAdmin {
  /** A page of users: `queries` in the SDKs' syntax (JSON or `Query.equal(…)` strings), `search`, `total`. */
  list(request?: ListRequest): Promise<Page<UserRecord>>;
  get(userId: string): Promise<UserRecord>;
  create(input: NewUserInput): Promise<UserRecord>;
  /** Any of name, email, phone, password ('' clears the last three), status, labels, prefs, verification flags, mfa. */
  update(userId: string, change: AdminUserChange): Promise<UserRecord>;
  /** Blocks the user: their sessions and JWTs stop working, sign-in is refused. */
  block(userId: string): Promise<UserRecord>;
  unblock(userId: string): Promise<UserRecord>;
  /** Replaces the labels (at most 1,000, each 1–36 letters or digits). */
  setLabels(userId: string, labels: string[]): Promise<UserRecord>;
  /** Deletes the user with their sessions, tokens, identities, targets and MFA data. */
  delete(userId: string): Promise<void>;
  /** The user's sessions, oldest first. */
  listSessions(userId: string): Promise<SessionRecord[]>;
  /** A session made by the server; `secret` is the session cookie's value (for server-side rendering). */
  createSession(userId: string, client?: Partial<SessionClient>): Promise<{ session: SessionRecord; secret: string }>;
  deleteSession(userId: string, sessionId: string): Promise<void>;
  /** Signs the user out everywhere. */
  deleteSessions(userId: string): Promise<void>;
  /** A custom sign-in token: the client redeems `secret` with `account.createSession(userId, secret)`. */
  createToken(userId: string, options?: { length?: number; expireSeconds?: number }): Promise<{ token: TokenRecord; secret: string }>;
  /** A JWT for one of the user's sessions (`recent`, the default: the newest). */
  createJwt(userId: string, options?: { sessionId?: string; durationSeconds?: number }): Promise<string>;
  /** Turns MFA off and removes the user's authenticator and recovery codes (a lost device). */
  resetMfa(userId: string): Promise<UserRecord>;
}

/** `value` by `rule`, or a TypeError naming the argument. */
function checked<T>(name: string, rule: ParamRule<T>, value: unknown): T {
  const result = rule.check(value, { allowedHosts: [] });
  if (typeof result === 'symbol' || (typeof result === 'object' && result !== null && 'reason' in result)) {
    throw new TypeError(`router.users: ${name}: ${rule.description}`);
  }
  return result as T;
}

const RULES = {
  userId: p.customId(),
  id: p.uid(),
  email: p.emptyOr(p.email()),
  phone: p.emptyOr(p.phone()),
  password: p.emptyOr(p.password()),
  name: p.text(0, 128),
  labels: p.labels(),
  prefs: p.object(65535),
  flag: p.boolean(),
};

const FLAGS = ['status', 'emailVerification', 'phoneVerification', 'mfa'] as const;

/** Checks each field of a change by the rule its route uses. */
function checkedChange(change: AdminUserChange): AdminUserChange {
  const out: AdminUserChange = {};
  if (change.name !== undefined) out.name = checked('name', RULES.name, change.name);
  if (change.email !== undefined) out.email = checked('email', RULES.email, change.email);
  if (change.phone !== undefined) out.phone = checked('phone', RULES.phone, change.phone);
  if (change.password !== undefined) out.password = checked('password', RULES.password, change.password);
  if (change.labels !== undefined) out.labels = checked('labels', RULES.labels, change.labels);
  if (change.prefs !== undefined) out.prefs = checked('prefs', RULES.prefs, change.prefs);
  for (const flag of FLAGS) if (change[flag] !== undefined) out[flag] = checked(flag, RULES.flag, change[flag]);
  return out;
}

/** The client a session made in-process records. */
const IN_PROCESS: SessionClient = { ip: '127.0.0.1', userAgent: 'account-router (in-process)', countryCode: '--' };

/** `router.users` over the router's services (`ready` waits until storage is migrated). */
export function createUsersAdmin(ready: () => Promise<Services>): UsersAdmin {
  const id = (userId: string) => checked('userId', RULES.id, userId);
  return {
    list: async (request = {}) => listUsers((await ready()).storage, request),
    get: async (userId) => requireUser(await ready(), id(userId)),
    create: async (input) => {
      const services = await ready();
      const userId = input.userId === undefined ? null : checked('userId', RULES.userId, input.userId);
      const name = input.name === undefined ? '' : checked('name', RULES.name, input.name);
      const email = input.email === undefined ? null : checked('email', p.email(), input.email);
      const phone = input.phone === undefined ? null : checked('phone', p.phone(), input.phone);
      if (input.passwordHash) {
        if (!email) throw new TypeError('router.users: email: a user imported with a passwordHash needs an email');
        return importUser(services, { userId, email, name, imported: input.passwordHash });
      }
      const password = input.password === undefined ? '' : checked('password', RULES.password, input.password);
      return createUserWithPassword(services, { userId, email, phone, name, password });
    },
    update: async (userId, change) => changeUser(await ready(), id(userId), checkedChange(change)),
    block: async (userId) => changeUser(await ready(), id(userId), { status: false }),
    unblock: async (userId) => changeUser(await ready(), id(userId), { status: true }),
    setLabels: async (userId, labels) => changeUser(await ready(), id(userId), { labels: checked('labels', RULES.labels, labels) }),
    delete: async (userId) => void (await deleteUser(await ready(), id(userId))),
    listSessions: async (userId) => (await listUserSessions(await ready(), id(userId))).sessions,
    createSession: async (userId, client = {}) => {
      const { session, secret } = await createServerSession(await ready(), id(userId), { ...IN_PROCESS, ...client });
      return { session, secret };
    },
    deleteSession: async (userId, sessionId) => void (await deleteUserSession(await ready(), id(userId), checked('sessionId', RULES.id, sessionId))),
    deleteSessions: async (userId) => void (await deleteUserSessions(await ready(), id(userId))),
    createToken: async (userId, options = {}) => {
      const { token, secret } = await createSignInToken(await ready(), id(userId), options);
      return { token, secret };
    },
    createJwt: async (userId, options = {}) => {
      const duration = options.durationSeconds ?? 900;
      if (!Number.isInteger(duration) || duration < 1 || duration > 3600) throw new TypeError('router.users: durationSeconds must be an integer from 1 to 3600');
      return (await createUserJwt(await ready(), id(userId), options.sessionId ?? 'recent', duration)).jwt;
    },
    resetMfa: async (userId) => resetUserMfa(await ready(), id(userId)),
  };
}
