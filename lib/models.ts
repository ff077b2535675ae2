// One serializer per response model: records (camelCase, Date) → Appwrite wire objects ($-prefixed
// ids, ISO dates with milliseconds and +00:00), every field present, in the spec's key order.
import type { ChallengeRecord, IdentityRecord, LogRecord, OAuthClientRecord, OAuthConsentRecord, OAuthGrantRecord, SessionRecord, TargetRecord, TokenRecord, UserRecord } from '../adapters/types';
import { describeClient, countryName } from './core/client-info';
import { describePasswordHash } from './core/imported-hashes';

export interface ModelContext {
  /** The caller's session, for Session.current. */
  currentSessionId: string | null;
  /** X-Appwrite-Response-Format as a comparable number (1.6.0 → 10600); older SDKs get older shapes. */
  responseFormat: number;
  /** The language of `countryName`, as `modelLocaleResolver` picks it (Appwrite's way: no Accept-Language). */
  locale: string;
  /**
   * The session this request started and its cookie value, when an API key made the request:
   * Appwrite shows Session.secret to the server only (the server-side-rendering flow).
   */
  revealedSession?: { id: string; secret: string } | null;
  /**
   * An API key made the request: what Appwrite shows to keys only appears — the User model's
   * password hash and its options (salts, signer keys), the secret of a token or a session the
   * server just made. An impersonator browsing users with a session sees none of it.
   */
  apiKey?: boolean;
  /** While an impersonator acts as `userId`: the account model names them. */
  impersonation?: { userId: string; impersonatorUserId: string } | null;
}

const FORMAT = /^(\d+)\.(\d+)(?:\.(\d+))?/;

/**
 * X-Appwrite-Response-Format as a comparable number (2.3.0 → 20300). A request without one (or
 * with one we cannot read) gets the newest shapes, as Appwrite answers it.
 */
export function formatVersion(header: string | undefined): number {
  const match = FORMAT.exec(header ?? '');
  if (!match) return Number.MAX_SAFE_INTEGER;
  return Number(match[1]) * 10000 + Number(match[2]) * 100 + Number(match[3] ?? 0);
}
const V1_5 = 10500;
const V1_9 = 10900;
/** appwrite@27: MfaFactors.custom. */
const V2_0 = 20000;
/** appwrite@28: User.passwordPwned, Identity.providerIdToken. */
const V2_3 = 20300;

/** The newest response format whose models the router serves in full (appwrite@28). */
export const NEWEST_FORMAT = '2.3.0';

/**
 * Appwrite's X-Appwrite-Warning for an SDK built for a newer format than the server knows, or
 * undefined. Only the parsed version is repeated, never the header as sent.
 */
export function formatWarning(header: string | undefined): string | undefined {
  const version = FORMAT.exec(header ?? '')?.[0];
  if (!version || formatVersion(version) <= formatVersion(NEWEST_FORMAT)) return undefined;
  return `The SDK is built for Appwrite response format ${version}, but this server serves formats up to ${NEWEST_FORMAT}: fields added since are missing from its answers.`;
}

/** ISO 8601 in UTC with milliseconds and `+00:00`; unset dates are `""`. */
export function isoDate(date: Date | null): string {
  if (!date) return '';
  // Built from the UTC fields: a model carries up to a dozen dates, and toISOString() is over
  // twice as slow. Years it cannot write in four digits take the standard (extended) form.
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString().slice(0, -1) + '+00:00';
  const ms = date.getUTCMilliseconds();
  return `${year}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}T${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}+00:00`;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}

type Json = Record<string, unknown>;

function target(t: TargetRecord): Json {
  return {
    $id: t.id,
    $createdAt: isoDate(t.createdAt),
    $updatedAt: isoDate(t.updatedAt),
    name: t.name,
    userId: t.userId,
    providerId: t.providerId,
    providerType: t.providerType,
    identifier: t.identifier,
    expired: t.expired,
  };
}

