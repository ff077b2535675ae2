// Multi-factor authentication (spec §8): turning MFA on, the TOTP authenticator, challenges by
// email, SMS, TOTP, recovery code or a code the host delivers (`custom`), and recovery codes. The
// gate itself (user_more_factors_required, user_challenge_required) runs in lib/gate.ts from the
// `mfaExempt` and `recentMfa` route flags; which factors are offered is the `mfa.factors` option.
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR } from '../route';
import { sessionCaller } from '../core/sessions';
import { newId } from '../core/ids';
import { updateUser } from '../core/users';
import { randomDigits, safeEqual } from '../core/secrets';
import { sendSecret, type Delivery } from '../core/token-messages';
import {
  addFactors,
  CHALLENGE_LIFETIME_MS,
  deliverCustomChallenge,
  factorEnabled,
  findRecoveryCode,
  issueRecoveryCodes,
  listFactors,
  newTotpSecret,
  readRecoveryCodes,
  spendAttempt,
  totpUri,
  verifyTotp,
  type Factor,
} from '../core/mfa';

const authenticatorType = p.oneOf(['totp'] as const);
/**
 * `recoverycode` is how the web SDKs' enum (AuthenticationFactor.Recoverycode, 16 to 28) spells it,
 * `recoveryCode` how the server does: both are accepted, and `recoveryCode` is what is stored.
 */
const FACTORS = ['email', 'phone', 'totp', 'recoveryCode', 'recoverycode', 'custom'] as const;
const toFactor = (value: (typeof FACTORS)[number]): Factor => (value === 'recoverycode' ? 'recoveryCode' : value);

/** 501 user_auth_method_unsupported for a factor the `mfa.factors` option switched off. */
function requireEnabled(policy: Parameters<typeof factorEnabled>[0], factor: Factor): void {
  if (!factorEnabled(policy, factor)) throw new AccountError('user_auth_method_unsupported', 'The requested factor is disabled by the MFA factors policy.');
}

/**
 * Turns MFA on or off. Turning it on credits the caller's session with every factor the user has
 * already verified (email, phone, TOTP), so the caller is not locked out.
 */
export const updateMFA = defineRoute({
  method: 'patch',
  path: '/account/mfa',
  scope: 'user',
  params: { mfa: p.boolean() },
  status: 200,
  model: 'account',
  sdk: 'updateMFA',
  audit: 'user.update',
  async handler(call) {
    const { services, caller, params } = call;
    const user = await updateUser(services, caller.user, { mfa: params.mfa });
    if (params.mfa) {
      // The caller already proved what they have verified: don't lock them out of this session.
      const factors = await listFactors(services, user);
      const owned = (['totp', 'email', 'phone'] as const).filter((f) => factors[f]);
      if (owned.length) await addFactors(services, sessionCaller(caller).session, owned);
    }
    return user;
  },
});

/**
 * Which second factors the user can give: a verified TOTP authenticator, a verified email, a
 * verified phone, unused recovery codes, and (response format 2.0 on) `custom` when the options
 * offer it. A factor the `mfa.factors` option switched off reads false. Reachable by a session that
 * still owes a factor.
 */
export const listMFAFactors = defineRoute({
  method: 'get',
  path: '/account/mfa/factors',
  scope: 'user',
  mfaExempt: true,
  params: {},
  status: 200,
  model: 'mfaFactors',
  sdk: 'listMFAFactors',
  async handler(call) {
    return listFactors(call.services, call.caller.user);
  },
});

/**
 * Starts a TOTP enrolment: answers 200 with the `secret` and an `otpauth://` `uri` for a QR code.
 * An unverified authenticator is replaced; a verified one is 409
 * `user_authenticator_already_verified`.
 */
export const createMFAAuthenticator = defineRoute({
  method: 'post',
  path: '/account/mfa/authenticators/:type',
  scope: 'user',
  params: { type: authenticatorType },
  status: 200,
  model: 'mfaType',
  sdk: 'createMFAAuthenticator',
  audit: 'user.update',
  async handler(call) {
    const { services, caller } = call;
    const existing = await services.storage.authenticators.get(caller.user.id, 'totp');
    if (existing?.verified) throw new AccountError('user_authenticator_already_verified');
    const secret = newTotpSecret();
    const now = services.now();
    // Replaces an unverified one; the secret is kept encrypted (codes are computed from it).
    await services.storage.authenticators.upsert({
      id: newId(),
      userId: caller.user.id,
      type: 'totp',
      verified: false,
      secret: services.box.seal(secret),
      createdAt: now,
      updatedAt: now,
    });
    return { secret, uri: totpUri(services.config.projectName, caller.user.email ?? caller.user.id, secret) };
  },
});

/**
 * Confirms the TOTP enrolment with a code from the app (`otp`) and adds `totp` to the caller's
 * session; answers the Account. 404 `user_authenticator_not_found`, 409 when already verified, 401
 * `user_invalid_token` for a wrong code (which spends the failed-code budget).
 */
