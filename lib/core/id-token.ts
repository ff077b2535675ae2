// Native sign-in with a provider's OpenID Connect ID token (POST /account/sessions/id-token): the
// app got the token from Google or Apple itself, so the token and the nonce are all the proof there
// is. This module checks both — signature against the issuer's published keys, then the claims —
// and turns the token into the identity the account resolution needs, or a typed failure.
import { createHash, createPublicKey, timingSafeEqual, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AccountError, type ErrorType } from '../errors';
import type { IdTokenOptions, IdTokenProviderOptions } from '../options';
import { fetchTextBounded } from './bounded-fetch';

/** Providers whose ID tokens can be exchanged for a session (Appwrite's `IdTokenProvider` enum). */
export const ID_TOKEN_PROVIDERS = ['google', 'apple'] as const;
export type IdTokenProvider = (typeof ID_TOKEN_PROVIDERS)[number];

// The settings are options of the router (lib/options.ts, `idTokens`), documented there.
export type { IdTokenOptions, IdTokenProviderOptions };

export interface IdTokenVerifierOptions {
  providers: IdTokenOptions;
  /** The clock (the router's `services.now`). @default () => new Date() */
  now?: () => Date;
  /** Used for the discovery document and the key set. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Deadline of each fetch from the issuer, body included. @default 5000 */
  timeoutMs?: number;
  /** How long a fetched key set (and the discovery document) is used before it is fetched again. @default 3_600_000 (1 hour) */
  keysTtlMs?: number;
  /**
   * Least time between two fetches of one provider's keys outside the TTL: a token with a `kid` we
   * do not know triggers one refetch (the provider rotated its keys), but tokens with made-up kids
   * must not make us fetch on every request; a failed fetch is not retried sooner either.
   * @default 60_000
   */
  refreshIntervalMs?: number;
  /** Option path named in TypeErrors about `providers`. @default 'idTokens' */
  optionName?: string;
}

/** What a verified token says about the user. */
export interface VerifiedIdToken {
  provider: IdTokenProvider;
  /** `sub`: the provider's stable user id, the identity's `providerUid`. */
  providerUid: string;
  /** `email`, trimmed and lower-cased; absent when the token has none (Apple sends it only if shared). */
  email?: string;
  /** The provider vouches for the email (`email_verified` true or `"true"`); false without an email. */
  emailVerified: boolean;
  /** `name`, when the token has one (Google; Apple never puts it in the token). */
  name?: string;
  /** Every claim of the token, verified, for what the route may want besides (`picture`, `is_private_email`, …). */
  claims: Readonly<Record<string, unknown>>;
}

/**
 * Why a token was refused. Every reason but the last two is the token's fault and maps to 401
 * `user_oauth2_token_invalid`; see {@link idTokenError}.
 */
export type IdTokenFailureReason =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_subject'
  | 'nonce_required'
  | 'nonce_mismatch'
  /** The provider is not configured for ID-token sign-in. */
  | 'not_configured'
  /** The issuer's discovery document or key set could not be fetched or read. */
  | 'provider_unavailable';

export interface IdTokenFailure {
  ok: false;
  reason: IdTokenFailureReason;
  /** Names the failed check, never the token's content: safe to answer (the caller holds the token anyway). */
  message: string;
  /** For `provider_unavailable`: the underlying error, for the log. */
  cause?: unknown;
}

export type IdTokenResult = { ok: true; token: VerifiedIdToken } | IdTokenFailure;

export interface IdTokenVerifier {
  /** The providers configured for ID-token sign-in. */
  readonly providers: readonly IdTokenProvider[];
  /**
   * Verifies `idToken` as one `provider` issued to one of its client ids, with the request's raw
   * `nonce` ('' or undefined when none was sent). Never throws for a bad token or an unreachable
   * provider: the result says why.
   */
  verify(provider: IdTokenProvider, idToken: string, nonce?: string): Promise<IdTokenResult>;
}

