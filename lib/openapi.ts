// The OpenAPI 3.1 document, generated from the route table: paths and aliases, parameters from
// the parameter rules, models from the serializers, errors, rate limits and security. Nothing here
// is written per route, so the document cannot drift from what the router serves.
import type { IdentityRecord, LogRecord, OAuthConsentRecord, SessionRecord, TargetRecord, TokenRecord, UserRecord } from '../adapters/types';
import { ERRORS, type ErrorType } from './errors';
import { MODELS, type ConsentToken, type ModelContext, type ModelName } from './models';
import type { ResolvedConfig } from './options';
import type { AnyRoute } from './route';
import { gateRefusals, routeScopes } from './gate';

type Schema = Record<string, unknown>;

const DATE = new Date(0);
const TARGET: TargetRecord = { id: 'id', userId: 'id', createdAt: DATE, updatedAt: DATE, providerType: 'email', identifier: 'a@b.c', providerId: null, name: '', expired: false, sessionId: null };
const USER: UserRecord = {
  id: 'id', createdAt: DATE, updatedAt: DATE, name: '', email: 'a@b.c', phone: null, passwordHash: null, passwordUpdatedAt: null, passwordPwned: null, status: true,
  labels: ['label'], emailVerification: false, phoneVerification: false, mfa: false, prefs: {}, accessedAt: DATE, impersonator: false, targets: [TARGET],
};
const SESSION: SessionRecord = {
  id: 'id', userId: 'id', createdAt: DATE, updatedAt: DATE, expire: DATE, secretHash: '', provider: 'email', providerUid: '', providerAccessToken: '',
  providerRefreshToken: '', providerAccessTokenExpiry: null, ip: '', userAgent: '', countryCode: '--', factors: ['password'], mfaUpdatedAt: null,
};
const TOKEN: TokenRecord = { id: 'id', userId: 'id', type: 'magic-url', createdAt: DATE, expire: DATE, secretHash: '', phrase: '', provider: '' };
const IDENTITY: IdentityRecord = {
  id: 'id', userId: 'id', createdAt: DATE, updatedAt: DATE, provider: 'github', providerUid: '', providerEmail: '', providerAccessToken: '',
  providerRefreshToken: '', providerAccessTokenExpiry: null, providerIdToken: '',
};
const CONSENT: OAuthConsentRecord = {
  id: 'id', userId: 'id', clientId: 'notes', createdAt: DATE, updatedAt: DATE, scopes: ['openid'], resources: ['https://api.example/mcp'], authorizationDetails: null, expire: DATE,
};
const CONSENT_TOKEN: ConsentToken = {
  id: 'id', consentId: 'id', userId: 'id', clientId: 'notes', createdAt: DATE, updatedAt: DATE, scopes: ['openid'], resources: ['https://api.example/mcp'],
  authorizationDetails: null, authTime: DATE, amr: ['pwd'], expire: DATE, generation: 1, refreshHash: null, accessHash: null, accessClaims: null, accessTokenExpire: DATE,
};
const LOG: LogRecord = { id: 'id', userId: 'id', event: 'user.create', userEmail: '', userName: '', mode: 'default', ip: '', userAgent: '', countryCode: '--', time: DATE };

