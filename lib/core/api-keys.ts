// Server API keys (X-Appwrite-Key): how they are made, kept and recognised. A secret is
// `standard_` + 256 random hex digits, as Appwrite issues them. Only its keyed hash (SecretHasher)
// is stored, and a request's key is found by the hash of what it sent: the lookup never compares
// a stored secret byte by byte, and an attacker cannot steer the keyed hash towards a stored one,
// so the lookup leaks nothing through its timing. The `apiKeys` option's static keys are hashed
// the same way when the services are built and looked up in a map, never compared as text.
import type { IncomingMessage } from 'node:http';
import type { ApiKeyRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import { header } from '../http';
import { API_SCOPES, type ApiKeyCaller, type ApiScope, type Services } from '../route';
import type { SecretHasher } from './secrets';
import { newId } from './ids';
import { randomHex } from './secrets';

const DAY_MS = 86_400_000;
/** Longer than any secret we issue or accept; a longer header is no key of ours and is not hashed. */
const MAX_SECRET_LENGTH = 1024;
/** Appwrite's limit on a key's name. */
const MAX_NAME_LENGTH = 128;
/** A static key's secret is a password to every account: at least this long. */
export const MIN_STATIC_SECRET_LENGTH = 32;

/** A key of the `apiKeys` option: its secret comes from the host's configuration (the example app's `ACCOUNT_API_KEY`). */
export interface StaticApiKey {
  /** At least 32 characters; `standard_` + 256 hex digits (what `apiKeys.create` issues) is a good one. */
  secret: string;
  /** What the key may do. */
  scopes: ApiScope[];
  /** Shown as the key's name (security log, `key.name`). @default 'Static key <n>' */
  name?: string;
}

/** A stored key as `router.admin.apiKeys` describes it: everything but its secret. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: ApiScope[];
  createdAt: Date;
  expire: Date | null;
  accessedAt: Date | null;
}

/** The static keys, by the keyed hash of their secret (built once per router). */
export type StaticApiKeys = ReadonlyMap<string, ApiKeyCaller>;

/** Throws a TypeError naming `where` unless `scopes` is a non-empty list of known scopes. */
export function checkScopes(scopes: unknown, where: string): asserts scopes is ApiScope[] {
  const known: readonly string[] = API_SCOPES;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => typeof scope === 'string' && known.includes(scope))) {
    throw new TypeError(`${where} must be a non-empty list of scopes from ${API_SCOPES.join(', ')}.`);
  }
}

/** Validates the `apiKeys` option (TypeError naming it); never keeps the caller's arrays. */
export function resolveStaticApiKeys(value: unknown): StaticApiKey[] {
  if (value === undefined) return [];
  const fail = (what: string): never => {
    throw new TypeError(`createAccountRouter: option \`apiKeys\` must be ${what}.`);
  };
  if (!Array.isArray(value)) fail('a list of { secret, scopes, name? }');
  return (value as unknown[]).map((entry, index) => {
    const { secret, scopes, name } = (entry ?? {}) as Partial<Record<keyof StaticApiKey, unknown>>;
    if (typeof secret !== 'string' || secret.length < MIN_STATIC_SECRET_LENGTH || secret.length > MAX_SECRET_LENGTH) {
      fail(`a list of keys whose secret is a string of ${MIN_STATIC_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters (apiKeys[${index}].secret)`);
    }
    checkScopes(scopes, `createAccountRouter: option \`apiKeys[${index}].scopes\``);
    if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH)) {
      fail(`a list of keys whose name is a string of 1 to ${MAX_NAME_LENGTH} characters (apiKeys[${index}].name)`);
    }
    return { secret: secret as string, scopes: [...(scopes as ApiScope[])], name: name as string | undefined };
  });
}