/** Appwrite's bound on the `idToken` parameter; longer input is refused before any parsing. */
export const MAX_ID_TOKEN_LENGTH = 8192;
/** Clock difference tolerated on `exp`, `iat` and `nbf` between us and the provider, in seconds. */
const CLOCK_SKEW_SECONDS = 60;
/**
 * Oldest `iat` accepted, in seconds. Providers expire ID tokens within an hour (Google) or minutes
 * (Apple), so `exp` governs; this only bounds a token whose `exp` is far away.
 */
const MAX_TOKEN_AGE_SECONDS = 24 * 60 * 60;
/** Largest discovery document or key set read; real ones are a few kilobytes. */
const MAX_DOCUMENT_BYTES = 64 * 1024;
/** Keys read from one key set; more are ignored (a real set has two or three). */
const MAX_KEYS = 32;
/** RSA keys shorter than this are not trusted, whatever the key set says. */
const MIN_RSA_BITS = 2048;

/** What each provider's tokens look like. */
const PROFILES: Record<IdTokenProvider, { issuer: string; legacyIssuers: readonly string[]; nonceRequired: boolean }> = {
  // Google has issued tokens with and without the scheme; both remain valid.
  google: { issuer: 'https://accounts.google.com', legacyIssuers: ['accounts.google.com'], nonceRequired: false },
  // Apple requires a nonce in every native request; a token without one is refused (see checkNonce).
  apple: { issuer: 'https://appleid.apple.com', legacyIssuers: [], nonceRequired: true },
};

/** The failure messages, one per reason, worded after Appwrite's where it has one. */
const MESSAGES: Record<IdTokenFailureReason, string> = {
  malformed: 'Malformed token.',
  unsupported_algorithm: 'Unsupported token algorithm.',
  unknown_key: 'Unknown signing key.',
  bad_signature: 'Invalid token signature.',
  wrong_issuer: 'Invalid token issuer.',
  wrong_audience: "Audience mismatch. Add the token's client ID to the provider configuration.",
  expired: 'Token expired.',
  not_yet_valid: 'Token not yet valid.',
  missing_subject: 'Token has no subject.',
  nonce_required: 'Nonce required.',
  nonce_mismatch: 'Nonce mismatch.',
  not_configured: 'ID token sign-in is not configured for this provider.',
  provider_unavailable: 'Failed to fetch the provider signing keys. Please try again.',
};

/** The wire error each failure answers with: the one home of this mapping. */
const ID_TOKEN_ERROR_TYPES: Record<IdTokenFailureReason, ErrorType> = {
  malformed: 'user_oauth2_token_invalid',
  unsupported_algorithm: 'user_oauth2_token_invalid',
  unknown_key: 'user_oauth2_token_invalid',
  bad_signature: 'user_oauth2_token_invalid',
  wrong_issuer: 'user_oauth2_token_invalid',
  wrong_audience: 'user_oauth2_token_invalid',
  expired: 'user_oauth2_token_invalid',
  not_yet_valid: 'user_oauth2_token_invalid',
  missing_subject: 'user_oauth2_token_invalid',
  nonce_required: 'user_oauth2_token_invalid',
  nonce_mismatch: 'user_oauth2_token_invalid',
  not_configured: 'project_provider_disabled',
  provider_unavailable: 'user_oauth2_provider_error',
};

/**
 * The AccountError a failed verification answers with. Token faults keep the message naming the
 * check (as Appwrite does: it is how a developer finds a misconfigured client id).
 */
export function idTokenError(failure: IdTokenFailure): AccountError {
  const type = ID_TOKEN_ERROR_TYPES[failure.reason];
  const message = type === 'user_oauth2_token_invalid' ? failure.message : undefined;
  return new AccountError(type, message, { cause: failure.cause });
}