/** One sample input per model: the serializer's output is the schema's source of truth. */
const SAMPLES: { [M in ModelName]: Parameters<(typeof MODELS)[M]>[0] } = {
  app: { id: 'notes', createdAt: DATE, updatedAt: DATE, name: 'Notes', secretHash: '', redirectUris: ['https://notes.example/cb'], scopes: [], source: 'host', clientUri: '', expire: null, accessTokenFormat: 'jwt' },
  appSecretPlaintext: { id: 'id', clientId: 'notes', secret: 'secret', createdAt: DATE },
  account: USER,
  user: USER,
  userList: { total: 1, items: [USER] },
  preferences: USER,
  session: SESSION,
  sessionList: { total: 1, items: [SESSION] },
  token: TOKEN,
  jwt: { jwt: 'header.payload.signature' },
  identityList: { total: 1, items: [IDENTITY] },
  logList: { total: 1, items: [LOG] },
  target: TARGET,
  targetList: { total: 1, items: [TARGET] },
  membershipList: { total: 0, items: [] },
  mfaType: { secret: 'JBSWY3DPEHPK3PXP', uri: 'otpauth://totp/issuer%3Alabel?issuer=issuer&secret=JBSWY3DPEHPK3PXP' },
  mfaFactors: { totp: false, phone: false, email: false, recoveryCode: false, custom: false },
  mfaRecoveryCodes: { recoveryCodes: ['a1b2c3d4e5'] },
  oauth2Consent: CONSENT,
  oauth2ConsentList: { total: 1, items: [CONSENT] },
  oauth2ConsentToken: CONSENT_TOKEN,
  oauth2ConsentTokenList: { total: 1, items: [CONSENT_TOKEN] },
  mfaChallenge: { id: 'id', userId: 'id', type: 'email', codeHash: '', code: '', createdAt: DATE, expire: DATE },
};

/** Nullable fields of the wire models (null in samples is ambiguous, so they are listed). */
const NULLABLE_STRING = new Set(['emailCanonical', 'impersonatorUserId', 'providerId']);

function inferSchema(value: unknown, key = ''): Schema {
  if (value === null) {
    return NULLABLE_STRING.has(key) ? { type: ['string', 'null'] } : { type: ['boolean', 'null'] };
  }
  if (Array.isArray(value)) return { type: 'array', items: value.length ? inferSchema(value[0]) : {} };
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (key === 'prefs' || entries.length === 0) return { type: 'object', additionalProperties: true };
    return {
      type: 'object',
      properties: Object.fromEntries(entries.map(([k, v]) => [k, inferSchema(v, k)])),
      required: entries.map(([k]) => k),
    };
  }
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return { type: 'string', format: 'date-time' };
  return { type: typeof value === 'number' ? 'integer' : typeof value };
}

function modelSchemas(): Record<string, Schema> {
  const ctx: ModelContext = { currentSessionId: null, responseFormat: Number.MAX_SAFE_INTEGER, locale: 'en' };
  const out: Record<string, Schema> = {};
  for (const name of Object.keys(MODELS) as ModelName[]) {
    const serialize = MODELS[name] as (value: unknown, c: ModelContext) => unknown;
    out[name] = name === 'preferences' ? { type: 'object', additionalProperties: true } : inferSchema(serialize(SAMPLES[name], ctx));
  }
  out.error = {
    type: 'object',
    properties: { message: { type: 'string' }, code: { type: 'integer' }, type: { type: 'string', enum: Object.keys(ERRORS) }, version: { type: 'string' } },
    required: ['message', 'code', 'type', 'version'],
  };
  return out;
}

/** The error types a route can answer with that follow from its table entry alone: the gate's, then validation's. */
function routeErrors(route: AnyRoute): ErrorType[] {
  return [...gateRefusals(route), ...(Object.keys(route.params).length ? (['general_argument_invalid'] as const) : []), 'general_unknown'];
}

function errorResponses(route: AnyRoute): Record<string, unknown> {
  const byStatus = new Map<number, ErrorType[]>();
  for (const type of routeErrors(route)) {
    const status = ERRORS[type][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, types]) => [
      String(status),
      { description: types.join(', '), 'x-appwrite-error-types': types, content: { 'application/json': { schema: { $ref: '#/components/schemas/error' } } } },
    ]),
  );
}

const USER_CREDENTIALS = [{ sessionCookie: [] }, { sessionHeader: [] }, { jwt: [] }];

/** The credentials a route takes: an account's for user routes; a key, or an impersonator's account, for server routes. */
function security(route: AnyRoute): Schema[] {
  if (route.scope === 'user') return USER_CREDENTIALS;
  if (route.scope !== 'server') return [];
  const keys = [{ apiKey: routeScopes(route) }];
  return routeScopes(route).includes('users.read') ? [...keys, ...USER_CREDENTIALS] : keys;
}

/**
 * The SDK method name, which is unique within its service: the Users API's (`list`, `create`,
 * `listSessions`…) repeat the Account API's, so they take the service's prefix, as Appwrite's own
 * specification names them (`usersList`).
 */