export const updateMFAAuthenticator = defineRoute({
  method: 'put',
  path: '/account/mfa/authenticators/:type',
  scope: 'user',
  params: { type: authenticatorType, otp: p.text(1, 256) },
  status: 200,
  model: 'account',
  sdk: 'updateMFAAuthenticator',
  audit: 'user.update',
  async handler(call) {
    const { services, caller, params } = call;
    const authenticator = await services.storage.authenticators.get(caller.user.id, 'totp');
    if (!authenticator) throw new AccountError('user_authenticator_not_found');
    if (authenticator.verified) throw new AccountError('user_authenticator_already_verified');
    const attempt = await spendAttempt(services, caller.user.id);
    const secret = services.box.open(authenticator.secret);
    if (!secret || !verifyTotp(secret, params.otp, services.now())) throw new AccountError('user_invalid_token');
    await attempt.refund();
    await services.storage.authenticators.update(authenticator.id, { verified: true, updatedAt: services.now() });
    await addFactors(services, sessionCaller(caller).session, ['totp']);
    return (await services.storage.users.get(caller.user.id)) ?? caller.user;
  },
});

/**
 * Removes the TOTP authenticator (404 when there is none); `mfa` stays as it is. Needs a challenge
 * completed on the caller's session in the last 30 minutes (401 `user_challenge_required`).
 */
export const deleteMFAAuthenticator = defineRoute({
  method: 'delete',
  path: '/account/mfa/authenticators/:type',
  scope: 'user',
  recentMfa: true,
  params: { type: authenticatorType },
  status: 204,
  model: undefined,
  sdk: 'deleteMFAAuthenticator',
  audit: 'user.update',
  async handler(call) {
    if (!(await call.services.storage.authenticators.delete(call.caller.user.id, 'totp'))) throw new AccountError('user_authenticator_not_found');
  },
});

/**
 * Starts a challenge for `factor` (`email`, `phone`, `totp`, `recoveryCode` — `recoverycode` as
 * the SDKs' enum spells it — or `custom`). Email and phone send a 6-digit code (503 without a
 * mailer or SMS provider; 400 when the address is missing or unverified); `custom` sends nothing:
 * its 6-digit code goes to the host's `mfa.onCustomChallenge` and can be read back with
 * `accounts.getMfaChallengeCode`. A factor switched off by `mfa.factors` is 501
 * `user_auth_method_unsupported` (recovery codes never are). The challenge expires after 1 hour.
 * Reachable by a session that still owes a factor.
 */
export const createMFAChallenge = defineRoute({
  method: 'post',
  path: '/account/mfa/challenges',
  aliases: ['/account/mfa/challenge'],
  scope: 'user',
  mfaExempt: true,
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'user']] },
  params: { factor: p.oneOf(FACTORS) },
  status: 201,
  model: 'mfaChallenge',
  sdk: 'createMFAChallenge',
  audit: 'challenge.create',
  async handler(call) {
    const { services, caller, params, request } = call;
    const user = caller.user;
    const factor = toFactor(params.factor);
    requireEnabled(services.config.mfa.factors, factor);
    if (factor === 'email') {
      services.messages.requireMail();
      if (!user.email) throw new AccountError('user_email_not_found');
      if (!user.emailVerification) throw new AccountError('user_email_not_verified');
    } else if (factor === 'phone') {
      services.messages.requireSms();
      if (!user.phone) throw new AccountError('user_phone_not_found');
      if (!user.phoneVerification) throw new AccountError('user_phone_not_verified');
    }
    const sends = factor === 'email' || factor === 'phone';
    const hostDelivers = factor === 'custom';
    const code = sends || hostDelivers ? randomDigits(6) : '';
    const now = services.now();
    const challenge = await services.storage.challenges.create({
      id: newId(),
      userId: user.id,
      type: factor,
      // The keyed hash answers the challenge: a database copy alone cannot. The host must read a
      // custom code back to deliver it, so that one is also kept, encrypted.
      codeHash: code ? services.secrets.hash(code) : '',
      code: hostDelivers ? services.box.seal(code) : '',
      createdAt: now,
      expire: new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
    });
    if (hostDelivers) await deliverCustomChallenge(services, user, challenge, code);
    if (sends) {
      const via: Delivery = factor === 'email' ? { mail: 'mfaChallenge', to: user.email! } : { sms: 'mfaChallengeSms', to: user.phone! };
      const values = { code, validityMs: CHALLENGE_LIFETIME_MS, expire: challenge.expire };
      await sendSecret(services, request, { user, via, values }, () => [services.storage.challenges.consume(challenge.id)]);
    }
    return challenge;
  },
});

/**
 * Answers a challenge with `otp`: success adds the factor to the caller's session and answers the
 * Session. An unknown, another user's, expired, used or wrong challenge is 401
 * `user_invalid_token`; every attempt spends the failed-code budget until it succeeds. A challenge
 * of a factor switched off since it was created is 501 `user_auth_method_unsupported`. Reachable
 * by a session that still owes a factor.
 */
