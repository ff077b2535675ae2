// The storage-adapter contract: every record account-router keeps, and the narrow async methods
// it needs to keep them. lib/ depends on this file only, never on a concrete adapter.
//
// Conventions every adapter follows:
// - Every method returns a Promise. Absence is `null` (or an empty page), never an exception.
// - Records are camelCase, dates are `Date` with millisecond precision, ids are made by lib/.
// - Secrets never reach the adapter in plain text: `secretHash`/`codeHash` fields are keyed hashes,
//   recovery-code entries a keyed hash and a ciphertext.
// - Uniqueness comes from unique indexes; a clash throws `ConflictError`, never a generic error.
// - Methods whose docs say "atomically" must hold under concurrent callers (several processes on
//   one database included): they are what makes single-use tokens and session limits race-safe.

/** An email/sms/push address of a user (the Target model). */
export interface TargetRecord {
  id: string;
  userId: string;
  createdAt: Date;
  updatedAt: Date;
  providerType: 'email' | 'sms' | 'push';
  identifier: string;
  providerId: string | null;
  name: string;
  expired: boolean;
  /** The session a push target was registered from; null for email/sms targets. */
  sessionId: string | null;
}

/** Fields of a target that `targets.update` may change. */
export type TargetPatch = Partial<Pick<TargetRecord, 'updatedAt' | 'identifier' | 'name' | 'expired' | 'providerId'>>;

export interface UserRecord {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  name: string;
  /** Lower-cased; null for anonymous and phone-only users. Unique. */
  email: string | null;
  /** E.164; null when unset. Unique. */
  phone: string | null;
  /** Self-describing hash string (see lib/core/passwords.ts); null when the user has no password. */
  passwordHash: string | null;
  passwordUpdatedAt: Date | null;
  /**
   * Whether the password was found in a known data breach when it was last checked (the
   * `password.pwned` policy); null when it never was, or when the check could not be made.
   */
  passwordPwned: boolean | null;
  /** false = blocked. */
  status: boolean;
  labels: string[];
  emailVerification: boolean;
  phoneVerification: boolean;
  mfa: boolean;
  prefs: Record<string, unknown>;
  accessedAt: Date;
  /** May act as another user (Appwrite 1.9 impersonation); false unless set. */
  impersonator: boolean;
  /** Filled by every read; ignored on create/update (targets are written through `targets`). */
  targets: TargetRecord[];
}

/** Fields of a user that `users.update` may change. */
export type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'updatedAt'
    | 'name'
    | 'email'
    | 'phone'
    | 'passwordHash'
    | 'passwordUpdatedAt'
    | 'passwordPwned'
    | 'status'
    | 'labels'
    | 'emailVerification'
    | 'phoneVerification'
    | 'mfa'
    | 'prefs'
    | 'accessedAt'
    | 'impersonator'
  >
>;

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  updatedAt: Date;
  expire: Date;
  /** Keyed hash of the session secret; unique. The secret itself exists only in the cookie. */
  secretHash: string;
  /** `email`, `anonymous`, `magic-url`, `phone`, `token` or an OAuth2 provider key. */
  provider: string;
  providerUid: string;
  providerAccessToken: string;
  providerRefreshToken: string;
  providerAccessTokenExpiry: Date | null;
  ip: string;
  userAgent: string;
  /** Lower-case ISO-3166 alpha-2, or `--` when unknown. */
  countryCode: string;
  factors: string[];
  mfaUpdatedAt: Date | null;
}

export type SessionPatch = Partial<
  Pick<
    SessionRecord,
    | 'updatedAt'
    | 'expire'
    | 'providerAccessToken'
    | 'providerRefreshToken'
    | 'providerAccessTokenExpiry'
    | 'factors'
    | 'mfaUpdatedAt'
  >
>;

export type TokenType =
  | 'magic-url'
  | 'email-otp'
  | 'phone'
  | 'email-verification'
  | 'recovery'
  | 'email-verification-otp'
  | 'recovery-otp'
  | 'oauth2'
  | 'generic';

