// createAccountRouter(): the request pipeline, in the order a request meets it.
//
//   match the route → CORS → wait for the services (once) → the gate (lib/gate.ts: project,
//   Origin, credentials, scope, blocked, password reset, factor owed, body, rate limit,
//   guest-only, recent factor) → validate the parameters → the request's locale (once; every
//   message uses it) → the handler → record (security log, rate-limit reset, accessedAt) →
//   answer (session cookies, then the redirect, the empty body or the model, its country names
//   localized).
//
// Data flows one way: the handler gets plain values and returns what it did (a model value or a
// Reply naming the session it started or ended and the actor to log); the router writes the
// answer from that alone. `authenticate` and `requireAccount` run the gate's caller steps for the
// host app's own routes. The authorization server's routes (`oauth`, lib/idp/) pass the same
// pipeline; their refusals answer as OAuth `{error, error_description}` bodies, and the ones
// clients call from anywhere get CORS `*` without credentials.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { OAuthClientRecord, SessionRecord, StorageAdapter, UserRecord } from '../adapters/types';
import { createSqliteAdapter } from '../adapters/sqlite';
import { AccountError } from './errors';
import { clientAddressing, header, mountPath, parseQuery, sendEmpty, sendJson, sendRedirect, type ClientAddressing } from './http';
import { formatVersion, formatWarning, MODELS, type ModelContext } from './models';
import { resolveOptions, type AccountRouterOptions, type CustomChallengeCode, type ResolvedConfig } from './options';
import { validateParams } from './params';
import { RawResponse, Reply, type AnyRoute, type Caller, type RequestInfo, type Services, type SessionCaller } from './route';
import { admit, admitHostCaller, rateLimitSubject, type Visit } from './gate';
import { ROUTES } from './routes';
import { buildOpenApi } from './openapi';
import { PasswordHasher } from './core/passwords';
import { randomHex, SecretBox, SecretHasher } from './core/secrets';
import { Messenger, modelLocaleResolver, type LocaleSources } from './core/messaging';
import { clearSessionCookies, encodeSessionCredential, setSessionCookies } from './core/sessions';
import { newId } from './core/ids';
import { noteAccess } from './core/users';
import { readCustomChallenge } from './core/mfa';
import { jwtKey } from './core/jwt';
import { AdapterCounterStore, RouteLimiter } from './core/rate-limit';
import { countryCode } from './core/client-info';
import { writeCorsHeaders, writePublicCorsHeaders } from './core/origins';
import { OAuth2Runtime } from './core/oauth2/runtime';
import { createIdTokenVerifier, type IdTokenVerifier } from './core/id-token';
import { createUsersAdmin, type UsersAdmin } from './admin-users';
import { isLabelList, MAX_LABELS } from './core/labels';
import { createApiKey, deleteApiKey, hashStaticApiKeys, listApiKeys, type ApiKeyInfo, type NewApiKey } from './core/api-keys';
import { asOAuthError, OAuthError } from './idp/errors';
import { protectedResource, requireAccessToken, wellKnown, type ProtectedResourceOptions, type RequireAccessTokenOptions, type WellKnownOptions } from './idp/host';
import { findClient, registerClient, storeOptionClients, type NewOAuthClient } from './idp/clients';
import { openPending, type PendingConsent } from './idp/authorize';
import { createSessionStore, type ExpressSessionStore, type SessionStoreOptions } from './session-store';

type Next = (err?: unknown) => void;

/** What `authenticate` puts on the request for the host app's own routes. */
export interface AccountContext {
  user: UserRecord;
  session: SessionRecord;
  via: 'session' | 'jwt';
  /** Set while an impersonator acts as `user` (X-Appwrite-Impersonate-User-*): the impersonator, whose session this is. */
  impersonator?: UserRecord;
}

declare module 'node:http' {
  interface IncomingMessage {
    /** Set by `router.authenticate`: the signed-in account, or null for guests. */
    account?: AccountContext | null;
  }
}

