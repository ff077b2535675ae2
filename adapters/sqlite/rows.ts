// Translation between account-router records (camelCase, Date, boolean, arrays) and SQLite rows
// (snake_case, INTEGER milliseconds, 0/1, JSON text). Nothing outside adapters/sqlite sees a row.

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

/** A row as better-sqlite3 returns it. */
export type Row = Record<string, unknown>;

/** A value better-sqlite3 can bind. */
export type SqlValue = string | number | bigint | Buffer | null;

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

const snakeCache = new Map<string, string>();

/** `providerAccessTokenExpiry` → `provider_access_token_expiry`, the one naming rule of the schema. */
export function snake(name: string): string {
  let column = snakeCache.get(name);
  if (column === undefined) {
    column = name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
    snakeCache.set(name, column);
  }
  return column;
}

/** `users.provider_uid` style column → the record field name used in ConflictError. */
export function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value as SqlValue;
}

/** A record (or patch) as named statement parameters keyed by column. */
export function toParams(record: object): Record<string, SqlValue> {
  const params: Record<string, SqlValue> = {};
  for (const [key, value] of Object.entries(record)) params[snake(key)] = toSqlValue(value);
  return params;
}

const date = (value: unknown): Date => new Date(value as number);
const dateOrNull = (value: unknown): Date | null => (value === null ? null : new Date(value as number));
const bool = (value: unknown): boolean => value === 1;
const text = (value: unknown): string => value as string;
const textOrNull = (value: unknown): string | null => value as string | null;
const json = <T>(value: unknown): T => JSON.parse(value as string) as T;

/** Also used on the objects of a user's `targets` JSON array, whose keys are the target columns. */
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
  const targets = row[prefix + 'targets'];
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
    labels: json(row[prefix + 'labels']),
    emailVerification: bool(row[prefix + 'email_verification']),
    phoneVerification: bool(row[prefix + 'phone_verification']),
    mfa: bool(row[prefix + 'mfa']),
    prefs: json(row[prefix + 'prefs']),
    accessedAt: date(row[prefix + 'accessed_at']),
    targets: json<Row[]>(targets).map(toTarget),
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
    factors: json(row.factors),
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
