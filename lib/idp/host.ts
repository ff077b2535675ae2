// What the host app mounts outside the router: the discovery documents at the origin root (RFC 8414
// §3 puts them at `/.well-known/oauth-authorization-server/<issuer path>`), the protected-resource
// metadata of its own APIs (RFC 9728), and `requireAccessToken`, the Bearer check for its routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddressing, mountPath } from '../http';
import type { Services } from '../route';
import { idpConfig } from './config';
import { serverMetadata } from './discovery';
import { verifyAccessToken } from './tokens';
import { bearerToken } from './account-access';

type Next = (err?: unknown) => void;

/** What `requireAccessToken` puts on the request: the token's subject, client, scopes and expiry. */
export interface AccessTokenInfo {
  /** The access token itself. */
  token: string;
  userId: string;
  clientId: string;
  scopes: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
  /** The audience the token was checked against, when the middleware names a resource. */
  resource: URL | undefined;
  claims: Record<string, unknown>;
}

declare module 'node:http' {
  interface IncomingMessage {
    /** Set by `router.requireAccessToken`: the caller's OAuth access token. */
    accessToken?: AccessTokenInfo;
    /** The same, in the shape the MCP TypeScript SDK hands tool handlers as `extra.authInfo`. */
    auth?: { token: string; clientId: string; scopes: string[]; expiresAt?: number; resource?: URL; extra?: Record<string, unknown> };
  }
}

/** Options of `router.requireAccessToken`. */
export interface RequireAccessTokenOptions {
  /** Scopes the token must carry (all of them); otherwise 403 `insufficient_scope`. @default [] */
  scopes?: string[];
  /**
   * The resource the token must be issued for (its `aud`, RFC 8707): an absolute URL, or a path on
   * the request's origin (`/mcp`). A token for another resource is refused.
   * @default none — any audience
   */
  resource?: string;
}

/** The absolute URL of `resource` for this request: as given, or on the request's own origin. */
function resourceUrl(req: IncomingMessage, resource: string, services: Services): string {
  if (/^https?:\/\//.test(resource)) return resource;
  const { secure, host } = clientAddressing(req, services.config.trustProxy);
  return `${secure ? 'https' : 'http'}://${host}${resource}`;
}

/** Where RFC 9728 puts the metadata of `resource`: `/.well-known/oauth-protected-resource` before its path. */
function metadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}/.well-known/oauth-protected-resource${url.pathname === '/' ? '' : url.pathname}`;
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  for (const [name, v] of Object.entries(headers)) res.setHeader(name, v);
  res.setHeader('Content-Type', 'application/json; charset=UTF-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The Bearer-token middleware for host routes (see `router.requireAccessToken`). */
export function requireAccessToken(getServices: () => Promise<Services>, options: RequireAccessTokenOptions = {}) {
  const required = options.scopes ?? [];
  if (!Array.isArray(required) || !required.every((scope) => typeof scope === 'string')) throw new TypeError('requireAccessToken: scopes must be a list of strings.');
  if (options.resource !== undefined && !/^(https?:\/\/|\/)/.test(options.resource)) throw new TypeError('requireAccessToken: resource must be an http(s) URL or an absolute path.');
  return function requireAccessTokenMiddleware(req: IncomingMessage, res: ServerResponse, next: Next): void {
    getServices()
      .then(async (services) => {
        const idp = idpConfig(services);
        const resource = options.resource === undefined ? undefined : resourceUrl(req, options.resource, services);
        const metadata = resource ? `, resource_metadata="${metadataUrl(resource)}"` : '';
        const refuse = (status: number, error: string, description: string, extra = '') =>
          sendJson(res, status, { error, error_description: description }, { 'WWW-Authenticate': `Bearer error="${error}", error_description="${description}"${extra}${metadata}` });
        const bearer = bearerToken(req);
        if (!bearer) {
          // RFC 6750 §3.1: no error code when no credentials were sent at all.
          res.setHeader('WWW-Authenticate', `Bearer${metadata ? metadata.slice(1) : ''}`);
          return sendJson(res, 401, { error: 'invalid_token', error_description: 'A Bearer access token is required.' });
        }
        const access = await verifyAccessToken(services, bearer, idp.issuer);
        if (!access) return refuse(401, 'invalid_token', 'The access token is invalid, expired or revoked.');
        if (resource && !access.audience.includes(resource)) return refuse(401, 'invalid_token', 'The access token was issued for another resource.');
        const missing = required.filter((scope) => !access.scopes.includes(scope));
        if (missing.length) return refuse(403, 'insufficient_scope', 'The access token lacks a required scope.', `, scope="${required.join(' ')}"`);
        const info: AccessTokenInfo = {
          token: bearer,
          userId: access.grant.userId,
          clientId: access.grant.clientId,
          scopes: access.scopes,
          expiresAt: access.claims.exp as number,
          resource: resource ? new URL(resource) : undefined,
          claims: access.claims,
        };
        req.accessToken = info;
        req.auth = { token: bearer, clientId: info.clientId, scopes: info.scopes, expiresAt: info.expiresAt, resource: info.resource, extra: { userId: info.userId } };
        next();
      })
      .catch(next);
  };
}

/** Options of `router.wellKnown`. */
export interface WellKnownOptions {
  /** Where the host mounts the router, for the issuer when `identityProvider.issuer` is not set. @default '/v1' */
  mountPath?: string;
}

/**
 * The discovery documents at the origin root, for the host to mount there (`app.use(accounts.wellKnown())`):
 * `/.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`, each also
 * with the issuer's path appended (RFC 8414 §3.1).
 */
export function wellKnown(getServices: () => Promise<Services>, options: WellKnownOptions = {}) {
  const mountedAt = (options.mountPath ?? '/v1').replace(/\/+$/, '');
  return function wellKnownMiddleware(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: Next): void {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const match = /^\/\.well-known\/(oauth-authorization-server|openid-configuration)(\/.*)?$/.exec(mountPath(req) + path);
    if (!match) return next();
    getServices()
      .then((services) => {
        const idp = services.config.identityProvider;
        if (!idp) return next();
        const { secure, host } = clientAddressing(req, services.config.trustProxy);
        const issuer = idp.issuer ?? `${secure ? 'https' : 'http'}://${host}${mountedAt}`;
        const suffix = match[2] ?? '';
        if (suffix && suffix !== new URL(issuer).pathname) return next();
        sendJson(res, 200, serverMetadata(services, issuer), { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' });
      })
      .catch(next);
  };
}

