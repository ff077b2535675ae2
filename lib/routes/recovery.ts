// Password recovery: a reset link is mailed to the account's address; following it sets a new
// password, marks the email verified and signs the account out everywhere.
import type { TokenRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, HOUR, reply } from '../route';
import { newId } from '../core/ids';
import { redeemToken, TOKEN_LIFETIME_MS } from '../core/tokens';
import { sendToken } from '../core/token-messages';
import { acceptNewPassword, checkPasswordHistory, checkPasswordStrength, type NewPassword } from '../core/password-policy';
import { updateUser } from '../core/users';

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
  async handler(call) {
    const { services, params, request } = call;
    services.messages.requireMail();
    const lifetimeMs = TOKEN_LIFETIME_MS.recovery;
    const user = await services.storage.users.getByEmail(params.email);
    if (!user || !user.status) {
      if (services.config.recovery.revealUnknownEmail) throw new AccountError(user ? 'user_blocked' : 'user_not_found');
      // Answer as if the account existed: a token-shaped reply that nothing stores or mails.
      const now = services.now();
      const decoy: TokenRecord = { id: newId(), userId: newId(), type: 'recovery', createdAt: now, expire: new Date(now.getTime() + lifetimeMs), secretHash: '', phrase: '', provider: '' };
      return reply(decoy, { actor: null });
    }
    const token = await sendToken(services, request, { user, type: 'recovery', lifetimeMs, via: { mail: 'recovery', to: user.email! }, link: { url: params.url } });
    return reply(token, { actor: user });
  },
});

/**
 * Sets a new password with the link's `userId` and `secret`, marks the email verified and signs
 * every session of the user out. 1.4-era SDKs also send `passwordAgain`, which must match (400
 * `user_password_mismatch`, the link stays valid). A password refused by the history or
 * personal-data policy gives the link back.
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
  async handler(call) {
    const { services, params } = call;
    // Checked before the token is consumed, so a typo does not burn the link.
    if (params.passwordAgain !== undefined && params.passwordAgain !== params.password) throw new AccountError('user_password_mismatch');
    await checkPasswordStrength(services, params.password);
    const { user, token } = await redeemToken(services, { userId: params.userId, secret: params.secret, types: ['recovery'] });
    let newPassword: NewPassword;
    try {
      await checkPasswordHistory(services, user, params.password);
      newPassword = await acceptNewPassword(services, params.password, user);
    } catch (error) {
      // Only the holder of a valid link learns why a password was refused (history, personal
      // data), and a refused password gives the link back rather than burning it.
      await services.storage.tokens.create(token);
      throw error;
    }
    // Reaching the mailbox proves the address; whoever knew the old password is signed out.
    await updateUser(services, user, { ...newPassword, emailVerification: true });
    await services.storage.sessions.deleteByUser(user.id);
    return reply(token, { actor: user });
  },
});

export const recoveryRoutes = [createRecovery, updateRecovery];
