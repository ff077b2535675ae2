// Password hashes made by other systems (an Appwrite export, Firebase, WordPress, phpBB …):
// importPasswordHash turns an exported hash into a `passwordHash` to store, and
// IMPORTED_HASH_VERIFIERS check passwords against those forms until the user's next sign-in
// replaces them with our own scheme.
import { createCipheriv, createHash, scrypt } from 'node:crypto';
import type Bcrypt from 'bcrypt';
import { safeEqual } from './secrets';

/**
 * The bcrypt addon, loaded at the first hash or check: a process that only serves reads (or a
 * replica that never signs anyone in) does not map the native library.
 */
export function bcrypt(): typeof Bcrypt {
  return require('bcrypt') as typeof Bcrypt;
}

/** A user's password hash as Appwrite's Users API returns it. */
export interface ImportedPasswordHash {
  /** The algorithm (the user model's `hash`): argon2, bcrypt, scrypt, scryptMod, sha, md5 or phpass. */
  hash: string;
  /** The hash itself (the user model's `password`). */
  password: string;
  /** The algorithm's settings (the user model's `hashOptions`, typed `object` by Appwrite's SDKs). */
  hashOptions?: object;
}

/** Checks a password against one stored form; may throw on a malformed one (the caller then answers false). */
export type HashVerifier = (password: string, stored: string) => boolean | Promise<boolean>;

// hash-wasm reads only version 19, the one PHP, libsodium and every current library write.
const ARGON2 = /^\$argon2(?:id|i|d)\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
// The cost character stands for 2^7 … 2^20 rounds. phpass itself goes to 2^30, but its rounds run
// on the main thread (≈ 0.5 s at 2^20), and WordPress and phpBB write 2^13 and 2^11.
const PHPASS = /^\$[PH]\$[5-9A-I][./0-9A-Za-z]{30}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SHA_VERSIONS = new Set(['sha1', 'sha224', 'sha256', 'sha384', 'sha512/224', 'sha512/256', 'sha512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512']);
/** Appwrite's default when an export names no version. */
const SHA_DEFAULT = 'sha3-512';
/** Firebase's modified scrypt, with the cost Appwrite fixes for it. */
const SCRYPT_MOD = { N: 16384, r: 8, p: 1, length: 64 };

// ---------------------------------------------------------------- import

function invalid(problem: string): never {
  throw new TypeError(`importPasswordHash: ${problem}`);
}

function matching(value: string, pattern: RegExp, expected: string): string {
  return typeof value === 'string' && pattern.test(value) ? value : invalid(`password must be ${expected}`);
}

function positiveInteger(options: Record<string, unknown>, name: string): number {
  const value = options[name];
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? value
    : invalid(`hashOptions.${name} must be a positive integer`);
}

function base64(value: unknown, label: string): Buffer {
  return typeof value === 'string' && BASE64.test(value) ? Buffer.from(value, 'base64') : invalid(`${label} must be a base64 string`);
}

/** Lower-cased, so that verification can compare encodings instead of decoding. */
function hex(value: unknown, chars: number, label: string): string {
  return typeof value === 'string' && value.length === chars && /^[0-9a-f]*$/i.test(value)
    ? value.toLowerCase()
    : invalid(`${label} must be ${chars} hex digits`);
}

/** Appwrite writes the SHA-512/t variants with a slash, OpenSSL with a dash. */
function digestHex(algorithm: string, data: string): string {
  return createHash(algorithm.replace('/', '-')).update(data).digest('hex');
}

