// What the schema fixes, for every SQL adapter: the columns of each table, the columns each patch
// may change, the columns holding JSON, which entity a table's unique index speaks for, and the one
// naming rule between record fields (camelCase) and columns (snake_case), and the one rule written
// as SQL (when a host session is live), in the subset every dialect here parses. Each adapter keeps
// its own DDL, numbered migrations and other SQL text; a new SQL adapter starts from this module and rows.ts.

import {
  ConflictError,
  type AuthenticatorPatch,
  type IdentityPatch,
  type SessionPatch,
  type TargetPatch,
  type UserPatch,
} from '../types';

/** Each table's columns, in the order the adapters' INSERTs list them. */
export const COLUMNS = {
  users: [
    'id', 'created_at', 'updated_at', 'name', 'email', 'phone', 'password_hash', 'password_updated_at',
    'status', 'labels', 'email_verification', 'phone_verification', 'mfa', 'prefs', 'accessed_at',
    'password_pwned', 'impersonator',
  ],
  targets: [
    'id', 'user_id', 'created_at', 'updated_at', 'provider_type', 'identifier', 'provider_id', 'name',
    'expired', 'session_id',
  ],
  sessions: [
    'id', 'user_id', 'created_at', 'updated_at', 'expire', 'secret_hash', 'provider', 'provider_uid',
    'provider_access_token', 'provider_refresh_token', 'provider_access_token_expiry', 'ip', 'user_agent',
    'country_code', 'factors', 'mfa_updated_at',
  ],
  tokens: ['id', 'user_id', 'type', 'created_at', 'expire', 'secret_hash', 'phrase', 'provider'],
  identities: [
    'id', 'user_id', 'created_at', 'updated_at', 'provider', 'provider_uid', 'provider_email',
    'provider_access_token', 'provider_refresh_token', 'provider_access_token_expiry', 'provider_id_token',
  ],
  logs: [
    'id', 'user_id', 'event', 'user_email', 'user_name', 'mode', 'ip', 'user_agent', 'country_code', 'time',
  ],
  authenticators: ['id', 'user_id', 'type', 'verified', 'secret', 'created_at', 'updated_at'],
  challenges: ['id', 'user_id', 'type', 'code_hash', 'created_at', 'expire', 'code'],
  host_sessions: ['id', 'data', 'expire', 'account_session_id'],
  api_keys: ['id', 'name', 'scopes', 'secret_hash', 'created_at', 'expire', 'accessed_at'],
  oauth_clients: ['id', 'created_at', 'updated_at', 'name', 'secret_hash', 'redirect_uris', 'scopes', 'source', 'client_uri', 'expire', 'access_token_format'],
  oauth_consents: ['id', 'user_id', 'client_id', 'created_at', 'updated_at', 'scopes', 'resources', 'authorization_details', 'expire'],
  oauth_codes: [
    'code_hash', 'client_id', 'user_id', 'consent_id', 'session_id', 'redirect_uri', 'scopes', 'resources',
    'authorization_details', 'nonce', 'code_challenge', 'auth_time', 'amr', 'created_at', 'expire',
  ],
  oauth_grants: [
    'id', 'consent_id', 'user_id', 'client_id', 'created_at', 'updated_at', 'scopes', 'resources',
    'authorization_details', 'auth_time', 'amr', 'expire', 'generation', 'refresh_hash', 'access_hash', 'access_claims',
  ],
  signing_keys: ['id', 'alg', 'public_jwk', 'private_key', 'created_at', 'expire'],
} as const;

/** The record columns holding arrays and objects, for drivers that would bind a JS array as a SQL array. */
export const JSON_COLUMNS: ReadonlySet<string> = new Set([
  'labels', 'prefs', 'factors', 'redirect_uris', 'scopes', 'resources', 'authorization_details', 'amr', 'public_jwk', 'access_claims',
]);

const snakeCache = new Map<string, string>();
const camelCache = new Map<string, string>();

