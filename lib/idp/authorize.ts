// The authorization endpoint's rules (OAuth 2.1 + OIDC Core): who the client is and where it may
// be sent back (exact match, checked before anything is redirected), code + PKCE S256 only, the
// signed-in user's session (prompt, max_age, a factor still owed), remembered consents, and the
// pending request handed to the consent page sealed, so that any instance can take the decision.
import { createHash, randomBytes } from 'node:crypto';
import type { OAuthClientRecord, OAuthConsentRecord } from '../../adapters/types';
import type { RequestInfo, Services, SessionCaller } from '../route';
import { mfaPending } from '../core/mfa';
import { newId } from '../core/ids';
import { endpoints, idpConfig, issuerOf } from './config';
import { OAuthError } from './errors';
import { findClient } from './clients';
import { amrOf } from './tokens';

/** The authorization request as the query carries it. */
export interface AuthorizeParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  nonce?: string;
  prompt?: string;
  max_age?: string;
  login_hint?: string;
  resource?: string;
  /** Every `resource` of the query (RFC 8707 allows several; the parameter rules keep one). */
  resources?: string[];
  authorization_details?: string;
}

/** A validated request, what the consent page shows and the code will carry. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  resources: string[];
  authorizationDetails: unknown[] | null;
  state: string | null;
  nonce: string | null;
  codeChallenge: string;
}

/** What the consent page is handed: the request, whose consent it needs, until when. */
export interface PendingConsent {
  request: AuthorizationRequest;
  userId: string;
  sessionId: string;
  /** Milliseconds since the epoch. */
  expires: number;
}

/** Ten minutes to decide. */
const CONSENT_WINDOW_MS = 600_000;
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

/** Where the browser goes next: the client's redirect URI with the answer, a sign-in page, or the consent page. */
export type AuthorizeOutcome = { redirect: string } | { consent: PendingConsent; client: OAuthClientRecord };

/** The client's redirect URI with `values` (and RFC 9207's `iss`) added to its query. */
export function redirectWith(redirectUri: string, issuer: string, values: Record<string, string | null | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) if (value !== null && value !== undefined) url.searchParams.append(name, value);
  url.searchParams.append('iss', issuer);
  return url.href;
}

/** An error the client hears about at its redirect URI (RFC 6749 §4.1.2.1). */
class RedirectableError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
  }
}

/** Runs an authorization request to its next step. */
export async function authorize(services: Services, request: RequestInfo, caller: SessionCaller | null, params: AuthorizeParams): Promise<AuthorizeOutcome> {
  const idp = idpConfig(services);
  const issuer = issuerOf(services, request);
  // Until the client and its redirect URI are known, errors are shown, never redirected: an
  // unchecked redirect_uri would make this endpoint an open redirector.
  if (!params.client_id) throw new OAuthError('invalid_request', 'client_id is required.');
  const client = await findClient(services, params.client_id);
  if (!client) throw new OAuthError('invalid_request', 'Unknown client_id.');
  const redirectUri = params.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0]! : undefined);
  if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required: the client registered several.');
  if (!client.redirectUris.includes(redirectUri)) throw new OAuthError('invalid_request', 'redirect_uri does not exactly match one the client registered.');
  const state = params.state ?? null;
  try {
    const validated = validate(services, client, redirectUri, params);
    const prompt = new Set((params.prompt ?? '').split(' ').filter(Boolean));
    if (prompt.has('none') && prompt.size > 1) throw new RedirectableError('invalid_request', 'prompt=none cannot be combined with other values.');
    const maxAge = params.max_age === undefined ? undefined : Number(params.max_age);
    if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0)) throw new RedirectableError('invalid_request', 'max_age must be a non-negative integer.');

    const tooOld = caller && maxAge !== undefined && services.now().getTime() - caller.session.createdAt.getTime() > maxAge * 1000;
    const owesFactor = caller ? await mfaPending(services, caller) : false;
    if (!caller || owesFactor || tooOld || prompt.has('login')) {
      if (prompt.has('none')) throw new RedirectableError(owesFactor ? 'interaction_required' : 'login_required', 'The user must sign in.');
      if (!idp.loginUrl) throw new RedirectableError('login_required', 'The user must sign in, and this server has no sign-in page configured.');
      return { redirect: signInUrl(idp.loginUrl, issuer, params) };
    }

    const consent = await services.storage.oauthConsents.getByClient(caller.user.id, client.id);
    const pending: PendingConsent = { request: validated, userId: caller.user.id, sessionId: caller.session.id, expires: services.now().getTime() + CONSENT_WINDOW_MS };
    if (consent && covers(consent, validated) && !prompt.has('consent')) {
      return { redirect: await issueCode(services, issuer, caller, consent, validated) };
    }
    if (prompt.has('none')) throw new RedirectableError('consent_required', 'The user has not consented to this request.');
    return { consent: pending, client };
  } catch (error) {
    if (!(error instanceof RedirectableError)) throw error;
    return { redirect: redirectWith(redirectUri, issuer, { error: error.error, error_description: error.description, state }) };
  }
}

