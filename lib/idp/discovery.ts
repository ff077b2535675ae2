// The authorization server's metadata (RFC 8414), which is also its OpenID Provider configuration
// (OIDC Discovery 1.0): one document, served under the mount path and, by `router.wellKnown()`,
// at the origin root where RFC 8414 clients look first.
import type { Services } from '../route';
import { endpoints, idpConfig } from './config';

export function serverMetadata(services: Services, issuer: string): Record<string, unknown> {
  const idp = idpConfig(services);
  const at = endpoints(issuer);
  const clientAuth = ['client_secret_basic', 'client_secret_post', 'none'];
  return {
    issuer,
    authorization_endpoint: at.authorization,
    token_endpoint: at.token,
    jwks_uri: at.jwks,
    userinfo_endpoint: at.userinfo,
    revocation_endpoint: at.revocation,
    introspection_endpoint: at.introspection,
    ...(idp.dynamicRegistration ? { registration_endpoint: at.registration } : {}),
    scopes_supported: Object.keys(idp.scopes),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: clientAuth,
    revocation_endpoint_auth_methods_supported: clientAuth,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [idp.signingAlg],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'amr', 'acr', 'azp', 'name', 'updated_at', 'email', 'email_verified', 'phone_number', 'phone_number_verified'],
    prompt_values_supported: ['none', 'login', 'consent'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: idp.clientMetadataDocuments.enabled,
  };
}