function account(u: UserRecord, ctx: ModelContext): Json {
  const out: Json = {
    $id: u.id,
    $createdAt: isoDate(u.createdAt),
    $updatedAt: isoDate(u.updatedAt),
    name: u.name,
    registration: isoDate(u.createdAt),
    status: u.status,
    labels: u.labels,
    passwordUpdate: isoDate(u.passwordUpdatedAt),
    email: u.email ?? '',
    phone: u.phone ?? '',
    emailVerification: u.emailVerification,
    emailCanonical: u.email,
    emailIsFree: null,
    emailIsDisposable: null,
    emailIsCorporate: null,
    emailIsCanonical: null,
    ...(ctx.responseFormat >= V2_3 ? { passwordPwned: u.passwordPwned } : {}),
    phoneVerification: u.phoneVerification,
    mfa: u.mfa,
    prefs: u.prefs,
    targets: u.targets.map(target),
    accessedAt: isoDate(u.accessedAt),
  };
  if (ctx.responseFormat >= V1_9) {
    out.impersonator = u.impersonator;
    out.impersonatorUserId = ctx.impersonation?.userId === u.id ? ctx.impersonation.impersonatorUserId : null;
  }
  return out;
}

/**
 * The User model server callers (API keys) get: the Account model with the password hash, its
 * algorithm and settings after `name`, as Appwrite's (an exported user can be imported back).
 */
function user(u: UserRecord, ctx: ModelContext): Json {
  const { $id, $createdAt, $updatedAt, name, ...rest } = account(u, ctx);
  const { password, hash, hashOptions } = describePasswordHash(u.passwordHash);
  const secrets = ctx.apiKey ? { password, hashOptions } : { password: '', hashOptions: {} };
  return { $id, $createdAt, $updatedAt, name, password: secrets.password, hash, hashOptions: secrets.hashOptions, ...rest };
}

function clientFields(userAgent: string, countryCode: string, locale: string): Json {
  const c = describeClient(userAgent);
  return {
    osCode: c.osCode,
    osName: c.osName,
    osVersion: c.osVersion,
    clientType: c.clientType,
    clientCode: c.clientCode,
    clientName: c.clientName,
    clientVersion: c.clientVersion,
    clientEngine: c.clientEngine,
    clientEngineVersion: c.clientEngineVersion,
    deviceName: c.deviceName,
    deviceBrand: c.deviceBrand,
    deviceModel: c.deviceModel,
    countryCode,
    countryName: countryName(countryCode, locale),
  };
}

/** A session; `secret` (the cookie value) only where the server made it for an API-key caller. */
function session(s: SessionRecord & { secret?: string }, ctx: ModelContext): Json {
  const out: Json = {
    $id: s.id,
    $createdAt: isoDate(s.createdAt),
    $updatedAt: isoDate(s.updatedAt),
    userId: s.userId,
    expire: isoDate(s.expire),
    provider: s.provider,
    providerUid: s.providerUid,
    providerAccessToken: s.providerAccessToken,
    providerAccessTokenExpiry: isoDate(s.providerAccessTokenExpiry),
    providerRefreshToken: s.providerRefreshToken,
    ip: s.ip,
    ...clientFields(s.userAgent, s.countryCode, ctx.locale),
    current: s.id === ctx.currentSessionId,
  };
  if (ctx.responseFormat >= V1_5) {
    out.factors = s.factors;
    // Only API-key callers ever see the cookie value: of the session they just created, or one the
    // server made for a user (which carries it).
    out.secret = ctx.apiKey && s.secret !== undefined ? s.secret : ctx.revealedSession?.id === s.id ? ctx.revealedSession.secret : '';
    out.mfaUpdatedAt = isoDate(s.mfaUpdatedAt);
  }
  return out;
}

