// Hashes imported from other systems: importPasswordHash's stored forms and PasswordHasher's
// verification of them, on published vectors (argon2's reference implementation, RFC 7914, PHP's
// manual, Firebase's scrypt README, phpass's own test) and on digests computed with Python's
// hashlib; then an imported user signing in over HTTP and being re-hashed.
import express from 'express';
import request from 'supertest';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { importPasswordHash, type AccountRouter, type ImportedPasswordHash, type StorageAdapter } from '../../lib';
import { PasswordHasher } from '../../lib/core/passwords';
import { expectError, testRouter } from '../helpers/test-instance';

const hasher = new PasswordHasher(4);

const ARGON2ID = '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';
const ARGON2I = '$argon2i$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$sDV8zPvvkfOGCw26RHsjSMvv7K2vmQq/6cxAcmxSEnE';
const FIREBASE = {
  salt: '42xEC+ixf3L2lw==',
  saltSeparator: 'Bw==',
  signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
};
const FIREBASE_STORED = `scrypt-modified$${FIREBASE.salt}$${FIREBASE.saltSeparator}$${FIREBASE.signerKey}$${FIREBASE.hash}`;
const PHPASS = '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0';
const PHP_BCRYPT = '$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq';

describe.each<{ name: string; input: ImportedPasswordHash; password: string; stored: string }>([
  { name: 'argon2id', input: { hash: 'argon2', password: ARGON2ID }, password: 'password', stored: ARGON2ID },
  { name: 'argon2i', input: { hash: 'argon2', password: ARGON2I }, password: 'password', stored: ARGON2I },
  { name: 'bcrypt $2y$ (PHP)', input: { hash: 'bcrypt', password: PHP_BCRYPT }, password: 'rasmuslerdorf', stored: PHP_BCRYPT },
  {
    name: 'scrypt (RFC 7914)',
    input: {
      hash: 'scrypt',
      password: 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
      hashOptions: { salt: 'NaCl', costCpu: 1024, costMemory: 8, costParallel: 16, length: 64 },
    },
    password: 'password',
    stored: 'scrypt$1024,8,16$TmFDbA==$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA==',
  },
  {
    // 128 · r · N = 32 MiB, more than OpenSSL's default maxmem: fails unless the verifier raises it.
    name: 'scrypt with a cost above OpenSSL’s default memory limit',
    input: {
      hash: 'scrypt',
      password: '27E69E1D68A7328FDE43520A0A5190D7950922F78B1388D22D5EC7B95E9E2DE2',
      hashOptions: { type: 'scrypt', salt: 'appwrite-salt', costCpu: 16384, costMemory: 16, costParallel: 1, length: 32 },
    },
    password: 'correct horse',
    stored: 'scrypt$16384,16,1$YXBwd3JpdGUtc2FsdA==$J+aeHWinMo/eQ1IKClGQ15UJIveLE4jSLV7HuV6eLeI=',
  },
  { name: 'scryptMod (Firebase)', input: { hash: 'scryptMod', password: FIREBASE.hash, hashOptions: FIREBASE }, password: 'user1password', stored: FIREBASE_STORED },
  { name: 'md5', input: { hash: 'md5', password: '5f4dcc3b5aa765d61d8327deb882cf99' }, password: 'password', stored: 'md5$5f4dcc3b5aa765d61d8327deb882cf99' },
  { name: 'phpass $P$ (phpass test.php)', input: { hash: 'phpass', password: PHPASS }, password: 'test12345', stored: PHPASS },
  { name: 'phpass $H$ (phpBB)', input: { hash: 'phpass', password: `$H$${PHPASS.slice(3)}` }, password: 'test12345', stored: `$H$${PHPASS.slice(3)}` },
  {
    name: 'phpass, WordPress cost, non-ASCII password',
    input: { hash: 'phpass', password: '$P$BSALTsaltvDx1VDkvOoDl1It1LMoQG.' },
    password: 'pässwörd',
    stored: '$P$BSALTsaltvDx1VDkvOoDl1It1LMoQG.',
  },
  { name: 'phpass holding a bcrypt hash', input: { hash: 'phpass', password: PHP_BCRYPT }, password: 'rasmuslerdorf', stored: PHP_BCRYPT },
])('$name', ({ input, password, stored }) => {
  it('imports to its stored form', () => {
    expect(importPasswordHash(input)).toBe(stored);
  });

  it('verifies the right password, refuses a wrong one and asks for a rehash', async () => {
    expect(await hasher.verify(password, stored)).toBe(true);
    expect(await hasher.verify(`${password}!`, stored)).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(true);
  });
});

