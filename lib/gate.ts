// The gate: the checks a request passes before its parameters are validated, in one ordered list.
// The order decides which refusal a request gets, and this list is the only place it is written:
// the router runs GATE for its routes, `authenticate` and `requireAccount` run its caller steps
// for the host app's routes, and the OpenAPI document reads each route's refusals from the steps.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccountError, type ErrorType } from './errors';
import { header, readBody } from './http';
import type { AnyRoute, ApiKeyCaller, Caller, RouteScope, Services, SessionCaller } from './route';
import { checkOrigin } from './core/origins';
import { resolveApiKey } from './core/api-keys';
import { impersonate } from './core/impersonation';
import { resolveCaller, sessionCaller } from './core/sessions';
import { bearerToken, resolveBearerCaller } from './idp/account-access';
import { hasRecentChallenge, mayOweFactor, mfaPending } from './core/mfa';
import { mustResetPassword } from './core/password-policy';
import type { RateLimitSubject, RouteLimiter } from './core/rate-limit';

/** What the caller steps read: the route's flags, the request, and the caller once resolved. */
export interface CallerVisit {
  readonly route: Pick<AnyRoute, 'scope' | 'mfaExempt' | 'keyScopes'> & Partial<Pick<AnyRoute, 'method' | 'path' | 'oauth'>>;
  readonly req: IncomingMessage;
  caller: Caller | null;
  /** The API key that authenticated the request (never on host-app routes, which are for accounts). */
  key: ApiKeyCaller | null;
}

/** A request at the gate: what arrived, and what the steps learn on the way (caller, input). */
export interface Visit extends CallerVisit {
  readonly route: AnyRoute;
  readonly res: ServerResponse;
  readonly query: Record<string, unknown>;
  readonly pathParams: Record<string, string>;
  /** The client's address, through the configured proxies only. */
  readonly ip: string;
  /** The route's rate limiter; none when the route has no limit or limits are off. */
  readonly limiter: RouteLimiter | undefined;
  /** The raw parameters (query, then body, then path), once the body is read. */
  input: Record<string, unknown>;
}

interface Step<V extends CallerVisit> {
  /** The error types this step can answer `route` with (for the OpenAPI document). */
  refuses(route: V['route']): ErrorType[];
  /** Throws the refusal; a synchronous step returns nothing, so it costs no await. */
  check(visit: V, services: Services): void | Promise<void>;
}

const project: Step<Visit> = {
  refuses: () => ['project_not_found'],
  check({ query, req }, { config }) {
    const id = (typeof query.project === 'string' ? query.project : undefined) ?? header(req, 'x-appwrite-project');
    if (id !== undefined && id !== config.projectId) throw new AccountError('project_not_found');
  },
};

// First among the credentials, as in Appwrite: a request that sends a key is the server's, whatever
// else it sends, and a key that is not ours (or no longer valid) is refused before any other check.
const keyCredentials: Step<Visit> = {
  refuses: () => ['user_unauthorized', 'project_key_expired'],
  // Synchronous without the header: the requests of browsers and apps pay no await for keys.
  check(visit, services) {
    if (!header(visit.req, 'x-appwrite-key')) return;
    return resolveApiKey(services, visit.req).then((key) => void (visit.key = key));
  },
};

// Before the body is read and before rate-limit counting: a refused request does no work and
// spends no budget, so a foreign page cannot use the user's browser to lock the user out. A
// request with a valid key passes (checkOrigin explains why that is safe).
const origin: Step<Visit> = {
  refuses: (route) => (route.method !== 'get' && !route.anyOrigin ? ['general_unknown_origin'] : []),
  check({ route, req, key }, { config }) {
    if (config.originCheck && !route.anyOrigin) checkOrigin(req, config, key !== null);
  },
};

// A key request is the server's (Appwrite's "applications" role): sessions and JWTs it also
// carries are not read, so a key alone never acts as a user nor impersonates one. A signed-in
// impersonator naming another user becomes that user here (core/impersonation.ts), so every later
// step — blocked, password reset, factors owed — judges the account acted as, as Appwrite does.
// An access token (`Authorization: Bearer`) is read on the router's Account routes only, not on
// the authorization server's (whose userinfo and introspection read tokens of their own) nor on
// host routes (`requireAccessToken` is theirs). Sent with a session or JWT, it is refused as two
// credentials at once are (user_jwt_and_cookie_set): which one acts would otherwise be a guess. A
// token that is not live, not ours or not for this API makes the request a guest's, as an
// expired session does.
const credentials: Step<CallerVisit> = {
  refuses: () => ['user_jwt_invalid', 'user_jwt_and_cookie_set'],
  async check(visit, services) {
    if (visit.key) return;
    const { route, req } = visit;
    const token = route.method && route.path && !route.oauth ? bearerToken(req) : undefined;
    const caller = await resolveCaller(services, req);
    if (token === undefined) return void (visit.caller = await impersonate(services, req, caller));
    if (caller) throw new AccountError('user_jwt_and_cookie_set');
    visit.caller = await resolveBearerCaller(services, req, token, { method: route.method!, path: route.path! });
  },
};

