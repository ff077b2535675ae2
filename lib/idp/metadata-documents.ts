// Client ID Metadata Documents: a client whose id is an HTTPS URL publishes its metadata there, and
// the server fetches it on first use and caches it (what MCP clients use instead of registering).
// The fetch is bounded (5 kB, 5 s, no redirects) and never reaches a private, loopback or
// link-local address: the check runs on the addresses the connection itself uses, so a name that
// resolves differently the second time (DNS rebinding) cannot slip through.
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Readable } from 'node:stream';
import type { OAuthClientRecord } from '../../adapters/types';
import type { Services } from '../route';
import { fetchTextBounded, OutboundFetchError } from '../core/bounded-fetch';
import { isPlainObject } from '../http';
import { idpConfig } from './config';
import { OAuthError } from './errors';
import { isRedirectUri } from './options';

const MAX_BYTES = 5120;
const TIMEOUT_MS = 5000;

/** An https URL with a path, no fragment, no credentials, no dot segments: the form a metadata-document client id takes. */
export function isMetadataDocumentUrl(id: string): boolean {
  if (!id.startsWith('https://')) return false;
  try {
    const url = new URL(id);
    return url.href === id && url.pathname.length > 1 && !url.hash && !url.username && !url.password && !/\/\.\.?(\/|$)/.test(url.pathname);
  } catch {
    return false;
  }
}

/** Addresses a server-side fetch must never reach (RFC 6890 special-purpose blocks and their IPv6 kin). */
function privateRanges(): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) {
    list.addSubnet(net, prefix, 'ipv4');
  }
  for (const [net, prefix] of [['::', 127], ['::1', 128], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
    list.addSubnet(net, prefix, 'ipv6');
  }
  return list;
}

/** Whether `address` is private, loopback, link-local or otherwise not on the public Internet. */
export function isPrivateAddress(address: string, ranges: BlockList = privateRanges()): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return ranges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A fetch over node:https whose DNS answers are filtered before connecting. */
function guardedFetch(): typeof globalThis.fetch {
  // Loaded here, at the first metadata document: a router that never fetches one (most) keeps
  // node:https and its TLS modules out of its heap.
  const { lookup: dnsLookup } = require('node:dns') as typeof import('node:dns');
  const { request: httpsRequest } = require('node:https') as typeof import('node:https');
  const ranges = privateRanges();
  const lookup = (hostname: string, options: object, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      if (list.length === 0 || list.some((entry) => isPrivateAddress(entry.address, ranges))) {
        return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), []);
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
  return ((input: string | URL, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      if (url.protocol !== 'https:') return reject(new TypeError('only https'));
      if (isIP(url.hostname.replace(/^\[|\]$/g, '')) && isPrivateAddress(url.hostname.replace(/^\[|\]$/g, ''), ranges)) {
        return reject(new TypeError('a private address'));
      }
      const req = httpsRequest(url, { method: 'GET', lookup: lookup as never, headers: init?.headers as Record<string, string>, signal: init?.signal ?? undefined }, (res) => {
        if ((res.statusCode ?? 0) >= 300 && (res.statusCode ?? 0) < 400) {
          res.destroy();
          return reject(new TypeError('redirects are refused'));
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
        resolve(new Response(Readable.toWeb(res) as ReadableStream, { status: res.statusCode ?? 500, headers }));
      });
      req.on('error', reject);
      req.end();
    })) as typeof globalThis.fetch;
}

/** Fetches, validates and caches the metadata document `url`; null when it is unusable (the client is then unknown). */
export async function fetchClientMetadata(services: Services, url: string): Promise<OAuthClientRecord | null> {
  const settings = idpConfig(services).clientMetadataDocuments;
  let text: string;
  try {
    text = await fetchTextBounded(url, { fetch: settings.fetch ?? guardedFetch(), timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, headers: { accept: 'application/json' } });
  } catch (error) {
    if (error instanceof OutboundFetchError) {
      services.config.logger.warn('account-router: a client metadata document could not be fetched', { url, reason: error.kind });
      return null;
    }
    throw error;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(document) || document.client_id !== url) return null;
  const redirectUris = document.redirect_uris;
  if (!Array.isArray(redirectUris) || redirectUris.length === 0 || redirectUris.length > 10 || !redirectUris.every(isRedirectUri)) return null;
  const method = document.token_endpoint_auth_method ?? 'none';
  // A document is public: a secret in it would be no secret, so only public clients are accepted.
  if (method !== 'none') throw new OAuthError('invalid_client', 'Only public clients (token_endpoint_auth_method "none") may use a metadata document.');
  const name = typeof document.client_name === 'string' && document.client_name.trim() ? document.client_name.trim().slice(0, 128) : new URL(url).host;
  const now = services.now();
  return services.storage.oauthClients.put({
    id: url,
    createdAt: now,
    updatedAt: now,
    name,
    secretHash: null,
    redirectUris: redirectUris as string[],
    scopes: [],
    source: 'metadata',
    clientUri: typeof document.client_uri === 'string' && document.client_uri.startsWith('https://') ? document.client_uri : '',
    expire: new Date(now.getTime() + settings.cacheSeconds * 1000),
    accessTokenFormat: 'jwt',
  });
}
