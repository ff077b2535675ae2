// The one error table (wire type → HTTP status + default message) and the one error class.
// Throw sites name a type; the status always comes from this table.

/** The server version reported in error bodies: the Appwrite release whose wire format we follow. */
export const API_VERSION = '1.9.6';

export const ERRORS = {
  general_argument_invalid: [400, 'The request contains one or more invalid arguments. Please refer to the endpoint documentation.'],
  general_bad_request: [400, 'There was an error processing your request. Please check the inputs and try again.'],
  general_query_invalid: [400, 'The query is invalid. Please check the query syntax and try again.'],
  general_invalid_email: [400, 'Value must be a valid email address.'],
  general_invalid_phone: [400, "Value must be a valid phone number. Format this number with a leading '+' and a country code, e.g., +16175551212."],
  general_cursor_not_found: [400, 'The cursor is invalid. This can happen if the item represented by the cursor has been deleted.'],
  general_unauthorized_scope: [401, 'The current user or API key does not have the required scopes to access the requested resource.'],
  general_unknown_origin: [403, 'The request originated from an unknown origin. If you trust this domain, add it to allowedHosts (web) or platforms (native apps).'],
  general_route_not_found: [404, 'The requested route was not found. Please refer to the API docs and try again.'],
  general_payload_too_large: [413, 'The request body is larger than the server accepts.'],
  general_rate_limit_exceeded: [429, 'Rate limit for the current endpoint has been exceeded. Please try again after some time.'],
  general_server_error: [500, 'An internal server error occurred.'],
  general_unknown: [500, 'Server Error'],
  general_smtp_disabled: [503, 'SMTP is disabled on the server. Please configure a mailer to send emails.'],
  general_phone_disabled: [503, 'Phone provider is not configured. Please configure an SMS provider to send text messages.'],
  project_key_expired: [401, 'The API key has expired. Create a new one with router.admin.apiKeys.create().'],
  project_not_found: [404, 'Project with the requested ID could not be found. Please check the value of the X-Appwrite-Project header to ensure the correct project ID is being used.'],
  project_provider_disabled: [412, 'The chosen OAuth provider is disabled. You can enable the OAuth provider in the router options.'],
  project_provider_unsupported: [400, 'The chosen OAuth provider is unsupported.'],
  project_invalid_success_url: [400, 'Invalid redirect URL for OAuth success.'],
  project_invalid_failure_url: [400, 'Invalid redirect URL for OAuth failure.'],
  user_already_exists: [409, 'A user with the same id, email, or phone already exists in this project.'],
  user_email_already_exists: [409, 'A user with the same email already exists in the current project.'],
  user_phone_already_exists: [409, 'A user with the same phone number already exists in the current project.'],
  user_target_already_exists: [409, 'A target with the same ID already exists.'],
  user_invalid_credentials: [401, 'Invalid credentials. Please check the email and password.'],
  user_blocked: [401, 'The current user has been blocked.'],
  user_invalid_token: [401, 'Invalid token passed in the request.'],
  user_jwt_invalid: [401, 'Failed to verify JWT. Invalid token passed in the request.'],
  user_jwt_and_cookie_set: [403, 'Only one authentication method is allowed: send either a session or a JWT, not both.'],
  user_jwt_creation_denied: [403, 'A JWT cannot be created from a request authorized with a JWT. Authenticate with a session cookie or session header instead.'],
  user_session_not_found: [404, 'The current user session could not be found.'],
  user_session_already_exists: [401, 'Creation of a session is prohibited when a session is active.'],
  user_not_found: [404, 'User with the requested ID could not be found.'],
  user_label_missing: [403, 'The current user does not carry a label this resource requires.'],
  user_unauthorized: [401, 'The current user is not authorized to perform the requested action.'],
  user_identity_not_found: [404, 'The identity could not be found. Please sign in with OAuth provider to create identity first.'],
  user_target_not_found: [404, 'The target could not be found.'],
  user_email_not_found: [400, 'Email address is not set for the current user.'],
  user_email_already_verified: [409, 'The email address of the current user is already verified.'],
  user_email_not_verified: [400, 'The email address of the current user is not verified.'],
  user_phone_not_found: [400, 'Phone number is not set for the current user.'],
  user_phone_already_verified: [409, 'The phone number of the current user is already verified.'],
  user_phone_not_verified: [400, 'The phone number of the current user is not verified.'],
  user_count_exceeded: [400, 'The current project has exceeded the maximum number of users.'],
  user_password_mismatch: [400, 'Passwords do not match. Please check the password and confirm password.'],
  password_recently_used: [400, 'The password you are trying to use has been used recently. Please choose another one.'],
  password_pwned: [400, 'The password you are trying to use has appeared in a known data breach. For your security, please choose a different password.'],
  user_password_reset_required: [412, 'The current user requires a password reset.'],
  password_personal_data: [400, 'The password you are trying to use contains references to your name, email, phone or userID. Please choose another one.'],
  user_auth_method_unsupported: [501, 'The requested authentication method is either disabled or unsupported. Please check the router options.'],
  user_more_factors_required: [401, 'More factors are required to complete the sign in process.'],
  user_challenge_required: [401, 'A recently successful challenge is required to complete this action. A challenge is considered recent for 30 minutes.'],
  user_authenticator_not_found: [404, 'Authenticator could not be found on the current user.'],
  user_authenticator_already_verified: [409, 'The authenticator is already verified.'],
  user_recovery_codes_already_exists: [409, 'The current user already generated recovery codes and they can only be read once for security reasons.'],
  user_recovery_codes_not_found: [404, 'The current user has not generated recovery codes yet.'],
  user_missing_id: [400, 'Missing ID from OAuth2 provider.'],
  user_oauth2_bad_request: [400, 'OAuth2 provider rejected the bad request.'],
  user_oauth2_unauthorized: [401, 'OAuth2 provider rejected the unauthorized request.'],
  user_oauth2_provider_error: [424, 'OAuth2 provider returned some error.'],
  app_not_found: [404, 'The OAuth2 application could not be found.'],
  app_already_exists: [409, 'An OAuth2 application with the same ID already exists.'],
  oauth2_consent_not_found: [404, 'The OAuth2 consent could not be found.'],
  oauth2_consent_token_not_found: [404, 'The OAuth2 consent token could not be found.'],
  user_oauth2_token_invalid: [401, 'The OAuth2 ID token failed verification.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorType = keyof typeof ERRORS;

/** Every error the router answers with: renders as Appwrite's `{message, code, type, version}`. */
export class AccountError extends Error {
  readonly type: ErrorType;
  readonly code: number;

  constructor(type: ErrorType, message?: string, options?: { cause?: unknown }) {
    const [code, defaultMessage] = ERRORS[type];
    super(message ?? defaultMessage, options);
    this.name = 'AccountError';
    this.type = type;
    this.code = code;
  }

  toJSON(): { message: string; code: number; type: ErrorType; version: string } {
    return { message: this.message, code: this.code, type: this.type, version: API_VERSION };
  }
}