function validate(services: Services, client: OAuthClientRecord, redirectUri: string, params: AuthorizeParams): AuthorizationRequest {
  const idp = idpConfig(services);
  if (params.response_type !== 'code') throw new RedirectableError('unsupported_response_type', 'Only response_type=code is supported.');
  if (!params.code_challenge) throw new RedirectableError('invalid_request', 'code_challenge is required (PKCE).');
  if (params.code_challenge_method !== 'S256') throw new RedirectableError('invalid_request', 'code_challenge_method must be S256.');
  if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge)) throw new RedirectableError('invalid_request', 'code_challenge must be a base64url SHA-256 digest.');
  const scopes = [...new Set((params.scope ?? '').split(' ').filter(Boolean))];
  const unknown = scopes.filter((scope) => !(scope in idp.scopes) || (client.scopes.length > 0 && !client.scopes.includes(scope)));
  if (unknown.length) throw new RedirectableError('invalid_scope', `Scope not available to this client: ${unknown.join(' ')}`);
  const resources = [...new Set(params.resources ?? (params.resource === undefined ? [] : [params.resource]))];
  if (resources.length > 10) throw new RedirectableError('invalid_target', 'At most 10 resources.');
  if (!resources.every(isResourceIndicator)) throw new RedirectableError('invalid_target', 'resource must be an absolute URI without fragment.');
  return {
    clientId: client.id,
    redirectUri,
    scopes,
    resources,
    authorizationDetails: parseAuthorizationDetails(params.authorization_details),
    state: params.state ?? null,
    nonce: params.nonce ?? null,
    codeChallenge: params.code_challenge,
  };
}

/** RFC 8707 §2: an absolute URI, no fragment. */
export function isResourceIndicator(value: string): boolean {
  try {
    const url = new URL(value);
    return !url.hash && !value.includes('#') && value.length <= 2000;
  } catch {
    return false;
  }
}

/** RFC 9396: a JSON array of objects that each name a `type`. */
function parseAuthorizationDetails(raw: string | undefined): unknown[] | null {
  if (raw === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new RedirectableError('invalid_authorization_details', 'authorization_details must be JSON.');
  }
  const valid = Array.isArray(parsed) && parsed.length <= 16 && parsed.every((entry) => typeof entry === 'object' && entry !== null && !Array.isArray(entry) && typeof (entry as { type?: unknown }).type === 'string');
  if (!valid) throw new RedirectableError('invalid_authorization_details', 'authorization_details must be an array of objects with a type.');
  return parsed as unknown[];
}

/** Whether a remembered consent already grants everything the request asks for. */
function covers(consent: OAuthConsentRecord, request: AuthorizationRequest): boolean {
  return (
    request.scopes.every((scope) => consent.scopes.includes(scope)) &&
    request.resources.every((resource) => consent.resources.includes(resource)) &&
    (request.authorizationDetails === null || JSON.stringify(request.authorizationDetails) === JSON.stringify(consent.authorizationDetails))
  );
}