export interface TokenRecord {
  id: string;
  userId: string;
  type: TokenType;
  createdAt: Date;
  expire: Date;
  /** Keyed hash of the secret (link secret or 6-digit code). */
  secretHash: string;
  /** Security phrase shown to the user, or ''. */
  phrase: string;
  /** OAuth2 tokens: the provider key; '' otherwise. */
  provider: string;
}

export interface IdentityRecord {
  id: string;
  userId: string;
  createdAt: Date;
  updatedAt: Date;
  provider: string;
  providerUid: string;
  providerEmail: string;
  /** Encrypted by lib/ before it reaches the adapter. */
  providerAccessToken: string;
  providerRefreshToken: string;
  providerAccessTokenExpiry: Date | null;
  /** The ID token of the latest native sign-in, encrypted by lib/; '' for identities of the browser flow. */
  providerIdToken: string;
}

export type IdentityPatch = Partial<
  Pick<
    IdentityRecord,
    | 'updatedAt'
    | 'providerEmail'
    | 'providerAccessToken'
    | 'providerRefreshToken'
    | 'providerAccessTokenExpiry'
    | 'providerIdToken'
  >
>;

/**
 * A server API key (`X-Appwrite-Key`). Only the keyed hash of its secret is stored, and a request's
 * key is found by that hash, so no stored secret is ever compared byte by byte.
 */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The scopes the key grants (`users.read`, …), as `lib/` validated them. */
  scopes: string[];
  /** Unique. */
  secretHash: string;
  createdAt: Date;
  /** Null: the key never expires. */
  expire: Date | null;
  /** Null until the key is first used; `lib/` moves it at most once a day. */
  accessedAt: Date | null;
}

/** One security-log entry: who did what, from where. Device fields are derived from `userAgent` on read. */
export interface LogRecord {
  id: string;
  userId: string;
  event: string;
  /** The user's email and name at the time of the event. */
  userEmail: string;
  userName: string;
  mode: string;
  ip: string;
  userAgent: string;
  countryCode: string;
  time: Date;
}