describe('sha', () => {
  // hashlib.new(name, b'correct horse').hexdigest()
  it.each([
    ['sha1', '2f9e53523b62abc141a2b4d6019d23cba835dbd0'],
    ['sha224', 'be678ecb0e1e13fd0c1440995f43225ca83aeb66717e8ea790b867f2'],
    ['sha256', '4104d36f8da2c254349f85836793ebe029e0c957063a34c91c2e9203187b5631'],
    ['sha384', '02b20a6f2ebb1360a9a60f4cf90857363ed419c022b121567ce5f91c6e39664fb78fd60234c4a58b5bfc7145ae983292'],
    ['sha512/224', '3b63bd6be6759b3f8fd46e7157e3c319ac0b39bd8657d3d9d0d5f4e5'],
    ['sha512/256', 'adfe73059f259340e325945da2dff9f935b28c30d0156e88e7e6ed0e02b670dd'],
    ['sha512', '56b698defedb5a435b634afe3320bbaf3fdcd920b6c503a446fc7b7a776b298d479d1ba6a8b617808eb0bf579ce9a95d668347bcab7149085ac93cb27995197b'],
    ['sha3-224', 'a86d6ad79b1ada74dc73eaee0b17a480bb79df9163137113e201c847'],
    ['sha3-256', 'e2bb427c913c99e9663c5d0e97472bd8618656cabbca6274c2743b0ebf107ce3'],
    ['sha3-384', '086571cdbd4d47381eeed0504b77fd55d2adf870ae469676a32885ba33aaecd4927ebd17a8ce6b1bf11dfe84145e7936'],
    ['sha3-512', 'c5d05432d6da5971ab7798edf48d294ac28ee4d78ecbf0e1d236df3d12d3e6408462702ea047d0fc46aec01c43d9d403c713df217619da353e0c42399afbc33f'],
  ])('%s: imports, verifies the right password and refuses a wrong one', async (version, digest) => {
    const stored = importPasswordHash({ hash: 'sha', password: digest, hashOptions: { version } });
    expect(stored).toBe(`sha$${version}$${digest}`);
    expect(await hasher.verify('correct horse', stored)).toBe(true);
    expect(await hasher.verify('correct horsE', stored)).toBe(false);
  });

  it('takes sha3-512 when the export names no version, as Appwrite does', () => {
    const digest = 'c5d05432d6da5971ab7798edf48d294ac28ee4d78ecbf0e1d236df3d12d3e6408462702ea047d0fc46aec01c43d9d403c713df217619da353e0c42399afbc33f';
    expect(importPasswordHash({ hash: 'sha', password: digest })).toBe(`sha$sha3-512$${digest}`);
  });
});

it('answers false, without throwing, for malformed or unknown stored hashes', async () => {
  const malformed = [
    '',
    '$',
    'plain text',
    'bcrypt-hmac-sha256$',
    'bcrypt-hmac-sha256$not bcrypt',
    '$2b$04$short',
    ARGON2ID.replace('v=19', 'v=16'),
    ARGON2ID.slice(0, ARGON2ID.lastIndexOf('$')),
    '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$!!!',
    '$P$9short',
    `$P$Z${PHPASS.slice(4)}`,
    `$P$S${PHPASS.slice(4)}`,
    'scrypt$',
    'scrypt$16384,8$c2FsdA==$AAAA',
    'scrypt$1000,8,1$c2FsdA==$AAAA',
    // An empty key or signer key would derive an empty value for any password.
    'scrypt$16384,8,1$c2FsdA==$',
    'scrypt-modified$c2FsdA==$Bw==$$',
    'scrypt-modified$c2FsdA==',
    'sha$md4$8a9d093f14f8701df17732b2bb182c74',
    'sha$sha1$',
    'sha$$5f4dcc3b5aa765d61d8327deb882cf99',
    'md5$',
    'md5$zz',
    'unknown$5f4dcc3b5aa765d61d8327deb882cf99',
  ];
  for (const stored of malformed) expect([stored, await hasher.verify('password', stored)]).toEqual([stored, false]);
});

const SCRYPT_OPTIONS = { salt: 's', costCpu: 1024, costMemory: 8, costParallel: 1, length: 1 };

