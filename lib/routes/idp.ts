// The authorization server (OAuth 2.1 / OpenID Connect; rules in lib/idp/): discovery, keys, the
// authorization endpoint and its consent decision, the token endpoint, revocation, introspection,
// userinfo and dynamic client registration. Third-party servers and pages call these, so they
// answer in OAuth's words ({error, error_description}) and most skip the Origin check.
import { p } from '../params';
import { defineRoute, MINUTE, HOUR, RawResponse, type RequestInfo, type Services } from '../route';
import { OAuthError } from '../idp/errors';
import { endpoints, idpConfig, issuerOf } from '../idp/config';
import { serverMetadata } from '../idp/discovery';
import { jwks } from '../idp/keys';
import { authorize as runAuthorization, decide, pkceMatches, sealPending } from '../idp/authorize';
import { consentPage } from '../idp/consent-page';
import { authenticateClient, registerClient } from '../idp/clients';
import { issueTokens, parseRefreshToken, rotateRefreshToken, startGrant, verifyAccessToken, identityClaims } from '../idp/tokens';
import { isResourceIndicator } from '../idp/authorize';
import { sessionCaller } from '../core/sessions';
import { bearerToken } from '../idp/account-access';

const optional = (max = 2048) => p.text(0, max).optional();

/**
 * The endpoints that clients on any origin call without a session (RFC 6749 errors, CORS `*`, no
 * MFA step): discovery, JWKS, token, revocation, introspection, userinfo, registration.
 */
const PUBLIC_ENDPOINT = { scope: 'any', mfaExempt: true, anyOrigin: true, oauth: true, model: undefined } as const;

/** What both discovery paths answer: the one metadata document, cacheable for five minutes. */
const metadataDocument = {
  method: 'get',
  ...PUBLIC_ENDPOINT,
  params: {},
  status: 200,
  async handler({ services, request }: { services: Services; request: RequestInfo }) {
    return RawResponse.json(serverMetadata(services, issuerOf(services, request)), 200, { 'Cache-Control': 'public, max-age=300' });
  },
} as const;

/** OpenID Connect Discovery: the provider configuration at `<issuer>/.well-known/openid-configuration`. */
export const getOpenIdConfiguration = defineRoute({ ...metadataDocument, path: '/.well-known/openid-configuration', sdk: 'getOpenIdConfiguration' });

/** RFC 8414 authorization-server metadata (the same document), under the mount path. */
export const getAuthorizationServerMetadata = defineRoute({ ...metadataDocument, path: '/.well-known/oauth-authorization-server', sdk: 'getAuthorizationServerMetadata' });

/** The JSON Web Key Set: the public half of every key whose tokens may still be presented. */
export const getJwks = defineRoute({
  method: 'get',
  path: '/oauth2/jwks',
  ...PUBLIC_ENDPOINT,
  params: {},
  status: 200,
  sdk: 'getJwks',
  async handler({ services }) {
    idpConfig(services);
    return RawResponse.json(await jwks(services), 200, { 'Cache-Control': 'public, max-age=300', 'Content-Type': 'application/jwk-set+json' });
  },
});

/**
 * The authorization endpoint: code flow with PKCE S256 only. A signed-in user who consented
 * before goes straight back with a code; otherwise the consent page (built in, or `consentUrl`);
 * a guest goes to `loginUrl`.
 */
