#!/usr/bin/env node
// Listing users at scale: `GET /v1/users?search=…` and a filtered list, one request at a time, p50
// and p99, at two levels: the adapter rows time the call the route makes —
// lib/core/list-queries.js listUsers(storage, { queries, search, total }), translation included —
// in a child process pinned to the server's core; the HTTP rows (run.js, `listPaths`) send the
// same requests as GET /v1/users?queries[]=…&search=… with an API key through the load worker,
// one connection. Each case is a list of requests (the queries[] strings node-appwrite builds).
//
// In `npm run bench` (run.js calls listScenarios on the databases it seeded), or on its own:
//   node bench/list.js [--users 1000000] [--requests 2000] [--runs 3] [--file db.sqlite]
//                      [--postgres postgres://… [--schema name]] [--keep]
// which seeds a database as run.js does (or reuses --file when it exists, or --schema, which it
// then leaves in place) and prints the rows.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { Query } = require('node-appwrite');
const { cpuMeter, coreMeter, forkPinned, killAllChildren, median, nextMessage, pinningAvailable, rssMiB, stopChild } = require('./common');

const DAY_MS = 86_400_000;

/**
 * The timed requests, rotating over the sampled accounts: a search for an email's local part
 * (`user12345`: a word prefix, as a search box sends it), and the label-and-date filter an admin
 * page asks for, newest first. Both count their total, as the SDK's default does.
 */
function listCases(sample, now = Date.now()) {
  const since = (days) => new Date(now - days * DAY_MS).toISOString();
  return [
    {
      key: 'listSearch',
      label: 'users.list · search',
      requests: sample.map((account) => ({ search: account.email.split('@')[0] })),
    },
    {
      key: 'listFiltered',
      label: 'users.list · label + date',
      requests: [30, 90, 180, 365].map((days) => ({
        queries: [Query.contains('labels', ['vip']), Query.greaterThan('registration', since(days)), Query.orderDesc('$createdAt'), Query.limit(25)],
      })),
    },
  ];
}

/** A request as node-appwrite puts it on the wire: `GET /v1/users?queries[]=…&search=…`. */
function listPath(request) {
  const query = new URLSearchParams();
  for (const q of request.queries ?? []) query.append('queries[]', q);
  if (request.search !== undefined) query.append('search', request.search);
  return `/v1/users?${query}`;
}

/** The HTTP form of every case: `{ key, label, paths }`. */
function listPaths(sample) {
  return listCases(sample).map((listCase) => ({ key: listCase.key, label: listCase.label, paths: listCase.requests.map(listPath) }));
}

/** Times `requests` round-robin, `count` calls after `warmup` untimed ones, awaiting each before the next. */
async function timeRequests(listUsers, storage, requests, count, warmup) {
  let empty = 0;
  for (let i = 0; i < warmup; i++) await listUsers(storage, requests[i % requests.length]);
  const times = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const page = await listUsers(storage, requests[i % requests.length]);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (page.items.length === 0) empty++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.min(times.length - 1, Math.max(0, Math.ceil((p / 100) * times.length) - 1))];
  return { count, seconds, perSecond: count / seconds, p50: at(50), p99: at(99), max: times[times.length - 1], empty };
}

/** The child: opens the storage once, then answers {type:'run', requests, count, warmup}. */
function worker() {
  const dist = path.join(__dirname, '..', 'dist');
  const { listUsers } = require(path.join(dist, 'lib', 'core', 'list-queries'));
  const { createBenchStorage } = require('./storage');
  const storage = createBenchStorage(JSON.parse(process.env.BENCH_LIST_STORAGE));
  process.on('message', (message) => {
    if (message.type !== 'run') return;
    timeRequests(listUsers, storage, message.requests, message.count, message.warmup).then(
      (result) => process.send({ type: 'result', result }),
      (error) => process.send({ type: 'error', error: String(error && error.stack ? error.stack : error) }),
    );
  });
  process.on('disconnect', () => storage.close().finally(() => process.exit(0)));
  storage.migrate().then(() => process.send({ type: 'hello' }));
}

/**
 * Runs every case on `storageSpec` in a child pinned to `core`: `runs` timed runs of `requests`
 * calls each (after a warm-up), medians of p50 / p99. Returns one bench row per case, keyed
 * `<case key><suffix>`. `measure` wraps each run (run.js passes its disturbance check).
 */
