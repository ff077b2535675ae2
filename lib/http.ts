// Plain node:http request/response helpers. The router never relies on what an Express *app*
// installs (res.json, req.query, req.ip, …), so it answers the same under Express 4/5, Connect
// and a bare http.createServer.
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** Cookie header → map (first value wins, values URI-decoded when possible). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
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

/** The client address: the first X-Forwarded-For entry when proxies are trusted, else the socket peer. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return stripMappedIpv4(first);
  }
  return stripMappedIpv4(req.socket?.remoteAddress ?? '');
}

function stripMappedIpv4(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  if (!trustProxy) return false;
  const proto = req.headers['x-forwarded-proto'];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim() === 'https';
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