export const authorizeClient = defineRoute({
  method: 'get',
  path: '/oauth2/authorize',
  scope: 'any',
  // The endpoint decides itself what a session owing a factor gets (sign in again, or `interaction_required`).
  mfaExempt: true,
  oauth: true,
  params: {
    response_type: optional(64), client_id: optional(), redirect_uri: optional(), scope: optional(), state: optional(),
    code_challenge: optional(128), code_challenge_method: optional(16), nonce: optional(), prompt: optional(64), max_age: optional(16),
    login_hint: optional(320), resource: optional(), authorization_details: optional(4096),
  },
  status: 302,
  model: undefined,
  sdk: 'authorizeClient',
  async handler({ services, request, caller, params }) {
    const resources = new URLSearchParams((request.raw.url ?? '').split('?')[1] ?? '').getAll('resource');
    const outcome = await runAuthorization(services, request, caller && sessionCaller(caller), { ...params, resources });
    if ('redirect' in outcome) return outcome;
    const idp = idpConfig(services);
    const handle = sealPending(services, outcome.consent);
    if (idp.consentUrl) {
      const target = new URL(idp.consentUrl, issuerOf(services, request));
      target.searchParams.set('request', handle);
      return { redirect: /^\//.test(idp.consentUrl) ? target.pathname + target.search : target.href };
    }
    return RawResponse.html(
      consentPage({
        client: outcome.client,
        user: caller!.user,
        pending: outcome.consent,
        handle,
        decisionUrl: endpoints(issuerOf(services, request)).decision,
        scopeDescriptions: idp.scopes,
        projectName: services.config.projectName,
      }),
    );
  },
});

/** The consent page's decision (`approve` or `deny`) on a pending request, from the session that made it. */
export const decideAuthorization = defineRoute({
  method: 'post',
  path: '/oauth2/authorize/decision',
  scope: 'user',
  mfaExempt: true,
  oauth: true,
  params: { request: p.text(1, 8192), decision: p.oneOf(['approve', 'deny'] as const) },
  status: 302,
  model: undefined,
  sdk: 'decideAuthorization',
  async handler({ services, request, caller, params }) {
    return { redirect: await decide(services, request, sessionCaller(caller), params.request, params.decision === 'approve') };
  },
});

/** The token endpoint: `authorization_code` (with the PKCE verifier) and `refresh_token` (rotating). */
export const issueOAuth2Token = defineRoute({
  method: 'post',
  path: '/oauth2/token',
  ...PUBLIC_ENDPOINT,
  rateLimit: { limit: 120, windowMs: MINUTE, keys: [['url', 'ip']] },
  params: {
    grant_type: optional(64), code: optional(256), redirect_uri: optional(), code_verifier: optional(256), refresh_token: optional(512),
    scope: optional(), resource: optional(), client_id: optional(), client_secret: optional(256),
  },
  status: 200,
  sdk: 'issueOAuth2Token',
  async handler({ services, request, params }) {
    idpConfig(services);
    const client = await authenticateClient(services, request.raw, params);
    const issuer = issuerOf(services, request);
    if (params.resource !== undefined && !isResourceIndicator(params.resource)) throw new OAuthError('invalid_target', 'resource must be an absolute URI without fragment.');
    if (params.grant_type === 'authorization_code') {
      if (!params.code) throw new OAuthError('invalid_request', 'code is required.');
      const code = await services.storage.oauthCodes.consume(services.secrets.hash(params.code), services.now());
      // One answer for every way a code can be wrong, so none of them tells an attacker more.
      const invalid = new OAuthError('invalid_grant', 'The authorization code is invalid, expired, already used, or was issued to another client or redirect URI.');
      if (!code || code.clientId !== client.id || code.redirectUri !== (params.redirect_uri ?? code.redirectUri)) throw invalid;
      if (!pkceMatches(params.code_verifier, code.codeChallenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge (PKCE).');
      if (params.resource !== undefined && !code.resources.includes(params.resource)) throw new OAuthError('invalid_target', 'The resource was not part of the authorization.');
      const user = await services.storage.users.get(code.userId);
      if (!user || !user.status) throw invalid;
      const { grant, refresh } = await startGrant(services, code);
      return RawResponse.json(await issueTokens(services, issuer, grant, { user, scopes: grant.scopes, resource: params.resource, nonce: code.nonce, refresh, format: client.accessTokenFormat }));
    }
    if (params.grant_type === 'refresh_token') {
      if (!params.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.');
      const { grant, refresh } = await rotateRefreshToken(services, client, params.refresh_token);
      const scopes = params.scope === undefined ? grant.scopes : [...new Set(params.scope.split(' ').filter(Boolean))];
      if (!scopes.every((scope) => grant.scopes.includes(scope))) throw new OAuthError('invalid_scope', 'A refresh may narrow the granted scopes, never widen them.');
      if (params.resource !== undefined && !grant.resources.includes(params.resource)) throw new OAuthError('invalid_target', 'The resource was not part of the authorization.');
      const user = await services.storage.users.get(grant.userId);
      if (!user || !user.status) throw new OAuthError('invalid_grant', 'The account is no longer available.');
      return RawResponse.json(await issueTokens(services, issuer, grant, { user, scopes, resource: params.resource, nonce: null, refresh, format: client.accessTokenFormat }));
    }
    throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
  },
});

/** The grant a presented token belongs to, when it is the client's own (access or refresh token). */
async function grantOfToken(services: Services, token: string) {
  const refresh = parseRefreshToken(services, token);
  if (refresh) {
    const grant = await services.storage.oauthGrants.get(refresh.grantId);
    return grant && grant.generation === refresh.generation && grant.refreshHash === services.secrets.hash(token) ? { grant, kind: 'refresh_token' as const, claims: null } : null;
  }
  const access = await verifyAccessToken(services, token, undefined);
  return access ? { grant: access.grant, kind: 'access_token' as const, claims: access.claims } : null;
}

/** Revocation and introspection: a client, authenticated, posts a token from anywhere (servers, other sites). */
const tokenEndpoint = {
  method: 'post',
  ...PUBLIC_ENDPOINT,
  params: { token: p.text(1, 8192), token_type_hint: optional(64), client_id: optional(), client_secret: optional(256) },
  status: 200,
} as const;

/** RFC 7009 revocation: the token's whole family ends (its refresh and access tokens); unknown tokens answer 200 too. */
export const revokeOAuth2Token = defineRoute({
  ...tokenEndpoint,
  path: '/oauth2/revoke',
  sdk: 'revokeOAuth2Token',
  async handler({ services, request, params }) {
    idpConfig(services);
    const client = await authenticateClient(services, request.raw, params);
    const found = await grantOfToken(services, params.token);
    // Another client's token is left alone, and the answer does not say so (RFC 7009 §2.1).
    if (found && found.grant.clientId === client.id) await services.storage.oauthGrants.delete(found.grant.id);
    return RawResponse.json({});
  },
});

/** RFC 7662 introspection, for confidential clients (resource servers): whether a token is live, and what it grants. */
export const introspectOAuth2Token = defineRoute({
  ...tokenEndpoint,
  path: '/oauth2/introspect',
  sdk: 'introspectOAuth2Token',
  async handler({ services, request, params }) {
    idpConfig(services);
    const client = await authenticateClient(services, request.raw, params);
    if (client.secretHash === null) throw new OAuthError('invalid_client', 'Introspection is for confidential clients.');
    const found = await grantOfToken(services, params.token);
    if (!found) return RawResponse.json({ active: false });
    const { grant, kind, claims } = found;
    const common = { active: true, client_id: grant.clientId, sub: grant.userId, iss: issuerOf(services, request), token_type: kind === 'refresh_token' ? 'refresh_token' : 'Bearer' };
    if (claims) return RawResponse.json({ ...common, scope: claims.scope, aud: claims.aud, exp: claims.exp, iat: claims.iat, auth_time: claims.auth_time, jti: claims.jti });
    return RawResponse.json({ ...common, scope: grant.scopes.join(' '), exp: Math.floor(grant.expire.getTime() / 1000), iat: Math.floor(grant.updatedAt.getTime() / 1000) });
  },
});

/** OIDC UserInfo, by GET or POST (OIDC Core §5.3.1 asks for both): the claims the access token's scopes release. */
const userInfo = {
  ...PUBLIC_ENDPOINT,
  params: {},
  status: 200,
  path: '/oauth2/userinfo',
  async handler({ services, request }: { services: Services; request: RequestInfo }) {
    idpConfig(services);
    const bearer = bearerToken(request.raw);
    const challenge = (error: string) => ({ 'WWW-Authenticate': `Bearer error="${error}"` });
    if (!bearer) return RawResponse.json({ error: 'invalid_token', error_description: 'A Bearer access token is required.' }, 401, challenge('invalid_token'));
    const access = await verifyAccessToken(services, bearer, issuerOf(services, request));
    // Its audience must be the client: a token issued for another resource is not for this endpoint.
    if (!access || !access.audience.includes(access.grant.clientId)) {
      return RawResponse.json({ error: 'invalid_token', error_description: 'The access token is invalid, expired, revoked, or for another resource.' }, 401, challenge('invalid_token'));
    }
    if (!access.scopes.includes('openid')) return RawResponse.json({ error: 'insufficient_scope', error_description: 'The openid scope is required.' }, 403, challenge('insufficient_scope'));
    const user = await services.storage.users.get(access.grant.userId);
    if (!user || !user.status) return RawResponse.json({ error: 'invalid_token', error_description: 'The account is no longer available.' }, 401, challenge('invalid_token'));
    return RawResponse.json({ sub: user.id, ...identityClaims(user, access.scopes) });
  },
} as const;

/** OIDC UserInfo: the claims the access token's scopes release (its audience must be the client). */
export const getUserInfo = defineRoute({ ...userInfo, method: 'get', sdk: 'getUserInfo' });

/** OIDC UserInfo by POST, for clients that send the request that way. */
export const postUserInfo = defineRoute({ ...userInfo, method: 'post', sdk: 'postUserInfo' });

/** RFC 7591 dynamic registration of public clients (off unless `identityProvider.dynamicRegistration`). */
export const registerOAuth2Client = defineRoute({
  method: 'post',
  path: '/oauth2/register',
  ...PUBLIC_ENDPOINT,
  rateLimit: { limit: 10, windowMs: HOUR, keys: [['url', 'ip']] },
  params: {
    client_name: p.text(1, 128).optional(),
    redirect_uris: p.stringArray(10, 2000),
    token_endpoint_auth_method: optional(64),
    grant_types: p.stringArray(4, 64).optional(),
    response_types: p.stringArray(2, 64).optional(),
    scope: optional(),
    client_uri: optional(),
  },
  status: 201,
  sdk: 'registerOAuth2Client',
  async handler({ services, params }) {
    const idp = idpConfig(services);
    if (!idp.dynamicRegistration) throw new OAuthError('not_found', 'Dynamic client registration is not enabled on this server.');
    // Anyone may register, so only public clients: a registered secret would prove nothing about who holds it.
    if ((params.token_endpoint_auth_method ?? 'none') !== 'none') throw new OAuthError('invalid_client_metadata', 'Only public clients (token_endpoint_auth_method "none") may register.');
    if (params.grant_types && !params.grant_types.every((grant) => ['authorization_code', 'refresh_token'].includes(grant))) throw new OAuthError('invalid_client_metadata', 'grant_types may hold authorization_code and refresh_token.');
    if (params.response_types && !params.response_types.every((type) => type === 'code')) throw new OAuthError('invalid_client_metadata', 'response_types may hold code only.');
    const scopes = params.scope ? params.scope.split(' ').filter(Boolean) : undefined;
    const { client } = await registerClient(services, { name: params.client_name ?? 'Unnamed client', redirectUris: params.redirect_uris, confidential: false, scopes, clientUri: params.client_uri }, 'dynamic');
    return RawResponse.json(
      {
        client_id: client.id,
        client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
        client_name: client.name,
        redirect_uris: client.redirectUris,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        ...(client.scopes.length ? { scope: client.scopes.join(' ') } : {}),
      },
      201,
    );
  },
});

export const idpRoutes = [
  getOpenIdConfiguration, getAuthorizationServerMetadata, getJwks, authorizeClient, decideAuthorization, issueOAuth2Token,
  revokeOAuth2Token, introspectOAuth2Token, getUserInfo, postUserInfo, registerOAuth2Client,
];