interface ResolvedProvider {
  provider: IdTokenProvider;
  issuer: string;
  /** Exact `iss` values accepted. */
  issuers: ReadonlySet<string>;
  clientIds: ReadonlySet<string>;
  nonceRequired: boolean;
  verbatimNonce: boolean;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** An issuer must be https (plain http only on this machine), with no query or fragment. */
function isAcceptableIssuer(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.search || url.hash || url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}

function resolveProviders(options: IdTokenOptions, optionName: string): Map<IdTokenProvider, ResolvedProvider> {
  const fail = (path: string, expected: string): never => {
    throw new TypeError(`createAccountRouter: option \`${optionName}${path}\` must be ${expected}.`);
  };
  if (typeof options !== 'object' || options === null) fail('', 'an object of provider settings');
  const resolved = new Map<IdTokenProvider, ResolvedProvider>();
  for (const [key, settings] of Object.entries(options)) {
    if (settings === undefined) continue;
    if (!(ID_TOKEN_PROVIDERS as readonly string[]).includes(key)) fail(`.${key}`, `one of ${ID_TOKEN_PROVIDERS.join(', ')} (no other provider issues ID tokens we verify)`);
    const provider = key as IdTokenProvider;
    const clientIds = settings.clientIds as unknown;
    if (!Array.isArray(clientIds) || clientIds.length === 0 || !clientIds.every((id) => typeof id === 'string' && id.trim() !== '')) {
      fail(`.${provider}.clientIds`, 'a non-empty array of client id strings');
    }
    const profile = PROFILES[provider];
    const issuer = settings.issuer === undefined ? profile.issuer : settings.issuer;
    if (typeof issuer !== 'string' || !isAcceptableIssuer(issuer)) fail(`.${provider}.issuer`, 'an https URL (http only for a loopback host)');
    if (settings.verbatimNonce !== undefined && typeof settings.verbatimNonce !== 'boolean') fail(`.${provider}.verbatimNonce`, 'a boolean');
    const isDefaultIssuer = issuer === profile.issuer;
    resolved.set(provider, {
      provider,
      issuer,
      issuers: new Set([issuer, ...(isDefaultIssuer ? profile.legacyIssuers : [])]),
      clientIds: new Set((clientIds as string[]).map((id) => id.trim())),
      nonceRequired: profile.nonceRequired,
      verbatimNonce: settings.verbatimNonce ?? false,
    });
  }
  return resolved;
}

type Algorithm = 'RS256' | 'ES256';

interface SigningKey {
  algorithm: Algorithm;
  key: KeyObject;
}

/** The signature-capable RS256 / ES256 keys of a JWK set, by `kid`; anything else is skipped. */
function readKeySet(document: unknown): Map<string, SigningKey> {
  const entries = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(entries)) throw new Error('key set has no `keys` array');
  const keys = new Map<string, SigningKey>();
  for (const jwk of entries.slice(0, MAX_KEYS) as Record<string, unknown>[]) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const { kid, kty, use, alg } = jwk;
    if (typeof kid !== 'string' || kid === '' || keys.has(kid)) continue;
    if (use !== undefined && use !== 'sig') continue;
    let algorithm: Algorithm;
    let publicJwk: Record<string, unknown>;
    if (kty === 'RSA' && (alg === undefined || alg === 'RS256')) {
      algorithm = 'RS256';
      publicJwk = { kty, n: jwk.n, e: jwk.e };
    } else if (kty === 'EC' && jwk.crv === 'P-256' && (alg === undefined || alg === 'ES256')) {
      algorithm = 'ES256';
      publicJwk = { kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    } else {
      continue;
    }
    let key: KeyObject;
    try {
      // Only the public members are passed: a set that (wrongly) carries private parts must not
      // give us a private key object.
      key = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
    } catch {
      continue;
    }
    if (algorithm === 'RS256' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) continue;
    keys.set(kid, { algorithm, key });
  }
  return keys;
}

