// Passport strategies: one generic passport-oauth2 subclass driven by the provider table, a small
// Apple variant (ES256 client-secret JWT, form_post, profile from the id_token) and OIDC discovery.
import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import OAuth2Strategy from 'passport-oauth2';
import type { OAuth2ProviderOptions } from '../../options';
import type { FetchJson, Json, ProfileInfo, ProviderDefinition, ProviderEndpoints } from './providers';
import type { PassportStateStore } from './state';
import { ProviderHttpError } from './errors';

export { ProviderHttpError };

const FETCH_TIMEOUT_MS = 10_000;

/** What a completed code exchange yields. */
export interface ExchangeResult {
  accessToken: string;
  refreshToken: string;
  /** Seconds, from the token response, or null. */
  expiresIn: number | null;
  profile: ProfileInfo;
}


function bearerFetch(accessToken: string, scheme: string, extraHeaders: Record<string, string>): FetchJson {
  return async (url, init = {}) => {
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { Accept: 'application/json', Authorization: `${scheme} ${accessToken}`, 'User-Agent': 'account-router', ...extraHeaders, ...init.headers },
      body: init.body,
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new ProviderHttpError(response.status, `profile request failed with HTTP ${response.status}`);
    return (await response.json()) as Json;
  };
}

/** The raw profile per the provider table (GET with the access token, or the provider's own fetch). */
export async function fetchRawProfile(def: ProviderDefinition, endpoints: ProviderEndpoints, settings: OAuth2ProviderOptions, accessToken: string): Promise<Json> {
  const fetchJson = bearerFetch(accessToken, def.authScheme ?? 'Bearer', def.profileHeaders?.(settings) ?? {});
  if (def.fetchProfile) return def.fetchProfile(fetchJson, endpoints, settings, accessToken);
  return fetchJson(endpoints.profile, { method: def.profileMethod ?? 'GET' });
}

export type Verify = (accessToken: string, refreshToken: string, params: Json, profile: Json, done: (err: Error | null, user?: ExchangeResult) => void) => void;

export interface StrategyInit {
  def: ProviderDefinition;
  settings: OAuth2ProviderOptions;
  endpoints: ProviderEndpoints;
  store: PassportStateStore;
  /** The PKCE verifier of a state id (derived server-side, see state.ts). */
  verifierFor(stateId: string): string;
}

/** One passport-oauth2 strategy for every provider of the table that speaks plain OAuth2. */
export class GenericOAuth2Strategy extends OAuth2Strategy {
  protected readonly init: StrategyInit;

  constructor(init: StrategyInit, clientSecret = init.settings.clientSecret) {
    const { def, settings, endpoints, store } = init;
    const basic = def.tokenAuth === 'basic' ? { Authorization: `Basic ${Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}` } : undefined;
    const verify: Verify = (accessToken, refreshToken, params, profile, done) => {
      try {
        const raw = def.profileFromIdToken ? idTokenClaims(params.id_token) : profile;
        const expires = Number(params.expires_in);
        done(null, { accessToken, refreshToken: refreshToken ?? '', expiresIn: Number.isFinite(expires) && expires > 0 ? expires : null, profile: def.read(raw) });
      } catch (error) {
        done(error as Error);
      }
    };
    super(
      {
        authorizationURL: endpoints.authorize,
        tokenURL: endpoints.token,
        clientID: settings.clientId,
        clientSecret,
        scope: [...def.scopes],
        scopeSeparator: def.scopeSeparator ?? ' ',
        // PKCE is added here (authorizationParams/tokenParams) with a verifier derived from the state id.
        pkce: false,
        store: store as never,
        skipUserProfile: def.profileFromIdToken === true,
        customHeaders: basic,
      } as never,
      verify as never,
    );
    this.name = def.key;
    this.init = init;
    // GitHub and others answer the token request with a form body unless JSON is asked for.
    (this._oauth2 as unknown as { _customHeaders: Record<string, string> })._customHeaders = { Accept: 'application/json', ...(basic ?? {}) };
    if (def.tokenAuth === 'basic') {
      // With HTTP Basic the secret must not also travel in the form body.
      const oauth2 = this._oauth2 as unknown as { getOAuthAccessToken: (code: string, params: Json, cb: unknown) => void; _clientSecret: string };
      const original = oauth2.getOAuthAccessToken.bind(oauth2);
      oauth2.getOAuthAccessToken = (code, params, cb) => {
        const saved = oauth2._clientSecret;
        oauth2._clientSecret = '';
        try {
          original(code, params, cb);
        } finally {
          oauth2._clientSecret = saved;
        }
      };
    }
  }

