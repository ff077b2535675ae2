// Public options (every field optional, defaults documented) and the resolved internal config.
import type { StorageAdapter, UserRecord } from '../adapters/types';
import type { RateLimitStoreFactory } from './core/rate-limit';
import { createPwnedPasswordCheck, type PwnedPasswordCheck, type PwnedPasswordLookup } from './core/pwned-passwords';
import {
  availableLocales,
  normalizeLocale,
  normalizeProvider,
  type Mailer,
  type MailerOption,
  type MessageTemplates,
  type SmsOption,
  type SmsSender,
} from './core/messaging';
import { E164 } from './params';
import { resolveIdentityProvider, type ResolvedIdentityProvider } from './idp/options';
import { APP_ID, parseOrigin } from './core/origins';
import { resolveStaticApiKeys, type StaticApiKey } from './core/api-keys';
import { compileTrustProxy, type TrustProxy, type TrustProxyFn } from './http';

/** The session cookie, and the `X-Fallback-Cookies` header that stands in for it across sites. */
export interface CookieOptions {
  /**
   * SameSite of the session cookie. `none` is what cross-site front ends need (and browsers then
   * require HTTPS); with `none` a second `<name>_legacy` cookie without SameSite is also set, as
   * Appwrite does, for clients that reject SameSite=None.
   * @default 'lax' — safe against cross-site request forgery, and enough for same-site apps.
   */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Domain attribute. @default undefined — a host-only cookie, the narrowest scope. */
  domain?: string;
  /** Secure attribute: `auto` sets it when the request arrived over HTTPS. @default 'auto' */
  secure?: 'auto' | boolean;
  /**
   * Send the session in the `X-Fallback-Cookies` response header when the caller's origin is
   * not the API's host (how the web SDK keeps a session when third-party cookies are blocked).
   * The header exposes the session to page scripts; switch it off when every client is same-site.
   * @default true
   */
  fallbackHeader?: boolean;
}

/** Session lifetime and how many sessions a user may keep. */
export interface SessionOptions {
  /** Session lifetime in seconds (5 – 31 536 000). @default 31536000 (one year, as Appwrite) */
  durationSeconds?: number;
  /** Active sessions per user; creating one more deletes the oldest. 0 = unlimited. @default 10 */
  maxPerUser?: number;
  /** A password change signs out the user's other sessions (the caller's stays). @default true */
  invalidateOnPasswordChange?: boolean;
}

/** Appwrite's per-route rate limits and where their counters live. */
export interface RateLimitOptions {
  /** `false` switches every limit off. @default true */
  enabled?: boolean;
  /**
   * Builds the counter store of one limiter (any express-rate-limit `Store`); `prefix` is unique
   * per route and key. @default counters in the storage adapter, shared by every process on it
   */
  store?: RateLimitStoreFactory;
}

/**
 * How passwords are hashed, and the policies new passwords must meet: Appwrite's project password
 * settings, each applied on every route that sets a new password (sign-up, password change,
 * recovery, and the first password an anonymous or passwordless account sets with its new email
 * or phone). Refusals are 400s.
 */
export interface PasswordOptions {
  /**
   * bcrypt cost factor (4–15). Each step doubles the time per hash.
   * @default 10 — ≈ 50 ms per hash on one core of the reference machine (docs/passwords.md).
   */
  bcryptCost?: number;
  /** Minimum length in bytes, 8–256. @default 8 */
  minLength?: number;
  /** Require an uppercase letter (any script). @default false */
  uppercase?: boolean;
  /** Require a lowercase letter (any script). @default false */
  lowercase?: boolean;
  /** Require a digit. @default false */
  number?: boolean;
  /** Require a symbol: a character that is not a letter, a digit or white space. @default false */
  symbols?: boolean;
  /** Refuse the 10,000 most common passwords (zxcvbn's ranked list), compared verbatim. @default false */
  dictionary?: boolean;
  /**
   * A new password must differ from the account's last `history` passwords, the current one
   * included (400 `password_recently_used`); 0 = off. At most 20 (Appwrite 1.5–1.8's limit, not
   * 1.9's 5,000): each entry costs one bcrypt check when the password changes. Hashes are kept
   * only while this is on. @default 0
   */
  history?: number;
  /**
   * Refuse a password containing, case-insensitively, the user's id, email, email local part,
   * name or phone (with or without `+`): 400 `password_personal_data`. @default false
   */
  personalData?: boolean;
  /**
   * Refuse new passwords found in a known data breach (400 `password_pwned`), asking Have I Been
   * Pwned's range API with only the first 5 hex characters of the password's SHA-1 (or a server or
   * function of your own), and record the answer as `User.passwordPwned`. `true` takes the
   * defaults below. A check that fails or times out accepts the password, leaves `passwordPwned`
   * null and logs a warning (docs/passwords.md).
   * @default false
   */
  pwned?: boolean | PwnedPasswordOptions;
}