export interface AccountRouter extends express.Router {
  /** Middleware for host-app routes: sets `req.account` to the caller (or null) and continues. */
  authenticate: (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  /**
   * Like `authenticate`, but answers guests with Appwrite's 401 `general_unauthorized_scope` body.
   * Used as is, it is the middleware; called with options, `requireAccount({ labels: ['admin'] })`,
   * it returns a middleware that also demands a label (403 `user_label_missing` without one).
   */
  requireAccount: RequireAccount;
  /** Resolves when storage is migrated and the server secret is known; requests wait for it anyway. */
  ready(): Promise<void>;
  /** Closes the storage adapter. */
  close(): Promise<void>;
  /** The OpenAPI 3.1 document of the served routes, for the API mounted at `serverUrl`. */
  openapi(serverUrl?: string): Record<string, unknown>;
  /** The route table this router serves (read-only). */
  readonly routes: readonly AnyRoute[];
  /**
   * An express-session store on this router's storage, tied to the account sessions by default
   * (needs the express-session package; see docs/express-session.md):
   * `app.use(session({ store: accounts.sessionStore(), secret, resave: false, saveUninitialized: false }))`.
   */
  sessionStore(options?: SessionStoreOptions): ExpressSessionStore;
  /**
   * The code of the user's live `custom` MFA challenge, for the host app to deliver through its own
   * channel (see the `mfa` option); null when there is no such challenge, it expired or was answered.
   */
  getMfaChallengeCode(userId: string, challengeId: string): Promise<CustomChallengeCode | null>;
  /**
   * Administering users in-process: what the Users API does, without HTTP or an API key (see
   * docs/integration.md): `await accounts.users.block(userId)`.
   */
  readonly users: UsersAdmin;
  /** In-process administration of this router's storage. */
  readonly admin: {
    /** Server API keys (X-Appwrite-Key) kept in storage, next to the `apiKeys` option's static ones. */
    readonly apiKeys: ApiKeyAdmin;
    /** The authorization server's OAuth clients (needs the `identityProvider` option). */
    readonly oauthClients: {
      /** Registers a client; its generated secret (confidential clients) is returned here only. */
      create(client: NewOAuthClient): Promise<{ client: OAuthClientRecord; secret: string | null }>;
      get(id: string): Promise<OAuthClientRecord | null>;
      /** Deletes the client with every consent, code and token family it holds. */
      delete(id: string): Promise<boolean>;
    };
  };
  /**
   * Middleware for the host's own APIs (an MCP server, say): admits requests with a live access
   * token of this router's authorization server (`identityProvider` option), issued for `resource`
   * with `scopes`, and sets `req.accessToken` (and `req.auth` for the MCP SDK); otherwise 401/403
   * with a `WWW-Authenticate` challenge naming the resource's metadata (docs/identity-provider.md).
   */
  requireAccessToken(options?: RequireAccessTokenOptions): (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  /** The authorization server's discovery documents at the origin root: `app.use(accounts.wellKnown())`. */
  wellKnown(options?: WellKnownOptions): (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  /** RFC 9728 metadata of one of the host's APIs, at the origin root: `app.use(accounts.protectedResource({ resource: '/mcp' }))`. */
  protectedResource(options: ProtectedResourceOptions): (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  /**
   * The pending request behind a `consentUrl` page's `request` handle (client, scopes, resources,
   * user), or null when it is unknown or expired; the page then posts its decision.
   */
  consentRequest(handle: string): Promise<(PendingConsent & { client: OAuthClientRecord | null }) | null>;
}

/** A middleware for the host app's routes. */
export type AccountMiddleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/** What `requireAccount(options)` demands besides a signed-in account. */
export interface RequireAccountOptions {
  /**
   * The account must carry at least one of these labels (`User.labels`, set with the Users API's
   * `updateLabels`): 403 `user_label_missing` otherwise. Each is 1–36 letters and digits, as
   * Appwrite's labels; a bad list throws a TypeError when the guard is made.
   * @default [] — any signed-in account
   */
  labels?: string[];
}

/** `requireAccount`: the middleware itself, or a factory of guards that also demand a label. */
export interface RequireAccount {
  (req: IncomingMessage, res: ServerResponse, next: Next): void;
  (options: RequireAccountOptions): AccountMiddleware;
}

/** `router.admin.apiKeys`: stored API keys. Only a keyed hash of each secret is stored (docs/security.md). */
export interface ApiKeyAdmin {
  /**
   * Creates a key: `{ name, scopes, expire? }` → the key with its `secret`, which is shown here once
   * and can never be read again. Bad arguments throw a TypeError naming them.
   */
  create(input: NewApiKey): Promise<ApiKeyInfo & { secret: string }>;
  /** Every stored key, oldest first, without secrets. */
  list(): Promise<ApiKeyInfo[]>;
  /** Revokes a key at once; false when there was none. */
  delete(id: string): Promise<boolean>;
}

/**
 * Creates an Express router serving the Appwrite Account API on `storage`.
 * Mount it where the SDK's endpoint points: `app.use('/v1', createAccountRouter())`.
 */
export function createAccountRouter(options: AccountRouterOptions = {}): AccountRouter {
  const config = resolveOptions(options);
  // The one clock of request logic (services.now), also the rate-limit store's.
  const now = (): Date => new Date();
  // Built here, not at the first request, so that bad `idTokens` settings throw from createAccountRouter().
  const idTokens = createIdTokenVerifier({ providers: config.idTokens, now, optionName: 'idTokens' });
  const storage: StorageAdapter = config.storage ?? createSqliteAdapter({ filename: './data/account.sqlite' });
  const table = compile(ROUTES);
  const modelLocale = modelLocaleResolver(config.defaultLocale);
  const storeFor = config.rateLimits.store ?? ((prefix: string) => new AdapterCounterStore(storage.counters, prefix, now));
  const limiters = new Map<AnyRoute, RouteLimiter>(
    config.rateLimits.enabled ? ROUTES.filter((route) => route.rateLimit).map((route) => [route, new RouteLimiter(route, storeFor, config)]) : [],
  );

  let started: Services | undefined;
  let starting: Promise<Services> | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  /** Migrates storage and learns the server secret, then builds the services: once, before any request. */
  const start = (): Promise<Services> =>
    (starting ??= (async () => {
      await storage.migrate();
      const secret = config.secret ?? (await storage.settings.getOrCreate('server-secret', randomHex(32)));
      const services = createServices(config, storage, secret, now, idTokens);
      await storeOptionClients(services);
      if (config.pruneIntervalMs > 0) pruneTimer = setInterval(() => prune(services), config.pruneIntervalMs).unref();
      return (started = services);
    })());

  async function handle(req: IncomingMessage, res: ServerResponse, next: Next): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
    const found = match(table, method, path);
    const servesOpenApi = !found && config.openapi && method === 'GET' && path === '/openapi.json';
    // Under a mount point everything is ours; mounted at the root, only /account paths are.
    if (!found && !servesOpenApi && !mountPath(req) && path !== '/account' && !path.startsWith('/account/')) return next();
    const responseFormat = header(req, 'x-appwrite-response-format');
    // As Appwrite: an SDK newer than the server hears so on every answer (the SDK logs it).
    const warning = formatWarning(responseFormat);
    if (warning) res.setHeader('X-Appwrite-Warning', warning);
    // The authorization server's endpoints that clients call from anywhere answer every origin,
    // without credentials: a public client in a browser (an SPA, an MCP inspector) sends what
    // proves it in the request, never in cookies.
    const target = method === 'OPTIONS' ? (match(table, 'POST', path) ?? match(table, 'GET', path)) : found;
    if (target?.route.oauth && target.route.anyOrigin) {
      writePublicCorsHeaders(res, method === 'OPTIONS');
      if (method === 'OPTIONS') return sendEmpty(res, 204);
    } else if (config.cors) {
      // Before anything can fail, so a page on another origin can read the error too.
      writeCorsHeaders(req, res, config, method === 'OPTIONS');
      if (method === 'OPTIONS') return sendEmpty(res, 204);
    }
    if (servesOpenApi) return sendJson(res, 200, JSON.stringify(buildOpenApi(ROUTES, config, mountPath(req) || '/')));
    if (!found) throw new AccountError('general_route_not_found');

    if (found.route.oauth) {
      try {
        return await serve(found, req, res, url, queryAt, responseFormat);
      } catch (error) {
        const known = asOAuthError(error);
        if (known) throw known;
        // Logged as any unexpected error is, then told the client in its protocol's words.
        toAccountError(error, config.logger);
        throw new OAuthError('server_error', 'The server could not complete the request.');
      }
    }
    return serve(found, req, res, url, queryAt, responseFormat);
  }

  async function serve(
    { route, pathParams }: { route: AnyRoute; pathParams: Record<string, string> },
    req: IncomingMessage,
    res: ServerResponse,
    url: string,
    queryAt: number,
    responseFormat: string | undefined,
  ): Promise<void> {
    const services = started ?? (await start());
    const addressing = clientAddressing(req, config.trustProxy);
    const query = parseQuery(queryAt < 0 ? '' : url.slice(queryAt));
    const visit: Visit = { route, req, res, query, pathParams, ip: addressing.ip, limiter: limiters.get(route), caller: null, key: null, input: {} };
    await admit(visit, services);
    const { caller, key, input } = visit;
    const params = validateParams(route.params, input, config);
    // The request's language, once: every message it sends uses this (see RequestInfo.locale).
    const locales = localeSources(req, input);
    const request = requestInfo(req, addressing, services.messages.localeOf(locales));

    const result = await route.handler({ params, caller, key, request, services });
    const { value, actor, session } = result instanceof Reply ? result : new Reply(result, undefined, undefined);

    // An impersonator's acts are logged as theirs (Appwrite's audits name the impersonator).
    if (route.audit) await logEvent(services, route.audit, caller?.impersonator ?? actor ?? caller?.user, request);
    if (visit.limiter && !key && route.rateLimit?.resetOnSuccess && route.status === 201) await visit.limiter.reset(rateLimitSubject(visit));
    // The account acted as by an impersonator was not used by its owner: its accessedAt stays.
    if (caller && !caller.impersonator) noteAccess(services, caller.user)?.catch((error: unknown) => toAccountError(error, config.logger));

    if (session === 'end') clearSessionCookies(services, request, res);
    else if (session) setSessionCookies(services, request, res, session.start, session.secret);
    if (isRedirect(value)) return sendRedirect(res, route.status, value.redirect);
    if (value instanceof RawResponse) return sendRaw(res, value);
    if (route.status === 204 || !route.model) return sendEmpty(res, route.status);
    const modelContext: ModelContext = {
      currentSessionId: session && session !== 'end' ? session.start.id : caller?.via === 'session' ? caller.session.id : null,
      responseFormat: formatVersion(responseFormat),
      locale: modelLocale(locales),
      revealedSession: key && session && session !== 'end' ? { id: session.start.id, secret: encodeSessionCredential(session.start.userId, session.secret) } : null,
      apiKey: key !== null,
      impersonation: caller?.impersonator ? { userId: caller.user.id, impersonatorUserId: caller.impersonator.id } : null,
    };
    const serialize = MODELS[route.model] as (value: unknown, ctx: ModelContext) => unknown;
    sendJson(res, route.status, JSON.stringify(serialize(value, modelContext)));
  }

  // An Express Router, so that every host mounts it as one, whose requests go straight to `handle`:
  // the routes are one table matched there, and the Router's own stack walk (layer matching,
  // prefix trimming) cost a request more than the host app's router did. Whatever a host adds to
  // this router with use()/get() still runs for the paths the router leaves to the host (mounted at
  // the root: those outside /account).
  const router = express.Router() as AccountRouter & { handle: (req: IncomingMessage, res: ServerResponse, next: Next) => void };
  const runHostLayers = router.handle.bind(router);
  router.handle = function accountRouter(req: IncomingMessage, res: ServerResponse, next: Next) {
    handle(req, res, () => runHostLayers(req, res, next)).catch((error: unknown) => sendError(res, toAccountError(error, config.logger)));
  };

  /** The caller of a host-app route, or the gate's refusal that makes the request a guest there. */
  async function hostCaller(req: IncomingMessage): Promise<SessionCaller | AccountError> {
    return admitHostCaller(req, started ?? (await start()));
  }
  const authenticate = function authenticate(req: IncomingMessage, res: ServerResponse, next: Next): void {
    hostCaller(req).then(
      (admitted) => {
        req.account = admitted instanceof AccountError ? null : admitted;
        next();
      },
      (error: unknown) => sendError(res, toAccountError(error, config.logger)),
    );
  };
  /** The guard: a signed-in account and, when `labels` is given, one of them. */
  function guard(labels: readonly string[]): AccountMiddleware {
    return function requireAccount(req: IncomingMessage, res: ServerResponse, next: Next): void {
      hostCaller(req).then(
        (admitted) => {
          req.account = admitted instanceof AccountError ? null : admitted;
          if (admitted instanceof AccountError) return sendError(res, admitted);
          // 403, not Appwrite's 401 user_unauthorized: the caller is known, and a 401 tells
          // front ends to sign in again, which would not help.
          if (labels.length && !labels.some((label) => admitted.user.labels.includes(label))) {
            return sendError(res, new AccountError('user_label_missing', `The current user does not carry a label this resource requires (one of ${JSON.stringify(labels)}).`));
          }
          next();
        },
        (error: unknown) => sendError(res, toAccountError(error, config.logger)),
      );
    };
  }
  const anyAccount = guard([]);
  const requireAccount = function requireAccount(reqOrOptions: IncomingMessage | RequireAccountOptions, res?: ServerResponse, next?: Next) {
    if (typeof next === 'function') return anyAccount(reqOrOptions as IncomingMessage, res!, next);
    const { labels = [] } = (reqOrOptions ?? {}) as RequireAccountOptions;
    if (!isLabelList(labels) || (labels.length === 0 && 'labels' in (reqOrOptions ?? {}))) {
      throw new TypeError(`requireAccount: option \`labels\` must be a non-empty list of at most ${MAX_LABELS} labels of 1–36 letters and digits.`);
    }
    return guard([...labels]);
  } as RequireAccount;

  const ready = async (): Promise<void> => void (await start());
  const services = async (): Promise<Services> => started ?? (await start());
  return Object.assign(router, {
    authenticate,
    requireAccount,
    ready,
    openapi: (serverUrl = '/v1') => buildOpenApi(ROUTES, config, serverUrl),
    close: async () => {
      clearInterval(pruneTimer);
      await storage.close();
    },
    routes: ROUTES,
    sessionStore: (storeOptions?: SessionStoreOptions) =>
      createSessionStore(
        {
          storage,
          ready,
          now,
          logger: config.logger,
          signedIn: async (req) => {
            const admitted = await hostCaller(req);
            return admitted instanceof AccountError ? null : admitted.session.id;
          },
        },
        storeOptions,
      ),
    getMfaChallengeCode: async (userId: string, challengeId: string) => readCustomChallenge(await services(), userId, challengeId),
    users: createUsersAdmin(services),
    admin: {
      apiKeys: {
        create: async (input: NewApiKey) => createApiKey(await services(), input),
        list: async () => listApiKeys(await services()),
        delete: async (id: string) => deleteApiKey(await services(), id),
      },
      oauthClients: {
        create: async (client: NewOAuthClient) => registerClient(await services(), client, 'host'),
        get: async (id: string) => findClient(await services(), id),
        delete: async (id: string) => (await services()).storage.oauthClients.delete(id),
      },
    },
    requireAccessToken: (tokenOptions?: RequireAccessTokenOptions) => requireAccessToken(services, tokenOptions),
    wellKnown: (wellKnownOptions?: WellKnownOptions) => wellKnown(services, wellKnownOptions),
    protectedResource: (resourceOptions: ProtectedResourceOptions) => protectedResource(services, resourceOptions),
    consentRequest: async (handle: string) => {
      const ready = await services();
      const pending = openPending(ready, handle);
      return pending && { ...pending, client: await findClient(ready, pending.request.clientId) };
    },
  });
}

/** The services of a ready router: everything a request needs, complete from the start. */
function createServices(config: ResolvedConfig, storage: StorageAdapter, serverSecret: string, now: () => Date, idTokens: IdTokenVerifier): Services {
  const secrets = new SecretHasher(serverSecret);
  return {
    config,
    storage,
    secrets,
    staticApiKeys: hashStaticApiKeys(config.apiKeys, secrets),
    box: new SecretBox(serverSecret),
    passwords: new PasswordHasher(config.password.bcryptCost),
    messages: new Messenger(config),
    serverSecret,
    jwtKey: jwtKey(serverSecret),
    oauth2: new OAuth2Runtime({ serverSecret, now }),
    idTokens,
    now,
  };
}

/** Expired rows go in the background, never in a request's path. */
function prune(services: Services): void {
  const { storage, config } = services;
  const now = services.now();
  Promise.all([
    storage.sessions.deleteExpired(now),
    storage.tokens.deleteExpired(now),
    storage.challenges.deleteExpired(now),
    storage.counters.deleteExpired(now),
    storage.hostSessions.deleteExpired(now),
    storage.oauthCodes.deleteExpired(now),
    storage.oauthGrants.deleteExpired(now),
    storage.signingKeys.deleteExpired(now),
  ]).catch((error: unknown) => config.logger.warn('account-router: pruning expired records failed', { error: String(error) }));
}

/** What a request says about its language: the `locale` parameter (query or body) and two headers. */
function localeSources(req: IncomingMessage, input: Record<string, unknown>): LocaleSources {
  return { param: input.locale, header: header(req, 'x-appwrite-locale'), acceptLanguage: header(req, 'accept-language') };
}

/** The client as the handlers see it: addresses through the configured proxies only. */
function requestInfo(req: IncomingMessage, { ip, secure, host }: ClientAddressing, locale: string): RequestInfo {
  let country: string | undefined;
  let hostname: string | undefined;
  return {
    raw: req,
    ip,
    userAgent: header(req, 'user-agent') || 'UNKNOWN',
    // Looked up only when a session or log entry records it, never on plain reads.
    get countryCode() {
      return (country ??= countryCode(ip));
    },
    secure,
    host,
    get hostname() {
      return (hostname ??= host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'));
    },
    origin: header(req, 'origin'),
    locale,
  };
}

/** The security log's entry for an audited route: whom it acted for, from where. */
async function logEvent(services: Services, event: string, actor: UserRecord | undefined, request: RequestInfo): Promise<void> {
  if (!actor) return;
  await services.storage.logs.create({
    id: newId(),
    userId: actor.id,
    event,
    userEmail: actor.email ?? '',
    userName: actor.name,
    mode: 'default',
    ip: request.ip,
    userAgent: request.userAgent,
    countryCode: request.countryCode,
    time: services.now(),
  });
}

function isRedirect(value: unknown): value is { redirect: string } {
  return typeof value === 'object' && value !== null && 'redirect' in value;
}

interface CompiledRoute {
  route: AnyRoute;
  pattern: RegExp | null;
  names: string[];
}

function compile(routes: readonly AnyRoute[]): { exact: Map<string, CompiledRoute>; patterns: CompiledRoute[] } {
  const exact = new Map<string, CompiledRoute>();
  const patterns: CompiledRoute[] = [];
  for (const route of routes) {
    if (route.scope === 'server' && !route.keyScopes?.length) throw new Error(`${route.sdk}: a server route names the keyScopes that admit a key`);
    for (const path of [route.path, ...(route.aliases ?? [])]) {
      const names: string[] = [];
      const source = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      const entry: CompiledRoute = { route, pattern: names.length ? new RegExp(`^${source}$`) : null, names };
      if (entry.pattern) patterns.push(entry);
      else exact.set(`${route.method.toUpperCase()} ${path}`, entry);
    }
  }
  return { exact, patterns };
}

function match(table: ReturnType<typeof compile>, method: string, path: string): { route: AnyRoute; pathParams: Record<string, string> } | null {
  const exact = table.exact.get(`${method} ${path}`);
  if (exact) return { route: exact.route, pathParams: {} };
  for (const entry of table.patterns) {
    if (entry.route.method.toUpperCase() !== method) continue;
    const m = entry.pattern!.exec(path);
    if (!m) continue;
    const pathParams: Record<string, string> = {};
    try {
      entry.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(m[i + 1]!)));
    } catch {
      continue;
    }
    return { route: entry.route, pathParams };
  }
  return null;
}

function sendError(res: ServerResponse, error: AccountError | OAuthError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof OAuthError) {
    // RFC 6749 §5.2: a client that tried HTTP Basic hears which scheme to use.
    const headers: Record<string, string> = error.error === 'invalid_client' ? { 'WWW-Authenticate': 'Basic realm="oauth2"' } : {};
    return sendRaw(res, RawResponse.json(error.toJSON(), error.status, headers));
  }
  sendJson(res, error.code, JSON.stringify(error.toJSON()));
}

function sendRaw(res: ServerResponse, raw: RawResponse): void {
  res.statusCode = raw.status;
  for (const [name, value] of Object.entries(raw.headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(raw.body));
  res.end(raw.body);
}

function toAccountError(error: unknown, logger: ResolvedConfig['logger']): AccountError | OAuthError {
  if (error instanceof AccountError || error instanceof OAuthError) return error;
  // Only the error's name and message are logged: request bodies may carry passwords.
  logger.error('account-router: unexpected error', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  return new AccountError('general_unknown', undefined, { cause: error });
}
