// What the token endpoint issues and what the other endpoints read back: access tokens (JWT per
// RFC 9068, bound to the resource they were asked for), ID tokens (OIDC Core), refresh tokens that
// rotate within a token family (a reused one revokes the family), introspection, revocation and
// userinfo. Every check that a token is still good goes to storage: revoking the family (or the
// consent) ends its access tokens too. A client may ask for opaque access tokens instead of JWTs:
// random strings whose keyed hash and claims the family keeps, one live token per family.
import { createHash, randomBytes } from 'node:crypto';
import type { OAuthClientRecord, OAuthGrantRecord, UserRecord } from '../../adapters/types';
import type { Services } from '../route';
import { newId } from '../core/ids';
import { safeEqual } from '../core/secrets';
import { idpConfig } from './config';
import { OAuthError } from './errors';
import { signJwt, verifyJwt } from './keys';

/** What a token response carries (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

/** RFC 8176 method references for the session's factors; `mfa` once two distinct kinds were used. */
export function amrOf(factors: readonly string[]): string[] {
  const names: Record<string, string> = { password: 'pwd', totp: 'otp', email: 'otp', phone: 'sms', recoverycode: 'kba', custom: 'otp' };
  const amr = [...new Set(factors.map((factor) => names[factor] ?? factor))];
  return new Set(factors).size >= 2 ? [...amr, 'mfa'] : amr;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The refresh token of `generation`: the family, the generation, a random part and a MAC over them (so only tokens this server made count as reuse). */
function refreshToken(services: Services, grantId: string, generation: number): string {
  const body = `${grantId}.${generation}.${randomBytes(24).toString('base64url')}`;
  return `${body}.${refreshMac(services, body)}`;
}

function refreshMac(services: Services, body: string): string {
  return services.secrets.hash(`oauth-refresh-token:${body}`).slice(0, 32);
}

/** A refresh token's family and generation when it is one this server made; null otherwise. */
export function parseRefreshToken(services: Services, token: string): { grantId: string; generation: number } | null {
  const parts = token.split('.');
  if (parts.length !== 4 || token.length > 512) return null;
  const body = parts.slice(0, 3).join('.');
  if (!safeEqual(refreshMac(services, body), parts[3]!)) return null;
  const generation = Number(parts[1]);
  return Number.isSafeInteger(generation) && generation > 0 ? { grantId: parts[0]!, generation } : null;
}

/** The audience of an access token: the resources asked for, else the client. */
function audienceOf(grant: Pick<OAuthGrantRecord, 'resources' | 'clientId'>, resource: string | undefined): string | string[] {
  if (resource) return resource;
  if (grant.resources.length === 1) return grant.resources[0]!;
  return grant.resources.length ? grant.resources : grant.clientId;
}

/** What starts an opaque access token: recognisable in logs and secret scanners, and never a JWT. */
const OPAQUE_PREFIX = 'arat_';
const OPAQUE_TOKEN = /^arat_[A-Za-z0-9_-]{43}$/;

/** A new opaque access token standing for `claims`; the family's previous one stops working. */
async function issueOpaqueAccessToken(services: Services, grant: OAuthGrantRecord, claims: Record<string, unknown>): Promise<string> {
  const token = OPAQUE_PREFIX + randomBytes(32).toString('base64url');
  const stored = await services.storage.oauthGrants.setAccessToken({ id: grant.id, accessHash: services.secrets.hash(token), accessClaims: claims });
  // The family was revoked between the exchange and now: the token would be dead on arrival.
  if (!stored) throw new OAuthError('invalid_grant', 'The grant was revoked.');
  return token;
}

/** Issues the access token (a JWT or, for clients that chose it, an opaque one) and the ID token when `openid` was granted. */
export async function issueTokens(
  services: Services,
  issuer: string,
  grant: OAuthGrantRecord,
  options: { user: UserRecord; scopes: string[]; resource: string | undefined; nonce: string | null; refresh: string | null; format: OAuthClientRecord['accessTokenFormat'] },
): Promise<TokenResponse> {
  const idp = idpConfig(services);
  const now = services.now();
  const iat = seconds(now);
  const scope = options.scopes.join(' ');
  const claims = {
    iss: issuer,
    sub: grant.userId,
    aud: audienceOf(grant, options.resource),
    client_id: grant.clientId,
    scope,
    iat,
    exp: iat + idp.accessTokenSeconds,
    auth_time: seconds(grant.authTime),
    jti: randomBytes(16).toString('base64url'),
    // The token family: revoking it (or its consent) ends this token at every check.
    fid: grant.id,
  };
  const accessToken = options.format === 'opaque' ? await issueOpaqueAccessToken(services, grant, claims) : await signJwt(services, claims, 'at+jwt');
  const response: TokenResponse = { access_token: accessToken, token_type: 'Bearer', expires_in: idp.accessTokenSeconds, scope };
  if (options.scopes.includes('openid')) {
    response.id_token = await signJwt(
      services,
      {
        iss: issuer,
        sub: grant.userId,
        aud: grant.clientId,
        azp: grant.clientId,
        iat,
        exp: iat + idp.idTokenSeconds,
        auth_time: seconds(grant.authTime),
        amr: grant.amr,
        acr: grant.amr.includes('mfa') ? 'urn:account-router:acr:mfa' : 'urn:account-router:acr:1fa',
        at_hash: createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'),
        ...(options.nonce ? { nonce: options.nonce } : {}),
        ...identityClaims(options.user, options.scopes),
      },
      'JWT',
    );
  }
  if (options.refresh) response.refresh_token = options.refresh;
  return response;
}

/** The OIDC standard claims the granted scopes release. */
export function identityClaims(user: UserRecord, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes('profile')) Object.assign(claims, { name: user.name, updated_at: seconds(user.updatedAt) });
  if (scopes.includes('email') && user.email) Object.assign(claims, { email: user.email, email_verified: user.emailVerification });
  if (scopes.includes('phone') && user.phone) Object.assign(claims, { phone_number: user.phone, phone_number_verified: user.phoneVerification });
  return claims;
}