class ProviderUnavailable extends Error {}

interface KeySettings {
  now: () => Date;
  fetch: typeof globalThis.fetch | undefined;
  timeoutMs: number;
  keysTtlMs: number;
  refreshIntervalMs: number;
}

/**
 * One provider's signing keys, cached per verifier: fetched on first use, again after the TTL, and
 * on an unknown `kid` at most once per refresh interval. Concurrent requests share one fetch.
 */
class ProviderKeys {
  private keys: Map<string, SigningKey> | undefined;
  private keysFetchedAt = 0;
  private jwksUri: string | undefined;
  private jwksUriFetchedAt = 0;
  /** When an unknown kid last made us refetch: at most one such refetch per refresh interval. */
  private lastForcedAt = Number.NEGATIVE_INFINITY;
  /** The last fetch's error and when that fetch started; undefined once a fetch succeeds. */
  private lastFailure: { at: number; error: unknown } | undefined;
  private inflight: Promise<Map<string, SigningKey>> | undefined;

  constructor(
    private readonly provider: ResolvedProvider,
    private readonly settings: KeySettings,
  ) {}

  /** The key with this `kid`, or undefined; throws ProviderUnavailable when no usable key set can be had. */
  async get(kid: string): Promise<SigningKey | undefined> {
    const now = this.settings.now().getTime();
    let keys = this.keys;
    if (keys === undefined || now - this.keysFetchedAt >= this.settings.keysTtlMs) keys = await this.refresh(now);
    const key = keys.get(kid);
    if (key) return key;
    // A kid we do not know: the provider may have rotated its keys since we fetched them. Wait for
    // a fetch already under way, or force one if none was forced within the interval; otherwise
    // the kid is unknown, which is all a stream of made-up kids gets, without a fetch each.
    if (this.inflight) return (await this.inflight).get(kid);
    if (now - this.lastForcedAt < this.settings.refreshIntervalMs) return undefined;
    this.lastForcedAt = now;
    return (await this.refresh(now)).get(kid);
  }