it.each<[string, ImportedPasswordHash, RegExp]>([
  ['an unknown algorithm', { hash: 'plaintext', password: 'x' }, /unknown algorithm "plaintext"; expected one of argon2, bcrypt, phpass, scrypt, scryptMod, sha, md5$/],
  ['argon2 that is not a PHC string', { hash: 'argon2', password: PHP_BCRYPT }, /argon2 PHC string/],
  ['argon2 version 16', { hash: 'argon2', password: ARGON2ID.replace('v=19', 'v=16') }, /argon2 PHC string/],
  ['bcrypt that is not a bcrypt hash', { hash: 'bcrypt', password: 'secret' }, /bcrypt hash/],
  ['phpass with a cost outside 2^7 … 2^30', { hash: 'phpass', password: `$P$Z${PHPASS.slice(4)}` }, /phpass hash/],
  ['phpass with a cost above 2^20, which would stall the event loop', { hash: 'phpass', password: `$P$J${PHPASS.slice(4)}` }, /phpass hash/],
  ['a password that is not a string', { hash: 'md5', password: 42 as unknown as string }, /password must be 32 hex digits/],
  ['scrypt without options', { hash: 'scrypt', password: 'aa' }, /hashOptions.costCpu must be a positive integer/],
  ['scrypt with a numeric string cost', { hash: 'scrypt', password: 'aa', hashOptions: { ...SCRYPT_OPTIONS, costCpu: '1024' } }, /hashOptions.costCpu/],
  ['scrypt with a cost that is not a power of two', { hash: 'scrypt', password: 'aa', hashOptions: { ...SCRYPT_OPTIONS, costCpu: 1000 } }, /power of two/],
  ['scrypt without a salt', { hash: 'scrypt', password: 'aa', hashOptions: { ...SCRYPT_OPTIONS, salt: undefined } }, /hashOptions.salt must be a string/],
  ['scrypt whose key is not `length` bytes', { hash: 'scrypt', password: 'aabb', hashOptions: SCRYPT_OPTIONS }, /password must be 2 hex digits/],
  ['scryptMod without a signer key', { hash: 'scryptMod', password: FIREBASE.hash, hashOptions: { ...FIREBASE, signerKey: undefined } }, /signerKey must be a base64/],
  ['scryptMod with a salt that is not base64', { hash: 'scryptMod', password: FIREBASE.hash, hashOptions: { ...FIREBASE, salt: 'not base64!' } }, /salt must be a base64/],
  ['scryptMod whose hash is shorter than the signer key', { hash: 'scryptMod', password: 'AAAA', hashOptions: FIREBASE }, /as long as hashOptions.signerKey/],
  ['sha with an unknown version', { hash: 'sha', password: 'aa', hashOptions: { version: 'md4' } }, /hashOptions.version must be one of sha1, .*sha3-512/],
  ['sha whose digest does not fit its version', { hash: 'sha', password: '0'.repeat(32), hashOptions: { version: 'sha1' } }, /password must be 40 hex digits/],
  ['md5 that is not hex', { hash: 'md5', password: 'z'.repeat(32) }, /password must be 32 hex digits/],
])('importPasswordHash throws a TypeError for %s', (_, input, message) => {
  expect(() => importPasswordHash(input)).toThrow(TypeError);
  expect(() => importPasswordHash(input)).toThrow(message);
});

describe('an imported user signing in (POST /v1/account/sessions/email)', () => {
  let storage: StorageAdapter;
  let router: AccountRouter;
  let app: express.Express;
  beforeEach(async () => {
    storage = createSqliteAdapter({ filename: ':memory:' });
    router = testRouter({ storage });
    app = express().use('/v1', router);
    await router.ready();
  });
  afterEach(() => router.close());

  const signIn = (password: string) => request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password });
  const storedHash = async () => (await storage.users.get('imported'))!.passwordHash;

  it.each([
    ['argon2id', ARGON2ID, 'password'],
    ['scrypt-modified', FIREBASE_STORED, 'user1password'],
  ])('%s: signs in, is re-hashed with our bcrypt scheme, and signs in again', async (_, passwordHash, password) => {
    const now = new Date();
    await storage.users.create({
      id: 'imported', createdAt: now, updatedAt: now, name: 'Ada', email: 'ada@example.com', phone: null, passwordHash,
      passwordUpdatedAt: now, passwordPwned: null, status: true, labels: [], emailVerification: true, phoneVerification: false, mfa: false, prefs: {}, accessedAt: now, impersonator: false,
    });
    expectError(await signIn('wrong password'), 401, 'user_invalid_credentials');
    expect(await storedHash()).toBe(passwordHash);

    expect((await signIn(password)).status).toBe(201);
    const rehashed = await storedHash();
    expect(rehashed).toMatch(/^bcrypt-hmac-sha256\$\$2b\$04\$/);

    expect((await signIn(password)).status).toBe(201);
    expect(await storedHash()).toBe(rehashed);
    expectError(await signIn('wrong password'), 401, 'user_invalid_credentials');
  });
});