/** A new token family for a redeemed code, with its first refresh token when `offline_access` was granted. */
export async function startGrant(
  services: Services,
  code: { consentId: string; userId: string; clientId: string; scopes: string[]; resources: string[]; authorizationDetails: unknown[] | null; authTime: Date; amr: string[] },
): Promise<{ grant: OAuthGrantRecord; refresh: string | null }> {
  const idp = idpConfig(services);
  const now = services.now();
  const id = newId();
  const withRefresh = code.scopes.includes('offline_access');
  const refresh = withRefresh ? refreshToken(services, id, 1) : null;
  const grant = await services.storage.oauthGrants.create({
    id,
    consentId: code.consentId,
    userId: code.userId,
    clientId: code.clientId,
    createdAt: now,
    updatedAt: now,
    scopes: code.scopes,
    resources: code.resources,
    authorizationDetails: code.authorizationDetails,
    authTime: code.authTime,
    amr: code.amr,
    expire: new Date(now.getTime() + (withRefresh ? idp.refreshTokenSeconds : idp.accessTokenSeconds) * 1000),
    generation: 1,
    refreshHash: refresh === null ? null : services.secrets.hash(refresh),
    accessHash: null,
    accessClaims: null,
  });
  return { grant, refresh };
}

/**
 * Rotates a refresh token: the family moves to the next generation and the caller gets its
 * token. A token of an older generation (already rotated: stolen, or replayed) revokes the whole
 * family, as does losing a race for the same generation: OAuth 2.1 §4.3.1 reuse detection.
 */
export async function rotateRefreshToken(services: Services, client: OAuthClientRecord, token: string): Promise<{ grant: OAuthGrantRecord; refresh: string }> {
  const parsed = parseRefreshToken(services, token);
  const invalid = new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.');
  if (!parsed) throw invalid;
  const grant = await services.storage.oauthGrants.get(parsed.grantId);
  const now = services.now();
  if (!grant || grant.expire <= now || grant.refreshHash === null) throw invalid;
  if (grant.clientId !== client.id) throw invalid;
  if (parsed.generation < grant.generation) {
    await services.storage.oauthGrants.delete(grant.id);
    throw new OAuthError('invalid_grant', 'The refresh token was already used; its token family is revoked.');
  }
  if (parsed.generation !== grant.generation || !safeEqual(services.secrets.hash(token), grant.refreshHash)) throw invalid;
  const next = refreshToken(services, grant.id, grant.generation + 1);
  const rotated = await services.storage.oauthGrants.rotate({
    id: grant.id,
    generation: grant.generation,
    refreshHash: services.secrets.hash(next),
    expire: new Date(now.getTime() + idpConfig(services).refreshTokenSeconds * 1000),
    now,
  });
  if (!rotated) {
    await services.storage.oauthGrants.delete(grant.id);
    throw new OAuthError('invalid_grant', 'The refresh token was already used; its token family is revoked.');
  }
  return { grant: rotated, refresh: next };
}

/** A live access token: signed by a listed key, unexpired, of a family that still exists, of an account not blocked. */
export interface VerifiedAccessToken {
  claims: Record<string, unknown>;
  grant: OAuthGrantRecord;
  scopes: string[];
  audience: string[];
  /** The token's user, live and not blocked. */
  user: UserRecord;
}

/** A JWT's claims and the family it names, when its signature and expiry hold. */
async function readJwtAccessToken(services: Services, token: string): Promise<{ claims: Record<string, unknown>; grant: OAuthGrantRecord | null } | null> {
  const verified = await verifyJwt(services, token, 'at+jwt');
  if (!verified || typeof verified.claims.fid !== 'string') return null;
  return { claims: verified.claims, grant: await services.storage.oauthGrants.get(verified.claims.fid) };
}

/** An opaque token's family (found by the token's keyed hash: only the current one matches) and the claims it stands for, until they expire. */
async function readOpaqueAccessToken(services: Services, token: string): Promise<{ claims: Record<string, unknown>; grant: OAuthGrantRecord } | null> {
  const grant = await services.storage.oauthGrants.getByAccessHash(services.secrets.hash(token));
  const claims = grant?.accessClaims;
  if (!grant || !claims || typeof claims.exp !== 'number' || claims.exp <= seconds(services.now())) return null;
  return { claims, grant };
}

/** The access token's claims and family when it is live; null otherwise (expired, revoked, replaced, forged, an ID token…). */
export async function verifyAccessToken(services: Services, token: string, issuer: string | undefined): Promise<VerifiedAccessToken | null> {
  const found = OPAQUE_TOKEN.test(token) ? await readOpaqueAccessToken(services, token) : await readJwtAccessToken(services, token);
  if (!found) return null;
  const { claims, grant } = found;
  if (issuer !== undefined && claims.iss !== issuer) return null;
  if (typeof claims.sub !== 'string') return null;
  if (!grant || grant.userId !== claims.sub || grant.expire <= services.now()) return null;
  // A blocked account's tokens stop at once, not when they expire.
  const user = await services.storage.users.get(grant.userId);
  if (!user || !user.status) return null;
  const audience = Array.isArray(claims.aud) ? claims.aud.filter((entry): entry is string => typeof entry === 'string') : typeof claims.aud === 'string' ? [claims.aud] : [];
  const scopes = typeof claims.scope === 'string' && claims.scope ? claims.scope.split(' ') : [];
  return { claims, grant, scopes, audience, user };
}
