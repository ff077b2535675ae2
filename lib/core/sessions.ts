// Sessions: how one is created (every sign-in method ends here), how the credential travels
// (cookie, X-Appwrite-Session, X-Fallback-Cookies) and how it is resolved back to a caller.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionRecord, UserRecord } from '../../adapters/types';
import type { Caller, RequestInfo, Services, SessionCaller } from '../route';
import { appendSetCookie, header, readCookie, serializeCookie } from '../http';
import { newId } from './ids';
import { verifyJwt } from './jwt';
import { AccountError } from '../errors';
import { randomHex } from './secrets';
import { describeClient } from './client-info';

export interface NewSession {
  user: UserRecord;
  provider: string;
  providerUid?: string;
  factors: string[];
  providerAccessToken?: string;
  providerRefreshToken?: string;
  providerAccessTokenExpiry?: Date | null;
}

/** Where a session is created from: what the session records of its client. */
export type SessionClient = Pick<RequestInfo, 'ip' | 'userAgent' | 'countryCode'>;

/**
 * Creates a session for `user` with a fresh 128-byte secret; only its keyed hash is stored. The
 * per-user limit is applied in the same adapter step, oldest sessions first.
 */
export async function createSession(services: Services, request: SessionClient, init: NewSession): Promise<{ session: SessionRecord; secret: string }> {
  const now = services.now();
  const secret = randomHex(128);
  const session = await services.storage.sessions.create(
    {
      id: newId(),
      userId: init.user.id,
      createdAt: now,
      updatedAt: now,
      expire: new Date(now.getTime() + services.config.session.durationSeconds * 1000),
      secretHash: services.secrets.hash(secret),
      provider: init.provider,
      providerUid: init.providerUid ?? '',
      providerAccessToken: init.providerAccessToken ?? '',
      providerRefreshToken: init.providerRefreshToken ?? '',
      providerAccessTokenExpiry: init.providerAccessTokenExpiry ?? null,
      ip: request.ip,
      userAgent: request.userAgent,
      countryCode: request.countryCode,
      factors: init.factors,
      mfaUpdatedAt: null,
    },
    { maxPerUser: services.config.session.maxPerUser },
  );
  return { session, secret };
}

/**
 * The `sessionAlerts` mail for a session just created by email/password or a token exchange. It
 * is sent after the answer is decided: a failure is logged (without the message) and the sign-in
 * stands, as with Appwrite's mail queue. Skipped for a user without email, for the user's only
 * session, and for magic-URL or email-code sign-ins, whose mail already went to that inbox.
 */
export function alertNewSession(services: Services, request: RequestInfo, user: UserRecord, session: SessionRecord): void {
  if (!services.config.sessionAlerts || !services.messages.canMail || !user.email) return;
  if ((session.provider === 'magic-url' || session.provider === 'token') && session.factors.includes('email')) return;
  const to = user.email;
  void (async () => {
    if ((await services.storage.sessions.listByUser(user.id)).length <= 1) return;
    await services.messages.sendMail('sessionAlert', {
      to,
      toName: user.name,
      locale: request.locale,
      values: { user: user.name, ip: session.ip, time: session.createdAt, device: describeClient(session.userAgent).clientName, countryCode: session.countryCode },
    });
  })().catch((error: unknown) => {
    // sendMail has already logged a delivery failure; anything else (storage) is logged here.
    if (!(error instanceof AccountError)) services.config.logger.warn('account-router: session alert not sent', { error: String(error) });
  });
}

/** The cookie value: base64 of `{"id": userId, "secret": secret}`, as Appwrite's SDKs pass it around. */
export function encodeSessionCredential(userId: string, secret: string): string {
  return Buffer.from(JSON.stringify({ id: userId, secret })).toString('base64');
}

function decodeSessionCredential(value: string | undefined): { id: string; secret: string } | null {
  if (!value || value.length > 2048) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    const { id, secret } = parsed as { id?: unknown; secret?: unknown };
    return typeof id === 'string' && typeof secret === 'string' && secret.length > 0 ? { id, secret } : null;
  } catch {
    return null;
  }
}

/** First credential found: cookie, legacy cookie, X-Appwrite-Session, then X-Fallback-Cookies. */
export function readSessionCredential(req: IncomingMessage, cookieName: string): { id: string; secret: string } | null {
  const cookies = header(req, 'cookie');
  let value = readCookie(cookies, cookieName) ?? readCookie(cookies, `${cookieName}_legacy`) ?? header(req, 'x-appwrite-session');
  if (!value) {
    const fallback = header(req, 'x-fallback-cookies');
    if (fallback) {
      try {
        const parsed: unknown = JSON.parse(fallback);
        const candidate = (parsed as Record<string, unknown> | null)?.[cookieName];
        if (typeof candidate === 'string') value = candidate;
      } catch {
        // An unreadable fallback header is no credential, like any other bad credential.
      }
    }
  }
  return decodeSessionCredential(value);
}