export interface AuthenticatorRecord {
  id: string;
  userId: string;
  type: 'totp';
  verified: boolean;
  /** Encrypted by lib/ (TOTP needs the secret back to compute codes). */
  secret: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields of an authenticator that `authenticators.update` may change. */
export type AuthenticatorPatch = Partial<Pick<AuthenticatorRecord, 'verified' | 'updatedAt'>>;

export interface ChallengeRecord {
  id: string;
  userId: string;
  type: 'email' | 'phone' | 'totp' | 'recoveryCode' | 'custom';
  /** Keyed hash of the code (emailed, texted or handed to the host); '' for totp and recoveryCode challenges. */
  codeHash: string;
  /**
   * The code itself, encrypted by lib/, for the challenges whose code the host app delivers
   * (`custom`) and so must read back; '' for every other type.
   */
  code: string;
  createdAt: Date;
  expire: Date;
}

export interface Page<T> {
  total: number;
  items: T[];
}

export interface PageRequest {
  limit: number;
  offset: number;
}

/**
 * What a list attribute holds, which decides the operators and values it takes: `text` compares
 * by code point (SQLite BINARY, PostgreSQL COLLATE "C"), `date` by instant, `boolean` with
 * false < true, and `labels` is a set of strings that only the `contains` family tests.
 */
export type ListAttributeKind = 'text' | 'date' | 'boolean' | 'labels';

/** The attributes `users.list` filters and orders by (record fields), with their kinds. */
export const USER_LIST_ATTRIBUTES = {
  id: 'text',
  createdAt: 'date',
  updatedAt: 'date',
  name: 'text',
  email: 'text',
  phone: 'text',
  status: 'boolean',
  passwordUpdatedAt: 'date',
  labels: 'labels',
  emailVerification: 'boolean',
  phoneVerification: 'boolean',
  impersonator: 'boolean',
} as const satisfies Record<string, ListAttributeKind>;

/** The attributes `identities.list` filters and orders by, with their kinds. */
export const IDENTITY_LIST_ATTRIBUTES = {
  id: 'text',
  createdAt: 'date',
  updatedAt: 'date',
  userId: 'text',
  provider: 'text',
  providerUid: 'text',
  providerEmail: 'text',
  providerAccessTokenExpiry: 'date',
} as const satisfies Record<string, ListAttributeKind>;

export type UserListAttribute = keyof typeof USER_LIST_ATTRIBUTES;
export type IdentityListAttribute = keyof typeof IDENTITY_LIST_ATTRIBUTES;

/**
 * A filter's test, as Appwrite's queries name them. A row whose attribute is null fails every
 * test but `isNull` (the `not…` ones included, as in SQL). On `text`: `equal` holds when the value
 * is one of `values`; `notEqual`, the comparisons, `startsWith`, `endsWith` and their `not…` forms
 * take one value (`between` and `notBetween` two, inclusive); `contains` holds when one of `values`
 * is a substring and `notContains` when none is. On `labels`: `contains` holds when the user has
 * one of `values`, `containsAll` when it has all of them, `notContains` when it has none; `isNull`
 * never holds. `date` and `boolean` take `equal`, `notEqual` and the comparisons.
 */
export type ListFilterOp =
  | 'equal'
  | 'notEqual'
  | 'lessThan'
  | 'lessThanEqual'
  | 'greaterThan'
  | 'greaterThanEqual'
  | 'between'
  | 'notBetween'
  | 'startsWith'
  | 'notStartsWith'
  | 'endsWith'
  | 'notEndsWith'
  | 'contains'
  | 'notContains'
  | 'containsAll'
  | 'isNull'
  | 'isNotNull';

/** A filter value: a string for `text` and `labels`, a Date for `date`, a boolean for `boolean`. */
export type ListValue = string | Date | boolean;

/** One test of an attribute, or `and` / `or` of nested filters (at most a few levels deep). */
export type ListFilter<A extends string> =
  | { attribute: A; op: ListFilterOp; values: ListValue[] }
  | { op: 'and' | 'or'; filters: ListFilter<A>[] };

export interface ListOrder<A extends string> {
  attribute: A;
  direction: 'asc' | 'desc';
}

/**
 * A validated list request (lib/core/list-queries.ts builds it from the SDKs' `queries[]`, so an
 * adapter can trust it: attributes, operators and value types match the kinds above).
 *
 * Order: `orders`, then the entity's insertion sequence (for users: the order they were created
 * in, Appwrite's `$sequence`), which also breaks every tie; with no `orders` the list is in
 * insertion order. Ascending order puts nulls first, descending last.
 *
 * Pages: `cursor` names a row (found whatever the filters say) and keeps the rows that come after
 * it (`after`) or before it (`before`) in that order; then `offset` rows are skipped — counted
 * away from the cursor for `before` — and at most `limit` are returned, always in list order.
 */
export interface ListQuery<A extends string> {
  /** All must hold. */
  filters: ListFilter<A>[];
  /**
   * '' for none. Users: every word of it must be the start of a word of the user's id, email,
   * phone or name (words: see `searchWords` in adapters/sql/search.ts; case and diacritics
   * ignored); text without words matches nothing. Identities: the text, lower-cased, starts the
   * provider email, or equals the provider, the provider uid or the user id.
   */
  search: string;
  orders: ListOrder<A>[];
  cursor: { id: string; direction: 'after' | 'before' } | null;
  /** 1 to 5000. */
  limit: number;
  offset: number;
  /**
   * Count the rows that pass `filters` and `search` (the cursor and the page aside), up to
   * {@link LIST_TOTAL_MAX}; false gives `total: 0` and counts nothing.
   */
  total: boolean;
}

export type UserListQuery = ListQuery<UserListAttribute>;
export type IdentityListQuery = ListQuery<IdentityListAttribute>;

/** `total` stops counting here, as Appwrite's does (APP_LIMIT_COUNT): counting a million rows per page would cost more than the page. */
export const LIST_TOTAL_MAX = 5000;

/** Thrown by create/update methods when a unique index refuses the write. */
export class ConflictError extends Error {
  constructor(
    readonly entity: 'user' | 'session' | 'token' | 'identity' | 'target' | 'authenticator' | 'challenge' | 'apiKey' | 'oauthClient',
    readonly field: string,
  ) {
    super(`${entity}.${field} already exists`);
    this.name = 'ConflictError';
  }
}

export interface UserStore {
  /** Throws ConflictError('user', 'id' | 'email' | 'phone'). */
  create(user: Omit<UserRecord, 'targets'>): Promise<UserRecord>;
  get(id: string): Promise<UserRecord | null>;
  /** `email` is compared lower-cased. */
  getByEmail(email: string): Promise<UserRecord | null>;
  getByPhone(phone: string): Promise<UserRecord | null>;
  /** Returns the updated user, or null when it does not exist. Throws ConflictError on email/phone clashes. */
  update(id: string, patch: UserPatch): Promise<UserRecord | null>;
  /** Deletes the user and everything that belongs to it (sessions, tokens, identities, targets, MFA data, password history).
   * Logs are kept. Returns whether a user was deleted. */
  delete(id: string): Promise<boolean>;
  count(): Promise<number>;
  /**
   * A page of users as {@link ListQuery} describes, each with its targets; null when
   * `query.cursor` names no user. Filters on the indexed attributes, search and the cursor are
   * served from indexes, so a page costs about the same with a million users as with a thousand.
   */
  list(query: UserListQuery): Promise<Page<UserRecord> | null>;
}

export interface SessionStore {
  /**
   * Inserts the session and, atomically in the same step, deletes the user's oldest sessions
   * (by createdAt, then id) until at most `maxPerUser` remain; 0 means no limit.
   * The new session is never the one deleted.
   */
  create(session: SessionRecord, options: { maxPerUser: number }): Promise<SessionRecord>;
  get(id: string): Promise<SessionRecord | null>;
  /** The hot path: one query returning the session with this secret hash and its user. Expiry is the caller's check. */
  getBySecretHashWithUser(secretHash: string): Promise<{ session: SessionRecord; user: UserRecord } | null>;
  /** Same, by session id (JWT authentication). */
  getWithUser(id: string): Promise<{ session: SessionRecord; user: UserRecord } | null>;
  /** Oldest first. */
  listByUser(userId: string): Promise<SessionRecord[]>;
  update(id: string, patch: SessionPatch): Promise<SessionRecord | null>;
  delete(id: string): Promise<boolean>;
  /** Deletes every session of the user except `exceptId` (when given); returns how many went. */
  deleteByUser(userId: string, options?: { exceptId?: string }): Promise<number>;
  deleteExpired(now: Date): Promise<number>;
}

export interface TokenStore {
  create(token: TokenRecord): Promise<TokenRecord>;
  /**
   * Atomically finds a non-expired token of the user whose type is one of `types` and whose
   * hash equals `secretHash`, deletes it and returns it. Exactly one of any number of concurrent
   * callers with the same secret receives the record; every other receives null.
   */
  consume(query: { userId: string; types: TokenType[]; secretHash: string; now: Date }): Promise<TokenRecord | null>;
  /** Deletes one token (e.g. when its message could not be delivered). */
  delete(id: string): Promise<boolean>;
  deleteExpired(now: Date): Promise<number>;
}

export interface IdentityStore {
  /** Throws ConflictError('identity', 'provider') when (provider, providerUid) is taken. */
  create(identity: IdentityRecord): Promise<IdentityRecord>;
  get(id: string): Promise<IdentityRecord | null>;
  getByProviderUid(provider: string, providerUid: string): Promise<IdentityRecord | null>;
  /** Any identity (of any user, any provider) that reported this email, lower-cased. */
  getByProviderEmail(email: string): Promise<IdentityRecord | null>;
  /** Newest last. */
  listByUser(userId: string, page: PageRequest): Promise<Page<IdentityRecord>>;
  /**
   * A page of identities of all users as {@link ListQuery} describes (insertion order: by
   * createdAt, then id); null when `query.cursor` names no identity.
   */
  list(query: IdentityListQuery): Promise<Page<IdentityRecord> | null>;
  update(id: string, patch: IdentityPatch): Promise<IdentityRecord | null>;
  delete(id: string): Promise<boolean>;
}

export interface LogStore {
  create(log: LogRecord): Promise<void>;
  /** Newest first. */
  listByUser(userId: string, page: PageRequest): Promise<Page<LogRecord>>;
}

export interface TargetStore {
  /** Throws ConflictError('target', 'id') or ConflictError('target', 'identifier') for a (providerType, identifier) clash. */
  create(target: TargetRecord): Promise<TargetRecord>;
  get(id: string): Promise<TargetRecord | null>;
  getByIdentifier(providerType: TargetRecord['providerType'], identifier: string): Promise<TargetRecord | null>;
  update(id: string, patch: TargetPatch): Promise<TargetRecord | null>;
  delete(id: string): Promise<boolean>;
}

export interface AuthenticatorStore {
  /** At most one authenticator per (user, type): an existing one is replaced. */
  upsert(authenticator: AuthenticatorRecord): Promise<AuthenticatorRecord>;
  get(userId: string, type: AuthenticatorRecord['type']): Promise<AuthenticatorRecord | null>;
  update(id: string, patch: AuthenticatorPatch): Promise<AuthenticatorRecord | null>;
  delete(userId: string, type: AuthenticatorRecord['type']): Promise<boolean>;
}

export interface ChallengeStore {
  create(challenge: ChallengeRecord): Promise<ChallengeRecord>;
  get(id: string): Promise<ChallengeRecord | null>;
  /** Atomically deletes the challenge; true for exactly one of any number of concurrent callers. */
  consume(id: string): Promise<boolean>;
  deleteExpired(now: Date): Promise<number>;
}

/**
 * A stored recovery code as lib/ writes it: `<keyed hash>.<sealed code>`. The hash lets lib/ find
 * and consume a code without decrypting anything; the ciphertext, which only the server secret
 * opens, lets it show the unused codes again. To the adapter it is an opaque string, unique per user.
 */
export type RecoveryCodeEntry = string;

/** The user's unused MFA recovery codes, as {@link RecoveryCodeEntry} strings. */
export interface RecoveryCodeStore {
  /** Replaces all of the user's entries with these, atomically. */
  replace(userId: string, entries: RecoveryCodeEntry[], now: Date): Promise<void>;
  /** The unused codes' entries, in the order `replace` was given them. */
  list(userId: string): Promise<RecoveryCodeEntry[]>;
  /** Atomically removes one entry; true for exactly one of any number of concurrent callers. */
  consume(userId: string, entry: RecoveryCodeEntry): Promise<boolean>;
}

/** The user's earlier password hashes, for the `password.history` policy (written only while it is on). */
export interface PasswordHistoryStore {
  /** Records `passwordHash` as the user's newest entry and drops all but the `keep` newest (keep ≥ 1). */
  add(userId: string, passwordHash: string, createdAt: Date, keep: number): Promise<void>;
  /** The user's entries, newest first. */
  list(userId: string): Promise<string[]>;
}

export interface CounterStore {
  /**
   * Atomically adds one to the counter `key` in the fixed window that contains `now`
   * (window start = now - now mod windowMs) and returns the count after the increment and the
   * window's end. A counter from an older window starts again at 1.
   */
  hit(key: string, windowMs: number, now: Date): Promise<{ count: number; resetAt: Date }>;
  /** Takes one back (never below zero). */
  decrement(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

export interface ApiKeyStore {
  /** Throws ConflictError('apiKey', 'id' | 'secretHash') on a duplicate. */
  create(key: ApiKeyRecord): Promise<ApiKeyRecord>;
  /** The key whose secret hashes to `secretHash`, expired or not (lib/ decides what expiry means); null when none. */
  getBySecretHash(secretHash: string): Promise<ApiKeyRecord | null>;
  /** Every key, oldest first (a project holds a handful). */
  list(): Promise<ApiKeyRecord[]>;
  /** Revokes the key: its secret stops working with the next request. False when there was none. */
  delete(id: string): Promise<boolean>;
  /** Sets `accessedAt`; false when the key is gone. */
  touch(id: string, accessedAt: Date): Promise<boolean>;
}

export interface SettingStore {
  /** Stores `value` unless the key exists, atomically; returns whichever value is stored now. */
  getOrCreate(key: string, value: string): Promise<string>;
}

/**
 * A host app's express-session session, kept next to the accounts (`accounts.sessionStore()`).
 * A row may be **tied** to an account session: it then ends with it, whatever ends it.
 */
export interface HostSessionRecord {
  /** express-session's session id (the `sid`). */
  id: string;
  /** The session data as JSON text, stored and returned exactly as given (the adapter never parses it). */
  data: string;
  expire: Date;
  /** The account session this row is tied to, or null for an untied row. */
  accountSessionId: string | null;
}

/**
 * The host sessions. A row is **live** at `now` when its `expire` is later than `now` and, when it
 * is tied, its account session exists, has not expired at `now` and belongs to a user who is not
 * blocked. Only live rows are ever returned or counted.
 *
 * Tied rows end with their account session in the database itself, so every way an account
 * session ends (sign-out, `sessions.deleteByUser`, the `maxPerUser` pruning, `sessions.deleteExpired`,
 * `users.delete`, or any later code that deletes sessions) takes its tied rows along, and an update
 * that leaves a user blocked deletes the rows tied to that user's sessions in the same statement.
 */
export interface HostSessionStore {
  /** The row when it is live at `now`, else null. */
  get(id: string, now: Date): Promise<HostSessionRecord | null>;
  /**
   * Inserts or replaces the row, atomically (of concurrent writers of one id, one row remains,
   * holding one writer's record whole). A row tied to an account session that is not live at `now`
   * (gone, expired, or its user blocked — possibly ended by a concurrent caller) is not written:
   * it returns false and leaves any existing row as it was. Otherwise it returns true.
   */
  set(record: HostSessionRecord, now: Date): Promise<boolean>;
  /** Moves a live row's `expire`; false when there is no live row (an ended session is never revived). */
  touch(id: string, expire: Date, now: Date): Promise<boolean>;
  /** Deletes the row, live or not; false when there was none. */
  destroy(id: string): Promise<boolean>;
  /** Every live row, by id. */
  all(now: Date): Promise<HostSessionRecord[]>;
  /** How many rows are live. */
  length(now: Date): Promise<number>;
  /** Deletes every row, live or not; returns how many went. */
  clear(): Promise<number>;
  /**
   * Deletes the rows whose own `expire` has passed at `now`. (Tied rows whose account session has
   * expired go when `sessions.deleteExpired` deletes it; until then they are not live.)
   */
  deleteExpired(now: Date): Promise<number>;
}

/**
 * A client of the authorization server (lib/idp/): registered by the host, registered dynamically
 * (RFC 7591), or read from a Client ID Metadata Document, whose id is the document's HTTPS URL and
 * whose row is a cache kept until `expire`.
 */
export interface OAuthClientRecord {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  name: string;
  /** Keyed hash of the client secret; null for a public client (PKCE only). */
  secretHash: string | null;
  /** Compared exactly, character for character, with the `redirect_uri` of a request. */
  redirectUris: string[];
  /** The scopes it may ask for; empty: any scope the server offers. */
  scopes: string[];
  source: 'host' | 'dynamic' | 'metadata';
  /** The client's home page, shown on the consent page; '' when unknown. */
  clientUri: string;
  /** When a cached metadata document must be fetched again; null for registered clients. */
  expire: Date | null;
  /** Its access tokens: signed JWTs (RFC 9068) or opaque references to claims kept in storage. */
  accessTokenFormat: 'jwt' | 'opaque';
}

/** A user's standing permission for a client: what the consent page granted (one per user and client). */
export interface OAuthConsentRecord {
  id: string;
  userId: string;
  clientId: string;
  createdAt: Date;
  updatedAt: Date;
  scopes: string[];
  /** RFC 8707 resource indicators. */
  resources: string[];
  /** RFC 9396 `authorization_details`, as the client sent them; null when none. */
  authorizationDetails: unknown[] | null;
  /** null: until revoked. */
  expire: Date | null;
}

/** An authorization code waiting for the token endpoint; only its keyed hash is stored. */
export interface OAuthCodeRecord {
  codeHash: string;
  clientId: string;
  userId: string;
  consentId: string;
  /** The account session that approved it (its factors become the ID token's `amr`). */
  sessionId: string;
  redirectUri: string;
  scopes: string[];
  resources: string[];
  authorizationDetails: unknown[] | null;
  nonce: string | null;
  /** The PKCE S256 challenge (base64url SHA-256 of the verifier). */
  codeChallenge: string;
  authTime: Date;
  amr: string[];
  createdAt: Date;
  expire: Date;
}

/**
 * A token family: what one code exchange granted, and the refresh token that rotates within it
 * (the Oauth2ConsentToken model). Refresh tokens carry the family id and `generation`: an older
 * generation presented again is a reuse, which revokes the family.
 */
export interface OAuthGrantRecord {
  id: string;
  consentId: string;
  userId: string;
  clientId: string;
  createdAt: Date;
  updatedAt: Date;
  scopes: string[];
  resources: string[];
  authorizationDetails: unknown[] | null;
  authTime: Date;
  amr: string[];
  /** The end of the family: its refresh token's expiry, or its last access token's without one. */
  expire: Date;
  generation: number;
  /** Keyed hash of the current refresh token; null when the grant has no refresh token (no `offline_access`). */
  refreshHash: string | null;
  /** Keyed hash of the family's current opaque access token; null for JWT clients (and before the first one). */
  accessHash: string | null;
  /** The claims that opaque token stands for (`exp` is its expiry); null with `accessHash`. */
  accessClaims: Record<string, unknown> | null;
}

/** A key the authorization server signs tokens with; the private half sealed by the router's SecretBox. */
export interface SigningKeyRecord {
  /** The JWK `kid`. */
  id: string;
  alg: 'ES256' | 'RS256';
  /** The public JWK, served in the JWKS. */
  publicJwk: Record<string, unknown>;
  /** The PKCS#8 PEM private key, sealed (never stored in the clear). */
  privateKey: string;
  createdAt: Date;
  /** When it leaves the JWKS: after the last token it signed has expired. */
  expire: Date;
}

export interface OAuthClientStore {
  /** Inserts a client; ConflictError('oauthClient', 'id') when the id is taken. */
  create(client: OAuthClientRecord): Promise<OAuthClientRecord>;
  get(id: string): Promise<OAuthClientRecord | null>;
  /** Inserts or replaces the client, atomically (the cache of a metadata document). */
  put(client: OAuthClientRecord): Promise<OAuthClientRecord>;
  /** Deletes the client with its consents, codes and grants. */
  delete(id: string): Promise<boolean>;
}

export interface OAuthConsentStore {
  /**
   * Inserts the consent of `userId` for `clientId`, or replaces the scopes, resources, details,
   * `updatedAt` and `expire` of the existing one (keeping its id and `createdAt`), atomically.
   */
  grant(consent: OAuthConsentRecord): Promise<OAuthConsentRecord>;
  get(id: string): Promise<OAuthConsentRecord | null>;
  getByClient(userId: string, clientId: string): Promise<OAuthConsentRecord | null>;
  /** The user's consents, newest first. */
  listByUser(userId: string, page: PageRequest): Promise<Page<OAuthConsentRecord>>;
  /** Deletes the consent and, in the same statement or transaction, every code and grant under it. */
  delete(id: string): Promise<boolean>;
}

export interface OAuthCodeStore {
  create(code: OAuthCodeRecord): Promise<OAuthCodeRecord>;
  /** Deletes the code and returns it to exactly one of any concurrent callers; null when absent or expired at `now`. */
  consume(codeHash: string, now: Date): Promise<OAuthCodeRecord | null>;
  deleteExpired(now: Date): Promise<number>;
}

export interface OAuthGrantStore {
  create(grant: OAuthGrantRecord): Promise<OAuthGrantRecord>;
  get(id: string): Promise<OAuthGrantRecord | null>;
  /**
   * Moves the grant from `generation` to `generation + 1` with a new refresh-token hash and expiry,
   * atomically: of concurrent callers naming the same generation exactly one gets the updated
   * record; the others, and any caller once the grant expired at `now`, get null.
   */
  rotate(change: { id: string; generation: number; refreshHash: string; expire: Date; now: Date }): Promise<OAuthGrantRecord | null>;
  /** Replaces the family's opaque access token (the previous one stops working); false when the grant is gone. */
  setAccessToken(change: { id: string; accessHash: string; accessClaims: Record<string, unknown> }): Promise<boolean>;
  /** The grant whose current opaque access token has this keyed hash; null when none. */
  getByAccessHash(accessHash: string): Promise<OAuthGrantRecord | null>;
  /** The grants under a consent, newest first. */
  listByConsent(consentId: string, page: PageRequest): Promise<Page<OAuthGrantRecord>>;
  delete(id: string): Promise<boolean>;
  deleteExpired(now: Date): Promise<number>;
}

export interface SigningKeyStore {
  create(key: SigningKeyRecord): Promise<SigningKeyRecord>;
  /** The keys not expired at `now`, newest first. */
  list(now: Date): Promise<SigningKeyRecord[]>;
  deleteExpired(now: Date): Promise<number>;
}

/** The data stores, as seen inside and outside a transaction. */
export interface StorageStores {
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  identities: IdentityStore;
  logs: LogStore;
  targets: TargetStore;
  authenticators: AuthenticatorStore;
  challenges: ChallengeStore;
  recoveryCodes: RecoveryCodeStore;
  passwordHistory: PasswordHistoryStore;
  counters: CounterStore;
  settings: SettingStore;
  hostSessions: HostSessionStore;
  apiKeys: ApiKeyStore;
  oauthClients: OAuthClientStore;
  oauthConsents: OAuthConsentStore;
  oauthCodes: OAuthCodeStore;
  oauthGrants: OAuthGrantStore;
  signingKeys: SigningKeyStore;
}

export interface StorageAdapter extends StorageStores {
  /** A short name for logs and errors, e.g. `sqlite`. */
  readonly name: string;
  /**
   * Creates the schema and applies pending numbered migrations; idempotent and safe when several
   * processes start at once. The router awaits it before serving its first request.
   */
  migrate(): Promise<void>;
  /**
   * Runs `fn` in one database transaction: it commits when the returned promise resolves and rolls
   * back when it rejects (the rejection is re-thrown). `fn` receives stores bound to the transaction
   * and must do database work only (no hashing, no network), since adapters with one connection
   * hold every other caller until it ends.
   */
  transaction<T>(fn: (tx: StorageStores) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
