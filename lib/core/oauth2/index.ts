// OAuth2 sign-in: the start of the dance, the callback hop and the redirect route that exchanges
// the code and resolves the account. The Passport instance is the router's (services.oauth2).
import type { SessionRecord, UserRecord } from '../../../adapters/types';
import { AccountError } from '../../errors';
import type { OAuth2ProviderOptions } from '../../options';
import type { Caller, RequestInfo, Services } from '../../route';
import { mountPath } from '../../http';
import { isAllowedRedirect } from '../redirects';
import { createSession } from '../sessions';
import { issueToken, linkWith, newSecret } from '../tokens';
import { enabledSettings, PROVIDERS, type ProfileInfo, type ProviderDefinition } from './providers';
import { consumeState, decodeState, newStateId, type OAuth2Request, type StatePayload } from './state';
import type { ExchangeResult } from './strategy';
import { ProviderHttpError } from './errors';
import { signHs256 } from '../jwt';
import { resolveAccount, upsertIdentity } from './accounts';

export { PROVIDERS, PROVIDER_KEYS, enabledSettings, type ProviderDefinition, type ProfileInfo } from './providers';
export { revealIdentity } from './accounts';

/** The external base URL of the mounted API: the option, else scheme://host + mount path of this request. */
export function publicBaseUrl(services: Services, request: RequestInfo): string {
  if (services.config.oauth2.publicUrl) return services.config.oauth2.publicUrl;
  return `${request.secure ? 'https' : 'http'}://${request.host}${mountPath(request.raw)}`;
}

export function callbackUrl(services: Services, request: RequestInfo, provider: string): string {
  return `${publicBaseUrl(services, request)}/account/sessions/oauth2/callback/${encodeURIComponent(provider)}/${encodeURIComponent(services.config.projectId)}`;
}

function providerOrThrow(services: Services, key: string): { def: ProviderDefinition; settings: OAuth2ProviderOptions } {
  const def = PROVIDERS.get(key);
  if (!def) throw new AccountError('project_provider_unsupported');
  const settings = enabledSettings(services.config.oauth2.providers, key);
  if (!settings) throw new AccountError('project_provider_disabled');
  return { def, settings };
}

/** Where the browser goes after success when the app names no URL: the API host's root. */
function defaultSuccess(services: Services, request: RequestInfo): string {
  return `${new URL(publicBaseUrl(services, request)).origin}/`;
}

export interface StartParams {
  provider: string;
  success: string | undefined;
  failure: string | undefined;
  scopes: string[] | undefined;
}

/** GET /account/sessions/oauth2/:provider and /account/tokens/oauth2/:provider: the authorization URL. */
export async function startOAuth2(services: Services, request: RequestInfo, params: StartParams, token: boolean): Promise<{ redirect: string }> {
  const { def, settings } = providerOrThrow(services, params.provider);
  const runtime = services.oauth2;
  try {
    await runtime.strategy(def, settings);
  } catch (error) {
    services.config.logger.error('account-router: OAuth2 provider set-up failed', { provider: def.key, error: String(error) });
    throw new AccountError('general_server_error');
  }
  const success = params.success ?? defaultSuccess(services, request);
  const state: Omit<StatePayload, 'exp'> = { id: newStateId(), provider: def.key, success, failure: params.failure ?? '', token };
  const scope = [...new Set([...def.scopes, ...(params.scopes ?? [])])];
  const req: OAuth2Request = { query: {}, body: {}, headers: request.raw.headers, url: request.raw.url ?? '/', method: 'GET' };
  const outcome = await runtime.run(def.key, req, { callbackURL: callbackUrl(services, request, def.key), scope, state });
  if (outcome.kind !== 'redirect') {
    services.config.logger.error('account-router: OAuth2 start failed', { provider: def.key, error: outcome.kind === 'error' ? String(outcome.error) : outcome.kind });
    throw new AccountError('general_server_error');
  }
  return { redirect: outcome.url };
}

export interface CallbackParams {
  provider: string;
  projectId: string;
  [name: string]: unknown;
}

/** The provider's callback hop: everything it sent, re-targeted at the redirect route (spec §7.2). */
export function callbackRedirect(services: Services, request: RequestInfo, params: CallbackParams): { redirect: string } {
  if (params.projectId !== services.config.projectId) throw new AccountError('project_not_found');
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (name === 'provider' || name === 'projectId' || name === 'project') continue;
    if (typeof value === 'string') query.set(name, value);
    else if (value !== null && typeof value === 'object') query.set(name, JSON.stringify(value));
  }
  query.set('project', services.config.projectId);
  return { redirect: `${publicBaseUrl(services, request)}/account/sessions/oauth2/${encodeURIComponent(params.provider)}/redirect?${query}` };
}

