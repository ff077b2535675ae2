// Proving the account's email address or phone number: a link or code is sent to it, then
// confirmed (with or without a session). The pre-1.8 paths /account/verification… are aliases.
import type { UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR, reply } from '../route';
import { updateUser } from '../core/users';
import { redeemToken, TOKEN_LIFETIME_MS } from '../core/tokens';
import { sendToken } from '../core/token-messages';
import { securityPhrase } from '../core/security-phrases';

/** The account's email, when there is one to verify: 400 user_email_not_found, 409 when already verified. */
function unverifiedEmail(user: UserRecord): string {
  if (!user.email) throw new AccountError('user_email_not_found');
  if (user.emailVerification) throw new AccountError('user_email_already_verified');
  return user.email;
}

const confirmation = { userId: p.uid(), secret: p.text(1, 256) };

/**
 * Mails the caller a verification link: `url` with `userId`, `secret` and `expire` added, valid
 * `verification.emailLinkSeconds` (7 days by default). 400 `user_email_not_found` without an email,
 * 409 `user_email_already_verified`. Called `createVerification` by SDKs before 1.8. Needs a
 * `mailer`.
 */
export const createEmailVerification = defineRoute({
  method: 'post',
  path: '/account/verifications/email',
  aliases: ['/account/verification'],
  scope: 'user',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'user']] },
  params: { url: p.redirectUrl() },
  status: 201,
  model: 'token',
  sdk: 'createEmailVerification',
  audit: 'verification.create',
  async handler(call) {
    const { services, caller, request } = call;
    const user = caller.user;
    services.messages.requireMail();
    return sendToken(services, request, {
      user,
      type: 'email-verification',
      // The seeds' 7 days (configurable) rather than the newer server's 1 hour: see spec §0.
      lifetimeMs: services.config.verification.emailLinkSeconds * 1000,
      via: { mail: 'emailVerification', to: unverifiedEmail(user) },
      link: { url: call.params.url },
    });
  },
});

/**
 * Confirms the email address with the link's `userId` and `secret`, with or without a session: 404
 * `user_not_found`, 401 `user_invalid_token` for a wrong, expired or used secret. Called
 * `updateVerification` by SDKs before 1.8.
 */
export const updateEmailVerification = defineRoute({
  method: 'put',
  path: '/account/verifications/email',
  aliases: ['/account/verification'],
  scope: 'any',
  // Confirmations are opened from a mail or typed from a code: Appwrite's `public` scope, which
  // no key holds (so here and below).
  keyScopes: ['public'],
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:userId']] },
  params: confirmation,
  status: 200,
  model: 'token',
  sdk: 'updateEmailVerification',
  audit: 'verification.update',
  async handler(call) {
    const { services, params } = call;
    const { user, token } = await redeemToken(services, { ...params, types: ['email-verification'] });
    await updateUser(services, user, { emailVerification: true });
    return reply(token, { actor: user });
  },
});

/**
 * Mails the caller a 6-digit code, valid 15 minutes, for apps that cannot open a link (the
 * appwrite@28 `createEmailVerificationOTP`); with `phrase: true` the Token and the mail carry a
 * security phrase. 400 `user_email_not_found` without an email, 409 `user_email_already_verified`.
 * Needs a `mailer`.
 */
export const createEmailVerificationOTP = defineRoute({
  method: 'post',
  path: '/account/verifications/email/otp',
  scope: 'user',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'user']] },
  params: { phrase: p.boolean().optional(false) },
  status: 201,
  model: 'token',
  sdk: 'createEmailVerificationOTP',
  audit: 'verification.create',
  async handler(call) {
    const { services, caller, request, params } = call;
    services.messages.requireMail();
    return sendToken(services, request, {
      user: caller.user,
      type: 'email-verification-otp',
      lifetimeMs: TOKEN_LIFETIME_MS.emailVerificationOtp,
      via: { mail: 'emailVerificationOtp', to: unverifiedEmail(caller.user) },
      phrase: params.phrase ? securityPhrase() : '',
    });
  },
});

/**
 * Confirms the email address with `userId` and the mailed code as `secret`, with or without a
 * session: 404 `user_not_found`, 401 `user_invalid_token` for a wrong, expired or used code (each
 * spends the account's budget of failed codes: 10 an hour, then 429).
 */
export const updateEmailVerificationOTP = defineRoute({
  method: 'put',
  path: '/account/verifications/email/otp',
  scope: 'any',
  keyScopes: ['public'],
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:userId']] },
  params: confirmation,
  status: 200,
  model: 'token',
  sdk: 'updateEmailVerificationOTP',
  audit: 'verification.update',
  async handler(call) {
    const { services, params } = call;
    const { user, token } = await redeemToken(services, { ...params, types: ['email-verification-otp'], code: true });
    await updateUser(services, user, { emailVerification: true });
    return reply(token, { actor: user });
  },
});

/**
 * Texts the caller a 6-digit code, valid 1 hour. 400 `user_phone_not_found` without a phone, 409
 * `user_phone_already_verified`. Needs an `sms` provider.
 */
export const createPhoneVerification = defineRoute({
  method: 'post',
  path: '/account/verifications/phone',
  aliases: ['/account/verification/phone'],
  scope: 'user',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'user'], ['url', 'ip']] },
  params: {},
  status: 201,
  model: 'token',
  sdk: 'createPhoneVerification',
  audit: 'verification.create',
  async handler(call) {
    const { services, caller, request } = call;
    const user = caller.user;
    services.messages.requireSms();
    if (!user.phone) throw new AccountError('user_phone_not_found');
    if (user.phoneVerification) throw new AccountError('user_phone_already_verified');
    return sendToken(services, request, {
      user,
      // The same token type as a phone sign-in code (spec §4): either is accepted by either route.
      type: 'phone',
      lifetimeMs: TOKEN_LIFETIME_MS.phoneVerification,
      via: { sms: 'phoneVerification', to: user.phone },
    });
  },
});

/**
 * Confirms the phone number with `userId` and the code as `secret`, with or without a session.
 * Phone sign-in and verification codes are one kind of token, as in Appwrite: either route accepts
 * either.
 */
export const updatePhoneVerification = defineRoute({
  method: 'put',
  path: '/account/verifications/phone',
  aliases: ['/account/verification/phone'],
  scope: 'any',
  keyScopes: ['public'],
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['param:userId']] },
  params: confirmation,
  status: 200,
  model: 'token',
  sdk: 'updatePhoneVerification',
  audit: 'verification.update',
  async handler(call) {
    const { services, params } = call;
    const { user, token } = await redeemToken(services, { ...params, types: ['phone'] });
    await updateUser(services, user, { phoneVerification: true });
    return reply(token, { actor: user });
  },
});

export const verificationRoutes = [
  createEmailVerification,
  updateEmailVerification,
  createEmailVerificationOTP,
  updateEmailVerificationOTP,
  createPhoneVerification,
  updatePhoneVerification,
];
