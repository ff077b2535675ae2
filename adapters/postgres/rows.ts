// Translation between account-router records (camelCase) and PostgreSQL rows (snake_case). pg
// already returns `timestamptz` as Date, `boolean` as boolean and `json`/`jsonb` parsed, so the
// mapping is mostly renaming; the exception is the targets a user row carries as a JSON array,
// whose dates arrive as epoch milliseconds.

import type {
  AuthenticatorRecord,
  ChallengeRecord,
  IdentityRecord,
  LogRecord,
  SessionRecord,
  TargetRecord,
  TokenRecord,
  UserRecord,
} from '../types';

/** A row as pg returns it. */
export type Row = Record<string, unknown>;

export const USER_COLUMNS = [
  'id', 'created_at', 'updated_at', 'name', 'email', 'phone', 'password_hash', 'password_updated_at',
  'status', 'labels', 'email_verification', 'phone_verification', 'mfa', 'prefs', 'accessed_at',
] as const;

export const TARGET_COLUMNS = [
  'id', 'user_id', 'created_at', 'updated_at', 'provider_type', 'identifier', 'provider_id', 'name',
  'expired', 'session_id',
] as const;

export const SESSION_COLUMNS = [
  'id', 'user_id', 'created_at', 'updated_at', 'expire', 'secret_hash', 'provider', 'provider_uid',
  'provider_access_token', 'provider_refresh_token', 'provider_access_token_expiry', 'ip', 'user_agent',
  'country_code', 'factors', 'mfa_updated_at',
] as const;

export const TOKEN_COLUMNS = [
  'id', 'user_id', 'type', 'created_at', 'expire', 'secret_hash', 'phrase', 'provider',
] as const;

export const IDENTITY_COLUMNS = [
  'id', 'user_id', 'created_at', 'updated_at', 'provider', 'provider_uid', 'provider_email',
  'provider_access_token', 'provider_refresh_token', 'provider_access_token_expiry',
] as const;

export const LOG_COLUMNS = [
  'id', 'user_id', 'event', 'user_email', 'user_name', 'mode', 'ip', 'user_agent', 'country_code', 'time',
] as const;

export const AUTHENTICATOR_COLUMNS = [
  'id', 'user_id', 'type', 'verified', 'secret', 'created_at', 'updated_at',
] as const;

export const CHALLENGE_COLUMNS = ['id', 'user_id', 'type', 'code_hash', 'created_at', 'expire'] as const;

/** Columns of type jsonb: their values are sent as JSON text (pg would send a JS array as a SQL array). */
const JSON_COLUMNS = new Set(['labels', 'prefs', 'factors']);

/** `providerAccessTokenExpiry` → `provider_access_token_expiry`, the one naming rule of the schema. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

/** `secret_hash` → `secretHash`: a column as the record field ConflictError names. */
export function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A record field's value as a query parameter for `column`. */
export function toParam(column: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON_COLUMNS.has(column) ? JSON.stringify(value) : value;
}

/** The record's values in `columns` order, ready for `INSERT … VALUES ($1, …)`. */
export function toParams(record: object, columns: readonly string[]): unknown[] {
  const values = record as Record<string, unknown>;
  return columns.map((column) => toParam(column, values[camel(column)]));
}

const date = (value: unknown): Date => (value instanceof Date ? value : new Date(value as number));
const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
const text = (value: unknown): string => value as string;
const textOrNull = (value: unknown): string | null => (value ?? null) as string | null;
const bool = (value: unknown): boolean => value === true;

/** Also reads the objects of a user's `targets` JSON array, whose keys are the target columns. */
export function toTarget(row: Row): TargetRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    providerType: text(row.provider_type) as TargetRecord['providerType'],
    identifier: text(row.identifier),
    providerId: textOrNull(row.provider_id),
    name: text(row.name),
    expired: bool(row.expired),
    sessionId: textOrNull(row.session_id),
  };
}

/**
 * `prefix` reads the user out of a joined row whose user columns are aliased (`u_id`, …);
 * the `targets` column holds the user's targets as a JSON array.
 */
export function toUser(row: Row, prefix = ''): UserRecord {
  return {
    id: text(row[prefix + 'id']),
    createdAt: date(row[prefix + 'created_at']),
    updatedAt: date(row[prefix + 'updated_at']),
    name: text(row[prefix + 'name']),
    email: textOrNull(row[prefix + 'email']),
    phone: textOrNull(row[prefix + 'phone']),
    passwordHash: textOrNull(row[prefix + 'password_hash']),
    passwordUpdatedAt: dateOrNull(row[prefix + 'password_updated_at']),
    status: bool(row[prefix + 'status']),
    labels: row[prefix + 'labels'] as string[],
    emailVerification: bool(row[prefix + 'email_verification']),
    phoneVerification: bool(row[prefix + 'phone_verification']),
    mfa: bool(row[prefix + 'mfa']),
    prefs: row[prefix + 'prefs'] as Record<string, unknown>,
    accessedAt: date(row[prefix + 'accessed_at']),
    targets: ((row[prefix + 'targets'] ?? []) as Row[]).map(toTarget),
  };
}

export function toSession(row: Row): SessionRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    expire: date(row.expire),
    secretHash: text(row.secret_hash),
    provider: text(row.provider),
    providerUid: text(row.provider_uid),
    providerAccessToken: text(row.provider_access_token),
    providerRefreshToken: text(row.provider_refresh_token),
    providerAccessTokenExpiry: dateOrNull(row.provider_access_token_expiry),
    ip: text(row.ip),
    userAgent: text(row.user_agent),
    countryCode: text(row.country_code),
    factors: row.factors as string[],
    mfaUpdatedAt: dateOrNull(row.mfa_updated_at),
  };
}

export function toToken(row: Row): TokenRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    type: text(row.type) as TokenRecord['type'],
    createdAt: date(row.created_at),
    expire: date(row.expire),
    secretHash: text(row.secret_hash),
    phrase: text(row.phrase),
    provider: text(row.provider),
  };
}

export function toIdentity(row: Row): IdentityRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    provider: text(row.provider),
    providerUid: text(row.provider_uid),
    providerEmail: text(row.provider_email),
    providerAccessToken: text(row.provider_access_token),
    providerRefreshToken: text(row.provider_refresh_token),
    providerAccessTokenExpiry: dateOrNull(row.provider_access_token_expiry),
  };
}

export function toLog(row: Row): LogRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    event: text(row.event),
    userEmail: text(row.user_email),
    userName: text(row.user_name),
    mode: text(row.mode),
    ip: text(row.ip),
    userAgent: text(row.user_agent),
    countryCode: text(row.country_code),
    time: date(row.time),
  };
}

export function toAuthenticator(row: Row): AuthenticatorRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    type: text(row.type) as AuthenticatorRecord['type'],
    verified: bool(row.verified),
    secret: text(row.secret),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

export function toChallenge(row: Row): ChallengeRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    type: text(row.type) as ChallengeRecord['type'],
    codeHash: text(row.code_hash),
    createdAt: date(row.created_at),
    expire: date(row.expire),
  };
}