/** The static keys by the hash of their secret; a secret given twice is a configuration error. */
export function hashStaticApiKeys(keys: readonly StaticApiKey[], secrets: SecretHasher): StaticApiKeys {
  const byHash = new Map<string, ApiKeyCaller>();
  keys.forEach((key, index) => {
    const hash = secrets.hash(key.secret);
    if (byHash.has(hash)) throw new TypeError(`createAccountRouter: option \`apiKeys\` lists one secret twice (apiKeys[${index}]).`);
    byHash.set(hash, { id: `static:${index}`, name: key.name ?? `Static key ${index + 1}`, scopes: key.scopes });
  });
  return byHash;
}

/**
 * The key of the request, or null when it sends no X-Appwrite-Key. A key we do not know (or have
 * revoked) is 401 `user_unauthorized` and an expired one 401 `project_key_expired`, as Appwrite
 * answers both on every route. A stored key's `accessedAt` moves at most once a day, in the
 * background.
 */
export async function resolveApiKey(services: Services, req: IncomingMessage): Promise<ApiKeyCaller | null> {
  const secret = header(req, 'x-appwrite-key');
  if (secret === undefined || secret === '') return null;
  if (secret.length > MAX_SECRET_LENGTH) throw new AccountError('user_unauthorized');
  const hash = services.secrets.hash(secret);
  const fixed = services.staticApiKeys.get(hash);
  if (fixed) return fixed;
  const stored = await services.storage.apiKeys.getBySecretHash(hash);
  if (!stored) throw new AccountError('user_unauthorized');
  const now = services.now();
  if (stored.expire && stored.expire.getTime() <= now.getTime()) throw new AccountError('project_key_expired');
  if (!stored.accessedAt || now.getTime() - stored.accessedAt.getTime() >= DAY_MS) {
    services.storage.apiKeys.touch(stored.id, now).catch((error: unknown) =>
      services.config.logger.warn('account-router: recording an API key\'s use failed', { error: String(error) }),
    );
  }
  return { id: stored.id, name: stored.name, scopes: stored.scopes as ApiScope[] };
}

function info(key: ApiKeyRecord): ApiKeyInfo {
  return { id: key.id, name: key.name, scopes: key.scopes as ApiScope[], createdAt: key.createdAt, expire: key.expire, accessedAt: key.accessedAt };
}

/** What `router.admin.apiKeys.create` takes. */
export interface NewApiKey {
  /** 1–128 characters. */
  name: string;
  scopes: ApiScope[];
  /** When the key stops working. @default never */
  expire?: Date | null;
}

/** Creates a stored key; its secret is in the answer and nowhere else, ever. */
export async function createApiKey(services: Services, input: NewApiKey): Promise<ApiKeyInfo & { secret: string }> {
  const { name, scopes, expire = null } = (input ?? {}) as Partial<NewApiKey>;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new TypeError(`apiKeys.create: name must be a string of 1 to ${MAX_NAME_LENGTH} characters.`);
  }
  checkScopes(scopes, 'apiKeys.create: scopes');
  const now = services.now();
  if (expire !== null && (!(expire instanceof Date) || Number.isNaN(expire.getTime()) || expire.getTime() <= now.getTime())) {
    throw new TypeError('apiKeys.create: expire must be a future Date, or null for a key that never expires.');
  }
  const secret = `standard_${randomHex(128)}`;
  const key = await services.storage.apiKeys.create({
    id: newId(),
    name,
    scopes: [...new Set(scopes)],
    secretHash: services.secrets.hash(secret),
    createdAt: now,
    expire,
    accessedAt: null,
  });
  return { ...info(key), secret };
}

/** Every stored key, oldest first, without secrets (static keys are the host's configuration, not listed). */
export async function listApiKeys(services: Services): Promise<ApiKeyInfo[]> {
  return (await services.storage.apiKeys.list()).map(info);
}

/** Revokes a stored key: the next request with its secret gets 401 `user_unauthorized`. False when there was none. */
export function deleteApiKey(services: Services, id: string): Promise<boolean> {
  return services.storage.apiKeys.delete(id);
}