  override authorizationParams(options: { state?: { id?: string } }): object {
    const params: Record<string, string> = { ...(this.init.def.authParams ?? {}) };
    const id = options.state?.id;
    if (this.init.def.pkce && id) {
      params.code_challenge = createHash('sha256').update(this.init.verifierFor(id)).digest('base64url');
      params.code_challenge_method = 'S256';
    }
    return params;
  }

  override tokenParams(options: { stateId?: string }): object {
    return this.init.def.pkce && options.stateId ? { code_verifier: this.init.verifierFor(options.stateId) } : {};
  }

  override userProfile(accessToken: string, done: (err?: unknown, profile?: Json) => void): void {
    fetchRawProfile(this.init.def, this.init.endpoints, this.init.settings, accessToken).then(
      (profile) => done(null, profile),
      (error: unknown) => done(error),
    );
  }
}

function idTokenClaims(idToken: unknown): Json {
  if (typeof idToken !== 'string') return {};
  const claims = jwt.decode(idToken);
  return claims && typeof claims === 'object' ? (claims as Json) : {};
}

/** Apple's client secret: an ES256 JWT signed with the team's key, valid for a few minutes. */
export function appleClientSecret(settings: OAuth2ProviderOptions): string {
  // The wall clock, not the router's: Apple checks iat and exp against its own.
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ iss: settings.teamId, iat: now, exp: now + 300, aud: 'https://appleid.apple.com', sub: settings.clientId }, settings.privateKey!.replace(/\\n/g, '\n'), {
    algorithm: 'ES256',
    keyid: settings.keyId,
    noTimestamp: true,
  });
}

/**
 * Sign in with Apple: the generic flow plus a fresh ES256 client secret for each code exchange,
 * `response_mode=form_post` (the callback is a POST) and the profile from the id_token.
 */
export class AppleStrategy extends GenericOAuth2Strategy {
  constructor(init: StrategyInit) {
    super(init, 'unused');
  }

  override authenticate(req: never, options?: object): void {
    const query = (req as { query?: Json; body?: Json }).query ?? {};
    const body = (req as { body?: Json }).body ?? {};
    if (query.code || body.code) {
      (this._oauth2 as unknown as { _clientSecret: string })._clientSecret = appleClientSecret(this.init.settings);
    }
    super.authenticate(req, options);
  }
}

/** OIDC discovery: `<issuer>/.well-known/openid-configuration`, unless the endpoints are configured. */
export async function discoverOidc(settings: OAuth2ProviderOptions): Promise<ProviderEndpoints> {
  if (settings.authorizationEndpoint && settings.tokenEndpoint && settings.userinfoEndpoint) {
    return { authorize: settings.authorizationEndpoint, token: settings.tokenEndpoint, profile: settings.userinfoEndpoint };
  }
  const issuer = (settings.issuer ?? '').replace(/\/+$/, '');
  const wellKnown = settings.wellKnownEndpoint ?? `${issuer}/.well-known/openid-configuration`;
  const response = await fetch(wellKnown, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`OIDC discovery failed: HTTP ${response.status} from ${wellKnown}`);
  const doc = (await response.json()) as Json;
  const pick = (name: string) => (typeof doc[name] === 'string' ? (doc[name] as string) : '');
  const endpoints = {
    authorize: settings.authorizationEndpoint ?? pick('authorization_endpoint'),
    token: settings.tokenEndpoint ?? pick('token_endpoint'),
    profile: settings.userinfoEndpoint ?? pick('userinfo_endpoint'),
  };
  if (!endpoints.authorize || !endpoints.token || !endpoints.profile) throw new Error(`OIDC discovery document at ${wellKnown} lacks an endpoint`);
  return endpoints;
}
