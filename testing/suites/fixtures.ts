// Records for the conformance suites and the helpers their tests share. Every id is unique per
// call and sorts in creation order; every date derives from one instant with a non-zero millisecond
// part, so precision loss would show.

import {
  ConflictError,
  type ApiKeyRecord,
  type AuthenticatorRecord,
  type ChallengeRecord,
  type HostSessionRecord,
  type IdentityRecord,
  type LogRecord,
  type SessionRecord,
  type TargetRecord,
  type TokenRecord,
  type UserRecord,
} from '../../adapters/types';

/** What `users.create` takes. */
export type NewUser = Omit<UserRecord, 'targets'>;

let sequence = 0;
/** Unique per call, and sorting in creation order, so ties never decide an ordering test. */
const newId = (prefix: string): string => `${prefix}${String(++sequence).padStart(6, '0')}`;

/** A fixed instant with a non-zero millisecond part, so precision loss would show. */
export const T0 = Date.UTC(2024, 4, 6, 7, 8, 9, 123);
export const at = (offsetMs: number): Date => new Date(T0 + offsetMs);
export const MINUTE = 60_000;

export function makeUser(overrides: Partial<NewUser> = {}): NewUser {
  return {
    id: newId('user'),
    createdAt: at(0),
    updatedAt: at(1),
    name: 'Ada Lovelace',
    email: `${newId('email')}@example.com`,
    phone: null,
    passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
    passwordUpdatedAt: at(2),
    passwordPwned: false,
    status: true,
    labels: ['admin', 'beta'],
    emailVerification: true,
    phoneVerification: false,
    mfa: false,
    prefs: { theme: 'dark', notifications: { email: true } },
    accessedAt: at(3),
    impersonator: false,
    ...overrides,
  };
}

export function makeSession(userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: newId('session'),
    userId,
    createdAt: at(0),
    updatedAt: at(0),
    expire: at(365 * 24 * 60 * MINUTE),
    secretHash: newId('session-secret'),
    provider: 'email',
    providerUid: 'ada@example.com',
    providerAccessToken: '',
    providerRefreshToken: '',
    providerAccessTokenExpiry: null,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0',
    countryCode: 'gb',
    factors: ['password'],
    mfaUpdatedAt: null,
    ...overrides,
  };
}

export function makeToken(userId: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: newId('token'),
    userId,
    type: 'magic-url',
    createdAt: at(0),
    expire: at(15 * MINUTE),
    secretHash: newId('token-secret'),
    phrase: '',
    provider: '',
    ...overrides,
  };
}

export function makeIdentity(userId: string, overrides: Partial<IdentityRecord> = {}): IdentityRecord {
  return {
    id: newId('identity'),
    userId,
    createdAt: at(0),
    updatedAt: at(0),
    provider: 'github',
    providerUid: newId('uid'),
    providerEmail: `${newId('email')}@github.example`,
    providerAccessToken: 'enc:access',
    providerRefreshToken: 'enc:refresh',
    providerAccessTokenExpiry: at(MINUTE),
    providerIdToken: '',
    ...overrides,
  };
}

export function makeLog(userId: string, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    id: newId('log'),
    userId,
    event: 'session.create',
    userEmail: 'ada@example.com',
    userName: 'Ada Lovelace',
    mode: 'client',
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    countryCode: 'gb',
    time: at(0),
    ...overrides,
  };
}

export function makeTarget(userId: string, overrides: Partial<TargetRecord> = {}): TargetRecord {
  return {
    id: newId('target'),
    userId,
    createdAt: at(0),
    updatedAt: at(0),
    providerType: 'email',
    identifier: `${newId('email')}@example.com`,
    providerId: null,
    name: '',
    expired: false,
    sessionId: null,
    ...overrides,
  };
}

export function makeAuthenticator(userId: string, overrides: Partial<AuthenticatorRecord> = {}): AuthenticatorRecord {
  return {
    id: newId('auth'),
    userId,
    type: 'totp',
    verified: false,
    secret: 'enc:JBSWY3DPEHPK3PXP',
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function makeChallenge(userId: string, overrides: Partial<ChallengeRecord> = {}): ChallengeRecord {
  return {
    id: newId('challenge'),
    userId,
    type: 'email',
    codeHash: 'code-hash',
    code: '',
    createdAt: at(0),
    expire: at(15 * MINUTE),
    ...overrides,
  };
}

/** An untied host session live until an hour after T0, holding express-session's usual JSON. */
export function makeHostSession(overrides: Partial<HostSessionRecord> = {}): HostSessionRecord {
  const expire = overrides.expire ?? at(60 * MINUTE);
  return {
    id: newId('host-sid'),
    data: JSON.stringify({ cookie: { originalMaxAge: 3_600_000, expires: expire.toISOString(), httpOnly: true, path: '/' }, views: 1 }),
    expire,
    accountSessionId: null,
    ...overrides,
  };
}

/** A key granting `users.read`, never used, expiring an hour after T0. */
export function makeApiKey(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const id = newId('key');
  return {
    id,
    name: `Key ${id} ✓`,
    scopes: ['users.read'],
    secretHash: `hash-${id}`,
    createdAt: at(0),
    expire: at(60 * MINUTE),
    accessedAt: null,
    ...overrides,
  };
}

export async function expectConflict(
  promise: Promise<unknown>,
  entity: ConflictError['entity'],
  field: string,
): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ entity, field });
}

export const times = <T>(n: number, fn: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => fn(i));

/** Resolves on a later macrotask, letting every queued callback run first. */
export const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
