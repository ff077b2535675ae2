// Row readers for every SQL adapter: a row as the driver returns it (snake_case columns) to the
// contract's camelCase record. Drivers differ only in how dates, booleans and JSON come back, which
// the adapter passes in as its decoders; nothing outside adapters/ sees a row.

import type {
  ApiKeyRecord,
  AuthenticatorRecord,
  ChallengeRecord,
  HostSessionRecord,
  IdentityRecord,
  LogRecord,
  SessionRecord,
  TargetRecord,
  TokenRecord,
  UserRecord,
} from '../types';
import { COLUMNS } from './schema';

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** How a driver returns what the schema stores as dates, booleans and JSON. */
export interface Decoders {
  /**
   * A non-null date. Also reads the dates of the user's `targets` JSON array, which every adapter
   * builds with epoch milliseconds.
   */
  date(value: unknown): Date;
  /** A boolean column, and the `expired` flag inside the user's `targets` JSON array. */
  bool(value: unknown): boolean;
  /** A JSON column (labels, prefs, factors), and the user's `targets` array. */
  json<T>(value: unknown): T;
}

/** One reader per record; `toUser` also reads the `u_`-prefixed user half of a session-with-user row. */
export interface RowReaders {
  toUser(row: Row, prefix?: string): UserRecord;
  /** Also reads the objects of a user's `targets` JSON array, whose keys are the target columns. */
  toTarget(row: Row): TargetRecord;
  toSession(row: Row): SessionRecord;
  toToken(row: Row): TokenRecord;
  toIdentity(row: Row): IdentityRecord;
  toLog(row: Row): LogRecord;
  toAuthenticator(row: Row): AuthenticatorRecord;
  toChallenge(row: Row): ChallengeRecord;
  /** Expects `data` as the JSON text that was stored, not parsed by the driver. */
  toHostSession(row: Row): HostSessionRecord;
  toApiKey(row: Row): ApiKeyRecord;
}

const text = (value: unknown): string => value as string;
const textOrNull = (value: unknown): string | null => (value ?? null) as string | null;

type UserKeys = Record<(typeof COLUMNS.users)[number] | 'targets', string>;

/** The keys of a user's columns under `prefix`, spelled once: joined rows are read on every authenticated request. */
function userKeys(prefix: string): UserKeys {
  return Object.fromEntries([...COLUMNS.users, 'targets'].map((column) => [column, prefix + column])) as UserKeys;
}
const USER_COLUMNS = userKeys('');
const USER_KEYS: Record<string, UserKeys> = {};

/** The readers over one driver's decoders; built once per adapter module, they hold no state. */
export function createRowReaders({ date, bool, json }: Decoders): RowReaders {
  const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
  const boolOrNull = (value: unknown): boolean | null => (value === null || value === undefined ? null : bool(value));

  function toTarget(row: Row): TargetRecord {
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
   * the `targets` column holds the user's targets as a JSON array, oldest first.
   */
  function toUser(row: Row, prefix = ''): UserRecord {
    const key = prefix ? (USER_KEYS[prefix] ??= userKeys(prefix)) : USER_COLUMNS;
    return {
      id: text(row[key.id]),
      createdAt: date(row[key.created_at]),
      updatedAt: date(row[key.updated_at]),
      name: text(row[key.name]),
      email: textOrNull(row[key.email]),
      phone: textOrNull(row[key.phone]),
      passwordHash: textOrNull(row[key.password_hash]),
      passwordUpdatedAt: dateOrNull(row[key.password_updated_at]),
      passwordPwned: boolOrNull(row[key.password_pwned]),
      status: bool(row[key.status]),
      labels: json<string[]>(row[key.labels]),
      emailVerification: bool(row[key.email_verification]),
      phoneVerification: bool(row[key.phone_verification]),
      mfa: bool(row[key.mfa]),
      prefs: json<Record<string, unknown>>(row[key.prefs]),
      accessedAt: date(row[key.accessed_at]),
      impersonator: bool(row[key.impersonator]),
      targets: json<Row[]>(row[key.targets]).map(toTarget),
    };
  }

  function toSession(row: Row): SessionRecord {
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
      factors: json<string[]>(row.factors),
      mfaUpdatedAt: dateOrNull(row.mfa_updated_at),
    };
  }

  function toToken(row: Row): TokenRecord {
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

  function toIdentity(row: Row): IdentityRecord {
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
      providerIdToken: text(row.provider_id_token),
    };
  }

  function toLog(row: Row): LogRecord {
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

  function toAuthenticator(row: Row): AuthenticatorRecord {
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

  function toChallenge(row: Row): ChallengeRecord {
    return {
      id: text(row.id),
      userId: text(row.user_id),
      type: text(row.type) as ChallengeRecord['type'],
      codeHash: text(row.code_hash),
      code: text(row.code),
      createdAt: date(row.created_at),
      expire: date(row.expire),
    };
  }

  function toHostSession(row: Row): HostSessionRecord {
    return {
      id: text(row.id),
      data: text(row.data),
      expire: date(row.expire),
      accountSessionId: textOrNull(row.account_session_id),
    };
  }

  function toApiKey(row: Row): ApiKeyRecord {
    return {
      id: text(row.id),
      name: text(row.name),
      scopes: json<string[]>(row.scopes),
      secretHash: text(row.secret_hash),
      createdAt: date(row.created_at),
      expire: dateOrNull(row.expire),
      accessedAt: dateOrNull(row.accessed_at),
    };
  }

  return { toUser, toTarget, toSession, toToken, toIdentity, toLog, toAuthenticator, toChallenge, toHostSession, toApiKey };
}
