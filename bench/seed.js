// Seeding. The router's database is written through its own storage adapter
// (createSqliteAdapter or createPostgresAdapter → users.create / targets.create / sessions.create inside adapter.transaction
// batches), so rows are exactly what the router writes: every user has a password hash made by the
// router's PasswordHasher at the router's cost (one hash, reused), an email target (as sign-up
// creates), and one session whose secret is random and whose stored hash is
// SecretHasher(serverSecret).hash(secret). The ceiling's database is plain better-sqlite3.
'use strict';
const crypto = require('node:crypto');
const path = require('node:path');
const fs = require('node:fs');
const Database = require('better-sqlite3');

const dist = path.join(__dirname, '..', 'dist');
const { createBenchStorage, postgresSchemaMiB } = require('./storage');
const { SecretHasher } = require(path.join(dist, 'lib', 'core', 'secrets'));
const { encodeSessionCredential } = require(path.join(dist, 'lib', 'core', 'sessions'));

const BATCH = 10_000;
const YEAR_MS = 365 * 86_400_000;

/** Small deterministic PRNG (mulberry32), so a run's sample is reproducible. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` indices spread over [0, count): one random pick per equal stratum (all when size ≥ count). */
function pickSample(count, size, seed = 42) {
  if (size >= count) return Array.from({ length: count }, (_, i) => i);
  const rnd = prng(seed);
  const out = [];
  for (let k = 0; k < size; k++) {
    const lo = Math.floor((k * count) / size);
    const hi = Math.floor(((k + 1) * count) / size);
    out.push(lo + Math.floor(rnd() * (hi - lo)));
  }
  return out;
}

const userId = (i) => 'u' + i.toString(16).padStart(19, '0');
const targetId = (i) => 't' + i.toString(16).padStart(19, '0');
const sessionId = (i) => 's' + i.toString(16).padStart(19, '0');
const emailOf = (i) => `user${i}@bench.example.com`;

function fileMiB(filename) {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(filename + suffix).size;
    } catch {
      // no WAL file
    }
  }
  return total / 1048576;
}

/**
 * Seeds `count` users (each with an email target and one session) into a fresh router database.
 * Returns the sampled accounts the load rotates over: their e-mail and session cookie value.
 */
async function seedRouterDb({ filename, postgres, count, secret, passwordHash, sampleSize, log = () => {} }) {
  const started = process.hrtime.bigint();
  const adapter = createBenchStorage({ filename, postgres });
  await adapter.migrate();
  const secrets = new SecretHasher(secret);
  const sampleIndices = pickSample(count, sampleSize);
  const wanted = new Set(sampleIndices);
  const cookies = new Map();
  const now = new Date();
  const expire = new Date(now.getTime() + YEAR_MS);
  try {
    for (let start = 0; start < count; start += BATCH) {
      const end = Math.min(count, start + BATCH);
      const random = crypto.randomBytes(128 * (end - start));
      await adapter.transaction(async (tx) => {
        for (let i = start; i < end; i++) {
          const id = userId(i);
          const email = emailOf(i);
          // Sign-ups spread over the last year, every tenth labelled `vip`, every other email verified:
          // what the list bench filters on (bench/list.js). Every user stays active: the reads need them.
          const createdAt = new Date(now.getTime() - Math.round(((count - i) * YEAR_MS) / count));
          await tx.users.create({
            id, createdAt, updatedAt: createdAt, name: `Bench User ${i}`, email, phone: null,
            passwordHash, passwordUpdatedAt: createdAt, passwordPwned: null, status: true, labels: i % 10 === 0 ? ['vip'] : [],
            emailVerification: i % 2 === 0, phoneVerification: false, mfa: false, prefs: {}, accessedAt: now,
            impersonator: false,
          });
          await tx.targets.create({
            id: targetId(i), userId: id, createdAt: now, updatedAt: now, providerType: 'email',
            identifier: email, providerId: null, name: '', expired: false, sessionId: null,
          });
          const sessionSecret = random.subarray((i - start) * 128, (i - start + 1) * 128).toString('hex');
          // One session per fresh user: the per-user limit has nothing to prune, so it is skipped.
          await tx.sessions.create(
            {
              id: sessionId(i), userId: id, createdAt: now, updatedAt: now, expire,
              secretHash: secrets.hash(sessionSecret), provider: 'email', providerUid: email,
              providerAccessToken: '', providerRefreshToken: '', providerAccessTokenExpiry: null,
              ip: '127.0.0.1', userAgent: 'account-router bench', countryCode: '--',
              factors: ['password'], mfaUpdatedAt: null,
            },
            { maxPerUser: 0 },
          );
          if (wanted.has(i)) cookies.set(i, encodeSessionCredential(id, sessionSecret));
        }
      });
      if (end % 100_000 === 0 || end === count) log(`  router db ${postgres ? `postgres schema ${postgres.schema}` : path.basename(filename)}: ${end.toLocaleString('en')} / ${count.toLocaleString('en')} users`);
    }
  } finally {
    await adapter.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sample = sampleIndices.map((i) => ({ userId: userId(i), sessionId: sessionId(i), email: emailOf(i), cookie: cookies.get(i) }));
  const size = postgres ? await postgresSchemaMiB(postgres) : fileMiB(filename);
  return { seconds, rowsPerSecond: count / seconds, fileMiB: size, sample };
}

/** The ceiling's own minimal schema: users and sessions by primary key, `count` of each. */
function seedCeilingDb({ filename, count, sampleSize }) {
  const started = process.hrtime.bigint();
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
    CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id), expire INTEGER NOT NULL);
  `);
  const insertUser = db.prepare('INSERT INTO users (id, name, email, created_at) VALUES (?, ?, ?, ?)');
  const insertSession = db.prepare('INSERT INTO sessions (id, user_id, expire) VALUES (?, ?, ?)');
  const sampleIndices = pickSample(count, sampleSize);
  const wanted = new Set(sampleIndices);
  const sids = new Map();
  const now = Date.now();
  const batch = db.transaction((start, end) => {
    const random = crypto.randomBytes(16 * (end - start));
    for (let i = start; i < end; i++) {
      const sid = random.subarray((i - start) * 16, (i - start + 1) * 16).toString('hex');
      insertUser.run(userId(i), `Bench User ${i}`, emailOf(i), now);
      insertSession.run(sid, userId(i), now + YEAR_MS);
      if (wanted.has(i)) sids.set(i, sid);
    }
  });
  try {
    for (let start = 0; start < count; start += BATCH) batch(start, Math.min(count, start + BATCH));
  } finally {
    db.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, rowsPerSecond: count / seconds, fileMiB: fileMiB(filename), sample: sampleIndices.map((i) => ({ userId: userId(i), sid: sids.get(i) })) };
}

module.exports = { seedRouterDb, seedCeilingDb, pickSample };
