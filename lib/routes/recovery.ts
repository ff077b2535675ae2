// Password recovery: a reset link (or, for apps without deep links, a 6-digit code) is mailed to
// the account's address; redeeming it sets a new password, marks the email verified and signs the
// account out everywhere. The link and the code share every rule but their shape.
import type { TokenRecord, TokenType } from '../../adapters/types';
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR, reply, type ActorReply, type RequestInfo, type Services } from '../route';
import { newId } from '../core/ids';
import { redeemToken, TOKEN_LIFETIME_MS } from '../core/tokens';
import { sendToken } from '../core/token-messages';
import { securityPhrase } from '../core/security-phrases';
import { acceptNewPassword, checkPasswordHistory, checkPasswordStrength, type NewPassword } from '../core/password-policy';
import { updateUser } from '../core/users';

/** How a recovery reaches the user: the link's page, or the code alone (with a security phrase, if asked). */
type RecoveryMessage = { type: 'recovery'; url: string } | { type: 'recovery-otp'; phrase: string };

/**
 * Mails the recovery `message` to the account with `email`. An unknown email is 404 and a blocked
 * user 401, as in Appwrite; with `recovery.revealUnknownEmail: false` both get a token-shaped 201
 * that nothing stores or mails, so the route tells nobody who has an account.
 */
async function startRecovery(services: Services, request: RequestInfo, email: string, message: RecoveryMessage): Promise<ActorReply<TokenRecord>> {
  services.messages.requireMail();
  const lifetimeMs = message.type === 'recovery' ? TOKEN_LIFETIME_MS.recovery : TOKEN_LIFETIME_MS.recoveryOtp;
  const phrase = message.type === 'recovery-otp' ? message.phrase : '';
  const user = await services.storage.users.getByEmail(email);
  if (!user || !user.status) {
    if (services.config.recovery.revealUnknownEmail) throw new AccountError(user ? 'user_blocked' : 'user_not_found');
    const now = services.now();
    const decoy: TokenRecord = { id: newId(), userId: newId(), type: message.type, createdAt: now, expire: new Date(now.getTime() + lifetimeMs), secretHash: '', phrase, provider: '' };
    return reply(decoy, { actor: null });
  }
  const token = await sendToken(services, request, {
    user,
    type: message.type,
    lifetimeMs,
    ...(message.type === 'recovery'
      ? { via: { mail: 'recovery', to: user.email! }, link: { url: message.url } }
      : { via: { mail: 'recoveryOtp', to: user.email! }, phrase }),
  });
  return reply(token, { actor: user });
}

/**
 * Redeems a recovery token of `type` and sets `password`: the strength policies are checked before
 * the token is consumed (a typo does not burn it), history, personal data and breaches after, and
 * a password refused by those gives the token back. Then the email counts as verified (reaching
 * the mailbox proves it) and whoever knew the old password is signed out everywhere.
 */
async function finishRecovery(services: Services, params: { userId: string; secret: string; password: string }, type: TokenType): Promise<ActorReply<TokenRecord>> {
  await checkPasswordStrength(services, params.password);
  const { user, token } = await redeemToken(services, { userId: params.userId, secret: params.secret, types: [type], code: type === 'recovery-otp' });
  let newPassword: NewPassword;
  try {
    await checkPasswordHistory(services, user, params.password);
    newPassword = await acceptNewPassword(services, params.password, user);
  } catch (error) {
    // Only the holder of a valid token learns why a password was refused (history, personal
    // data, a breach), and a refused password gives the token back rather than burning it.
    await services.storage.tokens.create(token);
    throw error;
  }
  await updateUser(services, user, { ...newPassword, emailVerification: true });
  await services.storage.sessions.deleteByUser(user.id);
  return reply(token, { actor: user });
}

/**
 * Mails a password-reset link, valid 1 hour: `url` with `userId`, `secret` and `expire` added. An
 * unknown email is 404 `user_not_found` and a blocked user 401 `user_blocked`, as in Appwrite; with
 * `recovery.revealUnknownEmail: false` every well-formed request gets a 201 instead. Needs a
 * `mailer`.
 */
export const createRecovery = defineRoute({
  method: 'post',
  path: '/account/recovery',
  scope: 'any',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:email'], ['url', 'ip']] },
  params: { email: p.email(), url: p.redirectUrl() },
  status: 201,
  model: 'token',
  sdk: 'createRecovery',
  audit: 'recovery.create',
  async handler({ services, request, params }) {
    return startRecovery(services, request, params.email, { type: 'recovery', url: params.url });
  },
});

/**
 * Sets a new password with the link's `userId` and `secret`, marks the email verified and signs
 * every session of the user out. 1.4-era SDKs also send `passwordAgain`, which must match (400
 * `user_password_mismatch`, the link stays valid). A password refused by the history,
 * personal-data or breached-password policy gives the link back.
 */
export const updateRecovery = defineRoute({
  method: 'put',
  path: '/account/recovery',
  scope: 'any',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:userId']] },
  // passwordAgain is what SDKs up to 1.4 send; newer ones leave it out.
  params: { userId: p.uid(), secret: p.text(1, 256), password: p.password(), passwordAgain: p.text(0, 256).optional() },
  status: 200,
  model: 'token',
  sdk: 'updateRecovery',
  audit: 'recovery.update',
  async handler({ services, params }) {
    // Checked before the token is consumed, so a typo does not burn the link.
    if (params.passwordAgain !== undefined && params.passwordAgain !== params.password) throw new AccountError('user_password_mismatch');
    return finishRecovery(services, params, 'recovery');
  },
});

/**
 * Mails a 6-digit password-reset code, valid 15 minutes, for apps that cannot open a link (the
 * appwrite@28 `createRecoveryOTP`); with `phrase: true` the Token and the mail carry a security
 * phrase. The same rules as `createRecovery`: 404 `user_not_found` and 401 `user_blocked` unless
 * `recovery.revealUnknownEmail` is off. Needs a `mailer`.
 */
export const createRecoveryOTP = defineRoute({
  method: 'post',
  path: '/account/recovery/otp',
  scope: 'any',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:email'], ['url', 'ip']] },
  params: { email: p.email(), phrase: p.boolean().optional(false) },
  status: 201,
  model: 'token',
  sdk: 'createRecoveryOTP',
  audit: 'recovery.create',
  async handler({ services, request, params }) {
    return startRecovery(services, request, params.email, { type: 'recovery-otp', phrase: params.phrase ? securityPhrase() : '' });
  },
});

/**
 * Sets a new password with `userId` and the mailed code as `secret`: the same rules as
 * `updateRecovery` (policies, history, the email verified, every session signed out). A code is
 * single-use; wrong, expired and used codes are 401 `user_invalid_token` and spend the account's
 * budget of failed codes (10 an hour, then 429, whatever the rate-limit options).
 */
export const updateRecoveryOTP = defineRoute({
  method: 'put',
  path: '/account/recovery/otp',
  scope: 'any',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:userId']] },
  params: { userId: p.uid(), secret: p.text(1, 256), password: p.password() },
  status: 200,
  model: 'token',
  sdk: 'updateRecoveryOTP',
  audit: 'recovery.update',
  async handler({ services, params }) {
    return finishRecovery(services, params, 'recovery-otp');
  },
});

export const recoveryRoutes = [createRecovery, updateRecovery, createRecoveryOTP, updateRecoveryOTP];