export const updateMFAChallenge = defineRoute({
  method: 'put',
  path: '/account/mfa/challenges',
  aliases: ['/account/mfa/challenge'],
  scope: 'user',
  mfaExempt: true,
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:challengeId']] },
  params: { challengeId: p.text(1, 256), otp: p.text(1, 256) },
  status: 200,
  model: 'session',
  sdk: 'updateMFAChallenge',
  audit: 'challenges.update',
  async handler(call) {
    const { services, caller, params } = call;
    const userId = caller.user.id;
    // Every attempt spends the account's budget first; a success gives its unit back.
    const attempt = await spendAttempt(services, userId);
    const now = services.now();
    const challenge = await services.storage.challenges.get(params.challengeId);
    if (!challenge || challenge.userId !== userId || challenge.expire.getTime() <= now.getTime()) throw new AccountError('user_invalid_token');
    // The options are read now, not when the challenge was made: switching a factor off also
    // retires the challenges already sent.
    requireEnabled(services.config.mfa.factors, challenge.type);
    let recoveryEntry: string | null = null;
    let valid = false;
    if (challenge.type === 'totp') {
      const authenticator = await services.storage.authenticators.get(userId, 'totp');
      const secret = authenticator?.verified ? services.box.open(authenticator.secret) : null;
      valid = !!secret && verifyTotp(secret, params.otp, now);
    } else if (challenge.type === 'recoveryCode') {
      recoveryEntry = await findRecoveryCode(services, userId, params.otp);
      valid = recoveryEntry !== null;
    } else {
      valid = challenge.codeHash !== '' && safeEqual(challenge.codeHash, services.secrets.hash(params.otp.trim()));
    }
    if (!valid) throw new AccountError('user_invalid_token');
    // Single use under concurrency: exactly one caller deletes the challenge, and one the code.
    if (!(await services.storage.challenges.consume(challenge.id))) throw new AccountError('user_invalid_token');
    if (recoveryEntry !== null && !(await services.storage.recoveryCodes.consume(userId, recoveryEntry))) throw new AccountError('user_invalid_token');
    await attempt.refund();
    return addFactors(services, sessionCaller(caller).session, [challenge.type], { mfaUpdatedAt: now });
  },
});

/**
 * Creates six single-use recovery codes (10 lower-case hex characters), shown here once; 409
 * `user_recovery_codes_already_exists` while unused ones exist.
 */
export const createMFARecoveryCodes = defineRoute({
  method: 'post',
  path: '/account/mfa/recovery-codes',
  scope: 'user',
  params: {},
  status: 201,
  model: 'mfaRecoveryCodes',
  sdk: 'createMFARecoveryCodes',
  audit: 'user.update',
  async handler(call) {
    const { services, caller } = call;
    if ((await services.storage.recoveryCodes.list(caller.user.id)).length) throw new AccountError('user_recovery_codes_already_exists');
    return { recoveryCodes: await issueRecoveryCodes(services, caller.user.id) };
  },
});

/**
 * The unused recovery codes (404 when there are none). Needs a challenge completed on the caller's
 * session in the last 30 minutes.
 */
export const getMFARecoveryCodes = defineRoute({
  method: 'get',
  path: '/account/mfa/recovery-codes',
  scope: 'user',
  recentMfa: true,
  params: {},
  status: 200,
  model: 'mfaRecoveryCodes',
  sdk: 'getMFARecoveryCodes',
  async handler(call) {
    const codes = await readRecoveryCodes(call.services, call.caller.user.id);
    if (!codes.length) throw new AccountError('user_recovery_codes_not_found');
    return { recoveryCodes: codes };
  },
});

/**
 * Replaces the recovery codes with six new ones (404 when there are none). Needs a challenge
 * completed on the caller's session in the last 30 minutes.
 */
export const updateMFARecoveryCodes = defineRoute({
  method: 'patch',
  path: '/account/mfa/recovery-codes',
  scope: 'user',
  recentMfa: true,
  params: {},
  status: 200,
  model: 'mfaRecoveryCodes',
  sdk: 'updateMFARecoveryCodes',
  audit: 'user.update',
  async handler(call) {
    const { services, caller } = call;
    if (!(await services.storage.recoveryCodes.list(caller.user.id)).length) throw new AccountError('user_recovery_codes_not_found');
    return { recoveryCodes: await issueRecoveryCodes(services, caller.user.id) };
  },
});

export const mfaRoutes = [
  updateMFA,
  listMFAFactors,
  createMFAAuthenticator,
  updateMFAAuthenticator,
  deleteMFAAuthenticator,
  createMFAChallenge,
  updateMFAChallenge,
  createMFARecoveryCodes,
  getMFARecoveryCodes,
  updateMFARecoveryCodes,
];