/** The breached-password policy (Appwrite's `password-pwned` policy). */
export interface PwnedPasswordOptions {
  /**
   * Who is asked: the base URL of a server with HIBP's range API (`GET <url>/range/<prefix>`, the
   * padding header on), or a function `(password) => Promise<boolean>` of your own.
   * @default 'https://api.pwnedpasswords.com'
   */
  checker?: PwnedPasswordLookup | string;
  /** How long a check may take before the password is accepted unchecked, in ms. @default 2000 */
  timeoutMs?: number;
  /**
   * Email/password sign-ins: `skip` checks nothing; `flag` checks the password after it verified and
   * records the answer as `User.passwordPwned`; `block` also refuses a breached one with 412
   * `user_password_reset_required`, and so does every request of an account flagged breached
   * (sessions and JWTs alike) until the password is reset by recovery, since a breached password
   * proves nothing: changing it with the old one is refused too. Each checked sign-in waits for
   * the checker (up to `timeoutMs`).
   * @default 'skip'
   */
  signIn?: 'skip' | 'flag' | 'block';
}

/** Where the router reports what it cannot answer for: `console` fits, as does any logger with these two methods. */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

/** Multi-factor authentication (docs/mfa.md): which factors are offered, and the host-delivered one. */
export interface MfaOptions {
  /**
   * Appwrite's MFA factors policy: a factor switched off answers 501 `user_auth_method_unsupported`
   * when a challenge for it is created or answered, reads `false` in `listMFAFactors`, and no
   * longer counts towards the second factor a signed-in session owes. Recovery codes are always
   * allowed.
   */
  factors?: MfaFactorOptions;
  /**
   * Delivers the code of a `custom` challenge, the factor whose code your app sends itself
   * (WhatsApp, a push notification, your own channel): called once per challenge, before it is
   * answered. A rejection fails the challenge request with 500 `general_server_error` and deletes
   * the challenge. Codes can also be read back with `accounts.getMfaChallengeCode(userId, challengeId)`.
   * @default none
   */
  onCustomChallenge?: (challenge: CustomChallengeCode) => void | Promise<void>;
}

/** Which second factors users may be challenged with. */
export interface MfaFactorOptions {
  /** Codes from an authenticator app. @default true */
  totp?: boolean;
  /** Codes mailed to the verified email address. @default true */
  email?: boolean;
  /** Codes texted to the verified phone number. @default true */
  phone?: boolean;
  /** Codes the host app delivers (see `mfa.onCustomChallenge`). @default true when `mfa.onCustomChallenge` is set, else false (as Appwrite) */
  custom?: boolean;
}

/** A `custom` MFA challenge's code, for the host app to deliver. */
export interface CustomChallengeCode {
  /** The account being challenged. */
  user: UserRecord;
  challengeId: string;
  /** The 6-digit code the user enters. */
  code: string;
  /** When the challenge stops accepting the code. */
  expire: Date;
}

