// Multi-factor authentication: which factors a user has, how many a session owes, TOTP secrets
// (kept encrypted, because computing a code needs the secret back), recovery codes and the
// per-account budget of failed codes shared by every factor.
import { randomBytes } from 'node:crypto';
import type Speakeasy from 'speakeasy';
import type { SessionRecord, StorageAdapter, UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import type { Caller, Services } from '../route';
import { randomHex, safeEqual } from './secrets';

/** A challenge counts as recent (for recovery codes and removing an authenticator) for 30 minutes. */
export const RECENT_CHALLENGE_MS = 1800_000;
/** Email and SMS challenge codes expire after one hour (spec §8.6). */
export const CHALLENGE_LIFETIME_MS = 3_600_000;
/** Failed codes per account and window, all factors together; the next attempt gets 429. */
export const MFA_FAILURE_LIMIT = 10;
export const MFA_FAILURE_WINDOW_MS = 3_600_000;
/** TOTP: SHA-1, 6 digits, 30 s; codes of the previous and the next step are accepted too (clock drift). */
export const TOTP_WINDOW = 1;
const TOTP_SECRET_BYTES = 20;
const RECOVERY_CODE_COUNT = 6;

export type Factor = 'totp' | 'email' | 'phone' | 'recoveryCode';

// ---------------------------------------------------------------- factors and the gate

/** Email or phone verified: known from the user row alone, without a query. */
function hasVerifiedContact(user: UserRecord): boolean {
  return (!!user.email && user.emailVerification) || (!!user.phone && user.phoneVerification);
}

async function hasVerifiedTotp(storage: StorageAdapter, userId: string): Promise<boolean> {
  return (await storage.authenticators.get(userId, 'totp'))?.verified === true;
}

/** 2 when MFA is on and the user has a second factor (verified email, phone or TOTP); else 1. */
export async function requiredFactors(storage: StorageAdapter, user: UserRecord): Promise<number> {
  if (!user.mfa) return 1;
  if (hasVerifiedContact(user)) return 2;
  return (await hasVerifiedTotp(storage, user.id)) ? 2 : 1;
}

/**
 * Whether a session-authenticated caller still owes a factor. JWTs are never gated (spec §8.3).
 * Users without `mfa` cost nothing: the authenticator is looked up only when it decides.
 */
export async function mfaPending(storage: StorageAdapter, caller: Caller): Promise<boolean> {
  if (caller.via !== 'session' || !caller.user.mfa) return false;
  const have = new Set(caller.session.factors).size;
  if (have >= 2) return false;
  return have < (await requiredFactors(storage, caller.user));
}

/** The recent-challenge gate: the caller's session completed a challenge within 30 minutes. */
export function hasRecentChallenge(caller: Caller, now: Date): boolean {
  const at = caller.session.mfaUpdatedAt;
  return !!at && now.getTime() - at.getTime() <= RECENT_CHALLENGE_MS;
}

export async function listFactors(storage: StorageAdapter, user: UserRecord): Promise<Record<Factor, boolean>> {
  const [totp, codes] = await Promise.all([hasVerifiedTotp(storage, user.id), storage.recoveryCodes.list(user.id)]);
  return {
    totp,
    phone: !!user.phone && user.phoneVerification,
    email: !!user.email && user.emailVerification,
    recoveryCode: codes.length > 0,
  };
}

/** Adds factors to a session (a set: a factor never counts twice). */
export async function addFactors(
  services: Services,
  session: SessionRecord,
  factors: string[],
  patch: { mfaUpdatedAt?: Date } = {},
): Promise<SessionRecord> {
  const merged = [...new Set([...session.factors, ...factors])];
  const updated = await services.storage.sessions.update(session.id, { factors: merged, updatedAt: services.now(), ...patch });
  if (!updated) throw new AccountError('user_session_not_found');
  return updated;
}

// ---------------------------------------------------------------- failed-code budget

/**
 * Counts one code attempt against the account's budget, before the code is checked, so that an
 * exhausted budget refuses even a right guess. Call `refund` after a success: only failures use it.
 */
export async function spendAttempt(services: Services, userId: string): Promise<{ refund(): Promise<void> }> {
  const key = `mfa-fail:${userId}`;
  const { count } = await services.storage.counters.hit(key, MFA_FAILURE_WINDOW_MS, services.now());
  if (count > MFA_FAILURE_LIMIT) throw new AccountError('general_rate_limit_exceeded', 'Too many invalid codes for this account. Please try again later.');
  return { refund: () => services.storage.counters.decrement(key) };
}

// ---------------------------------------------------------------- TOTP

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, upper-case, no padding. */
export function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function newTotpSecret(): string {
  return base32(randomBytes(TOTP_SECRET_BYTES));
}

/** `otpauth://totp/<issuer:label>?issuer=…&secret=…` (defaults for algorithm, digits and period left out, params sorted). */
export function totpUri(issuer: string, label: string, secret: string): string {
  return `otpauth://totp/${encodeURIComponent(`${issuer}:${label}`)}?issuer=${encodeURIComponent(issuer)}&secret=${secret}`;
}

export function verifyTotp(secret: string, otp: string, now: Date): boolean {
  if (!/^\d{6}$/.test(otp)) return false;
  // speakeasy loads with the first TOTP check.
  const speakeasy = require('speakeasy') as typeof Speakeasy;
  return speakeasy.totp.verify({ secret, encoding: 'base32', token: otp, window: TOTP_WINDOW, time: Math.floor(now.getTime() / 1000) });
}

// ---------------------------------------------------------------- recovery codes

/**
 * Stored entry: `<keyed hash>.<AES-GCM ciphertext>`. The hash finds and consumes a code without
 * decrypting anything; the ciphertext lets GET show the unused codes again (spec §8.7), and is
 * useless without the server secret.
 */
function entryHash(entry: string): string {
  const dot = entry.indexOf('.');
  return dot < 0 ? entry : entry.slice(0, dot);
}

export async function issueRecoveryCodes(services: Services, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => randomHex(5));
  const box = services.box;
  await services.storage.recoveryCodes.replace(userId, codes.map((code) => `${services.secrets.hash(code)}.${box.seal(code)}`), services.now());
  return codes;
}

/** The unused codes, decrypted; entries this server secret cannot open are left out. */
export async function readRecoveryCodes(services: Services, userId: string): Promise<string[]> {
  const box = services.box;
  const entries = await services.storage.recoveryCodes.list(userId);
  return entries.map((entry) => box.open(entry.slice(entry.indexOf('.') + 1))).filter((code): code is string => code !== null);
}

/** The stored entry of this code, if it is one of the user's unused codes (compared in constant time). */
export async function findRecoveryCode(services: Services, userId: string, otp: string): Promise<string | null> {
  const wanted = services.secrets.hash(otp.trim().toLowerCase());
  let found: string | null = null;
  for (const entry of await services.storage.recoveryCodes.list(userId)) {
    if (safeEqual(entryHash(entry), wanted)) found = entry;
  }
  return found;
}
