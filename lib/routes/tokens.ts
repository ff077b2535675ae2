// Token sign-in: an email code, a magic link or a phone code is sent to the user (who is created
// on first use), then exchanged for a session by POST /account/sessions/token — or by the
// deprecated PUT /account/sessions/magic-url and PUT /account/sessions/phone of 1.4-era SDKs.
import { AccountError } from '../errors';
import { p, type ParamValues } from '../params';
import { defineRoute, HOUR, reply, signedIn, type RouteCall } from '../route';
import { createSessionFromToken, findOrCreateTokenUser, TOKEN_LIFETIME_MS } from '../core/tokens';
import { securityPhrase } from '../core/security-phrases';
import { sendToken } from '../core/token-messages';

/**
 * Mails a 6-digit sign-in code, valid 15 minutes, to be exchanged with `createSession`. Creates the
 * user (with an email target) on first use, else ignores `userId`. With `phrase: true` the Token
 * and the mail carry a security phrase (`<Adjective> <noun>`). Needs a `mailer` (503 otherwise).
 */
export const createEmailToken = defineRoute({
  method: 'post',
  path: '/account/tokens/email',
  scope: 'any',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:email'], ['url', 'ip']] },
  params: { userId: p.customId(), email: p.email(), phrase: p.boolean().optional(false) },
  status: 201,
  model: 'token',
  sdk: 'createEmailToken',
  audit: 'session.create',
  async handler(call) {
    const { services, params, request } = call;
    services.messages.requireMail();
    const phrase = params.phrase ? securityPhrase() : '';
    const { user, created } = await findOrCreateTokenUser(services, { email: params.email }, params.userId, async () => {
      // Deliberately vague, as Appwrite: the address belongs to someone's OAuth2 identity.
      if (await services.storage.identities.getByProviderEmail(params.email)) throw new AccountError('general_bad_request');
    });
    const token = await sendToken(services, request, {
      user,
      created,
      type: 'email-otp',
      lifetimeMs: TOKEN_LIFETIME_MS.emailOtp,
      via: { mail: 'emailOtp', to: user.email ?? params.email },
      phrase,
    });
    return reply(token, { actor: user });
  },
});

/**
 * Mails a magic link, valid 1 hour: `url` with `userId`, `secret`, `expire` and `project` added;
 * the page it opens exchanges them with `createSession`. Creates the user on first use. Without
 * `url` the `defaultMagicUrl` option is used (400 when unset). Needs a `mailer`.
 */
export const createMagicURLToken = defineRoute({
  method: 'post',
  path: '/account/tokens/magic-url',
  aliases: ['/account/sessions/magic-url'],
  scope: 'any',
  rateLimit: { limit: 60, windowMs: HOUR, keys: [['url', 'param:email'], ['url', 'ip']] },
  params: { userId: p.customId(), email: p.email(), url: p.redirectUrl().optional(), phrase: p.boolean().optional(false) },
  status: 201,
  model: 'token',
  sdk: 'createMagicURLToken',
  audit: 'session.create',
  async handler(call) {
    const { services, params, request } = call;
    const base = params.url ?? services.config.defaultMagicUrl;
    if (!base) throw new AccountError('general_argument_invalid', 'Param "url" is not optional.');
    services.messages.requireMail();
    const phrase = params.phrase ? securityPhrase() : '';
    const { user, created } = await findOrCreateTokenUser(services, { email: params.email }, params.userId, async () => {
      if (await services.storage.identities.getByProviderEmail(params.email)) throw new AccountError('user_email_already_exists');
    });
    const token = await sendToken(services, request, {
      user,
      created,
      type: 'magic-url',
      lifetimeMs: TOKEN_LIFETIME_MS.magicUrl,
      via: { mail: 'magicUrl', to: user.email ?? params.email },
      link: { url: base, query: { project: services.config.projectId } },
      phrase,
    });
    return reply(token, { actor: user });
  },
});

/**
 * Texts a 6-digit sign-in code, valid 15 minutes, to be exchanged with `createSession`. Creates the
 * user (with an SMS target) on first use. Needs an `sms` provider (503 otherwise); `mockNumbers`
 * get their fixed code and no SMS.
 */
export const createPhoneToken = defineRoute({
  method: 'post',
  path: '/account/tokens/phone',
  aliases: ['/account/sessions/phone'],
  scope: 'any',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'param:phone'], ['url', 'ip']] },
  params: { userId: p.customId(), phone: p.phone() },
  status: 201,
  model: 'token',
  sdk: 'createPhoneToken',
  audit: 'session.create',
  async handler(call) {
    const { services, params, request } = call;
    services.messages.requireSms();
    const { user, created } = await findOrCreateTokenUser(services, { phone: params.phone }, params.userId);
    const token = await sendToken(services, request, {
      user,
      created,
      type: 'phone',
      lifetimeMs: TOKEN_LIFETIME_MS.phoneSignIn,
      via: { sms: 'phoneOtp', to: params.phone },
    });
    return reply(token, { actor: user });
  },
});

/** What every token exchange takes: the user id and the secret from the link, mail or SMS. */
const exchange = { userId: p.uid(), secret: p.text(1, 256) };

/** The handler of the three exchange routes: the token's session becomes the current one. */
async function exchangeToken({ services, request, params }: RouteCall<ParamValues<typeof exchange>, 'guest'>) {
  const { user, session, secret } = await createSessionFromToken(services, request, params);
  return signedIn(session, secret, user);
}

/**
 * Exchanges a token's `userId` and `secret` (email code, magic link, phone code, OAuth2 token) for
 * a session and sets the cookie. The token is single-use; wrong, expired and used secrets are all
 * 401 `user_invalid_token`, and a blocked user gets 401 `user_blocked`. An email code or magic link
 * marks the email verified (the session's provider is `token` or `magic-url`, its factor `email`),
 * a phone code the phone (provider and factor `phone`).
 */
export const createSession = defineRoute({
  method: 'post',
  path: '/account/sessions/token',
  scope: 'guest',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['ip', 'param:userId']], resetOnSuccess: true },
  params: exchange,
  status: 201,
  model: 'session',
  sdk: 'createSession',
  audit: 'session.create',
  handler: exchangeToken,
});

/**
 * The 1.4-era second step of a magic-URL sign-in (deprecated since 1.6): the same exchange as
 * `createSession`.
 */
export const updateMagicURLSession = defineRoute({
  method: 'put',
  path: '/account/sessions/magic-url',
  scope: 'guest',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['ip', 'param:userId']], resetOnSuccess: true },
  params: exchange,
  status: 201,
  model: 'session',
  sdk: 'updateMagicURLSession',
  audit: 'session.create',
  handler: exchangeToken,
});

/**
 * The 1.4-era second step of a phone sign-in (deprecated since 1.6): the same exchange as
 * `createSession`.
 */
export const updatePhoneSession = defineRoute({
  method: 'put',
  path: '/account/sessions/phone',
  scope: 'guest',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['ip', 'param:userId']] },
  params: exchange,
  status: 201,
  model: 'session',
  sdk: 'updatePhoneSession',
  audit: 'session.create',
  handler: exchangeToken,
});

export const tokenRoutes = [createEmailToken, createMagicURLToken, createPhoneToken, createSession, updateMagicURLSession, updatePhoneSession];