export interface AccountRouterOptions {
  /** Where accounts live. @default a SQLite adapter on `./data/account.sqlite` */
  storage?: StorageAdapter;
  /** Project id the SDKs send as `X-Appwrite-Project`; names the cookie `a_session_<id>`. @default 'default' */
  projectId?: string;
  /** Shown in messages and authenticator apps. @default 'account-router' */
  projectName?: string;
  /**
   * Server secret: signs JWTs and keys the hashes of stored secrets. Changing it signs everyone out.
   * @default generated once and persisted by the storage adapter
   */
  secret?: string;
  /**
   * Hostnames of the web front ends: accepted in redirect URLs (`url`, `success`, `failure`), answered
   * with CORS, and passed by the Origin check. `*.example.com` matches sub-domains; `localhost` also
   * matches `127.0.0.1` and `[::1]`; ports are ignored. A bare `*` admits any redirect host but no
   * origin (credentialed CORS must name its sites). @default ['localhost', '127.0.0.1']
   */
  allowedHosts?: string[];
  /**
   * Native apps allowed to call the API (Appwrite's Apple, Android, Flutter and React Native
   * platforms). Their SDKs send `Origin: appwrite-<os>://<app id>`. An entry is either an app id —
   * the bundle identifier or package name, e.g. `com.example.app`, accepted from every OS — or one
   * exact non-web origin such as `appwrite-ios://com.example.app`, `chrome-extension://<id>` or
   * `tauri://localhost`. Web front ends belong in `allowedHosts`.
   * @default [] — a native app's state-changing requests get 403 `general_unknown_origin`, as in Appwrite before its platform is added
   */
  platforms?: string[];
  /**
   * Answer CORS for the allowed origins on every response (errors included) and `OPTIONS`
   * preflights with 204. `false` leaves CORS to the host's own middleware (e.g. the `cors`
   * package, mounted before the router): it must then allow credentials and expose
   * `X-Fallback-Cookies`. The Origin check stays on either way.
   * @default true
   */
  cors?: boolean;
  /**
   * Refuse POST, PUT, PATCH and DELETE requests whose `Origin` (else `Referer`) is outside
   * `allowedHosts` and `platforms` with 403 `general_unknown_origin`, before any work: the
   * protection against cross-site request forgery (a foreign page signing the user in to the
   * attacker's account, or acting with the user's cookie). Requests with neither header pass.
   * @default true — switch it off only when another layer checks origins
   */
  originCheck?: boolean;
  /**
   * Which peers are proxies whose `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host`
   * count; the client is then the right-most address that is not a trusted proxy. Takes what
   * Express's `trust proxy` setting takes: `true` / `false`, a hop count (`1` behind one proxy),
   * addresses and CIDRs (a list or a comma string; `loopback`, `linklocal`, `uniquelocal` name
   * ranges) or `(address, hop) => boolean`.
   * @default the host's — mounted in an Express app, the app's own `trust proxy` setting (the router
   * agrees with `req.ip` and `req.protocol`); in Connect or plain node:http, nobody. Trusting a
   * header that a client can send directly lets it pick its IP and escape every per-IP limit.
   */
  trustProxy?: TrustProxy;
  cookie?: CookieOptions;
  session?: SessionOptions;
  password?: PasswordOptions;
  /**
   * Sends email (verification, recovery, magic URL, email OTP, MFA codes, session alerts):
   * `{ send(message) }` or just that function; `createSmtpMailer({ url, from })` is built in.
   * Without one, routes that must mail answer 503 `general_smtp_disabled`. @default none
   */
  mailer?: MailerOption;
  /**
   * Sends SMS (phone sign-in, verification and MFA codes): `{ send({ to, message }) }` or that function;
   * `createWebhookSms` and `createTwilioSms` are built in. Without one: 503 `general_phone_disabled`.
   * @default none
   */
  sms?: SmsOption;
  /**
   * Phone numbers for testing (Appwrite's project "mock numbers"): a phone sign-in or phone
   * verification code for one of them is its fixed `otp` (6 digits) and no SMS is sent (an `sms`
   * provider must still be configured). Anybody who knows the number and code can sign in as it:
   * keep them out of production.
   * @default none
   */
  mockNumbers?: readonly { phone: string; otp: string }[];
  /**
   * Mails the user about each new session (kind `sessionAlert`: time, device, IP, country), as
   * Appwrite's project option: for email/password and token sign-ins, not for the user's only
   * session, not for magic-URL or email-code sign-ins (their mail was the proof). Needs `mailer`;
   * a failed alert is logged and never fails the sign-in. @default false
   */
  sessionAlerts?: boolean;
  /**
   * Overrides of the message templates by locale, then kind, then field; each field falls back on
   * its own to the built-in one (docs/mail-and-sms.md). @default the built-ins
   */
  templates?: MessageTemplates;
  /**
   * The language of messages when the request names none that exists: no usable `locale`
   * parameter or `X-Appwrite-Locale`, and no `Accept-Language` range that matches (Appwrite's
   * `_APP_LOCALE`). Also the language of `countryName` in sessions and logs when the request
   * sends no locale, and the second place each message field is looked for, before English.
   * One of the built-in locales (`en`, `es`, `pt-br`, `fr`, `de`, …; docs/mail-and-sms.md) or a
   * locale the `templates` option adds; case-insensitive.
   * @default 'en'
   */
  defaultLocale?: string;
  /**
   * The page magic-URL links open when the client sends no `url` (Appwrite uses its console's page).
   * Trusted as configured, not checked against `allowedHosts`.
   * @default undefined — a magic-URL request without `url` is 400 `Param "url" is not optional.`
   */
  defaultMagicUrl?: string;
  /** Email verification links. */
  verification?: {
    /** Lifetime of email verification links, in seconds. @default 604800 (7 days, as the 1.4-era server) */
    emailLinkSeconds?: number;
  };
  /** Password recovery requests. */
  recovery?: {
    /**
     * Answer 404 `user_not_found` (and 401 `user_blocked`) to recovery requests, as Appwrite does.
     * `false` answers every well-formed request with 201 and mails only real, active users, so the
     * route cannot be used to find out who has an account. @default true
     */
    revealUnknownEmail?: boolean;
  };
  /** Appwrite's per-route limits (429 `general_rate_limit_exceeded`); `false` switches them off. @default true */
  rateLimits?: boolean | RateLimitOptions;
  /** How often expired sessions, tokens, challenges, counters and host sessions (`sessionStore()`) are deleted, in ms; 0 = never. @default 600000 */
  pruneIntervalMs?: number;
  /** Maximum number of users (0 = unlimited); further sign-ups get 400 `user_count_exceeded`. @default 0 */
  userLimit?: number;
  /** Serve the OpenAPI 3.1 document of the routes at `<mount>/openapi.json`. @default false */
  openapi?: boolean;
  /** Largest request body accepted, in bytes; larger ones get 413 `general_payload_too_large`. @default 262144 */
  bodyLimitBytes?: number;
  /**
   * Where unexpected errors and failed deliveries are reported, never with request bodies or
   * message contents: `{ error(message, meta?), warn(message, meta?) }`. @default console
   */
  logger?: Logger;
  /**
   * OAuth2 sign-in (docs/oauth2.md): one entry per enabled provider key, `{ clientId, clientSecret, ...extra }`
   * (extra settings such as `issuer` for oidc, `domain` for okta/auth0/authentik, `tenant` for microsoft),
   * plus `publicUrl`, the external base URL of the mounted API used for redirect_uri.
   * @default no provider enabled; publicUrl derived from the request host and mount path
   */
  oauth2?: OAuth2Options;
  /**
   * Native sign-in with a provider's ID token (`POST /account/sessions/id-token`, the
   * appwrite@28 `createIdTokenSession`): Google Credential Manager, Sign in with Apple. Independent
   * of the browser flow's `oauth2` settings. A provider left out answers 412
   * `project_provider_disabled` (docs/oauth2.md).
   * @default none
   */
  idTokens?: IdTokenOptions;
  /** Multi-factor authentication: which factors are offered, and the `custom` factor's delivery. */
  mfa?: MfaOptions;
  /**
   * Server API keys fixed by the host's configuration, `[{ secret, scopes, name? }]`, next to the
   * ones `router.admin.apiKeys.create()` stores. A request sending one as `X-Appwrite-Key` acts
   * as the server with its scopes (`users.read`, `users.write`, `sessions.read`,
   * `sessions.write`): node-appwrite's Users API, and session secrets in sign-in answers for
   * server-side rendering (docs/security.md). Each secret must be 32 characters or more; it is
   * kept only as a keyed hash in memory and never logged.
   * @default [] — only stored keys
   */
  apiKeys?: StaticApiKey[];
  /**
   * Be an identity provider: an OAuth 2.1 / OpenID Connect authorization server under the mount
   * path, for third-party apps and MCP clients that sign in with this app's accounts
   * (docs/identity-provider.md).
   * @default undefined — off: its routes answer 404
   */
  identityProvider?: IdentityProviderOptions;
}

