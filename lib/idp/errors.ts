// The authorization server's one error table and class: OAuth errors answer as RFC 6749 bodies
// `{error, error_description}`, never as Appwrite's, and the status lives here, not at the throw site.
import { AccountError } from '../errors';

export const OAUTH_ERRORS = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  /** RFC 8707: a resource indicator the server will not issue a token for. */
  invalid_target: 400,
  /** RFC 6750: a missing, expired, revoked or foreign access token. */
  invalid_token: 401,
  insufficient_scope: 403,
  /** RFC 7591. */
  invalid_client_metadata: 400,
  invalid_redirect_uri: 400,
  access_denied: 403,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  not_found: 404,
  temporarily_unavailable: 503,
  server_error: 500,
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;

/** Every error of the authorization server's routes. */
export class OAuthError extends Error {
  readonly status: number;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    options?: { status?: number; cause?: unknown },
  ) {
    super(description, options);
    this.name = 'OAuthError';
    this.status = options?.status ?? OAUTH_ERRORS[error];
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

/**
 * What a refusal from the shared pipeline (the gate, parameter rules) says on an OAuth route: a
 * bad parameter is `invalid_request`, a limit keeps its 429, anything unexpected is `server_error`.
 */
export function asOAuthError(error: unknown): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (!(error instanceof AccountError)) return undefined;
  if (error.code === 429) return new OAuthError('temporarily_unavailable', error.message, { status: 429 });
  if (error.code === 413) return new OAuthError('invalid_request', error.message, { status: 413 });
  if (error.code === 404) return new OAuthError('not_found', error.message);
  if (error.code === 403) return new OAuthError('access_denied', error.message);
  if (error.code === 401) return new OAuthError('login_required', error.message, { status: 401 });
  if (error.code >= 400 && error.code < 500) return new OAuthError('invalid_request', error.message);
  return undefined;
}
