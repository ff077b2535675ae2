// Plain node:http request/response helpers. The router never relies on what an Express *app*
// installs (res.json, req.query, req.ip, …), so it answers the same under Express 4/5, Connect
// and a bare http.createServer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import { AccountError } from './errors';

/** Query string → object; `a[]=x&a[]=y` and `a[0]=x&a[1]=y` become arrays, as the SDKs send them. */
export function parseQuery(search: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (search.length <= 1) return out;
  for (const [rawKey, value] of new URLSearchParams(search)) {
    const bracket = rawKey.indexOf('[');
    if (bracket > 0 && rawKey.endsWith(']')) {
      const key = rawKey.slice(0, bracket);
      const list = Array.isArray(out[key]) ? (out[key] as unknown[]) : (out[key] = []) as unknown[];
      list.push(value);
    } else {
      out[rawKey] = value;
    }
  }
  return out;
}

/**
 * Reads and parses a JSON or form body. An Express/Connect body parser that ran before us
 * (req.body already set) is respected. Malformed JSON is a 400, an oversized body a 413.
 */
export async function readBody(
  req: IncomingMessage & { body?: unknown; _body?: boolean },
  limitBytes: number,
): Promise<Record<string, unknown>> {
  if (req._body === true || req.readableEnded) {
    return isPlainObject(req.body) ? req.body : {};
  }
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const isJson = type.startsWith('application/json') || type.includes('+json');
  const isForm = type.startsWith('application/x-www-form-urlencoded');
  if (!isJson && !isForm) return {};
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) throw new AccountError('general_payload_too_large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new AccountError('general_payload_too_large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (isForm) return parseQuery('?' + text);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AccountError('general_bad_request', 'The request body is not valid JSON.');
  }
  if (!isPlainObject(parsed)) throw new AccountError('general_bad_request', 'The request body must be a JSON object.');
  return parsed;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value of cookie `name` in a Cookie header: the first one sent under that name, quotes
 * removed, URI-decoded when possible. Scans for the one name instead of building a map: the read
 * path looks up one or two cookies on every request.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq > start && eq < end && header.slice(start, eq).trim() === name) return decodeCookieValue(header.slice(eq + 1, end).trim());
    start = end + 1;
  }
  return undefined;
}

function decodeCookieValue(raw: string): string {
  const value = raw.length > 1 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface CookieAttributes {
  expires: Date;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  domain?: string;
  path: string;
}

export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  let out = `${name}=${encodeURIComponent(value)}; Expires=${attrs.expires.toUTCString()}; Path=${attrs.path}`;
  if (attrs.domain) out += `; Domain=${attrs.domain}`;
  if (attrs.secure) out += '; Secure';
  if (attrs.httpOnly) out += '; HttpOnly';
  if (attrs.sameSite) out += `; SameSite=${attrs.sameSite}`;
  return out;
}

/** Adds Set-Cookie values without dropping ones the host app (or an earlier step) already set. */
export function appendSetCookie(res: ServerResponse, cookies: string[]): void {
  const existing = res.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Set-Cookie', [...list, ...cookies]);
}

export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=UTF-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.removeHeader('Content-Type');
  res.end();
}

export function sendRedirect(res: ServerResponse, status: number, location: string): void {
  res.statusCode = status;
  res.setHeader('Location', location);
  res.setHeader('Cache-Control', 'no-store, no-cache, must-revalidate, max-age=0');
  res.setHeader('Pragma', 'no-cache');
  res.end();
}

/** Whether the peer `hop` steps from the server (0 = the socket's peer) is a proxy whose `X-Forwarded-*` headers count. */
export type TrustProxyFn = (address: string, hop: number) => boolean;

/** What Express's `trust proxy` setting takes; see the `trustProxy` option. */
export type TrustProxy = boolean | number | string | readonly string[] | TrustProxyFn;

const trustNobody: TrustProxyFn = () => false;

