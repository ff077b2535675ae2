// Single-use tokens: issuing them (magic URL, email OTP, phone code, verification, recovery,
// OAuth2) and redeeming them. Only a keyed hash of a secret is stored; `tokens.consume` is the one
// atomic step that makes redemption single-use. Sending one is core/token-messages.ts.
import { ConflictError, type SessionRecord, type TokenRecord, type TokenType, type UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import type { RequestInfo, Services } from '../route';
import { newId } from './ids';
import { readHs256 } from './jwt';
import { randomDigits, randomHex } from './secrets';
import { alertNewSession, createSession } from './sessions';
import { spendAttempt } from './mfa';
import { createUser, updateUser } from './users';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Lifetimes from the spec (§4); email verification's comes from the options (7 days by default). */
export const TOKEN_LIFETIME_MS = {
  magicUrl: HOUR_MS,
  emailOtp: 15 * MINUTE_MS,
  phoneSignIn: 15 * MINUTE_MS,
  phoneVerification: HOUR_MS,
  recovery: HOUR_MS,
  emailVerificationOtp: 15 * MINUTE_MS,
  recoveryOtp: 15 * MINUTE_MS,
} as const;

/** The three shapes of secret: a 64-hex link secret, a 256-hex link secret, a 6-digit code. */
export const newSecret = {
  magicLink: (): string => randomHex(32),
  link: (): string => randomHex(128),
  code: (): string => randomDigits(6),
};

export interface NewToken {
  userId: string;
  type: TokenType;
  /** The raw secret; only its keyed hash is stored. */
  secret: string;
  lifetimeMs: number;
  phrase?: string;
  provider?: string;
}

/** A token just issued, with its raw secret: the Token model shows it to API-key callers only. */
export type IssuedToken = TokenRecord & { secret: string };

export async function issueToken(services: Services, init: NewToken): Promise<IssuedToken> {
  const now = services.now();
  const token = await services.storage.tokens.create({
    id: newId(),
    userId: init.userId,
    type: init.type,
    createdAt: now,
    expire: new Date(now.getTime() + init.lifetimeMs),
    secretHash: services.secrets.hash(init.secret),
    phrase: init.phrase ?? '',
    provider: init.provider ?? '',
  });
  return { ...token, secret: init.secret };
}

/** `url` with `params` merged into its query string (existing parameters and the fragment kept). */
export function linkWith(url: string, params: Record<string, string>): string {
  const link = new URL(url);
  for (const [name, value] of Object.entries(params)) link.searchParams.set(name, value);
  return link.toString();
}

/**
 * The user a sign-in token is for: the one with this email/phone, else a new one (with the
 * requested id and an email/sms target). Two first requests for one address racing each other
 * both end with the same user: the loser of the unique index reads the winner's row.
 */
export async function findOrCreateTokenUser(
  services: Services,
  contact: { email: string } | { phone: string },
  id: string | null,
  beforeCreate?: () => Promise<void>,
): Promise<{ user: UserRecord; created: boolean }> {
  const { users } = services.storage;
  const lookup = () => ('email' in contact ? users.getByEmail(contact.email) : users.getByPhone(contact.phone));
  const existing = await lookup();
  if (existing) return { user: existing, created: false };
  await beforeCreate?.();
  try {
    return { user: await createUser(services, { id, ...contact }), created: true };
  } catch (error) {
    const cause = error instanceof AccountError ? error.cause : undefined;
    if (cause instanceof ConflictError && cause.entity === 'user' && (cause.field === 'email' || cause.field === 'phone')) {
      const winner = await lookup();
      if (winner) return { user: winner, created: false };
    }
    throw error;
  }
}

/** Token types `POST /account/sessions/token` (and the deprecated PUT routes) exchange for a session. */
export const SIGN_IN_TOKEN_TYPES: readonly TokenType[] = ['magic-url', 'email-otp', 'phone', 'oauth2', 'generic'];

/** The session each kind of sign-in token makes (spec §3.7) and the flag its redemption proves. */
function sessionKind(token: TokenRecord): { provider: string; factors: string[]; verifies: 'email' | 'phone' | null } {
  switch (token.type) {
    case 'magic-url':
      return { provider: 'magic-url', factors: ['email'], verifies: 'email' };
    case 'email-otp':
      return { provider: 'token', factors: ['email'], verifies: 'email' };
    case 'phone':
      return { provider: 'phone', factors: ['phone'], verifies: 'phone' };
    case 'oauth2':
      return { provider: token.provider, factors: ['email'], verifies: null };
    default:
      return { provider: 'token', factors: ['token'], verifies: null };
  }
}

/**
 * An OAuth2 token secret may arrive wrapped in an HS256 JWT `{secret, provider, exp}` signed with
 * the server secret (1.9): unwrap it and remember the provider it must belong to.
 */
function unwrapSecret(services: Services, secret: string): { secret: string; provider: string | null } {
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(secret)) return { secret, provider: null };
  // A forged or expired wrapper is just a wrong secret.
  const claims = readHs256(services.jwtKey, secret, services.now().getTime());
  if (typeof claims?.secret === 'string' && typeof claims.provider === 'string' && claims.provider) {
    return { secret: claims.secret, provider: claims.provider };
  }
  throw new AccountError('user_invalid_token');
}

