// The shape of a route-table entry and of what its handler receives. `mount()` in router.ts
// turns entries into request handling, in one fixed order for every route.
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

/** `guest`: guests only (signed-in callers get 401 user_session_already_exists) · `user`: a session or JWT · `any`: both. */
export type Scope = 'guest' | 'user' | 'any';

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
export interface Caller {
  user: UserRecord;
  session: SessionRecord;
  via: 'session' | 'jwt';
}

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
  locale: string | undefined;
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
  /** The one clock of request logic. */
  now(): Date;
}

export interface ResponseControl {
  /** Issues the session cookie(s) and, where it applies, the X-Fallback-Cookies header. */
  setSession(session: SessionRecord, secret: string): void;
  /** Expires the session cookie(s) and sends `X-Fallback-Cookies: []` where it applies. */
  clearSession(): void;
}

export interface RouteCall<P, S extends Scope = Scope> {
  params: P;
  caller: S extends 'user' ? Caller : S extends 'guest' ? null : Caller | null;
  request: RequestInfo;
  services: Services;
  response: ResponseControl;
  /** The user a guest route acted for (sign-up, sign-in), recorded as the security log's actor. */
  actor: UserRecord | null;
}

export type HandlerResult<M> = M extends ModelName ? ModelInput<M> : { redirect: string } | void;

export interface RouteDefinition<P extends ParamSchema = ParamSchema, M extends ModelName | undefined = ModelName | undefined, S extends Scope = Scope> {
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
  /** Security-log event written after success. */
  audit?: string;
  /** Reachable by sessions that still owe an MFA factor. */
  mfaExempt?: boolean;
  /** Needs a challenge completed on the caller's session within 30 minutes (401 user_challenge_required). */
  recentMfa?: boolean;
  /** Exempt from the Origin check: a third party's page posts here (Apple's form_post OAuth2 callback). */
  anyOrigin?: boolean;
  handler(call: RouteCall<ParamValues<P>, S>): Promise<HandlerResult<M>>;
}

export function defineRoute<P extends ParamSchema, M extends ModelName | undefined, S extends Scope>(
  route: RouteDefinition<P, M, S>,
): RouteDefinition<P, M, S> {
  return route;
}

/** A route-table entry with its parameter and model types erased, as the router stores it. */
export type AnyRoute = RouteDefinition<ParamSchema, ModelName | undefined, Scope>;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