/** `providerAccessTokenExpiry` → `provider_access_token_expiry`: a record field as its column. */
export function snake(field: string): string {
  let column = snakeCache.get(field);
  if (column === undefined) {
    column = field.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
    snakeCache.set(field, column);
  }
  return column;
}

/** `secret_hash` → `secretHash`: a column as its record field (the one ConflictError names). */
export function camel(column: string): string {
  let field = camelCache.get(column);
  if (field === undefined) {
    field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    camelCache.set(column, field);
  }
  return field;
}

/**
 * A patch's changeable fields, each with its column. The `Record<keyof P, true>` argument makes the
 * compiler check the list against the patch type, so a field added to a patch cannot be forgotten.
 */
function patchable<P>(fields: Record<keyof P, true>): ReadonlyMap<string, string> {
  return new Map(Object.keys(fields).map((field) => [field, snake(field)]));
}

/** The columns each `update` may change, by table. */
export const PATCHABLE = {
  users: patchable<UserPatch>({
    updatedAt: true, name: true, email: true, phone: true, passwordHash: true, passwordUpdatedAt: true,
    status: true, labels: true, emailVerification: true, phoneVerification: true, mfa: true, prefs: true,
    accessedAt: true, passwordPwned: true, impersonator: true,
  }),
  sessions: patchable<SessionPatch>({
    updatedAt: true, expire: true, providerAccessToken: true, providerRefreshToken: true,
    providerAccessTokenExpiry: true, factors: true, mfaUpdatedAt: true,
  }),
  identities: patchable<IdentityPatch>({
    updatedAt: true, providerEmail: true, providerAccessToken: true, providerRefreshToken: true,
    providerAccessTokenExpiry: true, providerIdToken: true,
  }),
  targets: patchable<TargetPatch>({ updatedAt: true, identifier: true, name: true, expired: true, providerId: true }),
  authenticators: patchable<AuthenticatorPatch>({ verified: true, updatedAt: true }),
};

const ENTITY_BY_TABLE: ReadonlyMap<string, ConflictError['entity']> = new Map([
  ['users', 'user'],
  ['sessions', 'session'],
  ['tokens', 'token'],
  ['identities', 'identity'],
  ['targets', 'target'],
  ['authenticators', 'authenticator'],
  ['challenges', 'challenge'],
  ['api_keys', 'apiKey'],
  ['oauth_clients', 'oauthClient'],
]);

/**
 * The contract's error for a unique index of `table` refusing a write, naming the field of
 * `column`; null for a table whose clashes the contract does not report (recovery codes, settings…).
 * Each driver finds the table and column in its own error shape.
 */
export function conflictError(table: string, column: string): ConflictError | null {
  const entity = ENTITY_BY_TABLE.get(table);
  return entity ? new ConflictError(entity, camel(column)) : null;
}

/** Emails are stored lower-cased (the contract compares them so); null stays null. */
export function lowerEmail(email: string): string;
export function lowerEmail(email: string | null): string | null;
export function lowerEmail(email: string | null): string | null {
  return email === null ? null : email.toLowerCase();
}

/**
 * SQL true when the account session whose id is `sessionId` is live at `now`: it exists, has not
 * expired and its user is not blocked (what a tied host session needs; see HostSessionStore).
 * `sessionId` and `now` are SQL expressions in the caller's dialect (a column or a placeholder).
 * `u.status` stands alone as a condition: a boolean in PostgreSQL, 0/1 in SQLite.
 */
export function liveAccountSession(sessionId: string, now: string): string {
  return `EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ${sessionId} AND s.expire > ${now} AND u.status)`;
}

/** SQL true when the `host_sessions` row in scope is live at `now` (HostSessionStore's rule). */
export function liveHostSession(now: string): string {
  return `host_sessions.expire > ${now} AND (host_sessions.account_session_id IS NULL
    OR ${liveAccountSession('host_sessions.account_session_id', now)})`;
}