/**
 * Exchanges a sign-in token for a session: consumes it (exactly one of any number of concurrent
 * callers wins), refuses blocked users, marks the email or phone verified and creates the
 * session. Unknown users, wrong, expired and used secrets are all 401 user_invalid_token.
 */
export async function createSessionFromToken(
  services: Services,
  request: RequestInfo,
  params: { userId: string; secret: string },
): Promise<{ user: UserRecord; session: SessionRecord; secret: string }> {
  const { secret, provider } = unwrapSecret(services, params.secret);
  const token = await services.storage.tokens.consume({
    userId: params.userId,
    types: provider ? ['oauth2'] : [...SIGN_IN_TOKEN_TYPES],
    secretHash: services.secrets.hash(secret),
    now: services.now(),
  });
  if (!token || (provider && token.provider !== provider)) throw new AccountError('user_invalid_token');
  let user = await services.storage.users.get(token.userId);
  if (!user) throw new AccountError('user_invalid_token');
  // Appwrite 1.9.6 lets a blocked user redeem a token; the router refuses (spec §0). Checked only
  // after a valid secret, so the answer reveals nothing to someone without one.
  if (!user.status) throw new AccountError('user_blocked');
  const kind = sessionKind(token);
  if (kind.verifies === 'email' && !user.emailVerification) user = await updateUser(services, user, { emailVerification: true });
  else if (kind.verifies === 'phone' && !user.phoneVerification) user = await updateUser(services, user, { phoneVerification: true });
  const { session, secret: sessionSecret } = await createSession(services, request, { user, provider: kind.provider, factors: kind.factors });
  alertNewSession(services, request, user, session);
  return { user, session, secret: sessionSecret };
}

/**
 * Redeems a verification or recovery token: 404 user_not_found for an unknown user, then 401
 * user_invalid_token unless a live token of one of `types` matches (it is consumed atomically).
 * A 6-digit code (`code: true`) also spends the account's `otp` budget of failed codes first (429
 * once 10 failed within the hour, whatever the rate-limit options), since a million codes can be
 * tried faster than they expire.
 */
export async function redeemToken(
  services: Services,
  params: { userId: string; secret: string; types: TokenType[]; code?: boolean },
): Promise<{ user: UserRecord; token: TokenRecord }> {
  const user = await services.storage.users.get(params.userId);
  if (!user) throw new AccountError('user_not_found');
  const attempt = params.code ? await spendAttempt(services, user.id, 'otp') : null;
  const token = await services.storage.tokens.consume({
    userId: user.id,
    types: params.types,
    secretHash: services.secrets.hash(params.secret),
    now: services.now(),
  });
  if (!token) throw new AccountError('user_invalid_token');
  await attempt?.refund();
  return { user, token };
}