  private refresh(now: number): Promise<Map<string, SigningKey>> {
    if (this.inflight) return this.inflight;
    // A provider that just failed is not asked again within the interval: every request would
    // wait on it (up to the timeout) and we would hammer it while it recovers.
    if (this.lastFailure && now - this.lastFailure.at < this.settings.refreshIntervalMs) {
      return Promise.reject(new ProviderUnavailable('the last fetch of the provider keys failed', { cause: this.lastFailure.error }));
    }
    this.inflight = this.load(now)
      .then((keys) => {
        this.keys = keys;
        this.keysFetchedAt = now;
        this.lastFailure = undefined;
        return keys;
      })
      .catch((error: unknown) => {
        this.lastFailure = { at: now, error };
        throw new ProviderUnavailable('fetching the provider keys failed', { cause: error });
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async load(now: number): Promise<Map<string, SigningKey>> {
    if (this.jwksUri === undefined || now - this.jwksUriFetchedAt >= this.settings.keysTtlMs) {
      this.jwksUri = await this.discoverJwksUri();
      this.jwksUriFetchedAt = now;
    }
    return readKeySet(await this.fetchJson(this.jwksUri));
  }

  /** OIDC discovery: the document must be the configured issuer's and name an https key set. */
  private async discoverJwksUri(): Promise<string> {
    const { issuer } = this.provider;
    const document = (await this.fetchJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`)) as Record<string, unknown> | null;
    if (document?.issuer !== issuer) throw new Error('the discovery document names another issuer');
    const jwksUri = document.jwks_uri;
    if (typeof jwksUri !== 'string') throw new Error('the discovery document has no jwks_uri');
    let url: URL;
    try {
      url = new URL(jwksUri);
    } catch {
      throw new Error('the discovery document has an invalid jwks_uri');
    }
    // A local test issuer serves its keys over plain http; anything else must come over https.
    const issuerIsLocalHttp = new URL(issuer).protocol === 'http:';
    if (url.protocol !== 'https:' && !(issuerIsLocalHttp && url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new Error('the discovery document names a jwks_uri that is not https');
    }
    return url.toString();
  }

  private async fetchJson(url: string): Promise<unknown> {
    const text = await fetchTextBounded(url, {
      fetch: this.settings.fetch,
      timeoutMs: this.settings.timeoutMs,
      maxBytes: MAX_DOCUMENT_BYTES,
      headers: { Accept: 'application/json', 'User-Agent': 'account-router' },
    });
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`${url} did not answer JSON`, { cause: error });
    }
  }
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isNumericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** `email_verified` (and Apple's other flags) come as a boolean or as the string "true"/"false". */
const claimIsTrue = (value: unknown): boolean => value === true || value === 'true';

const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The nonce rules. The app generates a random nonce, hands the provider its SHA-256 (lower-case hex)
 * and sends us the raw value; the provider copies what it was given into the `nonce` claim. So the
 * claim must equal SHA-256(request nonce): only the app that made the request knows that pre-image,
 * which is what makes a leaked token useless to anyone else. Apple: the nonce is required (a token
 * without a `nonce` claim is refused, whatever `nonce_supported` says). Google: a token without a
 * `nonce` claim is accepted, nonce sent or not (Google Sign-In on iOS cannot set one); a token with
 * one needs the request's nonce to match.
 */
function checkNonce(provider: ResolvedProvider, claim: unknown, nonce: string): IdTokenFailureReason | undefined {
  const tokenNonce = typeof claim === 'string' && claim !== '' ? claim : undefined;
  if (tokenNonce === undefined) return provider.nonceRequired ? 'nonce_required' : undefined;
  if (nonce === '') return 'nonce_required';
  // Clients write the hash in lower-case hex, but nothing stops one from using upper case.
  const hashed = /^[0-9A-Fa-f]{64}$/.test(tokenNonce) && sameString(tokenNonce.toLowerCase(), sha256Hex(nonce));
  if (hashed || (provider.verbatimNonce && sameString(tokenNonce, nonce))) return undefined;
  return 'nonce_mismatch';
}

/** Checks everything but the signature: issuer, audience, times, subject, nonce. */
function checkClaims(provider: ResolvedProvider, claims: Record<string, unknown>, nonce: string, nowSeconds: number): IdTokenFailureReason | undefined {
  if (typeof claims.iss !== 'string' || !provider.issuers.has(claims.iss)) return 'wrong_issuer';
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!audiences.some((aud) => typeof aud === 'string' && provider.clientIds.has(aud))) return 'wrong_audience';
  // A token for several audiences must say which client asked for it (OIDC Core 3.1.3.7): ours.
  if (audiences.length > 1 && !(typeof claims.azp === 'string' && provider.clientIds.has(claims.azp))) return 'wrong_audience';
  if (!isNumericDate(claims.exp) || !isNumericDate(claims.iat)) return 'malformed';
  if (claims.nbf !== undefined && !isNumericDate(claims.nbf)) return 'malformed';
  if (claims.exp <= nowSeconds - CLOCK_SKEW_SECONDS || claims.iat < nowSeconds - MAX_TOKEN_AGE_SECONDS) return 'expired';
  if (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS || (isNumericDate(claims.nbf) && claims.nbf > nowSeconds + CLOCK_SKEW_SECONDS)) return 'not_yet_valid';
  if (typeof claims.sub !== 'string' || claims.sub === '' || claims.sub.length > 255) return 'missing_subject';
  return checkNonce(provider, claims.nonce, nonce);
}

function failure(reason: IdTokenFailureReason, cause?: unknown): IdTokenFailure {
  return cause === undefined ? { ok: false, reason, message: MESSAGES[reason] } : { ok: false, reason, message: MESSAGES[reason], cause };
}

/**
 * Builds the verifier for the configured providers. It keeps each provider's keys in memory for
 * its own lifetime (one verifier per router), so there is no state shared between routers.
 * Throws a TypeError naming the option when `providers` is wrong.
 */
export function createIdTokenVerifier(options: IdTokenVerifierOptions): IdTokenVerifier {
  const providers = resolveProviders(options.providers, options.optionName ?? 'idTokens');
  const settings: KeySettings = {
    // The wall clock only for standalone use (a script, a unit test); the router passes services.now.
    now: options.now ?? (() => new Date()),
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? 5000,
    keysTtlMs: options.keysTtlMs ?? 60 * 60 * 1000,
    refreshIntervalMs: options.refreshIntervalMs ?? 60 * 1000,
  };
  const keySets = new Map([...providers].map(([name, provider]) => [name, new ProviderKeys(provider, settings)]));

  async function verify(providerName: IdTokenProvider, idToken: string, nonce = ''): Promise<IdTokenResult> {
    const provider = providers.get(providerName);
    const keys = keySets.get(providerName);
    if (!provider || !keys) return failure('not_configured');
    if (typeof idToken !== 'string' || idToken.length > MAX_ID_TOKEN_LENGTH) return failure('malformed');
    const parts = idToken.split('.');
    if (parts.length !== 3) return failure('malformed');
    const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
    // An empty signature passes this check so that `alg: none` is refused as such, below.
    if (!SEGMENT.test(headerSegment) || !SEGMENT.test(payloadSegment) || !/^[A-Za-z0-9_-]*$/.test(signatureSegment)) return failure('malformed');
    const header = decodeSegment(headerSegment);
    if (!header) return failure('malformed');
    // The algorithm comes from the key we hold, never from the token alone: `none`, HS256 (an
    // attacker "signing" with our public key as the HMAC secret) and anything else are refused
    // before a key is looked up. `crit` names extensions we do not implement (RFC 7515 §4.1.11).
    const algorithm = header.alg;
    if ((algorithm !== 'RS256' && algorithm !== 'ES256') || header.crit !== undefined) return failure('unsupported_algorithm');
    if (typeof header.kid !== 'string' || header.kid === '' || header.kid.length > 256) return failure('malformed');

    let key: SigningKey | undefined;
    try {
      key = await keys.get(header.kid);
    } catch (error) {
      return failure('provider_unavailable', error instanceof ProviderUnavailable ? (error.cause ?? error) : error);
    }
    if (!key) return failure('unknown_key');
    if (key.algorithm !== algorithm) return failure('unsupported_algorithm');

    const signature = Buffer.from(signatureSegment, 'base64url');
    // JWS ES256 signatures are r‖s, 32 bytes each, not DER.
    if (signature.length === 0 || (algorithm === 'ES256' && signature.length !== 64)) return failure('bad_signature');
    const signed = Buffer.from(`${headerSegment}.${payloadSegment}`, 'ascii');
    const verified = verifySignature('sha256', signed, algorithm === 'ES256' ? { key: key.key, dsaEncoding: 'ieee-p1363' } : key.key, signature);
    if (!verified) return failure('bad_signature');

    // Claims are read only once the signature holds.
    const claims = decodeSegment(payloadSegment);
    if (!claims) return failure('malformed');
    const refused = checkClaims(provider, claims, typeof nonce === 'string' ? nonce : '', Math.floor(settings.now().getTime() / 1000));
    if (refused) return failure(refused);

    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    const name = typeof claims.name === 'string' ? claims.name.trim() : '';
    return {
      ok: true,
      token: {
        provider: providerName,
        providerUid: claims.sub as string,
        ...(email ? { email } : {}),
        emailVerified: email !== '' && claimIsTrue(claims.email_verified),
        ...(name ? { name } : {}),
        claims,
      },
    };
  }

  return { providers: [...providers.keys()], verify };
}
