// The authorization server's settings and addresses as a request sees them: off (404) unless the
// `identityProvider` option is set, and the issuer from the option or the request.
import { mountPath } from '../http';
import type { RequestInfo, Services } from '../route';
import { OAuthError } from './errors';
import type { ResolvedIdentityProvider } from './options';

/** The resolved option; a router without it answers every authorization-server route with 404. */
export function idpConfig(services: Services): ResolvedIdentityProvider {
  const idp = services.config.identityProvider;
  if (!idp) throw new OAuthError('not_found', 'The identity provider is not enabled on this server.');
  return idp;
}

/** The issuer: the option, else the router's own external URL (scheme, host and mount path). */
export function issuerOf(services: Services, request: RequestInfo): string {
  const configured = idpConfig(services).issuer;
  if (configured) return configured;
  return `${request.secure ? 'https' : 'http'}://${request.host}${mountPath(request.raw)}`;
}

/** The endpoint URLs, under the issuer. */
export function endpoints(issuer: string) {
  return {
    authorization: `${issuer}/oauth2/authorize`,
    decision: `${issuer}/oauth2/authorize/decision`,
    token: `${issuer}/oauth2/token`,
    revocation: `${issuer}/oauth2/revoke`,
    introspection: `${issuer}/oauth2/introspect`,
    userinfo: `${issuer}/oauth2/userinfo`,
    registration: `${issuer}/oauth2/register`,
    jwks: `${issuer}/oauth2/jwks`,
  };
}
