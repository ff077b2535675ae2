// createAccountRouter(): builds the per-router services and mounts the route table. Every answer
// carries CORS; every route passes the same steps in the same order: project check, Origin check,
// credentials, scope, blocked user, guest-only check, parameters, handler, serializer, security log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { StorageAdapter, UserRecord } from '../adapters/types';
import { createSqliteAdapter } from '../adapters/sqlite';
import { AccountError } from './errors';
import { clientAddressing, header, mountPath, parseQuery, readBody, sendEmpty, sendJson, sendRedirect } from './http';
import { formatVersion, MODELS, type ModelContext } from './models';
import { resolveOptions, type AccountRouterOptions, type ResolvedConfig } from './options';
import { validateParams } from './params';
import { Reply, type AnyRoute, type Caller, type RequestInfo, type RouteCall, type Services } from './route';
import { PasswordHasher } from './core/passwords';
import { randomHex, SecretBox, SecretHasher } from './core/secrets';
import { Messenger } from './core/messaging';
import { clearSessionCookies, resolveCaller, setSessionCookies } from './core/sessions';
import { newId } from './core/ids';
import { jwtKey } from './core/jwt';
import { AdapterCounterStore, RouteLimiter, type RateLimitSubject } from './core/rate-limit';
import { ROUTES } from './routes';
import { buildOpenApi } from './openapi';
import { countryCode } from './core/client-info';
import { mfaPending, hasRecentChallenge } from './core/mfa';
import { checkOrigin, writeCorsHeaders } from './core/origins';
import { OAuth2Runtime } from './core/oauth2/runtime';

type Next = (err?: unknown) => void;

/** What `authenticate` puts on the request for the host app's own routes. */
export interface AccountContext {
  user: import('../adapters/types').UserRecord;
  session: import('../adapters/types').SessionRecord;
  via: 'session' | 'jwt';
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
  /** Like `authenticate`, but answers guests with Appwrite's 401 `general_unauthorized_scope` body. */
  requireAccount: (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  /** Resolves when storage is migrated and the server secret is known; requests wait for it anyway. */
  ready(): Promise<void>;
  /** Closes the storage adapter. */
  close(): Promise<void>;
  /** The OpenAPI 3.1 document of the served routes, for the API mounted at `serverUrl`. */
  openapi(serverUrl?: string): Record<string, unknown>;
  /** The route table this router serves (read-only). */
  readonly routes: readonly AnyRoute[];
}

interface CompiledRoute {
  route: AnyRoute;
  /** The route's canonical path: aliases share its rate-limit counters. */
  path: string;
  pattern: RegExp | null;
  names: string[];
}

function compile(routes: readonly AnyRoute[]): { exact: Map<string, CompiledRoute>; patterns: CompiledRoute[] } {
  const exact = new Map<string, CompiledRoute>();
  const patterns: CompiledRoute[] = [];
  for (const route of routes) {
    for (const path of [route.path, ...(route.aliases ?? [])]) {
      const names: string[] = [];
      const source = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      const entry: CompiledRoute = { route, path: route.path, pattern: names.length ? new RegExp(`^${source}$`) : null, names };
      if (entry.pattern) patterns.push(entry);
      else exact.set(`${route.method.toUpperCase()} ${path}`, entry);
    }
  }
  return { exact, patterns };
}

function match(table: ReturnType<typeof compile>, method: string, path: string): { entry: CompiledRoute; pathParams: Record<string, string> } | null {
  const exact = table.exact.get(`${method} ${path}`);
  if (exact) return { entry: exact, pathParams: {} };
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
    return { entry, pathParams };
  }
  return null;
}

function sendError(res: ServerResponse, error: AccountError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.code, JSON.stringify(error.toJSON()));
}

function toAccountError(error: unknown, logger: ResolvedConfig['logger']): AccountError {
  if (error instanceof AccountError) return error;
  // Only the error's name and message are logged: request bodies may carry passwords.
  logger.error('account-router: unexpected error', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  return new AccountError('general_unknown', undefined, { cause: error });
}

/** The services of a ready router: everything a request needs, complete from the start. */
function createServices(config: ResolvedConfig, storage: StorageAdapter, serverSecret: string, now: () => Date): Services {
  return {
    config,
    storage,
    secrets: new SecretHasher(serverSecret),
    box: new SecretBox(serverSecret),
    passwords: new PasswordHasher(config.password.bcryptCost),
    messages: new Messenger(config),
    serverSecret,
    jwtKey: jwtKey(serverSecret),
    oauth2: new OAuth2Runtime({ serverSecret, now }),
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
  ]).catch((error: unknown) => config.logger.warn('account-router: pruning expired records failed', { error: String(error) }));
}

