// Multi-factor authentication: which factors the options offer and a user has, how many a session
// owes, TOTP secrets (kept encrypted, because computing a code needs the secret back), the codes
// of `custom` challenges that the host delivers, recovery codes and the per-account budget of
// failed codes shared by every factor.
import { randomBytes } from 'node:crypto';
import type Speakeasy from 'speakeasy';
import type { ChallengeRecord, SessionRecord, StorageAdapter, UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import type { MfaFactorList } from '../models';
import type { CustomChallengeCode, ResolvedConfig } from '../options';
import type { Caller, Services, SessionCaller } from '../route';
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

export type Factor = 'totp' | 'email' | 'phone' | 'recoveryCode' | 'custom';

/** The factors the options offer (the `mfa.factors` option). */
type FactorPolicy = ResolvedConfig['mfa']['factors'];

// ---------------------------------------------------------------- factors and the gate

/** Whether the options offer `factor`: recovery codes always are, the way back in. */
export function factorEnabled(policy: FactorPolicy, factor: Factor): boolean {
  return factor === 'recoveryCode' || policy[factor];
}

/** An offered email or phone factor the user verified: known from the user row alone, without a query. */
function hasVerifiedContact(user: UserRecord, policy: FactorPolicy): boolean {
  return (policy.email && !!user.email && user.emailVerification) || (policy.phone && !!user.phone && user.phoneVerification);
}

async function hasVerifiedTotp(storage: StorageAdapter, userId: string): Promise<boolean> {
  return (await storage.authenticators.get(userId, 'totp'))?.verified === true;
}

/**
 * 2 when MFA is on and the user has an offered second factor (verified email, phone or TOTP);
 * else 1. A factor the options switched off does not count, so switching one off never locks out
 * the users who had only that one.
 */
export async function requiredFactors(services: Services, user: UserRecord): Promise<number> {
  if (!user.mfa) return 1;
  const policy = services.config.mfa.factors;
  if (hasVerifiedContact(user, policy)) return 2;
  return policy.totp && (await hasVerifiedTotp(services.storage, user.id)) ? 2 : 1;
}

/**
 * Whether a session-authenticated caller still owes a factor. JWTs are never gated (spec §8.3).
 * Users without `mfa` cost nothing: the authenticator is looked up only when it decides.
 */
export async function mfaPending(services: Services, caller: Caller): Promise<boolean> {
  if (!mayOweFactor(caller)) return false;
  const have = new Set(caller.session.factors).size;
  if (have >= 2) return false;
  return have < (await requiredFactors(services, caller.user));
}

/** Whether `mfaPending` can be true at all: only a session of an account with MFA on can owe a factor. */
export function mayOweFactor(caller: Caller): caller is SessionCaller {
  return caller.via === 'session' && caller.user.mfa;
}

/** The recent-challenge gate: the caller's session completed a challenge within 30 minutes. */
export function hasRecentChallenge(caller: Caller, now: Date): boolean {
  const at = caller.session?.mfaUpdatedAt;
  return !!at && now.getTime() - at.getTime() <= RECENT_CHALLENGE_MS;
}

/**
 * The factors `user` can answer a challenge with: the offered ones the user set up, recovery codes
 * while unused ones remain, and `custom` whenever it is offered (the host delivers it, so every
 * user has it), as Appwrite reports them.
 */
export async function listFactors(services: Services, user: UserRecord): Promise<MfaFactorList> {
  const { storage } = services;
  const policy = services.config.mfa.factors;
  const [totp, codes] = await Promise.all([policy.totp && hasVerifiedTotp(storage, user.id), storage.recoveryCodes.list(user.id)]);
  return {
    totp,
    phone: policy.phone && !!user.phone && user.phoneVerification,
    email: policy.email && !!user.email && user.emailVerification,
    recoveryCode: codes.length > 0,
    custom: policy.custom,
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

// ---------------------------------------------------------------- custom challenges

/**
 * Hands a new `custom` challenge's code to the host's `mfa.onCustomChallenge`, if it set one. A
 * delivery that fails deletes the challenge (it could never be answered) and answers 500, as an
 * undelivered mail does; the error is logged, never the code.
 */
export async function deliverCustomChallenge(services: Services, user: UserRecord, challenge: ChallengeRecord, code: string): Promise<void> {
  const deliver = services.config.mfa.onCustomChallenge;
  if (!deliver) return;
  try {
    await deliver({ user, challengeId: challenge.id, code, expire: challenge.expire });
  } catch (error) {
    await services.storage.challenges.consume(challenge.id);
    services.config.logger.error('account-router: mfa.onCustomChallenge failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    throw new AccountError('general_server_error', 'The challenge code could not be delivered. Please try again later.', { cause: error });
  }
}

/**
 * The code of `userId`'s live `custom` challenge `challengeId`, for the host to deliver (what the
 * Users API's `GET /users/:userId/mfa/challenges/:challengeId` answers); null for an unknown,
 * another user's, expired or answered challenge, or one of another type.
 */
export async function readCustomChallenge(services: Services, userId: string, challengeId: string): Promise<CustomChallengeCode | null> {
  const challenge = await services.storage.challenges.get(challengeId);
  if (!challenge || challenge.userId !== userId || challenge.type !== 'custom' || challenge.expire.getTime() <= services.now().getTime()) return null;
  const code = services.box.open(challenge.code);
  const user = code === null ? null : await services.storage.users.get(userId);
  return user && code !== null ? { user, challengeId: challenge.id, code, expire: challenge.expire } : null;
}

// ---------------------------------------------------------------- failed-code budget

/**
 * The per-account budgets of failed 6-digit codes, each apart so that spending one cannot hold up
 * the other: `mfa` for every MFA code (TOTP enrolment, challenges of any factor), `otp` for the
 * codes of email verification and password recovery.
 */
export type CodeBudget = 'mfa' | 'otp';

/**
 * Counts one code attempt against the account's budget, before the code is checked, so that an
 * exhausted budget refuses even a right guess. Call `refund` after a success: only failures use it.
 */
export async function spendAttempt(services: Services, userId: string, budget: CodeBudget = 'mfa'): Promise<{ refund(): Promise<void> }> {
  const key = `${budget}-fail:${userId}`;
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