function operationId(route: AnyRoute): string {
  const service = serverService(route);
  return service ? `${service}${route.sdk[0]!.toUpperCase()}${route.sdk.slice(1)}` : route.sdk;
}

/** The server SDK service a server route belongs to (`users`, `apps`), from its first path segment. */
function serverService(route: AnyRoute): string | undefined {
  return route.scope === 'server' ? /^\/([a-z]+)/.exec(route.path)?.[1] : /^\/users(\/|$)/.test(route.path) ? 'users' : undefined;
}

function operation(route: AnyRoute, path: string, aliasIndex: number): Schema {
  const pathNames = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const parameters: Schema[] = pathNames.map((name) => ({ name, in: 'path', required: true, schema: route.params[name]!.schema, description: route.params[name]!.description }));
  const bodyFields = Object.entries(route.params).filter(([name]) => !pathNames.includes(name));
  const fieldSchema = (name: string) => ({ ...route.params[name]!.schema, description: route.params[name]!.description });
  const required = bodyFields.filter(([, rule]) => rule.required).map(([name]) => name);
  const op: Schema = {
    operationId: aliasIndex === 0 ? operationId(route) : `${operationId(route)}Alias${aliasIndex}`,
    summary: route.sdk,
    ...(aliasIndex > 0 ? { deprecated: true, description: `Older-generation alias of ${route.method.toUpperCase()} ${route.path}.` } : {}),
    tags: [serverService(route) ?? 'account'],
    security: security(route),
  };
  if (route.method === 'get') {
    for (const [name, rule] of bodyFields) {
      parameters.push({ name: rule.schema.type === 'array' ? `${name}[]` : name, in: 'query', required: rule.required, schema: rule.schema, description: rule.description });
    }
  } else if (bodyFields.length) {
    op.requestBody = {
      required: required.length > 0,
      content: { 'application/json': { schema: { type: 'object', properties: Object.fromEntries(bodyFields.map(([name]) => [name, fieldSchema(name)])), ...(required.length ? { required } : {}) } } },
    };
  }
  if (parameters.length) op.parameters = parameters;
  const success: Schema =
    route.status === 204
      ? { description: 'No content' }
      : route.status >= 300
        ? { description: 'Redirect', headers: { Location: { schema: { type: 'string' } } } }
        : route.model
          ? { description: route.model, content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.model}` } } } }
          : { description: 'An OAuth 2.0 / OpenID Connect document (RFC 8414, 6749, 7009, 7662, 7591, OIDC Core), or the consent page' };
  op.responses = {
    [String(route.status)]: success,
    ...(route.oauth ? { default: { description: 'An RFC 6749 error: `{error, error_description}`' } } : errorResponses(route)),
  };
  if (route.rateLimit) {
    const { limit, windowMs, keys, resetOnSuccess } = route.rateLimit;
    op['x-rate-limit'] = { limit, windowSeconds: windowMs / 1000, keys, resetOnSuccess: resetOnSuccess ?? false };
  }
  return op;
}

/** Builds the OpenAPI 3.1 document of `routes` as served under `serverUrl`. */
export function buildOpenApi(routes: readonly AnyRoute[], config: ResolvedConfig, serverUrl = '/v1'): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) {
    [route.path, ...(route.aliases ?? [])].forEach((path, index) => {
      const key = path.replace(/:([A-Za-z]+)/g, '{$1}');
      (paths[key] ??= {})[route.method] = operation(route, path, index);
    });
  }
  return {
    openapi: '3.1.0',
    info: { title: `${config.projectName} Account API`, version: '1.9.6', description: 'Appwrite-compatible Account API served by account-router.' },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: modelSchemas(),
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: config.cookieName },
        sessionHeader: { type: 'apiKey', in: 'header', name: 'X-Appwrite-Session' },
        jwt: { type: 'apiKey', in: 'header', name: 'X-Appwrite-JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Appwrite-Key', description: 'A server API key; one of the listed scopes admits it.' },
      },
    },
  };
}