/** The host's sign-in page, told where to come back: this request, without the `prompt=login` it has now satisfied. */
function signInUrl(loginUrl: string, issuer: string, params: AuthorizeParams): string {
  const back = new URL(endpoints(issuer).authorization);
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || name === 'resource') continue;
    if (name === 'resources') {
      for (const resource of value as string[]) back.searchParams.append('resource', resource);
    } else if (name === 'prompt') {
      const rest = String(value).split(' ').filter((entry) => entry && entry !== 'login');
      if (rest.length) back.searchParams.set(name, rest.join(' '));
    } else {
      back.searchParams.set(name, String(value));
    }
  }
  const target = new URL(loginUrl, issuer);
  target.searchParams.set('returnTo', back.href);
  if (params.login_hint) target.searchParams.set('login_hint', params.login_hint);
  return /^\/(?!\/)/.test(loginUrl) ? target.pathname + target.search : target.href;
}

/** Stores a single-use code for the request and answers with the redirect that delivers it. */
export async function issueCode(services: Services, issuer: string, caller: SessionCaller, consent: OAuthConsentRecord, request: AuthorizationRequest): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  const now = services.now();
  await services.storage.oauthCodes.create({
    codeHash: services.secrets.hash(code),
    clientId: request.clientId,
    userId: caller.user.id,
    consentId: consent.id,
    sessionId: caller.session.id,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    resources: request.resources,
    authorizationDetails: request.authorizationDetails,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    authTime: caller.session.createdAt,
    amr: amrOf(caller.session.factors),
    createdAt: now,
    expire: new Date(now.getTime() + idpConfig(services).codeSeconds * 1000),
  });
  return redirectWith(request.redirectUri, issuer, { code, state: request.state });
}

/** Seals a pending consent for the page; only this server can open it, and only until it expires. */
export function sealPending(services: Services, pending: PendingConsent): string {
  return services.box.seal(JSON.stringify(pending));
}

export function openPending(services: Services, handle: string): PendingConsent | null {
  const plain = typeof handle === 'string' && handle.length < 8192 ? services.box.open(handle) : null;
  if (!plain) return null;
  const pending = JSON.parse(plain) as PendingConsent;
  return pending.expires > services.now().getTime() ? pending : null;
}

/**
 * The user's decision on a pending request: approving stores (or widens) the consent and sends
 * the code; denying sends `access_denied`. Only the session the request was made in may decide.
 */
export async function decide(services: Services, request: RequestInfo, caller: SessionCaller, handle: string, approve: boolean): Promise<string> {
  const pending = openPending(services, handle);
  if (!pending || pending.sessionId !== caller.session.id || pending.userId !== caller.user.id) {
    throw new OAuthError('invalid_request', 'The consent request is unknown, expired, or was made in another session.');
  }
  if (await mfaPending(services, caller)) throw new OAuthError('access_denied', 'More factors are required to complete the sign in process.');
  const issuer = issuerOf(services, request);
  const { request: authorization } = pending;
  if (!approve) return redirectWith(authorization.redirectUri, issuer, { error: 'access_denied', error_description: 'The user denied the request.', state: authorization.state });
  const now = services.now();
  const previous = await services.storage.oauthConsents.getByClient(caller.user.id, authorization.clientId);
  const consent = await services.storage.oauthConsents.grant({
    id: previous?.id ?? newId(),
    userId: caller.user.id,
    clientId: authorization.clientId,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
    scopes: [...new Set([...(previous?.scopes ?? []), ...authorization.scopes])],
    resources: [...new Set([...(previous?.resources ?? []), ...authorization.resources])],
    authorizationDetails: authorization.authorizationDetails ?? previous?.authorizationDetails ?? null,
    expire: null,
  });
  return issueCode(services, issuer, caller, consent, authorization);
}

/** base64url(SHA-256(verifier)), compared with the code's challenge (RFC 7636 S256). */
export function pkceMatches(verifier: unknown, challenge: string): boolean {
  if (typeof verifier !== 'string' || !PKCE_VALUE.test(verifier)) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}
