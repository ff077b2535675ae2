// OAuth2 sign-in (spec §7): the start routes (session and token variants), the provider's callback
// hop and the redirect route that finishes the dance. The work lives in lib/core/oauth2.
import { p } from '../params';
import { defineRoute, HOUR, reply } from '../route';
import { callbackRedirect, finishOAuth2, PROVIDER_KEYS, startOAuth2 } from '../core/oauth2';

const startParams = {
  provider: p.oneOf(PROVIDER_KEYS),
  success: p.redirectUrl().optional(),
  failure: p.redirectUrl().optional(),
  scopes: p.stringArray(100, 4096).optional(),
};

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
    params: callbackParams,
    status: 301,
    model: undefined,
    sdk,
    anyOrigin: true,
    handler: async ({ services, request, params }) => callbackRedirect(services, request, params),
  });
}

export const oauth2Callback = callbackRoute('get', 'oauth2Callback');
export const oauth2CallbackPost = callbackRoute('post', 'oauth2CallbackPost');

export const oauth2Redirect = defineRoute({
  method: 'get',
  path: '/account/sessions/oauth2/:provider/redirect',
  scope: 'any',
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

export const oauth2Routes = [createOAuth2Session, createOAuth2Token, oauth2Callback, oauth2CallbackPost, oauth2Redirect];
