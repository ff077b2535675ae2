// The Users API (node-appwrite's `Users` service, API keys only): listing and searching users,
// creating them with a plain password or an imported hash, reading and deleting them. What each
// route does lives in core/user-admin.ts, which the in-process admin API (`router.users`) calls too.
import { listParams, p, type ParamSchema, type ParamValues } from '../params';
import { defineRoute, reply } from '../route';
import { listUsers } from '../core/list-queries';
import type { ImportedPasswordHash } from '../core/imported-hashes';
import { createUserWithPassword, deleteUser, importUser, requireUser } from '../core/user-admin';

/**
 * Lists users, 25 to a page, in the order they were created. `queries` filters on `$id`, `name`,
 * `email`, `phone`, `status`, `passwordUpdate`, `registration` (and `$createdAt`, `$updatedAt`),
 * `emailVerification`, `phoneVerification`, `labels` and `impersonator` (equal, notEqual,
 * comparisons, between, startsWith, endsWith, contains, isNull, and/or), orders with
 * orderAsc/orderDesc and pages with limit, offset and cursorAfter/cursorBefore; `search` matches
 * word starts of the id, email, phone and name. `total: false` skips the count (`total` is 0); it
 * stops at 5,000. An unknown attribute or method is 400 `general_query_invalid`, an unknown
 * cursor 400 `general_cursor_not_found` (see docs/listing-users.md).
 */
export const list = defineRoute({
  method: 'get',
  path: '/users',
  scope: 'server',
  keyScopes: ['users.read'],
  params: listParams(),
  status: 200,
  model: 'userList',
  sdk: 'list',
  async handler({ services, params }) {
    return listUsers(services.storage, params);
  },
});

/**
 * Creates a user. `email`, `phone` and `password` are each optional; a password passes the
 * password policies. 409 `user_already_exists` when the id, email or phone is taken,
 * `user_email_already_exists` when another user's OAuth2 identity reported the email.
 */
export const create = defineRoute({
  method: 'post',
  path: '/users',
  scope: 'server',
  keyScopes: ['users.write'],
  params: {
    userId: p.customId(),
    email: p.email().optional(),
    phone: p.phone().optional(),
    password: p.emptyOr(p.password()).optional(''),
    name: p.text(0, 128).optional(''),
  },
  status: 201,
  model: 'user',
  sdk: 'create',
  audit: 'user.create',
  async handler({ services, params }) {
    const user = await createUserWithPassword(services, params);
    return reply(user, { actor: user });
  },
});

/** The parameters every import route takes, and the hash each makes of its own. */
const IMPORTED = { userId: p.customId(), email: p.email(), password: p.text(1, 4096), name: p.text(0, 128).optional('') };

/**
 * One import route: `hash` names the algorithm for importPasswordHash and `options` turns the
 * route's own parameters into its hashOptions. They differ only in these, so one definition
 * serves the seven.
 */
function importRoute<E extends ParamSchema>(spec: {
  path: string;
  sdk: string;
  hash: string;
  extra: E;
  options: (params: ParamValues<E>) => ImportedPasswordHash['hashOptions'];
}) {
  return defineRoute({
    method: 'post',
    path: spec.path,
    scope: 'server',
    keyScopes: ['users.write'],
    params: { ...IMPORTED, ...spec.extra } as typeof IMPORTED & E,
    status: 201,
    model: 'user',
    sdk: spec.sdk,
    audit: 'user.create',
    async handler({ services, params }) {
      // The generic intersection hides the shared fields' types from the compiler: named here.
      const { userId, email, password, name } = params as unknown as ParamValues<typeof IMPORTED>;
      const imported = { hash: spec.hash, password, hashOptions: spec.options(params as unknown as ParamValues<E>) };
      const user = await importUser(services, { userId, email, name, imported });
      return reply(user, { actor: user });
    },
  });
}

const SHA_VERSIONS = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512/224', 'sha512/256', 'sha512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512'] as const;