/** Options of `router.protectedResource`. */
export interface ProtectedResourceOptions {
  /** The protected resource: an absolute URL or a path on the request's origin (`/mcp`). */
  resource: string;
  /** The scopes it understands, advertised to clients. @default [] */
  scopes?: string[];
  /** Its name, for people. */
  name?: string;
  /** Where the host mounts the router, for the issuer when `identityProvider.issuer` is not set. @default '/v1' */
  mountPath?: string;
}

/**
 * RFC 9728 protected-resource metadata for one of the host's APIs, answered at
 * `/.well-known/oauth-protected-resource<resource path>` (mount it at the origin root), so that
 * MCP clients find the authorization server from a 401.
 */
export function protectedResource(getServices: () => Promise<Services>, options: ProtectedResourceOptions) {
  if (!options || typeof options.resource !== 'string' || !/^(https?:\/\/|\/)/.test(options.resource)) {
    throw new TypeError('protectedResource: resource must be an http(s) URL or an absolute path.');
  }
  const mountedAt = (options.mountPath ?? '/v1').replace(/\/+$/, '');
  return function protectedResourceMiddleware(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: Next): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    getServices()
      .then((services) => {
        const resource = resourceUrl(req, options.resource, services);
        const path = mountPath(req) + (req.url ?? '').split('?')[0]!;
        if (path !== new URL(metadataUrl(resource)).pathname) return next();
        const idp = idpConfig(services);
        const { secure, host } = clientAddressing(req, services.config.trustProxy);
        const issuer = idp.issuer ?? `${secure ? 'https' : 'http'}://${host}${mountedAt}`;
        sendJson(
          res,
          200,
          {
            resource,
            authorization_servers: [issuer],
            scopes_supported: options.scopes ?? [],
            bearer_methods_supported: ['header'],
            ...(options.name ? { resource_name: options.name } : {}),
          },
          { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' },
        );
      })
      .catch(next);
  };
}
