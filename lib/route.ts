// What a route is: one declarative entry (defineRoute) stating everything about it — method, path
// and aliases, scope, rate limit, parameters, status, model, SDK name, audit event, MFA flags —
// and a handler. The router (lib/router.ts) runs the gate (lib/gate.ts) from the entry's flags,
// validates `params`, calls the handler with plain values (RouteCall) and writes what it returns:
// the model value, or a Reply that also names the session it started or ended and the actor of
// the security log. A handler never writes into its input. See lib/routes/ for examples:
//
//   export const updateName = defineRoute({
//     method: 'patch', path: '/account/name', scope: 'user', params: { name: p.text(1, 128) },
//     status: 200, model: 'account', sdk: 'updateName', audit: 'user.update',
//     async handler({ services, caller, params }) {
//       return updateUser(services, caller.user, { name: params.name });
//     },
//   });
//
// A route that signs someone in returns signedIn(session, secret, user); one that ends the
// caller's session returns signedOut(value); an audited route that guests reach returns
// reply(value, { actor }), and the compiler refuses it without one.
//
// Server routes and API keys (the Users API). A route for the host's backend declares
//
//   scope: 'server', keyScopes: ['users.read']
//
// and the gate admits exactly: a request whose API key (X-Appwrite-Key) holds at least one of
// `keyScopes` (Appwrite's rule: a route's scope list is a choice, not a conjunction, so
// `['users.read', 'sessions.read']` admits a key holding either), and a signed-in user (session or
// JWT) whose `impersonator` flag is set when `keyScopes` includes `users.read` (Appwrite grants
// impersonators that one scope, and no other). Everyone else gets 401
// `general_unauthorized_scope`, whose message names the caller's role and `keyScopes`, as Appwrite
// words it. The handler then gets `caller` (the impersonator, or null for a key) and `key`
// (`{ id, name, scopes }` of the key that authenticated the request, else null).
//
// A request with a key is Appwrite's "applications" role on every route: its session credentials
// are not read (`caller` is null), it skips rate limits and the Origin check, and it reaches an
// Account route only when the key holds the route's `keyScopes` — by default `sessions.write` for
// `guest` and `any` routes (sign-in, tokens, recovery: the server-side-rendering flow) and
// `account` for `user` routes, which no key can hold. An unknown key is 401 `user_unauthorized`,
// an expired one 401 `project_key_expired`, whatever the route.
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SessionRecord, StorageAdapter, UserRecord } from '../adapters/types';
import type { ModelInput, ModelName } from './models';
import type { ResolvedConfig } from './options';
import type { ParamSchema, ParamValues } from './params';
import type { PasswordHasher } from './core/passwords';
import type { SecretBox, SecretHasher } from './core/secrets';
import type { Messenger } from './core/messaging';
import type { OAuth2Runtime } from './core/oauth2/runtime';
import type { IdTokenVerifier } from './core/id-token';
import type { StaticApiKeys } from './core/api-keys';

/**
 * `guest`: guests only (signed-in callers get 401 user_session_already_exists) · `user`: a session
 * or JWT · `any`: both · `server`: an API key holding one of the route's `keyScopes` (or an
 * impersonator, for `users.read`; see the header).
 */
export type Scope = 'guest' | 'user' | 'any' | 'server';

