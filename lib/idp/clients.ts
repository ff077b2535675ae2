// Who the client is: the host's clients (the option and `router.oauthClients`), clients that
// registered themselves (RFC 7591), and clients whose id is the URL of their metadata document.
// Client authentication at the token, revocation and introspection endpoints lives here too.
import type { IncomingMessage } from 'node:http';
import type { OAuthClientRecord } from '../../adapters/types';
import { header } from '../http';
import type { Services } from '../route';
import { newId } from '../core/ids';
import { randomHex, safeEqual } from '../core/secrets';
import { idpConfig } from './config';
import { OAuthError } from './errors';
import { isAccessTokenFormat, isRedirectUri } from './options';
import type { OAuthClientOptions } from '../options';
import { fetchClientMetadata, isMetadataDocumentUrl } from './metadata-documents';

/** The client `id` names, or null when there is none. */
export async function findClient(services: Services, id: string): Promise<OAuthClientRecord | null> {
  const idp = idpConfig(services);
  if (isMetadataDocumentUrl(id)) {
    if (!idp.clientMetadataDocuments.enabled) return null;
    const cached = await services.storage.oauthClients.get(id);
    if (cached && cached.expire && cached.expire > services.now()) return cached;
    return fetchClientMetadata(services, id);
  }
  return services.storage.oauthClients.get(id);
}

/**
 * Stores the clients of the option (when the router starts), so that every client, consent and
 * token family is in storage and every instance sees the same ones.
 */
export async function storeOptionClients(services: Services): Promise<void> {
  for (const client of services.config.identityProvider?.clients ?? []) await services.storage.oauthClients.put(fromOption(services, client));
}

function fromOption(services: Services, client: OAuthClientOptions): OAuthClientRecord {
  const epoch = services.now();
  return {
    id: client.id,
    createdAt: epoch,
    updatedAt: epoch,
    name: client.name,
    secretHash: client.secret === undefined ? null : services.secrets.hash(client.secret),
    redirectUris: [...client.redirectUris],
    scopes: [...(client.scopes ?? [])],
    source: 'host',
    clientUri: client.clientUri ?? '',
    expire: null,
    accessTokenFormat: client.accessTokenFormat ?? 'jwt',
  };
}

/**
 * The client a token-endpoint request authenticates as: HTTP Basic (`client_secret_basic`), the
 * body's `client_secret` (`client_secret_post`), or for a public client its `client_id` alone
 * (`none`). A confidential client must present its secret; one method per request (RFC 6749 §2.3).
 */
export async function authenticateClient(services: Services, req: IncomingMessage, body: Record<string, unknown>): Promise<OAuthClientRecord> {
  const basic = parseBasic(header(req, 'authorization'));
  const bodyId = typeof body.client_id === 'string' ? body.client_id : undefined;
  const bodySecret = typeof body.client_secret === 'string' ? body.client_secret : undefined;
  if (basic && bodySecret !== undefined) throw new OAuthError('invalid_request', 'Use one client authentication method per request.');
  const id = basic?.id ?? bodyId;
  if (!id) throw new OAuthError('invalid_client', 'Client authentication failed: no client_id.');
  if (basic && bodyId !== undefined && bodyId !== basic.id) throw new OAuthError('invalid_client', 'client_id does not match the authenticated client.');
  const client = await findClient(services, id);
  const secret = basic?.secret ?? bodySecret;
  if (!client) throw new OAuthError('invalid_client', 'Client authentication failed.');
  if (client.secretHash === null) {
    if (secret !== undefined && secret !== '') throw new OAuthError('invalid_client', 'Client authentication failed: a public client has no secret.');
    return client;
  }
  // Keyed hashes compared in constant time: the stored value never meets the presented secret.
  if (secret === undefined || !safeEqual(services.secrets.hash(secret), client.secretHash)) throw new OAuthError('invalid_client', 'Client authentication failed.');
  return client;
}

function parseBasic(value: string | undefined): { id: string; secret: string } | null {
  if (!value || !/^basic /i.test(value)) return null;
  const decoded = Buffer.from(value.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'Malformed Basic credentials.');
  try {
    // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
    return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
  } catch {
    throw new OAuthError('invalid_client', 'Malformed Basic credentials.');
  }
}

/** What the host gives `router.admin.oauthClients.create`. */
export interface NewOAuthClient {
  name: string;
  redirectUris: string[];
  /** A confidential client gets a generated secret (returned once); a public one none. @default true */
  confidential?: boolean;
  scopes?: string[];
  clientUri?: string;
  /** @default a generated id */
  id?: string;
  /** JWT (RFC 9068) or opaque access tokens (see `OAuthClientOptions.accessTokenFormat`). @default 'jwt' */
  accessTokenFormat?: 'jwt' | 'opaque';
}

/** Registers a client in storage; the secret, when there is one, is returned here only (only its keyed hash is stored). */
export async function registerClient(
  services: Services,
  input: NewOAuthClient,
  source: 'host' | 'dynamic',
): Promise<{ client: OAuthClientRecord; secret: string | null }> {
  if (typeof input.name !== 'string' || input.name.length === 0 || input.name.length > 128) throw new OAuthError('invalid_client_metadata', 'client_name must be 1–128 characters.');
  if (!Array.isArray(input.redirectUris) || input.redirectUris.length === 0 || input.redirectUris.length > 10 || !input.redirectUris.every(isRedirectUri)) {
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris must be 1–10 absolute URIs: https, http on a loopback address, or a private-use scheme, without fragment.');
  }
  const idp = idpConfig(services);
  if (input.accessTokenFormat !== undefined && !isAccessTokenFormat(input.accessTokenFormat)) throw new OAuthError('invalid_client_metadata', "accessTokenFormat must be 'jwt' or 'opaque'.");
  const scopes = input.scopes ?? [];
  if (!scopes.every((scope) => scope in idp.scopes)) throw new OAuthError('invalid_client_metadata', 'scope names a scope the server does not offer.');
  const secret = input.confidential === false ? null : randomHex(32);
  const now = services.now();
  const client = await services.storage.oauthClients.create({
    id: input.id ?? newId(),
    createdAt: now,
    updatedAt: now,
    name: input.name,
    secretHash: secret === null ? null : services.secrets.hash(secret),
    redirectUris: [...input.redirectUris],
    scopes: [...scopes],
    source,
    clientUri: typeof input.clientUri === 'string' && /^https?:\/\//.test(input.clientUri) ? input.clientUri : '',
    expire: null,
    accessTokenFormat: input.accessTokenFormat ?? 'jwt',
  });
  return { client, secret };
}