/** A token record; one just issued also carries its raw `secret`, which only key callers see. */
function token(t: TokenRecord & { secret?: string }, ctx: ModelContext): Json {
  // Appwrite shows sensitive fields to keys only: a token just issued carries its secret, shown to them.
  const secret = ctx.apiKey && t.secret !== undefined ? t.secret : '';
  const out: Json = { $id: t.id, $createdAt: isoDate(t.createdAt), userId: t.userId, secret, expire: isoDate(t.expire) };
  if (ctx.responseFormat >= V1_5) out.phrase = t.phrase;
  return out;
}

function identity(i: IdentityRecord, ctx: ModelContext): Json {
  const out: Json = {
    $id: i.id,
    $createdAt: isoDate(i.createdAt),
    $updatedAt: isoDate(i.updatedAt),
    userId: i.userId,
    provider: i.provider,
    providerUid: i.providerUid,
    providerEmail: i.providerEmail,
    providerAccessToken: i.providerAccessToken,
    providerAccessTokenExpiry: isoDate(i.providerAccessTokenExpiry),
    providerRefreshToken: i.providerRefreshToken,
  };
  if (ctx.responseFormat >= V2_3) out.providerIdToken = i.providerIdToken;
  return out;
}

/** Which MFA factors the account can use; `custom` is the host-delivered factor of appwrite@27 on. */
export interface MfaFactorList {
  totp: boolean;
  phone: boolean;
  email: boolean;
  recoveryCode: boolean;
  custom: boolean;
}

function mfaFactors(f: MfaFactorList, ctx: ModelContext): Json {
  const out: Json = { totp: f.totp, phone: f.phone, email: f.email, recoveryCode: f.recoveryCode };
  if (ctx.responseFormat >= V2_0) out.custom = f.custom;
  return out;
}

function log(l: LogRecord, ctx: ModelContext): Json {
  const out: Json = { event: l.event, userId: l.userId, userEmail: l.userEmail, userName: l.userName, mode: l.mode };
  if (ctx.responseFormat >= V1_9) out.userType = 'user';
  out.ip = l.ip;
  out.time = isoDate(l.time);
  return Object.assign(out, clientFields(l.userAgent, l.countryCode, ctx.locale));
}

/** A client id that is a metadata document's URL shows as `cimdUrl`, a registered app's as `appId`. */
function clientOf(clientId: string): Json {
  const isUrl = clientId.startsWith('https://');
  return { appId: isUrl ? '' : clientId, cimdUrl: isUrl ? clientId : '' };
}

/** The fields a consent and its token families share, in the SDK's order after `$updatedAt` (and `consentId`). */
function granted(g: Pick<OAuthConsentRecord, 'userId' | 'clientId' | 'scopes' | 'resources' | 'authorizationDetails'>, expire: Date | null): Json {
  return {
    userId: g.userId,
    ...clientOf(g.clientId),
    scopes: g.scopes,
    resources: g.resources,
    authorizationDetails: JSON.stringify(g.authorizationDetails ?? []),
    expire: isoDate(expire),
  };
}

function oauth2Consent(c: OAuthConsentRecord): Json {
  return { $id: c.id, $createdAt: isoDate(c.createdAt), $updatedAt: isoDate(c.updatedAt), ...granted(c, c.expire) };
}

/** A token family, with when its current access token expires (what the model's `expire` says). */
export type ConsentToken = OAuthGrantRecord & { accessTokenExpire: Date };

function oauth2ConsentToken(t: ConsentToken): Json {
  return { $id: t.id, $createdAt: isoDate(t.createdAt), $updatedAt: isoDate(t.updatedAt), consentId: t.consentId, ...granted(t, t.accessTokenExpire) };
}

export interface List<T> {
  total: number;
  items: T[];
}

/** Every response model, by the name routes use in their `model` field. */
/**
 * An OAuth client as node-appwrite's `Models.App` declares it. What the authorization server does
 * not have reads empty: no descriptions, labels, teams or installations; `secrets` is always
 * empty, since a client keeps one secret, shown once by `createSecret` and stored only hashed.
 */