/** The providers whose ID tokens `POST /account/sessions/id-token` exchanges for a session. */
export interface IdTokenOptions {
  /** Google Sign-In / Credential Manager ID tokens (issuer `https://accounts.google.com`). @default off */
  google?: IdTokenProviderOptions;
  /** Sign in with Apple ID tokens (issuer `https://appleid.apple.com`); the nonce is required. @default off */
  apple?: IdTokenProviderOptions;
}

/** One provider's native sign-in settings. */
export interface IdTokenProviderOptions {
  /**
   * The client ids a token may be issued to (its `aud`): for Google the Android, iOS and web client
   * ids the apps request tokens with (Credential Manager usually asks for the web one); for Apple the
   * app's bundle id and, for Sign in with Apple JS, the Services ID. A token for any other client —
   * any other app in the world — is refused.
   * @default required, at least one
   */
  clientIds: readonly string[];
  /**
   * The issuer: its `<issuer>/.well-known/openid-configuration` names the key set, and the token's
   * `iss` must equal it. Change it only to test against a local issuer; plain `http:` is accepted
   * for loopback hosts only.
   * @default the provider's: 'https://accounts.google.com' (`accounts.google.com` is accepted as `iss` too), 'https://appleid.apple.com'
   */
  issuer?: string;
  /**
   * Also accept a `nonce` claim equal to the request's nonce itself rather than to its SHA-256.
   * Appwrite accepts both; we do not by default, because the claim is readable by whoever holds the
   * token, so accepting it verbatim lets a leaked token pass the nonce check for every app,
   * including those that hash. Turn it on only for apps that hand the provider the raw nonce.
   * @default false
   */
  verbatimNonce?: boolean;
}