export interface RedirectParams {
  provider: string;
  code: string | undefined;
  state: string | undefined;
  error: string | undefined;
  error_description: string | undefined;
  user: string | undefined;
}

function failureLink(failure: string, error: AccountError): string {
  return linkWith(failure, { error: JSON.stringify({ message: error.message, type: error.type, code: error.code }) });
}

/** Maps what Passport / node-oauth report to Appwrite's OAuth2 error types. */
function exchangeError(error: unknown): AccountError {
  if (error instanceof AccountError) return error;
  const e = error as { name?: string; code?: string; statusCode?: number; oauthError?: { statusCode?: number }; message?: string };
  if (error instanceof ProviderHttpError) {
    if (error.status === 400) return new AccountError('user_oauth2_bad_request');
    if (error.status === 401 || error.status === 403) return new AccountError('user_oauth2_unauthorized');
    return new AccountError('user_oauth2_provider_error');
  }
  if (e?.name === 'TokenError') {
    return e.code === 'invalid_client' ? new AccountError('user_oauth2_unauthorized') : new AccountError('user_oauth2_bad_request');
  }
  const status = e?.oauthError?.statusCode ?? e?.statusCode;
  if (status === 400) return new AccountError('user_oauth2_bad_request');
  if (status === 401 || status === 403) return new AccountError('user_oauth2_unauthorized');
  return new AccountError('user_oauth2_provider_error');
}

/** Where the redirect route sends the browser, the account it acted for, and the session it started. */
export interface OAuth2Outcome {
  redirect: string;
  /** Null when the flow failed before the account was known. */
  user: UserRecord | null;
  /** The new session (the session variant); the caller's own session, if any, is gone. */
  signIn?: { session: SessionRecord; secret: string };
}

/**
 * GET /account/sessions/oauth2/:provider/redirect: checks the state, exchanges the code through
 * Passport, resolves the account (spec §7.4), then starts a session or issues an OAuth2 token.
 * Every failure after the state check is a 301 to the failure URL with `?error={…}`.
 */
export async function finishOAuth2(services: Services, request: RequestInfo, caller: Caller | null, params: RedirectParams): Promise<OAuth2Outcome> {
  const payload = decodeState(services, params.state);
  if (!payload || payload.provider !== params.provider) {
    // No failure URL can be trusted from a state that does not verify.
    throw new AccountError('general_argument_invalid', 'Invalid `state` param: the OAuth2 state is missing or was tampered with.');
  }
  // Re-checked against the current allow-list (it may have changed since the state was signed).
  if (payload.success !== defaultSuccess(services, request) && !isAllowedRedirect(payload.success, services.config.allowedHosts)) throw new AccountError('project_invalid_success_url');
  if (payload.failure && !isAllowedRedirect(payload.failure, services.config.allowedHosts)) throw new AccountError('project_invalid_failure_url');
  let user: UserRecord | null = null;
  try {
    const { profile, tokens } = await exchange(services, request, params, payload);
    const resolved = await resolveAccount(services, caller, params.provider, profile);
    if (!resolved.status) throw new AccountError('user_blocked');
    const expiry = tokens.expiresIn ? new Date(services.now().getTime() + tokens.expiresIn * 1000) : null;
    await upsertIdentity(services, resolved, params.provider, profile, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessTokenExpiry: expiry });
    user = resolved;
    if (payload.token) {
      const secret = newSecret.magicLink();
      const token = await issueToken(services, {
        userId: user.id,
        type: 'oauth2',
        secret,
        lifetimeMs: services.config.session.durationSeconds * 1000,
        provider: params.provider,
      });
      const wrapped = signHs256(services.jwtKey, { secret, provider: params.provider, exp: Math.floor(services.now().getTime() / 1000) + 60 });
      return { redirect: linkWith(payload.success, { userId: token.userId, secret: wrapped }), user };
    }
    const signIn = await createSession(services, request, {
      user,
      provider: params.provider,
      providerUid: profile.id,
      factors: ['email', 'oauth2'],
      providerAccessToken: tokens.accessToken,
      providerRefreshToken: tokens.refreshToken,
      providerAccessTokenExpiry: expiry,
    });
    // A signed-in caller (e.g. anonymous) continues in the new session; the old one goes.
    if (caller?.via === 'session') await services.storage.sessions.delete(caller.session.id);
    return { redirect: payload.success, user, signIn };
  } catch (error) {
    const accountError = error instanceof AccountError ? error : exchangeError(error);
    if (!(error instanceof AccountError) && !(error instanceof ProviderHttpError)) {
      services.config.logger.warn('account-router: OAuth2 sign-in failed', { provider: params.provider, error: String(error) });
    }
    if (payload.failure) return { redirect: failureLink(payload.failure, accountError), user };
    throw accountError;
  }
}

