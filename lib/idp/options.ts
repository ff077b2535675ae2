// The `identityProvider` option (declared with the other options in lib/options.ts): its resolved,
// validated form the rest of lib/idp/ reads, with the defaults in one place.
import type { IdentityProviderOptions, OAuthClientOptions } from '../options';

/** The scopes every server offers, with what the consent page says about each. */
export const STANDARD_SCOPES: Readonly<Record<string, string>> = {
  openid: 'Sign you in with your account',
  profile: 'See your name',
  email: 'See your email address',
  phone: 'See your phone number',
  offline_access: 'Stay signed in when you are away',
  // Appwrite's scope for the Account API; here it opens only the name and preferences (lib/idp/account-access.ts).
  account: 'Change your name and preferences',
};

export interface ResolvedIdentityProvider {
  issuer: string | undefined;
  signingAlg: 'ES256' | 'RS256';
  keyRotationSeconds: number;
  accessTokenSeconds: number;
  idTokenSeconds: number;
  refreshTokenSeconds: number;
  codeSeconds: number;
  loginUrl: string | undefined;
  consentUrl: string | undefined;
  /** Standard and host scopes, with descriptions. */
  scopes: Readonly<Record<string, string>>;
  clients: readonly OAuthClientOptions[];
  dynamicRegistration: boolean;
  clientMetadataDocuments: { enabled: boolean; cacheSeconds: number; fetch: typeof globalThis.fetch | undefined };
}

function check(condition: boolean, name: string, expected: string): void {
  if (!condition) throw new TypeError(`createAccountRouter: option identityProvider.${name} must be ${expected}.`);
}

const isUrl = (value: unknown, schemes: RegExp): boolean => {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return schemes.test(url.protocol) && !url.hash;
  } catch {
    return false;
  }
};

/** Fills the defaults and validates; undefined (the option left out) keeps the server off. */
export function resolveIdentityProvider(options: IdentityProviderOptions | undefined): ResolvedIdentityProvider | undefined {
  if (options === undefined) return undefined;
  check(typeof options === 'object' && options !== null, '', 'an object');
  const metadata = options.clientMetadataDocuments ?? {};
  const resolved: ResolvedIdentityProvider = {
    issuer: options.issuer?.replace(/\/+$/, ''),
    signingAlg: options.signingAlg ?? 'ES256',
    keyRotationSeconds: options.keyRotationSeconds ?? 2_592_000,
    accessTokenSeconds: options.accessTokenSeconds ?? 900,
    idTokenSeconds: options.idTokenSeconds ?? 3600,
    refreshTokenSeconds: options.refreshTokenSeconds ?? 2_592_000,
    codeSeconds: options.codeSeconds ?? 60,
    loginUrl: options.loginUrl,
    consentUrl: options.consentUrl,
    scopes: { ...STANDARD_SCOPES, ...(options.scopes ?? {}) },
    clients: options.clients ?? [],
    dynamicRegistration: options.dynamicRegistration ?? false,
    clientMetadataDocuments: { enabled: metadata.enabled ?? true, cacheSeconds: metadata.cacheSeconds ?? 3600, fetch: metadata.fetch },
  };
  check(resolved.issuer === undefined || isUrl(resolved.issuer, /^https?:$/), 'issuer', 'an http(s) URL without fragment');
  check(['ES256', 'RS256'].includes(resolved.signingAlg), 'signingAlg', "'ES256' or 'RS256'");
  for (const name of ['keyRotationSeconds', 'accessTokenSeconds', 'idTokenSeconds', 'refreshTokenSeconds', 'codeSeconds'] as const) {
    check(Number.isInteger(resolved[name]) && resolved[name] >= 10 && resolved[name] <= 31_536_000, name, 'an integer from 10 to 31536000');
  }
  check(resolved.loginUrl === undefined || isUrl(resolved.loginUrl, /^https?:$/) || /^\/(?!\/)/.test(resolved.loginUrl), 'loginUrl', 'an http(s) URL or an absolute path');
  check(resolved.consentUrl === undefined || isUrl(resolved.consentUrl, /^https?:$/) || /^\/(?!\/)/.test(resolved.consentUrl), 'consentUrl', 'an http(s) URL or an absolute path');
  check(Object.entries(resolved.scopes).every(([scope, text]) => /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(scope) && typeof text === 'string'), 'scopes', 'scope names (RFC 6749 characters) mapped to descriptions');
  check(Array.isArray(resolved.clients), 'clients', 'a list of clients');
  for (const [i, client] of resolved.clients.entries()) {
    check(typeof client.id === 'string' && /^[\x21-\x7E]{1,128}$/.test(client.id) && !/^https:/.test(client.id), `clients[${i}].id`, 'a string of 1–128 visible ASCII characters, not an https URL');
    check(typeof client.name === 'string' && client.name.length > 0, `clients[${i}].name`, 'a non-empty string');
    check(client.secret === undefined || (typeof client.secret === 'string' && client.secret.length >= 16), `clients[${i}].secret`, 'a string of at least 16 characters');
    check(Array.isArray(client.redirectUris) && client.redirectUris.length > 0 && client.redirectUris.every(isRedirectUri), `clients[${i}].redirectUris`, 'a non-empty list of absolute URIs without fragment');
    check(client.accessTokenFormat === undefined || isAccessTokenFormat(client.accessTokenFormat), `clients[${i}].accessTokenFormat`, "'jwt' or 'opaque'");
  }
  check(typeof resolved.dynamicRegistration === 'boolean', 'dynamicRegistration', 'a boolean');
  check(typeof resolved.clientMetadataDocuments.enabled === 'boolean', 'clientMetadataDocuments.enabled', 'a boolean');
  check(Number.isInteger(resolved.clientMetadataDocuments.cacheSeconds) && resolved.clientMetadataDocuments.cacheSeconds >= 0, 'clientMetadataDocuments.cacheSeconds', 'a non-negative integer');
  return resolved;
}

/** What a client's `accessTokenFormat` may be. */
export function isAccessTokenFormat(value: unknown): value is 'jwt' | 'opaque' {
  return value === 'jwt' || value === 'opaque';
}

/**
 * A redirect URI a client may register: absolute, no fragment, and https — except loopback
 * addresses over http and private-use schemes (`com.example.app:/cb`) of native apps (RFC 8252).
 */
export function isRedirectUri(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2000) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.hash || value.includes('#')) return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol === 'http:') return ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  // A private-use scheme: reverse-domain, with a dot, as RFC 8252 §7.1 asks.
  return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol) && !['javascript:', 'data:', 'file:'].includes(url.protocol);
}