async function listScenarios({ storageSpec, sample, users, core, pin, runs, requests, warmup, suffix = '', labelSuffix = '', info = {}, measure = (run) => run(), log = () => {} }) {
  const child = forkPinned(__filename, ['--worker'], { core, pin, env: { BENCH_LIST_STORAGE: JSON.stringify(storageSpec) } });
  const rows = {};
  try {
    await nextMessage(child, 'hello', 120_000);
    for (const listCase of listCases(sample)) {
      const once = async (count) => {
        const cpu = cpuMeter(child.pid);
        const coreUse = coreMeter(core);
        const done = nextMessage(child, 'result', 600_000);
        child.send({ type: 'run', requests: listCase.requests, count, warmup: 0 });
        const { result } = await done;
        const serverCpuPercent = cpu();
        return { ...result, serverCpuPercent, serverCoreBusyPercent: coreUse()?.busyPercent ?? null };
      };
      await once(warmup);
      const measured = [];
      for (let r = 0; r < runs; r++) {
        const result = await measure(() => once(requests), `${listCase.label}${labelSuffix}`);
        log(`${listCase.label}${labelSuffix}: run ${r + 1}/${runs}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, max ${result.max.toFixed(1)} ms, ${result.empty} empty pages`);
        measured.push(result);
      }
      const pick = (key) => median(measured.map((m) => m[key]));
      rows[listCase.key + suffix] = {
        label: `${listCase.label}${labelSuffix}`,
        name: listCase.label,
        server: 'list.js (listUsers on the adapter, no HTTP)',
        users,
        ...info,
        requestsPerRun: requests,
        distinctRequests: listCase.requests.length,
        reqPerSec: pick('perSecond'),
        p50: pick('p50'),
        p99: pick('p99'),
        max: pick('max'),
        serverCpuPercent: pick('serverCpuPercent'),
        serverCoreBusyPercent: pick('serverCoreBusyPercent'),
        foreignCpuPercent: pick('foreignCpuPercent'),
        disturbedRuns: measured.filter((m) => m.disturbed).length,
        loadCpuPercent: null,
        rssMiB: rssMiB(child.pid),
        non2xx: measured.reduce((n, m) => n + m.empty, 0),
        errors: 0,
        runs: measured,
      };
    }
  } finally {
    await stopChild(child);
  }
  return rows;
}

/** `node bench/list.js`: seeds (or reuses) one database and prints its rows. */
async function main() {
  const args = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--keep') args.keep = true;
    else if (argv[i].startsWith('--') && i + 1 < argv.length) args[argv[i].slice(2)] = argv[++i];
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  const users = Number(args.users ?? 1_000_000);
  const { seedRouterDb, pickSample } = require('./seed');
  const { dropPostgresSchema } = require('./storage');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'account-router-list-'));
  const filename = args.file ?? path.join(tmp, 'router.sqlite');
  const storageSpec = args.postgres
    ? { postgres: { connectionString: args.postgres, schema: args.schema ?? `bench_${crypto.randomBytes(4).toString('hex')}` } }
    : { filename };
  const log = (...parts) => console.error(`[list ${new Date().toISOString().slice(11, 19)}]`, ...parts);
  try {
    let sample;
    const reuse = args.postgres ? args.schema !== undefined : fs.existsSync(filename);
    if (reuse) {
      log(`reusing ${args.postgres ? `schema ${args.schema}` : filename}`);
      sample = pickSample(users, 1000).map((i) => ({ email: `user${i}@bench.example.com` }));
    } else {
      log(`seeding ${users.toLocaleString('en')} users`);
      const seeded = await seedRouterDb({ ...storageSpec, count: users, secret: 'list-bench', passwordHash: 'bcrypt$unused', sampleSize: 1000, log });
      log(`seeded in ${seeded.seconds.toFixed(0)} s (${seeded.fileMiB.toFixed(0)} MiB)`);
      sample = seeded.sample;
    }
    const rows = await listScenarios({
      storageSpec, sample, users, core: 0, pin: pinningAvailable(), runs: Number(args.runs ?? 3),
      requests: Number(args.requests ?? 2000), warmup: 200, log,
    });
    for (const row of Object.values(rows)) {
      console.log(`${row.label.padEnd(28)} ${users.toLocaleString('en').padStart(10)} users  p50 ${row.p50.toFixed(2).padStart(7)} ms  p99 ${row.p99.toFixed(2).padStart(7)} ms  max ${row.max.toFixed(1).padStart(7)} ms  empty ${row.non2xx}`);
    }
  } finally {
    if (args.postgres && !args.keep && args.schema === undefined) await dropPostgresSchema(storageSpec.postgres).catch(() => undefined);
    if (!args.keep) fs.rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${args.postgres ? `schema ${storageSpec.postgres.schema}` : filename}`);
  }
}

if (process.argv.includes('--worker')) worker();
else if (require.main === module) {
  process.on('exit', killAllChildren);
  main().catch((error) => {
    console.error(error && error.stack ? error.stack : error);
    process.exitCode = 1;
  });
}

module.exports = { listCases, listPaths, listScenarios };