/** The route's Appwrite scope list (see `keyScopes` in lib/route.ts). */
export function routeScopes(route: Pick<AnyRoute, 'scope' | 'keyScopes'>): readonly RouteScope[] {
  return route.keyScopes ?? (route.scope === 'user' ? ['account'] : ['sessions.write']);
}

/** Appwrite's 401 for a caller without the route's scopes: `<who> (role: <role>) missing scopes (<list>)`. */
function scopeRefusal(who: string, role: string, scopes: readonly RouteScope[]): AccountError {
  return new AccountError('general_unauthorized_scope', `${who} (role: ${role}) missing scopes (${JSON.stringify(scopes)})`);
}

/** Appwrite's answer to a guest where an account is needed. */
function guestRefusal(route: Pick<AnyRoute, 'scope' | 'keyScopes'> = HOST_ROUTE): AccountError {
  return scopeRefusal('User', 'guests', routeScopes(route));
}

// Any one of the route's scopes admits the key, as Appwrite intersects them. Appwrite names the
// key's caller `app.<project>@service.<host>`; the host is the Host header, as its hostname is.
const keyScope: Step<Visit> = {
  refuses: () => ['general_unauthorized_scope'],
  check({ route, key, req }, { config }) {
    if (!key) return;
    const scopes = routeScopes(route);
    if (scopes.some((s) => (key.scopes as readonly string[]).includes(s))) return;
    const host = (header(req, 'host') ?? '').replace(/:\d+$/, '');
    throw scopeRefusal(`app.${config.projectId}@service.${host}`, 'applications', scopes);
  },
};

// Impersonators hold `users.read` (Appwrite 1.9), before and while impersonating, and only that:
// the scopes Appwrite's users role has besides (sessions.write, …) admit no server route here,
// since Appwrite's document permissions, which would stop a user there, do not exist here.
/** Why a caller without a key may not use `route` (Appwrite's 401), or null when they may. */
export function callerScopeRefusal(route: Pick<AnyRoute, 'scope' | 'keyScopes'>, caller: Caller | null): AccountError | null {
  if (route.scope === 'user' && !caller) return guestRefusal(route);
  if (route.scope !== 'server') return null;
  const scopes = routeScopes(route);
  if (!caller) return scopeRefusal('User', 'guests', scopes);
  const impersonator = caller.impersonator ?? caller.user;
  if (impersonator.impersonator && scopes.includes('users.read')) return null;
  return scopeRefusal(caller.user.email || 'User', 'users', scopes);
}

const scope: Step<CallerVisit> = {
  refuses: (route) => (route.scope === 'user' || route.scope === 'server' ? ['general_unauthorized_scope'] : []),
  check({ route, caller, key }) {
    const refusal = key ? null : callerScopeRefusal(route, caller);
    if (refusal) throw refusal;
  },
};

const blocked: Step<CallerVisit> = {
  refuses: () => ['user_blocked'],
  check({ caller }) {
    if (caller && !caller.user.status) throw new AccountError('user_blocked');
  },
};

// After `blocked`, as in Appwrite: an account whose password is known breached (password.pwned
// with signIn 'block') reaches no route that needs an account until recovery replaces the
// password, whoever holds its sessions or JWTs; changing the password with the breached one is
// refused too. Routes any caller may use (recovery itself) stay open, and so do the exempt ones
// (signing out).
const passwordReset: Step<CallerVisit> = {
  refuses: (route) => (route.scope === 'user' && !route.mfaExempt ? ['user_password_reset_required'] : []),
  check({ route, caller }, services) {
    if (caller && route.scope === 'user' && !route.mfaExempt && mustResetPassword(services, caller.user)) throw new AccountError('user_password_reset_required');
  },
};

