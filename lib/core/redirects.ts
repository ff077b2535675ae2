// Host allow-listing: the one check behind every `url`, `success` and `failure` parameter, and
// behind the web origins CORS and the Origin check accept (core/origins.ts).

/**
 * True when `value` is an absolute http(s) URL, without credentials, whose hostname is in
 * `allowedHosts` (`*.example.com` matches sub-domains only; ports are ignored). Parsing goes
 * through WHATWG URL so `//host`, `javascript:`, backslash and userinfo tricks resolve to what a
 * browser would actually open before the host is compared.
 */
export function isAllowedRedirect(value: string, allowedHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  return isAllowedHost(url.hostname, allowedHosts);
}

/**
 * True when `hostname` (as WHATWG URL reports it) is in `allowedHosts`: `*.example.com` matches
 * sub-domains only, `localhost` also matches `127.0.0.1` and `[::1]`, `*` matches every host.
 */
export function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (!host) return false;
  return allowedHosts.some((allowed) => hostMatches(host, allowed.toLowerCase()));
}

function hostMatches(host: string, allowed: string): boolean {
  if (allowed === '*') return true;
  if (allowed.startsWith('*.')) return host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1;
  if (allowed === 'localhost' && (host === '127.0.0.1' || host === '::1')) return true;
  return host === allowed.replace(/^\[(.*)\]$/, '$1');
}