const IMPORTERS = new Map<string, (hash: string, options: Record<string, unknown>) => string>([
  ['argon2', (hash) => matching(hash, ARGON2, 'an argon2 PHC string ($argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>)')],
  ['bcrypt', (hash) => matching(hash, BCRYPT, 'a $2a$, $2b$ or $2y$ bcrypt hash')],
  // phpass hands over to crypt()'s bcrypt where PHP has it, so its exports may hold either form.
  ['phpass', (hash) => (BCRYPT.test(hash) ? hash : matching(hash, PHPASS, 'a $P$ or $H$ phpass hash, or a $2a$ bcrypt hash'))],
  [
    'scrypt',
    (hash, options) => {
      const [N, r, p, length] = ['costCpu', 'costMemory', 'costParallel', 'length'].map((name) => positiveInteger(options, name));
      if (N < 2 || !Number.isInteger(Math.log2(N))) invalid('hashOptions.costCpu must be a power of two');
      if (typeof options.salt !== 'string') invalid('hashOptions.salt must be a string');
      const key = Buffer.from(hex(hash, 2 * length, 'password'), 'hex');
      return `scrypt$${N},${r},${p}$${Buffer.from(options.salt).toString('base64')}$${key.toString('base64')}`;
    },
  ],
  [
    'scryptMod',
    (hash, options) => {
      const [salt, separator, signerKey] = ['salt', 'saltSeparator', 'signerKey'].map((name) => base64(options[name], `hashOptions.${name}`));
      const derived = base64(hash, 'password');
      // AES-CTR keeps the length: the hash is as long as the signer key it encrypts.
      if (!derived.length || derived.length !== signerKey.length) invalid('password must be as long as hashOptions.signerKey');
      return ['scrypt-modified', ...[salt, separator, signerKey, derived].map((bytes) => bytes.toString('base64'))].join('$');
    },
  ],
  [
    'sha',
    (hash, { version = SHA_DEFAULT }) => {
      if (typeof version !== 'string' || !SHA_VERSIONS.has(version)) {
        invalid(`hashOptions.version must be one of ${[...SHA_VERSIONS].join(', ')}`);
      }
      return `sha$${version}$${hex(hash, digestHex(version, '').length, 'password')}`;
    },
  ],
  ['md5', (hash) => `md5$${hex(hash, 32, 'password')}`],
]);

/**
 * The `passwordHash` to store for a user exported from Appwrite (or any system using the same
 * algorithms). The user signs in with their old password, which is then re-hashed with ours.
 * Throws a TypeError for an unknown algorithm or a missing or malformed option.
 */
export function importPasswordHash({ hash, password, hashOptions }: ImportedPasswordHash): string {
  const importer = IMPORTERS.get(hash);
  if (!importer) invalid(`unknown algorithm ${JSON.stringify(hash)}; expected one of ${[...IMPORTERS.keys()].join(', ')}`);
  return importer(password, (hashOptions ?? {}) as Record<string, unknown>);
}

// ---------------------------------------------------------------- verification

/**
 * OpenSSL refuses to use more memory than `maxmem`, 32 MiB by default: less than some exported
 * costs take. This is its own formula for what N, r and p need.
 */
function scryptKey(password: string, salt: Buffer, length: number, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, { N, r, p, maxmem: 128 * r * (N + p + 2) }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** An empty stored value would equal an empty result (a zero-length key, an empty signer key), so it never matches. */
function matches(actual: string, expected: string | undefined): boolean {
  return !!expected && safeEqual(actual, expected);
}

function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest();
}

/** phpass's own base64: little-endian groups of 6 bits, a short last group gives fewer characters. */
function encode64(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const group = bytes.subarray(i, i + 3);
    const value = group[0] | ((group[1] ?? 0) << 8) | ((group[2] ?? 0) << 16);
    for (let k = 0; k <= group.length; k++) out += ITOA64[(value >> (6 * k)) & 0x3f];
  }
  return out;
}

// Runs on the main thread (node:crypto has no async MD5): 8,192 rounds for WordPress's default
// cost take a few milliseconds, once per imported user.
function verifyPhpass(password: string, stored: string): boolean {
  if (!PHPASS.test(stored)) return false;
  const secret = Buffer.from(password);
  let hash = md5(Buffer.concat([Buffer.from(stored.slice(4, 12)), secret]));
  for (let rounds = 2 ** ITOA64.indexOf(stored[3]); rounds > 0; rounds--) hash = md5(Buffer.concat([hash, secret]));
  return safeEqual(stored.slice(0, 12) + encode64(hash), stored);
}

// $2y$ is PHP's name for what the bcrypt package calls $2b$ (the same algorithm); it knows only the latter.
const verifyBcrypt: HashVerifier = (password, stored) => bcrypt().compare(password, stored.replace(/^\$2y\$/, '$2b$'));

// hash-wasm carries every algorithm it has as inlined WebAssembly: loaded only when the first
// argon2 hash is met, so deployments without imported users never pay for it.
const verifyArgon2: HashVerifier = (password, stored) =>
  (require('hash-wasm') as typeof import('hash-wasm')).argon2Verify({ password, hash: stored });

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [, cost, salt, key] = stored.split('$');
  const [N, r, p] = cost.split(',').map(Number);
  const derived = await scryptKey(password, Buffer.from(salt, 'base64'), Buffer.from(key, 'base64').length, N, r, p);
  return matches(derived.toString('base64'), key);
}