// Spec §8.3: a session that still owes a factor reaches only the exempt routes.
// Synchronous for accounts without MFA, so the common read pays no await here.
const factorOwed: Step<CallerVisit> = {
  refuses: (route) => (route.mfaExempt ? [] : ['user_more_factors_required']),
  check({ route, caller }, services) {
    if (!caller || route.mfaExempt || !mayOweFactor(caller)) return;
    return mfaPending(services, caller).then((pending) => {
      if (pending) throw new AccountError('user_more_factors_required');
    });
  },
};

const body: Step<Visit> = {
  refuses: (route) => (route.method === 'get' ? [] : ['general_bad_request', 'general_payload_too_large']),
  check(visit, { config }) {
    if (visit.route.method === 'get') return void (visit.input = { ...visit.query, ...visit.pathParams });
    return readBody(visit.req, config.bodyLimitBytes).then((parsed) => void (visit.input = { ...visit.query, ...parsed, ...visit.pathParams }));
  },
};

// Counted before validation, as Appwrite does: malformed guesses use up the budget too. Requests
// with a key are not counted: Appwrite exempts the server, whose traffic is its users' traffic.
const rateLimit: Step<Visit> = {
  refuses: (route) => (route.rateLimit ? ['general_rate_limit_exceeded'] : []),
  check(visit) {
    if (visit.limiter && !visit.key) return visit.limiter.check(visit.req, visit.res, rateLimitSubject(visit));
  },
};

const guestOnly: Step<Visit> = {
  refuses: (route) => (route.scope === 'guest' ? ['user_session_already_exists'] : []),
  check({ route, caller }) {
    if (route.scope === 'guest' && caller) throw new AccountError('user_session_already_exists');
  },
};

const recentFactor: Step<Visit> = {
  refuses: (route) => (route.recentMfa ? ['user_challenge_required'] : []),
  check({ route, caller }, services) {
    if (route.recentMfa && caller && !hasRecentChallenge(caller, services.now())) throw new AccountError('user_challenge_required');
  },
};

/** Who is calling, and whether they may: the part of the gate that host-app routes pass too. */
const CALLER_STEPS: readonly Step<CallerVisit>[] = [credentials, scope, blocked, passwordReset, factorOwed];

/** Every route's gate, in order. */
export const GATE: readonly Step<Visit>[] = [project, keyCredentials, origin, keyScope, ...CALLER_STEPS, body, rateLimit, guestOnly, recentFactor];

async function run<V extends CallerVisit>(steps: readonly Step<V>[], visit: V, services: Services): Promise<void> {
  for (const step of steps) {
    const pending = step.check(visit, services);
    if (pending) await pending;
  }
}

/** Runs the whole gate: on return `visit.caller` and `visit.input` are set; a refusal throws. */
export function admit(visit: Visit, services: Services): Promise<void> {
  return run(GATE, visit, services);
}

/** A host-app route: for signed-in accounts that owe no factor. */
const HOST_ROUTE = { scope: 'user', mfaExempt: false, keyScopes: undefined } as const;
/** What makes a request a guest to a host-app route: no account, a blocked one, a factor owed. */
const HOST_REFUSALS: ReadonlySet<ErrorType> = new Set(CALLER_STEPS.slice(1).flatMap((step) => step.refuses(HOST_ROUTE)));

/**
 * A host-app route's caller by the gate's caller steps, or the refusal that makes the request a
 * guest there (what `requireAccount` answers). A bad credential (JWT) throws, as on our routes.
 */
export async function admitHostCaller(req: IncomingMessage, services: Services): Promise<SessionCaller | AccountError> {
  const visit: CallerVisit = { route: HOST_ROUTE, req, caller: null, key: null };
  try {
    await run(CALLER_STEPS, visit, services);
  } catch (error) {
    if (!(error instanceof AccountError) || !HOST_REFUSALS.has(error.type)) throw error;
    // The host app is told only that nobody is signed in, not that the account is blocked.
    return error.type === 'user_blocked' ? guestRefusal() : error;
  }
  // Host routes never read access tokens (HOST_ROUTE has no path), so this is a session's caller.
  return sessionCaller(visit.caller!);
}

/** What a route's rate-limit keys are built from. */
export function rateLimitSubject(visit: Visit): RateLimitSubject {
  return { ip: visit.ip, userId: visit.caller?.user.id, params: visit.input };
}

/** The refusals the gate can answer `route` with, in gate order. */
export function gateRefusals(route: AnyRoute): ErrorType[] {
  return GATE.flatMap((step) => step.refuses(route));
}