/** The scopes an API key can hold (`router.admin.apiKeys.create`, the `apiKeys` option): Appwrite's names. */
export const API_SCOPES = ['users.read', 'users.write', 'sessions.read', 'sessions.write', 'apps.read', 'apps.write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * A route's Appwrite scope list: the API scopes, plus those no key here can hold: `account`
 * (Account routes for a signed-in user), `public` (links opened from mail, OAuth2 callbacks) and
 * `targets.write` (push targets), which only users and guests have.
 */
export type RouteScope = ApiScope | 'account' | 'public' | 'targets.write';

/** The API key that authenticated a request. */
export interface ApiKeyCaller {
  /** The stored key's id, or `static:<n>` for the n-th key of the `apiKeys` option. */
  id: string;
  name: string;
  scopes: readonly ApiScope[];
}

/** A part of a rate-limit key: the route, the client IP, the caller's user id, or a request parameter. */
export type RateLimitKeyPart = 'url' | 'ip' | 'user' | `param:${string}`;

export interface RateLimitRule {
  limit: number;
  windowMs: number;
  /** Each inner list is one counter's key; the request is refused when any counter is exhausted. */
  keys: readonly (readonly RateLimitKeyPart[])[];
  /** A 201 answer wipes the counters (a successful sign-in forgives earlier failures). */
  resetOnSuccess?: boolean;
}

/** Who is calling: the user, and the session that authenticated them (also set for JWTs). */
/** Who is calling, once the gate has resolved them: a session (cookie or JWT) or an access token. */
export type Caller = SessionCaller | BearerCaller;

/** A user signed in here: by the session cookie (or fallback header), or by a JWT of that session. */
export interface SessionCaller {
  user: UserRecord;
  session: SessionRecord;
  via: 'session' | 'jwt';
  /**
   * Set while an impersonator acts as `user` (X-Appwrite-Impersonate-User-*): the impersonator,
   * whose `session` this is. The security log names them, and `user.accessedAt` is left alone.
   */
  impersonator?: UserRecord;
}

/**
 * A third-party app acting for `user` with an access token of this router's authorization server
 * (`Authorization: Bearer`, appwrite@27+'s `setBearer()`): it holds no session, and the gate lets
 * it reach only the Account routes its scopes allow (lib/idp/account-access.ts).
 */
export interface BearerCaller {
  user: UserRecord;
  session?: undefined;
  via: 'bearer';
  impersonator?: undefined;
  accessToken: { clientId: string; scopes: readonly string[] };
}

/** The client, as the trusted-proxy settings let the router see it. */
export interface RequestInfo {
  raw: IncomingMessage;
  ip: string;
  userAgent: string;
  /** Lower-case alpha-2 or `--`. */
  countryCode: string;
  secure: boolean;
  /** The host the client addressed, with any port (`Host`, or `X-Forwarded-Host` from a trusted proxy). */
  host: string;
  /** `host` without port or IPv6 brackets. */
  hostname: string;
  origin: string | undefined;
  /**
   * The language of the messages this request sends, resolved once by the router: one of the
   * available locales (built in, or added by the `templates` option), lower case (`pt-br`). The
   * `locale` parameter, else X-Appwrite-Locale, else Accept-Language, else `defaultLocale`
   * (see `localeResolver` in core/messaging/locale.ts).
   */
  locale: string;
}

/**
 * Per-router services, built once and complete when the router is ready (storage migrated, server
 * secret known), before the first request is served; nothing changes them afterwards.
 */
export interface Services {
  readonly config: ResolvedConfig;
  readonly storage: StorageAdapter;
  /** Keys the hashes of stored secrets (see core/secrets.ts). */
  readonly secrets: SecretHasher;
  /** The `apiKeys` option's keys, by the keyed hash of their secret (see core/api-keys.ts). */
  readonly staticApiKeys: StaticApiKeys;
  /** Encrypts what must be read back (see core/secrets.ts). */
  readonly box: SecretBox;
  readonly passwords: PasswordHasher;
  /** Renders and delivers email and SMS (503 when the provider is not configured). */
  readonly messages: Messenger;
  /** The option, else generated once and kept by the storage adapter; signs OAuth2 states. */
  readonly serverSecret: string;
  /** The server secret as an HS256 key (see core/jwt.ts). */
  readonly jwtKey: KeyObject;
  /** The router's Passport instance and OAuth2 strategies. */
  readonly oauth2: OAuth2Runtime;
  /** Verifies native sign-in ID tokens (the `idTokens` option), with its own cache of provider keys. */
  readonly idTokens: IdTokenVerifier;
  /** The one clock of request logic. */
  now(): Date;
}

/** What a handler receives: validated parameters, the caller, the client and the services. */
export interface RouteCall<P, S extends Scope = Scope> {
  params: P;
  caller: S extends 'user' ? Caller : S extends 'guest' ? null : Caller | null;
  /** The API key that authenticated the request; then `caller` is null. */
  key: ApiKeyCaller | null;
  request: RequestInfo;
  services: Services;
}

/** A session the handler started (the router sets its cookie), or `'end'`: the caller's ended (cleared). */
export type SessionChange = { start: SessionRecord; secret: string } | 'end';

/**
 * What a handler did besides producing its model value, for the router to write: the session it
 * started or ended, and the account the security log names. Build one with `reply`, `signedIn`
 * or `signedOut`; a handler with nothing to add returns the bare value.
 */
export class Reply<V> {
  constructor(
    readonly value: V,
    /** The account the security log names; null (none known) or undefined: the caller, if any. */
    readonly actor: UserRecord | null | undefined,
    readonly session: SessionChange | undefined,
  ) {}
}

/** A Reply that names its actor: what an audited route that guests reach must return. */
export type ActorReply<V> = Reply<V> & { readonly actor: UserRecord | null };

/** `value`, with the actor of the security-log entry and/or a session change. */
export function reply<V>(value: V, effects: { actor: UserRecord | null; session?: SessionChange }): ActorReply<V>;
export function reply<V>(value: V, effects: { session: SessionChange }): Reply<V>;
export function reply<V>(value: V, effects: { actor?: UserRecord | null; session?: SessionChange }): Reply<V> {
  return new Reply(value, effects.actor, effects.session);
}

/** A sign-in: `session` is the answer and the new current session (cookie set), `user` the actor. */
export function signedIn(session: SessionRecord, secret: string, user: UserRecord): ActorReply<SessionRecord> {
  return reply(session, { actor: user, session: { start: session, secret } });
}

/** The caller's session ended: its cookie is cleared. */
export function signedOut(): Reply<void>;
export function signedOut<V>(value: V): Reply<V>;
export function signedOut(value?: unknown): Reply<unknown> {
  return reply(value, { session: 'end' });
}

/**
 * An answer that is not an Appwrite model: the authorization server's JSON documents, HTML pages
 * and headers (Cache-Control, WWW-Authenticate), for routes without a `model`.
 */
export class RawResponse {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  /** A JSON document, not cached (token responses must not be: RFC 6749 §5.1). */
  static json(value: unknown, status = 200, headers: Record<string, string> = {}): RawResponse {
    return new RawResponse(status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=UTF-8', 'Cache-Control': 'no-store', Pragma: 'no-cache', ...headers });
  }

  /** An HTML page that no other site may frame (clickjacking a consent). */
  static html(body: string, status = 200): RawResponse {
    return new RawResponse(status, body, {
      'Content-Type': 'text/html; charset=UTF-8',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      // same-origin, not no-referrer: with no-referrer the browser posts the decision with `Origin: null`, which the Origin check refuses.
      'Referrer-Policy': 'same-origin',
    });
  }
}

type ModelValue<M> = M extends ModelName ? ModelInput<M> : { redirect: string } | RawResponse | void;

/**
 * What a handler resolves to: its model value (or `{ redirect }`), bare or in a Reply. An audited
 * route that guests reach must say whom it acted for, so it returns an ActorReply: leaving the
 * actor out does not compile.
 */
export type HandlerResult<M, S extends Scope, A> = A extends string
  ? [S] extends ['user']
    ? ModelValue<M> | Reply<ModelValue<M>>
    : ActorReply<ModelValue<M>>
  : ModelValue<M> | Reply<ModelValue<M>>;

export interface RouteDefinition<
  P extends ParamSchema = ParamSchema,
  M extends ModelName | undefined = ModelName | undefined,
  S extends Scope = Scope,
  A extends string | undefined = string | undefined,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** Older-generation paths with the same behaviour; they share the rate-limit counters. */
  aliases?: readonly string[];
  scope: S;
  rateLimit?: RateLimitRule;
  params: P;
  status: 200 | 201 | 204 | 301 | 302;
  model: M;
  /** The SDK method name: also the handler's name and the OpenAPI operationId. */
  sdk: string;
  /** Security-log event written after success, naming the Reply's actor or else the caller. */
  audit?: A;
  /**
   * Reachable by sessions not yet cleared to use the account: one that still owes an MFA factor,
   * or whose password must be reset (lib/gate.ts). Signing out and completing MFA are.
   */
  mfaExempt?: boolean;
  /** Needs a challenge completed on the caller's session within 30 minutes (401 user_challenge_required). */
  recentMfa?: boolean;
  /**
   * Exempt from the Origin check: a third party's page posts here (Apple's form_post OAuth2
   * callback). An authorization-server route with it also answers every origin by CORS, without
   * credentials (its clients call it from anywhere).
   */
  anyOrigin?: boolean;
  /**
   * Appwrite's scope list for the route: an API key holding any of them is admitted (required with
   * `scope: 'server'`). @default `['sessions.write']` for guest and any routes, `['account']` for user routes
   */
  keyScopes?: S extends 'server' ? readonly ApiScope[] : readonly RouteScope[];
  /**
   * An authorization-server route (lib/idp/): every refusal, the gate's included, answers as an
   * RFC 6749 `{error, error_description}` body (lib/idp/errors.ts), not Appwrite's.
   */
  oauth?: boolean;
  handler(call: RouteCall<ParamValues<P>, S>): Promise<HandlerResult<M, S, A>>;
}

/** One route-table entry: everything about the route in one object (see lib/routes/). */
export function defineRoute<P extends ParamSchema, M extends ModelName | undefined, S extends Scope, A extends string | undefined = undefined>(
  route: RouteDefinition<P, M, S, A>,
): RouteDefinition<P, M, S, A> {
  return route;
}

/** A route-table entry with its parameter and model types erased, as the router stores it. */
export type AnyRoute = RouteDefinition<ParamSchema, ModelName | undefined, Scope, string | undefined>;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