/** Settings of one OAuth2 provider (docs/oauth2-providers.md lists the keys and their settings). */
export interface OAuth2ProviderOptions {
  /** The client id the provider issued. */
  clientId: string;
  /** The client secret the provider issued (Apple takes `keyId`, `teamId` and `privateKey` instead). */
  clientSecret: string;
  /** The provider's other settings, e.g. `issuer` for `oidc`, `domain` for `okta`, `tenant` for `microsoft`. */
  [extra: string]: string | undefined;
}

export type OAuth2Options = {
  /**
   * The external base URL of the mounted API, e.g. `https://api.example.com/v1`: the callback URL
   * registered at the providers is built from it. @default the request's host and mount path
   */
  publicUrl?: string;
} & {
  /** A provider key (`github`, `google`, `oidc`, …) with its settings; the provider is enabled when they are complete. */
  [provider: string]: OAuth2ProviderOptions | string | undefined;
};

/** A client the host registers in code (also possible at run time through `router.admin.oauthClients`). */
export interface OAuthClientOptions {
  /** The client id the app sends as `client_id`. */
  id: string;
  /** Shown on the consent page. */
  name: string;
  /** The client secret of a confidential client; leave it out for a public client (PKCE only). */
  secret?: string;
  /** Exact redirect URIs; `redirect_uri` must equal one of them character for character. */
  redirectUris: string[];
  /** The scopes it may ask for. @default any scope the server offers */
  scopes?: string[];
  /** Its home page, linked from the consent page. @default '' */
  clientUri?: string;
  /**
   * Its access tokens: `'jwt'`, signed per RFC 9068 (a resource server may check them offline
   * against the JWKS), or `'opaque'`, random strings that mean nothing outside this server (only
   * introspection, userinfo, `requireAccessToken` and the Account routes' Bearer read them).
   * @default 'jwt'
   */
  accessTokenFormat?: 'jwt' | 'opaque';
}

/**
 * The authorization server (docs/identity-provider.md): third-party apps, mobile clients and AI
 * agents (MCP clients) sign in **with** this app's accounts through OAuth 2.1 / OpenID Connect.
 */
export interface IdentityProviderOptions {
  /**
   * The issuer: the external URL of the mounted router, such as `https://example.com/v1`. Tokens
   * name it, relying parties compare it, and `requireAccessToken` checks it.
   * @default derived from each request's host and the mount path (set it in production)
   */
  issuer?: string;
  /** The algorithm of the signing keys: ES256 (P-256) or RS256 (2048-bit RSA). @default 'ES256' */
  signingAlg?: 'ES256' | 'RS256';
  /** How long a signing key signs before a new one replaces it, in seconds; the old one stays in the JWKS until its tokens expired. @default 2592000 (30 days) */
  keyRotationSeconds?: number;
  /** Lifetime of access tokens, in seconds (short: they are not checked against storage by every resource server). @default 900 */
  accessTokenSeconds?: number;
  /** Lifetime of ID tokens, in seconds. @default 3600 */
  idTokenSeconds?: number;
  /** Lifetime of a refresh token (each rotation starts it again), in seconds. @default 2592000 (30 days) */
  refreshTokenSeconds?: number;
  /** Lifetime of authorization codes, in seconds. @default 60 */
  codeSeconds?: number;
  /**
   * The host's sign-in page, where a guest (or a session too old for `max_age`, or `prompt=login`)
   * is sent with `?returnTo=<the authorization URL>&login_hint=…`; after signing in, the page
   * sends the browser back to `returnTo`.
   * @default undefined — such requests end with `login_required`
   */
  loginUrl?: string;
  /**
   * The host's own consent page, replacing the built-in one: the browser is sent there with
   * `?request=<handle>`; the page reads the pending request from `router.identityProvider.consentRequest(handle)`
   * and posts `request` and `decision` (`approve` or `deny`) to `<mount>/oauth2/authorize/decision`.
   * @default undefined — the built-in, accessible consent page
   */
  consentUrl?: string;
  /** Scopes the host defines, beyond `openid profile email phone offline_access` and `account` (the Account routes an access token may call: docs/identity-provider.md), with the description the consent page shows. @default {} */
  scopes?: Record<string, string>;
  /** Clients registered in code. @default [] */
  clients?: OAuthClientOptions[];
  /** RFC 7591 dynamic client registration at `<mount>/oauth2/register` (public clients only, rate-limited). @default false */
  dynamicRegistration?: boolean;
  /**
   * Client ID Metadata Documents: a `client_id` that is an HTTPS URL is fetched (at most 5 kB,
   * within 5 s, never from a private, loopback or link-local address), validated and cached; what
   * MCP clients use. `fetch` replaces the guarded fetch (tests, outbound proxies).
   * @default { enabled: true, cacheSeconds: 3600 }
   */
  clientMetadataDocuments?: { enabled?: boolean; cacheSeconds?: number; fetch?: typeof globalThis.fetch };
}