async function sessionOf(services: Services, credential: { id: string; secret: string }): Promise<SessionCaller | null> {
  const found = await services.storage.sessions.getBySecretHashWithUser(services.secrets.hash(credential.secret));
  if (!found || found.user.id !== credential.id || found.session.expire.getTime() <= services.now().getTime()) return null;
  return { user: found.user, session: found.session, via: 'session' };
}

/**
 * The caller as a session's: a route that acts on the caller's session (ending it, adding a factor,
 * minting a JWT) refuses an access token, which holds none. The gate already keeps tokens off those
 * routes (lib/idp/account-access.ts); this is the type's proof of it.
 */
export function sessionCaller(caller: Caller): SessionCaller {
  if (caller.via === 'bearer') throw new AccountError('general_unauthorized_scope', `${caller.user.email || 'User'} (role: users) missing scopes (["account"])`);
  return caller;
}

/**
 * Resolves the request's credentials to a caller: the session credential, then X-Appwrite-JWT.
 * An unknown, expired or foreign session silently makes the caller a guest, as Appwrite does; a
 * JWT must verify (401 user_jwt_invalid), must not come with a session (403) and lives only as
 * long as its session.
 */
export function resolveCaller(services: Services, req: IncomingMessage): Promise<SessionCaller | null> {
  const token = header(req, 'x-appwrite-jwt');
  const credential = readSessionCredential(req, services.config.cookieName);
  if (!token) return credential ? sessionOf(services, credential) : Promise.resolve(null);
  return credential ? sessionOf(services, credential).then((caller) => jwtCaller(services, caller, token)) : jwtCaller(services, null, token);
}

async function jwtCaller(services: Services, sessionCaller: SessionCaller | null, token: string): Promise<SessionCaller | null> {
  if (sessionCaller) throw new AccountError('user_jwt_and_cookie_set');
  const now = services.now();
  const claims = verifyJwt(services.jwtKey, token, now);
  const found = await services.storage.sessions.getWithUser(claims.sessionId);
  if (!found || found.user.id !== claims.userId || found.session.expire.getTime() <= now.getTime()) return null;
  return { user: found.user, session: found.session, via: 'jwt' };
}

const HOUR_MS = 3_600_000;

/** Whether this request gets X-Fallback-Cookies: its origin is not the API's own host (or unknown). */
function wantsFallbackHeader(services: Services, request: RequestInfo): boolean {
  if (!services.config.cookie.fallbackHeader) return false;
  const source = request.origin ?? header(request.raw, 'referer');
  if (!source) return true;
  try {
    const originHost = new URL(source).hostname;
    return registrableDomain(originHost) !== registrableDomain(request.hostname);
  } catch {
    return true;
  }
}

/**
 * The site of a host name as browsers draw it: the registrable domain by the Public Suffix List,
 * private suffixes included (`alice.github.io` and `bob.github.io` are two sites, as are
 * `a.example.co.uk` and `b.other.co.uk`). IP addresses, single-label names such as `localhost`
 * and bare suffixes have none and count as themselves.
 */
function registrableDomain(host: string): string {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return publicSuffixList().getDomain(bare, { allowPrivateDomains: true }) ?? bare;
}

/** tldts, loaded on the first same-site decision: the list is large and only sign-ins need it. */
function publicSuffixList(): typeof import('tldts') {
  return require('tldts') as typeof import('tldts');
}

function cookieStrings(services: Services, request: RequestInfo, value: string, expires: Date): string[] {
  const { cookie, cookieName } = services.config;
  const secure = cookie.secure === 'auto' ? request.secure : cookie.secure;
  const base = { expires, path: '/', httpOnly: true, secure, domain: cookie.domain };
  if (cookie.sameSite === 'none') {
    // The legacy twin carries no SameSite for clients that drop SameSite=None cookies over http.
    return [
      serializeCookie(cookieName, value, { ...base, sameSite: 'None' }),
      serializeCookie(`${cookieName}_legacy`, value, base),
    ];
  }
  return [serializeCookie(cookieName, value, { ...base, sameSite: cookie.sameSite === 'strict' ? 'Strict' : 'Lax' })];
}

export function setSessionCookies(services: Services, request: RequestInfo, res: ServerResponse, session: SessionRecord, secret: string): void {
  const value = encodeSessionCredential(session.userId, secret);
  appendSetCookie(res, cookieStrings(services, request, value, session.expire));
  if (wantsFallbackHeader(services, request)) {
    res.setHeader('X-Fallback-Cookies', JSON.stringify({ [services.config.cookieName]: value }));
  }
}

export function clearSessionCookies(services: Services, request: RequestInfo, res: ServerResponse): void {
  const past = new Date(services.now().getTime() - HOUR_MS);
  const cleared = cookieStrings(services, request, 'deleted', past);
  // Clear the legacy twin too, whatever the current SameSite setting: an older config may have set it.
  if (cleared.length === 1) cleared.push(serializeCookie(`${services.config.cookieName}_legacy`, 'deleted', { expires: past, path: '/', httpOnly: true, secure: false, domain: services.config.cookie.domain }));
  appendSetCookie(res, cleared);
  if (wantsFallbackHeader(services, request)) res.setHeader('X-Fallback-Cookies', '[]');
}