function verifySha(password: string, stored: string): boolean {
  const [, version, expected] = stored.split('$');
  return SHA_VERSIONS.has(version) && matches(digestHex(version, password), expected);
}

async function verifyScryptModified(password: string, stored: string): Promise<boolean> {
  const [, salt, separator, signerKey, expected] = stored.split('$');
  const { N, r, p, length } = SCRYPT_MOD;
  const key = await scryptKey(password, Buffer.concat([salt, separator].map((part) => Buffer.from(part, 'base64'))), length, N, r, p);
  const cipher = createCipheriv('aes-256-ctr', key.subarray(0, 32), Buffer.alloc(16));
  return matches(Buffer.concat([cipher.update(Buffer.from(signerKey, 'base64')), cipher.final()]).toString('base64'), expected);
}

/**
 * Verifiers of the forms importPasswordHash produces, keyed by scheme: what precedes the first `$`,
 * or for crypt-style strings (`$2b$…`, `$argon2id$…`, `$P$…`) the id between the first two.
 */
export const IMPORTED_HASH_VERIFIERS: ReadonlyMap<string, HashVerifier> = new Map<string, HashVerifier>([
  ['2a', verifyBcrypt],
  ['2b', verifyBcrypt],
  ['2y', verifyBcrypt],
  ['argon2id', verifyArgon2],
  ['argon2i', verifyArgon2],
  ['argon2d', verifyArgon2],
  ['P', verifyPhpass],
  ['H', verifyPhpass],
  ['scrypt', verifyScrypt],
  ['scrypt-modified', verifyScryptModified],
  ['sha', verifySha],
  ['md5', (password, stored) => matches(digestHex('md5', password), stored.split('$')[1])],
]);

// ---------------------------------------------------------------- description

/** A stored password as Appwrite's User model shows it to server callers: `password`, `hash`, `hashOptions`. */
export interface PasswordHashDescription {
  password: string;
  hash: string;
  hashOptions: Record<string, unknown>;
}

/**
 * The User model's view of a stored `passwordHash`: the algorithm under Appwrite's name and its
 * settings, and the hash as the import routes take it, so an exported user imports back.
 * Our own scheme (bcrypt over an HMAC of the password) is named for what it is, `bcrypt-hmac-sha256`.
 */
export function describePasswordHash(stored: string | null): PasswordHashDescription {
  if (!stored) return { password: '', hash: '', hashOptions: {} };
  const parts = stored.split('$');
  if (parts[0] === 'bcrypt-hmac-sha256') {
    const bcryptHash = stored.slice(parts[0].length + 1);
    return { password: bcryptHash, hash: parts[0], hashOptions: { cost: Number(bcryptHash.split('$')[2]) } };
  }
  if (BCRYPT.test(stored)) return { password: stored, hash: 'bcrypt', hashOptions: { cost: Number(parts[2]) } };
  if (ARGON2.test(stored)) {
    const settings = Object.fromEntries(parts[3].split(',').map((pair) => pair.split('=')));
    return { password: stored, hash: 'argon2', hashOptions: { type: parts[1], memoryCost: Number(settings.m), timeCost: Number(settings.t), threads: Number(settings.p) } };
  }
  if (PHPASS.test(stored)) return { password: stored, hash: 'phpass', hashOptions: {} };
  if (parts[0] === 'md5') return { password: parts[1], hash: 'md5', hashOptions: {} };
  if (parts[0] === 'sha') return { password: parts[2], hash: 'sha', hashOptions: { version: parts[1] } };
  if (parts[0] === 'scrypt') {
    const [costCpu, costMemory, costParallel] = parts[1].split(',').map(Number);
    const key = Buffer.from(parts[3], 'base64');
    const salt = Buffer.from(parts[2], 'base64').toString('utf8');
    return { password: key.toString('hex'), hash: 'scrypt', hashOptions: { salt, costCpu, costMemory, costParallel, length: key.length } };
  }
  if (parts[0] === 'scrypt-modified') {
    const [, salt, saltSeparator, signerKey, derived] = parts;
    return { password: derived, hash: 'scryptMod', hashOptions: { salt, saltSeparator, signerKey } };
  }
  // Written by the host by hand: shown as it is.
  return { password: stored, hash: parts[0] || 'unknown', hashOptions: {} };
}
