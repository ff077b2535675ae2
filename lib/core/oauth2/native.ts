// Native sign-in with a provider's ID token (POST /account/sessions/id-token): the app signed the
// user in with Google or Apple itself and hands us the ID token. Once core/id-token.ts has verified
// it, the account is resolved exactly as the browser flow's callback resolves it (accounts.ts) and
// a session starts; with a caller, the identity is linked to the caller's account instead.
import type { SessionRecord, UserRecord } from '../../../adapters/types';
import { AccountError } from '../../errors';
import type { Caller, RequestInfo, Services } from '../../route';
import { ID_TOKEN_PROVIDERS, idTokenError, type IdTokenProvider } from '../id-token';
import { createSession } from '../sessions';
import { resolveAccount, upsertIdentity } from './accounts';
import type { ProfileInfo } from './providers';

export interface IdTokenSignIn {
  /** An OAuth2 provider key; only Google and Apple issue tokens we verify. */
  provider: string;
  idToken: string;
  /** The raw nonce the app hashed into its token request; '' when none. */
  nonce: string;
  /** A provider access token the app got alongside, kept on the session and identity; '' when none. */
  accessToken: string;
  /** Its lifetime in seconds as the provider reported it; 0 when unknown. */
  accessTokenExpiry: number;
  /** The user's name when the token has none (Apple sends it to the app once, never in the token). */
  name: string;
}

/**
 * Verifies the token (400 project_provider_unsupported for a provider without native sign-in,
 * 412 project_provider_disabled for one not configured, 401 user_oauth2_token_invalid naming the
 * failed check, 424 when the provider's keys cannot be had), resolves the account (409
 * user_already_exists when the identity or its email belongs to someone other than the caller),
 * keeps the token on the identity and starts a session with the factors `email` and `oauth2`. A
 * caller's own session is replaced by the new one.
 */
export async function signInWithIdToken(
  services: Services,
  request: RequestInfo,
  caller: Caller | null,
  params: IdTokenSignIn,
): Promise<{ user: UserRecord; session: SessionRecord; secret: string }> {
  if (!(ID_TOKEN_PROVIDERS as readonly string[]).includes(params.provider)) {
    throw new AccountError('project_provider_unsupported', 'This provider does not support ID token sign-in.');
  }
  const provider = params.provider as IdTokenProvider;
  const verified = await services.idTokens.verify(provider, params.idToken, params.nonce);
  if (!verified.ok) {
    if (verified.reason === 'provider_unavailable') {
      services.config.logger.warn('account-router: the ID-token provider keys could not be fetched', { provider, error: String(verified.cause) });
    }
    throw idTokenError(verified);
  }
  const { token } = verified;
  const profile: ProfileInfo = { id: token.providerUid, email: token.email ?? '', name: token.name ?? params.name, verified: token.emailVerified };
  const user = await resolveAccount(services, caller, provider, profile);
  if (!user.status) throw new AccountError('user_blocked');
  // The provider's lifetime becomes a date, as the browser flow's expires_in does; unknown stays null.
  const accessTokenExpiry = params.accessToken && params.accessTokenExpiry > 0 ? new Date(services.now().getTime() + params.accessTokenExpiry * 1000) : null;
  // A native sign-in usually brings no access token: the stored one is then left as it is.
  const access = params.accessToken ? { accessToken: params.accessToken, accessTokenExpiry } : {};
  await upsertIdentity(services, user, provider, profile, { idToken: params.idToken, ...access });
  const { session, secret } = await createSession(services, request, {
    user,
    provider,
    providerUid: token.providerUid,
    // Two factors, as Appwrite: the provider vouched for the person (its own MFA included).
    factors: ['email', 'oauth2'],
    providerAccessToken: params.accessToken,
    providerAccessTokenExpiry: accessTokenExpiry,
  });
  // The caller continues in the new session (an anonymous one upgraded, say); the old one goes.
  if (caller?.via === 'session') await services.storage.sessions.delete(caller.session.id);
  return { user, session, secret };
}