async function exchange(services: Services, request: RequestInfo, params: RedirectParams, payload: StatePayload): Promise<{ profile: ProfileInfo; tokens: ExchangeResult }> {
  const consumed = await consumeState(services, payload);
  if (!consumed.ok) throw new AccountError('general_bad_request', `The OAuth2 state has ${consumed.reason === 'expired' ? 'expired' : 'already been used'}. Please sign in again.`);
  const { def, settings } = providerOrThrow(services, params.provider);
  if (params.error) throw new AccountError('user_oauth2_provider_error', `OAuth2 provider returned an error: ${params.error}${params.error_description ? ` (${params.error_description})` : ''}`);
  if (!params.code) throw new AccountError('user_oauth2_provider_error', 'OAuth2 provider returned no code.');
  const runtime = services.oauth2;
  await runtime.strategy(def, settings);
  const req: OAuth2Request = {
    query: { code: params.code, state: params.state },
    body: {},
    headers: request.raw.headers,
    url: request.raw.url ?? '/',
    method: 'GET',
    oauth2State: { payload },
  };
  const outcome = await runtime.run(def.key, req, { callbackURL: callbackUrl(services, request, def.key), stateId: payload.id });
  if (outcome.kind === 'error') throw exchangeError(outcome.error);
  if (outcome.kind !== 'success') throw new AccountError('user_oauth2_provider_error', outcome.kind === 'fail' ? outcome.message : undefined);
  const profile = { ...outcome.user.profile, email: outcome.user.profile.email.trim().toLowerCase() };
  if (def.key === 'apple' && !profile.name && params.user) profile.name = appleName(params.user);
  if (!profile.id) throw new AccountError('user_missing_id');
  return { profile, tokens: outcome.user };
}

/** Apple posts the name once, as JSON `{"name":{"firstName","lastName"}}` in the `user` field. */
function appleName(user: string): string {
  try {
    const name = (JSON.parse(user) as { name?: { firstName?: unknown; lastName?: unknown } } | null)?.name;
    // Strings only: joining a nested array would walk it recursively, however deep it is.
    return [name?.firstName, name?.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
  } catch {
    return '';
  }
}

/**
 * PATCH /account/sessions/:id for an OAuth2 session with a refresh token: a refresh_token grant at
 * the provider's token endpoint; returns the new tokens, or null when the session is not OAuth2.
 */
export async function refreshProviderTokens(
  services: Services,
  session: { provider: string; providerRefreshToken: string; userId?: string; providerUid?: string },
): Promise<{ providerAccessToken: string; providerRefreshToken: string; providerAccessTokenExpiry: Date | null } | null> {
  const def = PROVIDERS.get(session.provider);
  if (!def || !session.providerRefreshToken) return null;
  const settings = enabledSettings(services.config.oauth2.providers, def.key);
  if (!settings) return null;
  const built = await services.oauth2.strategy(def, settings);
  const oauth2 = (built.strategy as unknown as { _oauth2: { getOAuthAccessToken(code: string, params: Record<string, string>, cb: (err: unknown, access: string, refresh: string, result: Record<string, unknown>) => void): void } })._oauth2;
  const result = await new Promise<{ access: string; refresh: string; params: Record<string, unknown> }>((resolve, reject) =>
    oauth2.getOAuthAccessToken(session.providerRefreshToken, { grant_type: 'refresh_token' }, (err, access, refresh, params) =>
      err ? reject(err) : resolve({ access, refresh, params }),
    ),
  ).catch((error: unknown) => {
    throw exchangeError(error);
  });
  const expiresIn = Number(result.params.expires_in);
  const tokens = {
    providerAccessToken: result.access,
    providerRefreshToken: result.refresh || session.providerRefreshToken,
    providerAccessTokenExpiry: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(services.now().getTime() + expiresIn * 1000) : null,
  };
  // The identity keeps the newest tokens too (encrypted).
  const identity = session.providerUid ? await services.storage.identities.getByProviderUid(def.key, session.providerUid) : null;
  if (identity && identity.userId === session.userId) {
    await services.storage.identities.update(identity.id, {
      providerAccessToken: services.box.seal(tokens.providerAccessToken),
      providerRefreshToken: services.box.seal(tokens.providerRefreshToken),
      providerAccessTokenExpiry: tokens.providerAccessTokenExpiry,
      updatedAt: services.now(),
    });
  }
  return tokens;
}