export interface ResolvedConfig {
  storage: StorageAdapter | undefined;
  projectId: string;
  projectName: string;
  secret: string | undefined;
  allowedHosts: readonly string[];
  /** App ids (any `appwrite-<os>` scheme) and exact non-web origins, lower-cased. */
  platforms: { appIds: ReadonlySet<string>; origins: ReadonlySet<string> };
  cors: boolean;
  originCheck: boolean;
  /** The compiled `trustProxy`; undefined follows the host (see `clientAddressing`). */
  trustProxy: TrustProxyFn | undefined;
  cookie: Required<Omit<CookieOptions, 'domain'>> & { domain: string | undefined };
  session: Required<SessionOptions>;
  password: Required<Omit<PasswordOptions, 'pwned'>> & {
    /** The breached-password policy, its check built once; null when off. */
    pwned: { check: PwnedPasswordCheck; signIn: 'skip' | 'flag' | 'block' } | null;
  };
  mailer: Mailer | null;
  sms: SmsSender | null;
  /** E.164 number → its fixed 6-digit code. */
  mockNumbers: ReadonlyMap<string, string>;
  sessionAlerts: boolean;
  templates: MessageTemplates;
  /** Lower case, one of `availableLocales(templates)`. */
  defaultLocale: string;
  defaultMagicUrl: string | undefined;
  verification: { emailLinkSeconds: number };
  recovery: { revealUnknownEmail: boolean };
  rateLimits: { enabled: boolean; store: RateLimitStoreFactory | undefined };
  pruneIntervalMs: number;
  userLimit: number;
  openapi: boolean;
  bodyLimitBytes: number;
  logger: Logger;
  /** OAuth2 providers by key (only configured ones) and the public base URL (no trailing slash), if set. */
  oauth2: { publicUrl: string | undefined; providers: Record<string, OAuth2ProviderOptions> };
  /** As given (checked by createIdTokenVerifier when the router is created). */
  idTokens: IdTokenOptions;
  mfa: { factors: Required<MfaFactorOptions>; onCustomChallenge: MfaOptions['onCustomChallenge'] };
  /** Validated copies; hashed when the services are built. */
  apiKeys: StaticApiKey[];
  /** The authorization server's settings; undefined when it is off. */
  identityProvider: ResolvedIdentityProvider | undefined;
  /** Derived: the session cookie's name. */
  cookieName: string;
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function check(condition: boolean, option: string, expected: string): void {
  if (!condition) throw new TypeError(`createAccountRouter: option \`${option}\` must be ${expected}.`);
}

function resolveOAuth2(value: OAuth2Options | undefined): ResolvedConfig['oauth2'] {
  const providers: Record<string, OAuth2ProviderOptions> = {};
  const publicUrl = value?.publicUrl;
  check(publicUrl === undefined || (typeof publicUrl === 'string' && /^https?:\/\/[^/]/i.test(publicUrl)), 'oauth2.publicUrl', 'an http(s) URL');
  for (const [key, settings] of Object.entries(value ?? {})) {
    if (key === 'publicUrl' || settings === undefined) continue;
    check(typeof settings === 'object' && settings !== null, `oauth2.${key}`, 'an object with clientId and clientSecret');
    providers[key] = settings as OAuth2ProviderOptions;
  }
  return { publicUrl: publicUrl?.replace(/\/+$/, ''), providers };
}

function resolvePwned(value: PasswordOptions['pwned'], logger: Logger): ResolvedConfig['password']['pwned'] {
  if (value === undefined || value === false) return null;
  check(value === true || (typeof value === 'object' && value !== null), 'password.pwned', 'a boolean or an object of settings');
  const settings = value === true ? {} : defined(value);
  const signIn = settings.signIn ?? 'skip';
  check(['skip', 'flag', 'block'].includes(signIn), 'password.pwned.signIn', "'skip', 'flag' or 'block'");
  return { check: createPwnedPasswordCheck({ checker: settings.checker, timeoutMs: settings.timeoutMs, logger, optionName: 'password.pwned' }), signIn };
}

function resolveMfa(value: MfaOptions | undefined): ResolvedConfig['mfa'] {
  const { factors, onCustomChallenge } = defined(value);
  check(onCustomChallenge === undefined || typeof onCustomChallenge === 'function', 'mfa.onCustomChallenge', 'a function');
  check(factors === undefined || (typeof factors === 'object' && factors !== null), 'mfa.factors', 'an object of booleans');
  const resolved = { totp: true, email: true, phone: true, custom: onCustomChallenge !== undefined, ...defined(factors) };
  for (const factor of ['totp', 'email', 'phone', 'custom'] as const) check(typeof resolved[factor] === 'boolean', `mfa.factors.${factor}`, 'a boolean');
  return { factors: resolved, onCustomChallenge };
}

function resolveMockNumbers(value: unknown): ReadonlyMap<string, string> {
  const numbers = new Map<string, string>();
  if (value === undefined) return numbers;
  check(Array.isArray(value), 'mockNumbers', 'a list of { phone, otp }');
  for (const entry of value as unknown[]) {
    const { phone, otp } = (entry ?? {}) as { phone?: unknown; otp?: unknown };
    check(typeof phone === 'string' && E164.test(phone), 'mockNumbers[].phone', 'an E.164 phone number such as +14155550100');
    check(typeof otp === 'string' && /^\d{6}$/.test(otp), 'mockNumbers[].otp', 'a string of 6 digits');
    numbers.set(phone as string, otp as string);
  }
  return numbers;
}

function resolvePlatforms(value: unknown): ResolvedConfig['platforms'] {
  const appIds = new Set<string>();
  const origins = new Set<string>();
  if (value === undefined) return { appIds, origins };
  check(Array.isArray(value), 'platforms', 'a list of app ids or origins');
  const expected = 'an app id such as com.example.app, or a non-web origin such as appwrite-ios://com.example.app (web hosts go in allowedHosts)';
  for (const entry of value as unknown[]) {
    check(typeof entry === 'string', 'platforms[]', expected);
    const text = entry as string;
    if (!text.includes('://')) {
      check(APP_ID.test(text), 'platforms[]', expected);
      appIds.add(text.toLowerCase());
      continue;
    }
    const origin = parseOrigin(text);
    const bare = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/?$/i.test(text);
    check(bare && origin !== null && origin.scheme !== 'http' && origin.scheme !== 'https', 'platforms[]', expected);
    origins.add(`${origin!.scheme}://${origin!.host}`);
  }
  return { appIds, origins };
}

function resolveTrustProxy(value: TrustProxy | undefined): TrustProxyFn | undefined {
  if (value === undefined) return undefined;
  const expected = 'a boolean, a hop count, addresses or CIDRs (a list or a comma string), or a function';
  check(['boolean', 'number', 'string', 'function'].includes(typeof value) || Array.isArray(value), 'trustProxy', expected);
  try {
    return compileTrustProxy(value);
  } catch (error) {
    throw new TypeError(`createAccountRouter: option \`trustProxy\` must be ${expected} (${(error as Error).message}).`);
  }
}

/** Fills defaults and validates; never mutates `options`. Bad options throw a TypeError naming the option. */
export function resolveOptions(options: AccountRouterOptions = {}): ResolvedConfig {
  const o = defined(options);
  const logger = o.logger ?? console;
  const projectId = o.projectId ?? 'default';
  check(/^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/.test(projectId), 'projectId', 'an id of 1–36 chars from [A-Za-z0-9._-]');
  const config: ResolvedConfig = {
    storage: o.storage,
    projectId,
    projectName: o.projectName ?? 'account-router',
    secret: o.secret,
    allowedHosts: [...(o.allowedHosts ?? ['localhost', '127.0.0.1'])],
    platforms: resolvePlatforms(o.platforms),
    cors: o.cors ?? true,
    originCheck: o.originCheck ?? true,
    trustProxy: resolveTrustProxy(o.trustProxy),
    cookie: { sameSite: 'lax', secure: 'auto', fallbackHeader: true, domain: undefined, ...defined(o.cookie) },
    session: { durationSeconds: 31536000, maxPerUser: 10, invalidateOnPasswordChange: true, ...defined(o.session) },
    password: {
      bcryptCost: 10,
      minLength: 8,
      uppercase: false,
      lowercase: false,
      number: false,
      symbols: false,
      dictionary: false,
      history: 0,
      personalData: false,
      ...defined(o.password),
      pwned: resolvePwned(o.password?.pwned, logger),
    },
    mailer: normalizeProvider<Mailer>(o.mailer, 'mailer'),
    sms: normalizeProvider<SmsSender>(o.sms, 'sms'),
    mockNumbers: resolveMockNumbers(o.mockNumbers),
    sessionAlerts: o.sessionAlerts ?? false,
    templates: o.templates ?? {},
    defaultLocale: normalizeLocale(o.defaultLocale ?? 'en') ?? String(o.defaultLocale),
    defaultMagicUrl: o.defaultMagicUrl,
    verification: { emailLinkSeconds: 604800, ...defined(o.verification) },
    recovery: { revealUnknownEmail: true, ...defined(o.recovery) },
    rateLimits:
      typeof o.rateLimits === 'boolean'
        ? { enabled: o.rateLimits, store: undefined }
        : { enabled: o.rateLimits?.enabled ?? true, store: o.rateLimits?.store },
    pruneIntervalMs: o.pruneIntervalMs ?? 600_000,
    userLimit: o.userLimit ?? 0,
    openapi: o.openapi ?? false,
    bodyLimitBytes: o.bodyLimitBytes ?? 262144,
    logger,
    oauth2: resolveOAuth2(o.oauth2),
    idTokens: o.idTokens ?? {},
    mfa: resolveMfa(o.mfa),
    apiKeys: resolveStaticApiKeys(o.apiKeys),
    identityProvider: resolveIdentityProvider(o.identityProvider),
    cookieName: `a_session_${projectId}`,
  };
  check(config.secret === undefined || (typeof config.secret === 'string' && config.secret.length >= 16), 'secret', 'a string of at least 16 characters');
  check(config.allowedHosts.every((h) => typeof h === 'string' && h.length > 0), 'allowedHosts', 'a list of hostnames');
  check(typeof config.cors === 'boolean', 'cors', 'a boolean');
  check(typeof config.originCheck === 'boolean', 'originCheck', 'a boolean');
  check(['lax', 'strict', 'none'].includes(config.cookie.sameSite), 'cookie.sameSite', "'lax', 'strict' or 'none'");
  check(config.cookie.secure === 'auto' || typeof config.cookie.secure === 'boolean', 'cookie.secure', "'auto' or a boolean");
  const { durationSeconds, maxPerUser } = config.session;
  check(Number.isInteger(durationSeconds) && durationSeconds >= 5 && durationSeconds <= 31536000, 'session.durationSeconds', 'an integer from 5 to 31536000');
  check(Number.isInteger(maxPerUser) && maxPerUser >= 0, 'session.maxPerUser', 'a non-negative integer');
  const cost = config.password.bcryptCost;
  check(Number.isInteger(cost) && cost >= 4 && cost <= 15, 'password.bcryptCost', 'an integer from 4 to 15');
  const { minLength, history } = config.password;
  check(Number.isInteger(minLength) && minLength >= 8 && minLength <= 256, 'password.minLength', 'an integer from 8 to 256');
  check(Number.isInteger(history) && history >= 0 && history <= 20, 'password.history', 'an integer from 0 to 20');
  for (const flag of ['uppercase', 'lowercase', 'number', 'symbols', 'dictionary', 'personalData'] as const) {
    check(typeof config.password[flag] === 'boolean', `password.${flag}`, 'a boolean');
  }
  check(typeof config.templates === 'object' && config.templates !== null && !Array.isArray(config.templates), 'templates', 'an object of locales');
  const locales = availableLocales(config.templates);
  check(locales.includes(config.defaultLocale), 'defaultLocale', `one of the available locales (${locales.join(', ')})`);
  check(config.defaultMagicUrl === undefined || (typeof config.defaultMagicUrl === 'string' && /^https?:\/\/[^/]/i.test(config.defaultMagicUrl)), 'defaultMagicUrl', 'an http(s) URL');
  const linkSeconds = config.verification.emailLinkSeconds;
  check(Number.isInteger(linkSeconds) && linkSeconds >= 60 && linkSeconds <= 31536000, 'verification.emailLinkSeconds', 'an integer from 60 to 31536000');
  check(typeof config.sessionAlerts === 'boolean', 'sessionAlerts', 'a boolean');
  check(typeof config.recovery.revealUnknownEmail === 'boolean', 'recovery.revealUnknownEmail', 'a boolean');
  check(config.rateLimits.store === undefined || typeof config.rateLimits.store === 'function', 'rateLimits.store', 'a function returning an express-rate-limit Store');
  check(Number.isInteger(config.pruneIntervalMs) && config.pruneIntervalMs >= 0, 'pruneIntervalMs', 'a non-negative integer');
  check(Number.isInteger(config.userLimit) && config.userLimit >= 0, 'userLimit', 'a non-negative integer');
  check(Number.isInteger(config.bodyLimitBytes) && config.bodyLimitBytes >= 1024, 'bodyLimitBytes', 'an integer of at least 1024');
  return config;
}
