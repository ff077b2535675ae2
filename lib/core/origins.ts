// Which origins the router serves, from one list as Appwrite's platforms: CORS answers for browsers
// on another origin, and the Origin check that refuses state-changing requests from pages that are
// not on the list (login CSRF: a foreign page posting its own credentials into the victim's browser).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccountError } from '../errors';
import { header } from '../http';
import type { ResolvedConfig } from '../options';
import { isAllowedHost } from './redirects';

/** Request headers the official SDKs send (and Appwrite allows), so their preflights pass. */
const ALLOWED_HEADERS = [
  'Accept', 'Authorization', 'Origin', 'Cookie', 'Set-Cookie', 'Content-Type', 'Content-Range', 'Range', 'Cache-Control', 'Expires', 'Pragma',
  'X-Appwrite-Project', 'X-Appwrite-Key', 'X-Appwrite-Dev-Key', 'X-Appwrite-Locale', 'X-Appwrite-Mode', 'X-Appwrite-JWT',
  'X-Appwrite-Response-Format', 'X-Appwrite-Timeout', 'X-Appwrite-ID', 'X-Appwrite-Timestamp', 'X-Appwrite-Session',
  'X-Appwrite-Platform', 'X-Appwrite-Impersonate-User-Id', 'X-Appwrite-Impersonate-User-Email', 'X-Appwrite-Impersonate-User-Phone',
  'X-SDK-Version', 'X-SDK-Name', 'X-SDK-Language', 'X-SDK-Platform', 'X-SDK-GraphQL', 'X-SDK-Profile',
  'X-Fallback-Cookies', 'X-Requested-With', 'X-Forwarded-For', 'X-Forwarded-User-Agent',
].join(', ');

/** Response headers page scripts may read: the web SDK keeps the session from X-Fallback-Cookies. */
const EXPOSED_HEADERS = 'X-Appwrite-Session, X-Fallback-Cookies';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
/** Seconds a browser may reuse a preflight answer (browsers cap it lower: Chromium at 2 hours). */
const PREFLIGHT_MAX_AGE = 86400;

/** The scheme the official Apple, Android, Flutter and React Native SDKs announce: `appwrite-<os>://<app id>`. */
const NATIVE_SCHEME = /^appwrite-([a-z]+)$/;
const NATIVE_NAMES: Record<string, string> = { ios: 'iOS', macos: 'macOS', watchos: 'watchOS', tvos: 'tvOS', visionos: 'visionOS', android: 'Android', windows: 'Windows', linux: 'Linux' };
/** A bundle identifier or package name, as `platforms` accepts it. */
export const APP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** `scheme://host` of an origin or URL (lower-cased, port dropped), or null when there is none. */
export function parseOrigin(value: string): { scheme: string; host: string } | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username || url.password || !url.hostname) return null;
  return { scheme: url.protocol.slice(0, -1).toLowerCase(), host: url.hostname.toLowerCase() };
}

/**
 * True when `origin` (an Origin header, or a Referer URL) is one the router serves: an http(s)
 * origin whose host is in `allowedHosts`, a native app whose id is in `platforms`, or an exact
 * origin listed in `platforms`.
 */
export function isAllowedOrigin(origin: string, config: Pick<ResolvedConfig, 'allowedHosts' | 'platforms'>): boolean {
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  if (parsed.scheme === 'http' || parsed.scheme === 'https') {
    // A bare `*` may open redirects to any host, never credentialed CORS: every site could read signed-in answers.
    return isAllowedHost(parsed.host, config.allowedHosts.filter((host) => host !== '*'));
  }
  if (config.platforms.origins.has(`${parsed.scheme}://${parsed.host}`)) return true;
  return NATIVE_SCHEME.test(parsed.scheme) && config.platforms.appIds.has(parsed.host);
}

/** Adds `Origin` to Vary unless a host middleware (the `cors` package, say) already did. */
function varyOnOrigin(res: ServerResponse): void {
  const current = res.getHeader('Vary');
  // The common case, on every request: nobody set Vary before us.
  if (current === undefined) return void res.setHeader('Vary', 'Origin');
  const value = Array.isArray(current) ? current.join(', ') : String(current);
  if (value.split(',').some((name) => ['origin', '*'].includes(name.trim().toLowerCase()))) return;
  res.setHeader('Vary', value ? `${value}, Origin` : 'Origin');
}

/**
 * The CORS headers of one answer of the router: the caller's origin echoed (never `*`, since
 * credentials are allowed) when it is allowed, plus what a preflight needs when this is one.
 * Every answer varies on Origin, so a cache never hands one origin's answer to another.
 */
export function writeCorsHeaders(req: IncomingMessage, res: ServerResponse, config: ResolvedConfig, preflight: boolean): void {
  varyOnOrigin(res);
  const origin = header(req, 'origin');
  if (!origin || !isAllowedOrigin(origin, config)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  if (preflight) {
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE));
  } else {
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }
}

/**
 * CORS for endpoints every origin may call without credentials (the authorization server's
 * discovery, keys, token, revocation, introspection, userinfo and registration): `*`, which
 * browsers never combine with cookies, so no signed-in answer is readable by another site.
 */
export function writePublicCorsHeaders(res: ServerResponse, preflight: boolean): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (preflight) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, MCP-Protocol-Version');
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE));
  } else {
    res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate');
  }
}

/**
 * The Origin check: a state-changing request whose Origin (else Referer) is not allowed gets 403
 * `general_unknown_origin`. Browsers always send Origin with a cross-origin POST, form posts
 * included, so a foreign page cannot act in the user's browser; callers that send neither header
 * (servers, curl, native SDKs that send none) are not browsers acting for a page, and pass.
 */
export function checkOrigin(req: IncomingMessage, config: ResolvedConfig, verifiedKey: boolean): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
  // A request with a verified API key (X-Appwrite-Key) is the server's, as in Appwrite. This
  // opens nothing to a foreign page: it would need the key, and a cross-origin page cannot even
  // send the header, since preflights allow it only for allowed origins.
  if (verifiedKey) return;
  const source = header(req, 'origin') || header(req, 'referer');
  if (!source || isAllowedOrigin(source, config)) return;
  throw new AccountError('general_unknown_origin', refusal(source));
}

/** The 403 message, naming the client and the option that would admit it (Appwrite's wording, our option names). */
function refusal(source: string): string | undefined {
  const parsed = parseOrigin(source);
  // `Origin: null` (sandboxed frames, privacy redirects) and unparsable values get the table's message.
  if (!parsed) return undefined;
  if (parsed.scheme === 'http' || parsed.scheme === 'https') {
    return `Invalid Origin. Register your new client (${parsed.host}) as a new Web platform: add it to the router's allowedHosts.`;
  }
  const os = NATIVE_SCHEME.exec(parsed.scheme)?.[1];
  if (os) return `Invalid Origin. Register your new client (${parsed.host}) as a new ${NATIVE_NAMES[os] ?? os} platform: add it to the router's platforms.`;
  return `Invalid Origin. Register your new client (${parsed.scheme}://${parsed.host}) as a platform: add this origin to the router's platforms.`;
}