/** Imports a user whose password is an Argon2 PHC string (`$argon2id$v=19$…`). */
export const createArgon2User = importRoute({ path: '/users/argon2', sdk: 'createArgon2User', hash: 'argon2', extra: {}, options: () => ({}) });

/** Imports a user whose password is a bcrypt hash (`$2a$`, `$2b$` or `$2y$`). */
export const createBcryptUser = importRoute({ path: '/users/bcrypt', sdk: 'createBcryptUser', hash: 'bcrypt', extra: {}, options: () => ({}) });

/** Imports a user whose password is an unsalted MD5 digest (32 hex digits). */
export const createMD5User = importRoute({ path: '/users/md5', sdk: 'createMD5User', hash: 'md5', extra: {}, options: () => ({}) });

/** Imports a user whose password is a phpass hash (`$P$`/`$H$`, WordPress, phpBB). */
export const createPHPassUser = importRoute({ path: '/users/phpass', sdk: 'createPHPassUser', hash: 'phpass', extra: {}, options: () => ({}) });

/** Imports a user whose password is a SHA-family digest in hex; `passwordVersion` names it (sha3-512 when absent). */
export const createSHAUser = importRoute({
  path: '/users/sha',
  sdk: 'createSHAUser',
  hash: 'sha',
  extra: { passwordVersion: p.oneOf(SHA_VERSIONS).optional() },
  options: ({ passwordVersion }) => (passwordVersion ? { version: passwordVersion } : {}),
});

/**
 * Imports a user whose password is a scrypt key in hex, with its salt and costs (`passwordCpu`,
 * a power of two, 8 by default; `passwordMemory` 14, `passwordParallel` 1, `passwordLength` 64).
 */
export const createScryptUser = importRoute({
  path: '/users/scrypt',
  sdk: 'createScryptUser',
  hash: 'scrypt',
  extra: {
    passwordSalt: p.text(0, 128),
    passwordCpu: p.integer(1, 2 ** 20).optional(8),
    passwordMemory: p.integer(1, 64).optional(14),
    passwordParallel: p.integer(1, 16).optional(1),
    passwordLength: p.integer(1, 256).optional(64),
  },
  options: (params) => ({
    salt: params.passwordSalt,
    costCpu: params.passwordCpu,
    costMemory: params.passwordMemory,
    costParallel: params.passwordParallel,
    length: params.passwordLength,
  }),
});

/** Imports a user whose password is Firebase's modified scrypt (base64 hash, salt, separator and signer key). */
export const createScryptModifiedUser = importRoute({
  path: '/users/scrypt-modified',
  sdk: 'createScryptModifiedUser',
  hash: 'scryptMod',
  extra: { passwordSalt: p.text(1, 128), passwordSaltSeparator: p.text(1, 128), passwordSignerKey: p.text(1, 128) },
  options: (params) => ({ salt: params.passwordSalt, saltSeparator: params.passwordSaltSeparator, signerKey: params.passwordSignerKey }),
});

/** A user, with the password hash, its algorithm and settings; 404 `user_not_found`. */
export const get = defineRoute({
  method: 'get',
  path: '/users/:userId',
  scope: 'server',
  keyScopes: ['users.read'],
  params: { userId: p.uid() },
  status: 200,
  model: 'user',
  sdk: 'get',
  async handler({ services, params }) {
    return requireUser(services, params.userId);
  },
});

/** Deletes a user with its sessions, tokens, identities, targets and MFA data; its security log stays. */
export const deleteUserRoute = defineRoute({
  method: 'delete',
  path: '/users/:userId',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'delete',
  audit: 'user.delete',
  async handler({ services, params }) {
    return reply(undefined, { actor: await deleteUser(services, params.userId) });
  },
});

export const userRoutes = [
  list,
  create,
  createArgon2User,
  createBcryptUser,
  createMD5User,
  createPHPassUser,
  createSHAUser,
  createScryptUser,
  createScryptModifiedUser,
  get,
  deleteUserRoute,
];