/**
 * Creates an Express router serving the Appwrite Account API on `storage`.
 * Mount it where the SDK's endpoint points: `app.use('/v1', createAccountRouter())`.
 */
export function createAccountRouter(options: AccountRouterOptions = {}): AccountRouter {
  const config = resolveOptions(options);
  const storage: StorageAdapter = config.storage ?? createSqliteAdapter({ filename: './data/account.sqlite' });
  const now = (): Date => new Date();
  let started: Services | undefined;
  let starting: Promise<Services> | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  /** Migrates storage and learns the server secret, then builds the services: once, before any request. */
  const start = (): Promise<Services> =>
    (starting ??= (async () => {
      await storage.migrate();
      const secret = config.secret ?? (await storage.settings.getOrCreate('server-secret', randomHex(32)));
      const built = createServices(config, storage, secret, now);
      if (config.pruneIntervalMs > 0) pruneTimer = setInterval(() => prune(built), config.pruneIntervalMs).unref();
      return (started = built);
    })());

  const table = compile(ROUTES);
  const storeFor = config.rateLimits.store ?? ((prefix: string) => new AdapterCounterStore(storage.counters, prefix, now));
  const limiters = new Map<AnyRoute, RouteLimiter>(
    config.rateLimits.enabled ? ROUTES.filter((route) => route.rateLimit).map((route) => [route, new RouteLimiter(route, storeFor, config)]) : [],
  );

  function requestInfo(req: IncomingMessage): RequestInfo {
    const { ip, secure, host } = clientAddressing(req, config.trustProxy);
    let country: string | undefined;
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
      hostname: host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'),
      origin: header(req, 'origin'),
      locale: header(req, 'x-appwrite-locale'),
    };
  }

  async function handle(req: IncomingMessage & { baseUrl?: string }, res: ServerResponse, next: Next): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
    const found = match(table, method, path);
    const servesOpenApi = !found && config.openapi && method === 'GET' && path === '/openapi.json';
    // Under a mount point everything is ours; mounted at the root, only /account paths are.
    if (!found && !servesOpenApi && !mountPath(req) && path !== '/account' && !path.startsWith('/account/')) return next();
    if (config.cors) {
      // Before anything can fail, so a page on another origin can read the error too.
      writeCorsHeaders(req, res, config, method === 'OPTIONS');
      if (method === 'OPTIONS') return sendEmpty(res, 204);
    }
    if (servesOpenApi) return sendJson(res, 200, JSON.stringify(buildOpenApi(ROUTES, config, mountPath(req) || '/')));
    if (!found) throw new AccountError('general_route_not_found');
    const services = started ?? (await start());
    const { entry, pathParams } = found;
    const route = entry.route;
    const query = parseQuery(queryAt < 0 ? '' : url.slice(queryAt));

    const project = (typeof query.project === 'string' ? query.project : undefined) ?? header(req, 'x-appwrite-project');
    if (project !== undefined && project !== config.projectId) throw new AccountError('project_not_found');
    // Before the body is read and before rate-limit counting: a refused request does no work and
    // spends no budget, so a foreign page cannot use the user's browser to lock the user out.
    if (config.originCheck && !route.anyOrigin) checkOrigin(req, config);

    const caller = await resolveCaller(services, req);
    if (route.scope === 'user' && !caller) {
      throw new AccountError('general_unauthorized_scope', 'User (role: guests) missing scopes (["account"])');
    }
    if (caller && !caller.user.status) throw new AccountError('user_blocked');
    // MFA gate (spec §8.3): a session that still owes a factor reaches only the exempt routes.
    if (caller && !route.mfaExempt && (await mfaPending(storage, caller))) throw new AccountError('user_more_factors_required');

    const body = method === 'GET' ? {} : await readBody(req, config.bodyLimitBytes);
    const input = { ...query, ...body, ...pathParams };
    const request = requestInfo(req);
    // Counted before validation, as Appwrite does: malformed guesses use up the budget too.
    const limiter = limiters.get(route);
    const subject: RateLimitSubject = { ip: request.ip, userId: caller?.user.id, params: input };
    if (limiter) await limiter.check(req, res, subject);
    if (route.scope === 'guest' && caller) throw new AccountError('user_session_already_exists');
    if (route.recentMfa && caller && !hasRecentChallenge(caller, services.now())) throw new AccountError('user_challenge_required');
    const params = validateParams(route.params, input, config);
    const call: RouteCall<Record<string, unknown>> = { params, caller, request, services };
    const result: unknown = await route.handler(call as never);
    const { value, actor, session } = result instanceof Reply ? result : new Reply(result, undefined, undefined);

    if (route.audit) await writeAuditLog(services, route.audit, actor ?? caller?.user, request);
    if (limiter && route.rateLimit?.resetOnSuccess && route.status === 201) await limiter.reset(subject);
    if (caller) refreshAccessedAt(services, caller);

    if (session === 'end') clearSessionCookies(services, request, res);
    else if (session) setSessionCookies(services, request, res, session.start, session.secret);
    if (value && typeof value === 'object' && 'redirect' in value) return sendRedirect(res, route.status, (value as { redirect: string }).redirect);
    if (route.status === 204 || !route.model) return sendEmpty(res, route.status === 204 ? 204 : route.status);
    const modelContext: ModelContext = {
      currentSessionId: session && session !== 'end' ? session.start.id : caller?.via === 'session' ? caller.session.id : null,
      responseFormat: formatVersion(header(req, 'x-appwrite-response-format')),
    };
    const serialize = MODELS[route.model] as (value: unknown, ctx: ModelContext) => unknown;
    sendJson(res, route.status, JSON.stringify(serialize(value, modelContext)));
  }

  async function writeAuditLog(services: Services, event: string, actor: UserRecord | undefined, request: RequestInfo): Promise<void> {
    if (!actor) return;
    await storage.logs.create({
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

  /** accessedAt moves at most once a day, so reads stay reads. */
  function refreshAccessedAt(services: Services, caller: Caller): void {
    const now = services.now();
    if (now.getTime() - caller.user.accessedAt.getTime() < 86_400_000) return;
    storage.users.update(caller.user.id, { accessedAt: now }).catch((error: unknown) => toAccountError(error, config.logger));
  }

  const router = express.Router() as AccountRouter;
  router.use(function accountRouter(req: IncomingMessage, res: ServerResponse, next: Next) {
    handle(req, res, next).catch((error: unknown) => sendError(res, toAccountError(error, config.logger)));
  });

  /** The caller for host routes; a session that still owes an MFA factor is not signed in there. */
  async function hostCaller(req: IncomingMessage): Promise<{ account: Caller | null; mfaPending: boolean }> {
    const caller = await resolveCaller(started ?? (await start()), req);
    if (!caller || !caller.user.status) return { account: null, mfaPending: false };
    if (await mfaPending(storage, caller)) return { account: null, mfaPending: true };
    return { account: caller, mfaPending: false };
  }
  const authenticate = function authenticate(req: IncomingMessage, res: ServerResponse, next: Next): void {
    hostCaller(req).then(
      ({ account }) => {
        req.account = account;
        next();
      },
      (error: unknown) => sendError(res, toAccountError(error, config.logger)),
    );
  };
  const requireAccount = function requireAccount(req: IncomingMessage, res: ServerResponse, next: Next): void {
    hostCaller(req).then(
      ({ account, mfaPending: pending }) => {
        req.account = account;
        if (account) return next();
        if (pending) return sendError(res, new AccountError('user_more_factors_required'));
        sendError(res, new AccountError('general_unauthorized_scope', 'User (role: guests) missing scopes (["account"])'));
      },
      (error: unknown) => sendError(res, toAccountError(error, config.logger)),
    );
  };

  return Object.assign(router, {
    authenticate,
    requireAccount,
    ready: async () => void (await start()),
    openapi: (serverUrl = '/v1') => buildOpenApi(ROUTES, config, serverUrl),
    close: async () => {
      clearInterval(pruneTimer);
      await storage.close();
    },
    routes: ROUTES,
  });
}