function app(c: OAuthClientRecord): Json {
  return {
    $id: c.id, $createdAt: isoDate(c.createdAt), $updatedAt: isoDate(c.updatedAt), name: c.name, description: '', clientUri: c.clientUri,
    logoUri: '', privacyPolicyUrl: '', termsUrl: '', contacts: [], tagline: '', tags: [], labels: [], images: [], supportUrl: '', dataDeletionUrl: '',
    redirectUris: c.redirectUris, postLogoutRedirectUris: [], enabled: true, type: c.secretHash === null ? 'public' : 'confidential', deviceFlow: false,
    teamId: '', userId: '', installationScopes: [], installationRedirectUrl: '', secrets: [],
  };
}

/** A client secret the moment it is made (`Models.AppSecretPlaintext`), the only time it is shown. */
export interface AppSecret {
  id: string;
  clientId: string;
  secret: string;
  createdAt: Date;
}

function appSecretPlaintext(s: AppSecret): Json {
  const at = isoDate(s.createdAt);
  return { $id: s.id, $createdAt: at, $updatedAt: at, appId: s.clientId, secret: s.secret, hint: s.secret.slice(-4), createdById: '', createdByName: '' };
}

export const MODELS = {
  app: (c: OAuthClientRecord) => app(c),
  appSecretPlaintext: (s: AppSecret) => appSecretPlaintext(s),
  account: (u: UserRecord, ctx: ModelContext) => account(u, ctx),
  user: (u: UserRecord, ctx: ModelContext) => user(u, ctx),
  userList: (l: List<UserRecord>, ctx: ModelContext) => ({ total: l.total, users: l.items.map((u) => user(u, ctx)) }),
  preferences: (u: UserRecord) => u.prefs,
  session: (s: SessionRecord & { secret?: string }, ctx: ModelContext) => session(s, ctx),
  sessionList: (l: List<SessionRecord>, ctx: ModelContext) => ({ total: l.total, sessions: l.items.map((s) => session(s, ctx)) }),
  token: (t: TokenRecord & { secret?: string }, ctx: ModelContext) => token(t, ctx),
  jwt: (j: { jwt: string }) => ({ jwt: j.jwt }),
  identityList: (l: List<IdentityRecord>, ctx: ModelContext) => ({ total: l.total, identities: l.items.map((i) => identity(i, ctx)) }),
  logList: (l: List<LogRecord>, ctx: ModelContext) => ({ total: l.total, logs: l.items.map((e) => log(e, ctx)) }),
  target: (t: TargetRecord) => target(t),
  targetList: (l: List<TargetRecord>) => ({ total: l.total, targets: l.items.map(target) }),
  /** Teams are not served: every user's membership list is empty, as Appwrite answers for a user in no team. */
  membershipList: (l: List<never>) => ({ total: l.total, memberships: l.items }),
  mfaType: (m: { secret: string; uri: string }) => ({ secret: m.secret, uri: m.uri }),
  mfaFactors: (f: MfaFactorList, ctx: ModelContext) => mfaFactors(f, ctx),
  mfaRecoveryCodes: (r: { recoveryCodes: string[] }) => ({ recoveryCodes: r.recoveryCodes }),
  oauth2Consent: (c: OAuthConsentRecord) => oauth2Consent(c),
  oauth2ConsentList: (l: List<OAuthConsentRecord>) => ({ total: l.total, consents: l.items.map(oauth2Consent) }),
  oauth2ConsentToken: (t: ConsentToken) => oauth2ConsentToken(t),
  oauth2ConsentTokenList: (l: List<ConsentToken>) => ({ total: l.total, tokens: l.items.map(oauth2ConsentToken) }),
  mfaChallenge: (c: ChallengeRecord) => ({ $id: c.id, $createdAt: isoDate(c.createdAt), userId: c.userId, expire: isoDate(c.expire) }),
} satisfies Record<string, (value: never, ctx: ModelContext) => unknown>;

export type ModelName = keyof typeof MODELS;
export type ModelInput<M extends ModelName> = Parameters<(typeof MODELS)[M]>[0];