/**
 * Compiles a `trustProxy` value the way Express compiles `trust proxy` (addresses through
 * proxy-addr, as Express does), so one setting means the same in both. Throws a TypeError on
 * values Express would not accept.
 */
export function compileTrustProxy(value: TrustProxy): TrustProxyFn {
  if (typeof value === 'function') return value;
  if (typeof value === 'boolean') return value ? () => true : trustNobody;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new TypeError('hop count must be a non-negative integer');
    return (_address, hop) => hop < value;
  }
  const list = typeof value === 'string' ? value.split(',').map((entry) => entry.trim()) : [...value];
  if (!list.every((entry) => typeof entry === 'string' && entry !== '')) throw new TypeError('addresses must be non-empty strings');
  return list.length === 0 ? trustNobody : proxyaddr.compile(list);
}

/**
 * The trust decision for this request: the configured one, else an Express app's own compiled
 * `trust proxy` setting (so `req.ip` and the router agree), else nobody: Connect and node:http
 * have no such setting, and a forwarding header from an untrusted peer is whatever the client wrote.
 */
function trustFor(req: IncomingMessage, configured: TrustProxyFn | undefined): TrustProxyFn {
  if (configured) return configured;
  const app = (req as { app?: { get?: (setting: string) => unknown } }).app;
  const fromApp = typeof app?.get === 'function' ? app.get('trust proxy fn') : undefined;
  return typeof fromApp === 'function' ? (fromApp as TrustProxyFn) : trustNobody;
}

/** Who sent the request and how they addressed it, after the proxy trust decision. */
export interface ClientAddressing {
  /** The right-most `X-Forwarded-For` address that is not a trusted proxy, else the socket peer. */
  ip: string;
  /** HTTPS on the socket, or `X-Forwarded-Proto: https` from a trusted peer. */
  secure: boolean;
  /** The host the client addressed, port included: `X-Forwarded-Host` from a trusted peer, else `Host`. */
  host: string;
}

/**
 * What Express's `req.ip`, `req.protocol` and `req.host` say under the same trust setting, in any
 * host. Every reader of a forwarding header goes through here, so one decision covers the client
 * address (rate limits, sessions, the security log), the scheme (Secure cookies, built URLs) and
 * the host (OAuth2 callback URLs, the same-site check).
 */
export function clientAddressing(req: IncomingMessage, configured: TrustProxyFn | undefined): ClientAddressing {
  const trust = trustFor(req, configured);
  const peer = req.socket?.remoteAddress ?? '';
  const peerTrusted = trust(peer, 0);
  const proto = peerTrusted ? firstListValue(header(req, 'x-forwarded-proto')) : undefined;
  const forwardedHost = peerTrusted ? firstListValue(header(req, 'x-forwarded-host')) : undefined;
  return {
    // An untrusted peer is the client, whatever X-Forwarded-For says: no header is parsed then.
    ip: stripMappedIpv4(peerTrusted ? (proxyaddr(req, trust) ?? '') : peer),
    secure: proto ? proto.toLowerCase() === 'https' : Boolean((req.socket as { encrypted?: boolean } | undefined)?.encrypted),
    host: forwardedHost || header(req, 'host') || '',
  };
}

/** The first entry of a comma list, as Express reads `X-Forwarded-Proto` and `X-Forwarded-Host`. */
function firstListValue(value: string | undefined): string | undefined {
  return value?.split(',')[0]!.trim() || undefined;
}

function stripMappedIpv4(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * The path the router is mounted at, the same in every host: what the host stripped from
 * `originalUrl` (Express and Connect both keep it), else Express's `baseUrl`.
 */
export function mountPath(req: IncomingMessage & { originalUrl?: string; baseUrl?: string }): string {
  const original = (req.originalUrl ?? '').split('?')[0]!;
  const current = (req.url ?? '').split('?')[0]!;
  if (original.length > current.length && original.endsWith(current)) return original.slice(0, original.length - current.length);
  return req.baseUrl ?? '';
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
