// OAuth2 sign-in (spec §7): the start routes (session and token variants), the provider's callback
// hop and the redirect route that finishes the dance; and native sign-in, where the app brings the
// provider's ID token itself. The work lives in lib/core/oauth2.
import { p } from '../params';
import { defineRoute, HOUR, reply, signedIn } from '../route';
import { callbackRedirect, finishOAuth2, PROVIDER_KEYS, startOAuth2 } from '../core/oauth2';
import { signInWithIdToken } from '../core/oauth2/native';
import { MAX_ID_TOKEN_LENGTH } from '../core/id-token';

const startParams = {
  provider: p.oneOf(PROVIDER_KEYS),
  success: p.redirectUrl().optional(),
  failure: p.redirectUrl().optional(),
  scopes: p.stringArray(100, 4096).optional(),
};

/**
 * Redirects the browser to the provider. It comes back through the callback with a session cookie
 * on the `success` URL, or to `failure` with the error. `success` and `failure` must be on
 * `allowedHosts`. A provider not configured is 412 `project_provider_disabled`.
 */
export const createOAuth2Session = defineRoute({
  method: 'get',
  path: '/account/sessions/oauth2/:provider',
  scope: 'any',
  params: startParams,
  status: 301,
  model: undefined,
  sdk: 'createOAuth2Session',
  handler: ({ services, request, params }) => startOAuth2(services, request, params, false),
});

/**
 * The same sign-in, but the `success` URL receives `userId` and `secret` to exchange with
 * `createSession` within 60 seconds: works from any origin, with no cookie across sites.
 */
export const createOAuth2Token = defineRoute({
  method: 'get',
  path: '/account/tokens/oauth2/:provider',
  scope: 'any',
  params: startParams,
  status: 301,
  model: undefined,
  sdk: 'createOAuth2Token',
  handler: ({ services, request, params }) => startOAuth2(services, request, params, true),
});

const optionalText = () => p.text(0, 16384).optional();
const callbackParams = {
  provider: p.oneOf(PROVIDER_KEYS),
  projectId: p.text(1, 36),
  code: optionalText(),
  state: optionalText(),
  error: optionalText(),
  error_description: optionalText(),
  error_uri: optionalText(),
  user: optionalText(),
};

function callbackRoute(method: 'get' | 'post', sdk: string) {
  return defineRoute({
    method,
    path: '/account/sessions/oauth2/callback/:provider/:projectId',
    scope: 'any',
    keyScopes: ['public'],
    params: callbackParams,
    status: 301,
    model: undefined,
    sdk,
    anyOrigin: true,
    handler: async ({ services, request, params }) => callbackRedirect(services, request, params),
  });
}

/**
 * The callback URL to register at the provider:
 * `<publicUrl>/account/sessions/oauth2/callback/<provider>/<projectId>`. Passes the browser on to
 * the redirect route.
 */
export const oauth2Callback = callbackRoute('get', 'oauth2Callback');
/**
 * The same callback for providers that post it (Apple's `form_post`); exempt from the Origin check.
 */
export const oauth2CallbackPost = callbackRoute('post', 'oauth2CallbackPost');

/**
 * Finishes the sign-in: exchanges the code, finds or creates the account, then sets the cookie or
 * issues the token and redirects to `success`; any failure redirects to `failure` with the error.
 */
export const oauth2Redirect = defineRoute({
  method: 'get',
  path: '/account/sessions/oauth2/:provider/redirect',
  scope: 'any',
  keyScopes: ['public'],
  rateLimit: { limit: 50, windowMs: HOUR, keys: [['url', 'ip']] },
  params: {
    provider: p.oneOf(PROVIDER_KEYS),
    code: optionalText(),
    state: optionalText(),
    error: optionalText(),
    error_description: optionalText(),
    user: optionalText(),
  },
  status: 301,
  model: undefined,
  sdk: 'oauth2Redirect',
  audit: 'session.create',
  async handler({ services, request, caller, params }) {
    const { redirect, user, signIn } = await finishOAuth2(services, request, caller, params);
    return reply({ redirect }, { actor: user, session: signIn && { start: signIn.session, secret: signIn.secret } });
  },
});

/**
 * Signs in with an ID token the app got from Google (Credential Manager, Google Sign-In) or Apple
 * (Sign in with Apple) without a browser, and sets the session cookie (the appwrite@28
 * `createIdTokenSession`). The token's signature is checked against the provider's published keys
 * (cached, fetched again for an unknown key id), then its issuer, its audience (one of
 * `idTokens.<provider>.clientIds`), its expiry and its `nonce` claim, which must be the SHA-256 of
 * the `nonce` sent here (required for Apple). A failed check is 401 `user_oauth2_token_invalid`
 * naming it; a provider not configured 412 `project_provider_disabled`. The account is found as
 * the browser flow finds it (the identity, then the verified email, else a new user named by the
 * token or `name`); with a current session or JWT the identity is linked to the caller instead,
 * 409 `user_already_exists` when the provider account or its email belongs to someone else. The
 * session's factors are `email` and `oauth2`; the identity keeps the token (`providerIdToken`).
 */
export const createIdTokenSession = defineRoute({
  method: 'post',
  path: '/account/sessions/id-token',
  scope: 'any',
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'ip']], resetOnSuccess: true },
  params: {
    provider: p.oneOf(PROVIDER_KEYS),
    idToken: p.text(1, MAX_ID_TOKEN_LENGTH),
    nonce: p.text(0, 256).optional(''),
    accessToken: p.text(0, 4096).optional(''),
    accessTokenExpiry: p.integer(0, 31536000).optional(0),
    name: p.text(0, 128).optional(''),
  },
  status: 201,
  model: 'session',
  sdk: 'createIdTokenSession',
  audit: 'session.create',
  async handler({ services, request, caller, params }) {
    const { user, session, secret } = await signInWithIdToken(services, request, caller, {
      provider: params.provider,
      idToken: params.idToken,
      nonce: params.nonce!,
      accessToken: params.accessToken!,
      accessTokenExpiry: params.accessTokenExpiry!,
      name: params.name!,
    });
    return signedIn(session, secret, user);
  },
});

export const oauth2Routes = [createOAuth2Session, createOAuth2Token, oauth2Callback, oauth2CallbackPost, oauth2Redirect, createIdTokenSession];
