// Access tokens on the Account routes (`Authorization: Bearer`, appwrite@27+'s `setBearer()`): which
// routes a token's scopes open, in one table, and how the gate turns a token into a caller. Only
// tokens of this router's authorization server issued for this API (the issuer as `resource`, so
// the issuer is in `aud`) count: a token minted for an MCP server or another API is not a key to
// the account. A token acts for its user without a session, so only routes in the table admit it;
// everything else (credentials, sessions, MFA, JWTs, identities, deleting the account) answers 401
// `general_unauthorized_scope`, as Appwrite answers a caller without the route's scope.
import type { IncomingMessage } from 'node:http';
import { AccountError } from '../errors';
import { clientAddressing, header, mountPath } from '../http';
import type { AnyRoute, BearerCaller, Services } from '../route';
import { verifyAccessToken } from './tokens';

/**
 * The Account routes an access token reaches, `<method> <path>` → the scopes it must hold (all of
 * them). Reading the account needs every identity scope, since the account model shows the name,
 * email and phone together; changing anything needs `account`, Appwrite's scope for the Account
 * API, and reaches only the name and the preferences here.
 */
export const BEARER_ROUTES: Readonly<Record<string, readonly string[]>> = {
  'get /account': ['profile', 'email', 'phone'],
  'get /account/prefs': ['profile'],
  'patch /account/name': ['account'],
  'patch /account/prefs': ['account'],
};

/** The access token of `Authorization: Bearer <token>`, or undefined without one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header(req, 'authorization') ?? '')?.[1];
}

/** This API as a token audience: the configured issuer, else the router's external URL. */
function ownResource(services: Services, req: IncomingMessage): string {
  const configured = services.config.identityProvider?.issuer;
  if (configured) return configured;
  const { secure, host } = clientAddressing(req, services.config.trustProxy);
  return `${secure ? 'https' : 'http'}://${host}${mountPath(req)}`;
}

/**
 * The caller a bearer token stands for on `route`, or null when the token is not a live token of
 * ours for this API (then the request is a guest's). A live token on a route its scopes do not
 * open is refused with Appwrite's 401, naming the scopes it lacks.
 */
export async function resolveBearerCaller(services: Services, req: IncomingMessage, token: string, route: Pick<AnyRoute, 'method' | 'path'>): Promise<BearerCaller | null> {
  if (!services.config.identityProvider) return null;
  const resource = ownResource(services, req);
  const access = await verifyAccessToken(services, token, services.config.identityProvider.issuer ?? resource);
  if (!access || !access.audience.includes(resource)) return null;
  const { user } = access;
  const needed = BEARER_ROUTES[`${route.method} ${route.path}`];
  const missing = needed ? needed.filter((scope) => !access.scopes.includes(scope)) : ['account'];
  if (missing.length) {
    throw new AccountError('general_unauthorized_scope', `${user.email || 'User'} (role: users) missing scopes (${JSON.stringify(missing)})`);
  }
  return { user, via: 'bearer', accessToken: { clientId: access.grant.clientId, scopes: access.scopes } };
}
