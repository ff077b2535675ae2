#!/usr/bin/env node
// `npm run bench` — account-router's request hot path against the ceiling of a bare Express 5 +
// SQLite lookup, in one run on one machine. See bench/README.md for what is measured and how.
//
//   node bench/run.js [--quick] [--reads] [--out FILE] [--profile] [--connections 50] [--runs 3]
//                     [--duration 10] [--warmup 5] [--users 1000] [--scale 1000000] [--rotation 10000]
//                     [--cost 10] [--attempts 4] [--quiet-timeout 180] [--keep]
//                     [--postgres postgres://user@host:port/db] [--skip-scale] [--load-generator wrk|autocannon]
//
// Needs the compiled dist/ (the npm script builds first). Every server and the load generator are
// child processes; all of them are killed when the bench ends, whatever way it ends.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const {
  pinningAvailable, forkPinned, spawnNodePinned, waitForOutput, killAllChildren, stopChild, nextMessage, cpuMeter, groupCpuMeter, pidsNamed, pinProcesses, coreMeter, waitIdle, rssMiB, rssBreakdown, allowedCpus, median, interleavedOrder, machine,
} = require('./common');
const { seedRouterDb, seedCeilingDb } = require('./seed');
const { listPaths, listScenarios } = require('./list');
const { dropPostgresSchema, postgresVersion } = require('./storage');
const { summarise, format: formatProfile } = require('./cpuprofile-summary');

const DIST = path.join(__dirname, '..', 'dist');
const PASSWORD = 'bench password 1';

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const flags = new Set(['--quick', '--reads', '--profile', '--keep', '--skip-scale', '--help']);
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (flags.has(a)) args[a.slice(2)] = true;
    else if (a.startsWith('--') && a.includes('=')) args[a.slice(2, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else if (a.startsWith('--') && i + 1 < argv.length) args[a.slice(2)] = argv[++i];
    else throw new Error(`unknown argument: ${a}`);
  }
  if (args.help) {
    console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 12).join('\n'));
    process.exit(0);
  }
  const quick = Boolean(args.quick);
  const num = (name, full, q) => {
    const v = args[name] !== undefined ? Number(args[name]) : quick ? q : full;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  if (args.postgres !== undefined && !/^postgres(ql)?:\/\//.test(args.postgres)) throw new Error('--postgres must be a postgres:// URL');
  const loadGenerator = args['load-generator'] ?? 'auto';
  if (!['auto', 'wrk', 'autocannon'].includes(loadGenerator)) throw new Error('--load-generator must be wrk, autocannon or auto');
  const reads = Boolean(args.reads);
  if (reads && args.postgres !== undefined) throw new Error('--reads compares SQLite reads only; leave out --postgres');
  return {
    quick,
    /** Only the read comparison: ceiling, bare mount and example app, cookie and JWT (no hashing, no scale, no lists). */
    reads,
    /** wrk when installed (auto), or the one named. */
    loadGenerator,
    /** Also runs read and sign-in with the router on PostgreSQL (same user count as the small SQLite rows). */
    postgres: args.postgres ?? null,
    /** Leaves out the 1M-user rows and their ratios (for a quicker SQLite-vs-PostgreSQL comparison). */
    skipScale: reads || Boolean(args['skip-scale']),
    profile: Boolean(args.profile),
    keep: Boolean(args.keep),
    out: args.out ? path.resolve(args.out) : path.join(os.tmpdir(), 'account-router-bench', 'latest.json'),
    connections: num('connections', 50, 50),
    runs: Math.round(num('runs', 3, 1)),
    duration: num('duration', 10, 2),
    warmup: num('warmup', 5, 1),
    users: Math.round(num('users', 1000, 300)),
    scale: Math.round(num('scale', 1_000_000, 20_000)),
    /** Sessions/accounts one scenario rotates over (all of them at the small scale). */
    rotation: Math.round(num('rotation', 10_000, 10_000)),
    cost: Math.round(num('cost', 10, 10)),
    /** Attempts per measured run when another process disturbs it (shares the server's core). */
    attempts: Math.round(num('attempts', 4, 1)),
    /** How long to wait for the server's core to go quiet before each measured run. */
    quietTimeoutMs: num('quiet-timeout', 180, 3) * 1000,
  };
}

/** For the signal handlers: the temp dir to remove (databases of up to ~1.5 GB). */
let tempDir = null;
let keepTemp = false;
/** The PostgreSQL schema a --postgres run seeded (dropped at the end unless --keep). */
let postgresSchema = null;
/** Undoes the pinning of a local PostgreSQL's processes to the server core. */
let restorePostgresAffinity = null;

function isLoopback(url) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === '' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

const log = (...parts) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

// ---------------------------------------------------------------------------------------------
// Processes

const SERVER_CORE = 0;
const LOAD_CORE = 1;

async function startServer(kind, env, pin, nodeArgs = []) {
  const script = path.join(__dirname, kind === 'ceiling' ? 'ceiling-server.js' : 'router-server.js');
  const child = forkPinned(script, [], { core: SERVER_CORE, pin, env: { BENCH_SERVER: JSON.stringify(env) }, nodeArgs });
  const { port } = await nextMessage(child, 'ready', 120_000);
  const idle = rssBreakdown(child.pid);
  log(`${kind} server up (pid ${child.pid}, cores ${allowedCpus(child.pid)}): RSS at idle ${fmt(idle.rssMiB)} MiB (anon ${fmt(idle.anonMiB)}, file ${fmt(idle.fileMiB)})`);
  return { kind, child, pid: child.pid, port, origin: `http://127.0.0.1:${port}`, cpus: allowedCpus(child.pid), rssAtStart: idle };
}

/**
 * The example app exactly as `npm start` runs it once built (`node dist/example-app/server.js`,
 * from the repository root), on the router's seeded database. Only the variables below are set:
 * everything else (rate limits included) is the example app's default. The read path has no rate
 * limit, so the defaults do not interfere with it.
 */
async function startExampleApp({ filename, secret }, pin, nodeArgs = []) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: process.env.NODE_ENV,
    PORT: '0',
    HOST: '127.0.0.1',
    ACCOUNT_DATABASE: filename,
    ACCOUNT_SECRET: secret,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawnNodePinned(path.join(DIST, 'example-app', 'server.js'), [], { core: SERVER_CORE, pin, env, nodeArgs, cwd: path.join(__dirname, '..') });
  const [, port] = await waitForOutput(child, /example app on http:\/\/127\.0\.0\.1:(\d+)\//, 120_000);
  const idle = rssBreakdown(child.pid);
  log(`example app up (pid ${child.pid}, cores ${allowedCpus(child.pid)}): RSS at idle ${fmt(idle.rssMiB)} MiB (anon ${fmt(idle.anonMiB)}, file ${fmt(idle.fileMiB)})`);
  return { kind: 'example-app', child, pid: child.pid, port: Number(port), origin: `http://127.0.0.1:${port}`, cpus: allowedCpus(child.pid), rssAtStart: idle, env: { ...env, ACCOUNT_SECRET: '(the seed secret)', PATH: undefined, HOME: undefined } };
}

async function startLoader(pin, generator) {
  const child = forkPinned(path.join(__dirname, 'load-worker.js'), [], { core: LOAD_CORE, pin, env: { BENCH_LOAD_GENERATOR: generator } });
  const hello = await nextMessage(child, 'hello', 30_000);
  return { child, pid: child.pid, cpus: allowedCpus(child.pid), generator: hello.generator };
}

/**
 * One autocannon run in the loader, bracketed by CPU samples of the server, of the loader and of
 * the server's core as a whole (core busy − server CPU = anybody else's use of that core). Then
 * waits for the server to finish the requests the run abandoned.
 */
async function loadRun(loader, server, seconds) {
  const serverCpu = cpuMeter(server.pid);
  const dbCpu = server.dbPids ? groupCpuMeter(server.dbPids) : null;
  const loadCpu = cpuMeter(loader.pid, { children: true });
  const core = coreMeter(SERVER_CORE);
  const done = nextMessage(loader.child, 'result', (seconds + 90) * 1000);
  loader.child.send({ type: 'run', seconds });
  const { result } = await done;
  const serverCpuPercent = serverCpu();
  const dbCpuPercent = dbCpu ? dbCpu() : null;
  const loadCpuPercent = loadCpu();
  const coreUse = core();
  const drainMs = await waitIdle(server.pid);
  return {
    ...result,
    rssMiBAfterRun: rssMiB(server.pid),
    // Requests per second of the server's own CPU: what a request costs, which another process
    // taking turns on the core changes far less than it changes req/s.
    reqPerCpuSecond: serverCpuPercent ? result.reqPerSec / (serverCpuPercent / 100) : null,
    serverCpuPercent,
    dbCpuPercent,
    loadCpuPercent,
    serverCoreBusyPercent: coreUse?.busyPercent ?? null,
    serverCoreStealPercent: coreUse?.stealPercent ?? null,
    drainMs,
  };
}

/** Another process's share of the server's core during a run: core busy − our own CPU (and our database's). */
const FOREIGN_LIMIT = 10;

/**
 * A measured run that another process did not disturb: waits for the server's core to go quiet,
 * runs, and when something else used more than FOREIGN_LIMIT % of that core meanwhile, tries again
 * (at most cfg.attempts times, keeping the least disturbed attempt). Only meaningful when pinned.
 */
async function undisturbed(cfg, pin, label, run) {
  let best = null;
  for (let attempt = 1; attempt <= cfg.attempts; attempt++) {
    const quietWaitMs = pin ? await waitQuiet(SERVER_CORE, cfg.quietTimeoutMs) : 0;
    const result = await run();
    const foreign = pin && result.serverCoreBusyPercent !== null && result.serverCpuPercent !== null
      ? Math.max(0, result.serverCoreBusyPercent - result.serverCpuPercent - (result.dbCpuPercent ?? 0))
      : null;
    Object.assign(result, { attempt, quietWaitMs, foreignCpuPercent: foreign, disturbed: foreign !== null && foreign > FOREIGN_LIMIT });
    if (!best || (foreign ?? 0) < (best.foreignCpuPercent ?? 0)) best = result;
    if (!result.disturbed) break;
    log(`${label}: disturbed — another process used ${foreign.toFixed(0)} % of core ${SERVER_CORE}${attempt < cfg.attempts ? ', measuring again' : ''}`);
  }
  return best;
}

/** Waits (bounded) until core `core` is nearly idle over a 1 s window; returns the ms waited. */
async function waitQuiet(core, timeoutMs, thresholdPercent = FOREIGN_LIMIT) {
  const start = Date.now();
  let warned = false;
  while (Date.now() - start < timeoutMs) {
    const meter = coreMeter(core);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const use = meter();
    if (!use || use.busyPercent < thresholdPercent) break;
    if (!warned && Date.now() - start > 5000) {
      log(`waiting for core ${core} to go quiet (${use.busyPercent.toFixed(0)} % busy with other processes)`);
      warned = true;
    }
  }
  return Date.now() - start;
}

/** Tells the loader what the next runs send, to which server. */
async function setupLoad(cfg, loader, server, spec) {
  const setupDone = nextMessage(loader.child, 'setup-done', 60_000);
  loader.child.send({ type: 'setup', spec: { url: server.origin, connections: cfg.connections, timeoutSec: 30, ...spec } });
  await setupDone;
}

/** One measured run (through `undisturbed`), logged. */
async function measuredRun(cfg, loader, server, name, pin, label) {
  const result = await undisturbed(cfg, pin, name, () => loadRun(loader, server, cfg.duration));
  log(`${name}: ${label}: ${result.reqPerSec.toFixed(1)} req/s, p50 ${fmt(result.p50, 2)} ms, p99 ${fmt(result.p99, 2)} ms, server CPU ${fmt(result.serverCpuPercent, 0)} % (core ${fmt(result.serverCoreBusyPercent, 0)} % busy), load CPU ${fmt(result.loadCpuPercent, 0)} %, non-2xx ${result.non2xx}, errors ${result.errors}${result.disturbed ? ' [DISTURBED]' : ''}`);
  return result;
}

/** The server's memory at one moment: VmRSS, its split, and VmHWM (the most it ever had resident). */
function memorySample(server) {
  const rss = rssBreakdown(server.pid);
  return { rssMiB: rss.rssMiB, rss, peakRssMiB: rss.hwmMiB };
}

/** A table row: medians of each figure over the measured runs, and the server's memory `memory`. */
function summariseRuns(server, name, info, warmup, runs, memory) {
  const pick = (key) => median(runs.map((r) => r[key]));
  return {
    name,
    server: server.kind,
    ...info,
    reqPerSec: pick('reqPerSec'),
    p50: pick('p50'),
    p99: pick('p99'),
    serverCpuPercent: pick('serverCpuPercent'),
    reqPerCpuSecond: pick('reqPerCpuSecond'),
    dbCpuPercent: pick('dbCpuPercent'),
    loadCpuPercent: pick('loadCpuPercent'),
    serverCoreBusyPercent: pick('serverCoreBusyPercent'),
    foreignCpuPercent: pick('foreignCpuPercent'),
    disturbedRuns: runs.filter((r) => r.disturbed).length,
    ...memory,
    /** RSS after each measured run: how much it moves with GC timing (the ratio uses rssMiB). */
    rssMiBPerRun: runs.map((r) => r.rssMiBAfterRun),
    rssAtServerStart: server.rssAtStart,
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0) + warmup.non2xx,
    errors: runs.reduce((n, r) => n + r.errors, 0) + warmup.errors,
    serverCpus: server.cpus,
    warmup: { seconds: warmup.seconds, reqPerSec: warmup.reqPerSec, non2xx: warmup.non2xx, errors: warmup.errors },
    runs,
  };
}

/** Warm-up, then `runs` measured runs; medians of each figure; RSS of the server afterwards. */
async function scenario(cfg, loader, server, name, spec, info, pin) {
  await setupLoad(cfg, loader, server, spec);
  log(`${name}: warm-up ${cfg.warmup} s`);
  const warmup = await loadRun(loader, server, cfg.warmup);
  const runs = [];
  for (let r = 0; r < cfg.runs; r++) runs.push(await measuredRun(cfg, loader, server, name, pin, `run ${r + 1}/${cfg.runs}`));
  return summariseRuns(server, name, info, warmup, runs, memorySample(server));
}

/**
 * The read comparison, in interleaved rounds: a machine whose speed drifts by tens of percent over
 * a minute would otherwise land a slow minute on one server and swing its ratio to the ceiling.
 * Every entry ({ key, label, name, server, spec }) is warmed up once, then each round measures
 * every entry once, in an order reversed every other round (A B C, C B A, …), so that a drift
 * linear in time costs each entry the same on average over two rounds. A row's RSS is the median
 * of its RSS at the end of each of its runs: read after the last round, a server that ran first
 * would have idled for half a minute and given memory back. Peak RSS (a high-water mark) is read
 * from every server at one moment after the last round. Returns the rows by key and, per round,
 * its order and each entry's run (for the ratios within a round).
 */
async function readRounds(cfg, loader, entries, info, pin) {
  const warmups = {};
  for (const { key, name, server, spec } of entries) {
    await setupLoad(cfg, loader, server, spec);
    log(`${name}: warm-up ${cfg.warmup} s`);
    warmups[key] = await loadRun(loader, server, cfg.warmup);
  }
  const rounds = [];
  for (let r = 0; r < cfg.runs; r++) {
    const order = interleavedOrder(entries, r);
    const runs = {};
    for (const { key, name, server, spec } of order) {
      await setupLoad(cfg, loader, server, spec);
      runs[key] = { round: r + 1, ...(await measuredRun(cfg, loader, server, name, pin, `round ${r + 1}/${cfg.runs}`)) };
    }
    rounds.push({ round: r + 1, order: order.map((e) => e.key), runs });
  }
  const afterRounds = new Map(entries.map((e) => e.server).filter((s, i, all) => all.indexOf(s) === i).map((s) => [s, memorySample(s)]));
  const rows = {};
  for (const { key, label, name, server } of entries) {
    const runs = rounds.map((round) => round.runs[key]);
    const { rss, peakRssMiB } = afterRounds.get(server);
    const memory = { rssMiB: median(runs.map((r) => r.rssMiBAfterRun)), rssAfterRounds: rss, peakRssMiB };
    rows[key] = { label, ...summariseRuns(server, name, info, warmups[key], runs, memory) };
  }
  return { rows, rounds };
}

/**
 * The Users API rows: GET /v1/users with a search and with the label-and-date filter, sent with the
 * API key over one connection (one request at a time), as bench/list.js's adapter rows time them.
 */
async function httpListScenarios(cfg, loader, server, sample, apiKey, info, pin, suffix = '', labelSuffix = '') {
  const headers = { 'x-appwrite-project': 'default', 'x-appwrite-key': apiKey };
  const first = await fetch(server.origin + listPaths(sample)[0].paths[0], { headers });
  if (first.status !== 200) throw new Error(`GET /v1/users with the bench key answered ${first.status}: ${await first.text()}`);
  const rows = {};
  for (const { key, label, paths } of listPaths(sample)) {
    const name = `HTTP ${label}${labelSuffix}`;
    rows[`${key}Http${suffix}`] = { label: name, ...(await scenario({ ...cfg, connections: 1 }, loader, server, name, { method: 'GET', path: paths[0], paths, headers }, { ...info, connections: 1 }, pin)) };
  }
  return rows;
}

async function hashRate(cfg, pin) {
  const child = forkPinned(path.join(__dirname, 'hash-rate.js'), [], {
    core: SERVER_CORE,
    pin,
    env: { UV_THREADPOOL_SIZE: '1', BENCH_BCRYPT_COST: String(cfg.cost) },
  });
  try {
    const hello = await nextMessage(child, 'hello', 30_000);
    const cpus = allowedCpus(child.pid);
    const once = async (op, seconds) => {
      const cpu = cpuMeter(child.pid);
      const core = coreMeter(SERVER_CORE);
      const done = nextMessage(child, 'result', (seconds + 60) * 1000);
      child.send({ type: 'run', op, seconds });
      const { result } = await done;
      const cpuPercent = cpu();
      return { ...result, cpuPercent, serverCpuPercent: cpuPercent, serverCoreBusyPercent: core()?.busyPercent ?? null };
    };
    log(`raw hash rate: warm-up ${cfg.warmup} s`);
    await once('hash', cfg.warmup);
    const runs = [];
    for (let r = 0; r < cfg.runs; r++) {
      const result = await undisturbed(cfg, pin, 'raw hash rate', () => once('hash', cfg.duration));
      log(`raw hash rate: run ${r + 1}/${cfg.runs}: ${result.perSecond.toFixed(2)} hashes/s, ${result.p50.toFixed(1)} ms per hash, CPU ${fmt(result.cpuPercent, 0)} % (core ${fmt(result.serverCoreBusyPercent, 0)} % busy)${result.disturbed ? ' [DISTURBED]' : ''}`);
      runs.push(result);
    }
    const verify = await undisturbed(cfg, pin, 'raw verify rate', () => once('verify', cfg.duration));
    log(`raw verify rate: ${verify.perSecond.toFixed(2)} verifications/s`);
    const pick = (key) => median(runs.map((r) => r[key]));
    return {
      name: 'raw hash',
      server: 'hash-rate.js',
      bcryptCost: cfg.cost,
      uvThreadpoolSize: hello.uvThreadpoolSize,
      reqPerSec: pick('perSecond'),
      p50: pick('p50'),
      p99: pick('p99'),
      serverCpuPercent: pick('cpuPercent'),
      serverCoreBusyPercent: pick('serverCoreBusyPercent'),
      foreignCpuPercent: pick('foreignCpuPercent'),
      disturbedRuns: runs.filter((r) => r.disturbed).length,
      loadCpuPercent: null,
      rssMiB: rssMiB(child.pid),
      serverCpus: cpus,
      verifyPerSecond: verify.perSecond,
      verify,
      runs,
    };
  } finally {
    await stopChild(child);
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers for seeding through the running router (JWTs) and sanity checks

const cookieHeader = (value) => `a_session_default=${encodeURIComponent(value)}`;

async function expectAccount(origin, headers, userId, label) {
  const res = await fetch(`${origin}/v1/account`, { headers });
  const body = await res.json().catch(() => null);
  if (res.status !== 200 || !body || body.$id !== userId) {
    throw new Error(`${label}: GET /v1/account answered ${res.status} ${JSON.stringify(body)?.slice(0, 200)} (expected user ${userId})`);
  }
}

async function mintJwts(origin, sample, concurrency = 16) {
  const jwts = new Array(sample.length);
  let next = 0;
  async function worker() {
    while (next < sample.length) {
      const i = next++;
      const res = await fetch(`${origin}/v1/account/jwts`, {
        method: 'POST',
        headers: { cookie: cookieHeader(sample[i].cookie), 'content-type': 'application/json' },
        body: JSON.stringify({ duration: 3600 }),
      });
      const body = await res.json().catch(() => null);
      if (res.status !== 201 || !body?.jwt) throw new Error(`POST /v1/account/jwts answered ${res.status} ${JSON.stringify(body)?.slice(0, 200)}`);
      jwts[i] = body.jwt;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return jwts;
}

// ---------------------------------------------------------------------------------------------
// The authorization server: codes minted over HTTP, then spent against the token endpoint

const BENCH_REDIRECT = 'http://127.0.0.1:9/cb';

/**
 * `count` authorization codes of the bench client (router-server.js), each by code + PKCE with a
 * sample user's cookie, for `resource` (consent is given once per user, then remembered).
 */
async function mintCodes(origin, sample, count, resource, concurrency = 16) {
  const codes = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const cookie = cookieHeader(sample[i % sample.length].cookie);
      const verifier = crypto.randomBytes(32).toString('base64url');
      const url = new URL(`${origin}/v1/oauth2/authorize`);
      const query = {
        response_type: 'code', client_id: 'bench', redirect_uri: BENCH_REDIRECT, scope: 'openid offline_access', state: 'bench', resource,
        code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
      };
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      let res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
      if (res.status === 200) {
        const html = await res.text();
        const handle = /name="request" value="([^"]+)"/.exec(html)?.[1];
        const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
        if (!handle || !action) throw new Error('the consent page has no form');
        res = await fetch(new URL(action.replace(/&amp;/g, '&'), origin), {
          method: 'POST',
          headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ request: handle.replace(/&amp;/g, '&'), decision: 'approve' }).toString(),
          redirect: 'manual',
        });
      }
      const code = new URL(res.headers.get('location') ?? '/', origin).searchParams.get('code');
      if (!code) throw new Error(`the authorization answered ${res.status} without a code`);
      codes[i] = { code, verifier };
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return codes;
}

/** POSTs a form to the token endpoint as the bench client; the JSON answer, or null on a non-200. */
async function tokenRequest(origin, form) {
  const res = await fetch(`${origin}/v1/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'bench', ...form }).toString(),
  });
  const body = await res.json().catch(() => null);
  return res.status === 200 ? body : null;
}

/**
 * Single-use credentials cannot be replayed by wrk, so these rows spend a fixed batch of them from
 * this process (`concurrency` requests in flight, as wrk's connections): throughput is the batch
 * over its wall time, latencies per request, CPU of the server and of this process.
 */
async function batchScenario(server, count, concurrency, send, { label, ...info }) {
  const latencies = [];
  let next = 0;
  let failed = 0;
  const serverCpu = cpuMeter(server.pid);
  const loadCpu = cpuMeter(process.pid);
  const start = process.hrtime.bigint();
  async function worker() {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      if (!(await send(i))) failed++;
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const serverCpuPercent = serverCpu();
  latencies.sort((a, b) => a - b);
  const reqPerSec = count / seconds;
  log(`${label}: ${count} requests, ${concurrency} in flight: ${fmt(reqPerSec)} req/s, p50 ${fmt(latencies[Math.floor(count * 0.5)], 2)} ms, server CPU ${fmt(serverCpuPercent, 0)} %, failed ${failed}`);
  return {
    ...info,
    connections: concurrency,
    requests: count,
    reqPerSec,
    p50: latencies[Math.floor(count * 0.5)],
    p99: latencies[Math.min(count - 1, Math.floor(count * 0.99))],
    serverCpuPercent,
    reqPerCpuSecond: serverCpuPercent ? reqPerSec / (serverCpuPercent / 100) : null,
    loadCpuPercent: loadCpu(),
    rssMiB: rssMiB(server.pid),
    non2xx: failed,
    errors: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function fmt(value, digits = 1) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/**
 * A target's verdict. `measured` is a number, or `{ value, perRound }` for a ratio taken within
 * each read round (see roundRatio): the JSON then keeps every round's ratio and their spread.
 */
function ratio(name, measured, op, target) {
  const { value, perRound } = typeof measured === 'object' && measured !== null ? measured : { value: measured };
  let pass;
  if (value === null || !Number.isFinite(value)) pass = false;
  else if (op === '>=') pass = value >= target;
  else if (op === '<=') pass = value <= target;
  else pass = Math.abs(value - 1) <= target; // 'within': |value − 1| ≤ target
  return { name, value, op, target, pass, ...(perRound ? { perRound, spread: spread(perRound) } : {}) };
}

const div = (a, b) => (typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : null);
const sub = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : null);

const max = (...values) => (values.every((v) => typeof v === 'number') ? Math.max(...values) : null);

/** [min, max] of the finite values, or null when there are none. */
function spread(values) {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  return finite.length ? [Math.min(...finite), Math.max(...finite)] : null;
}

/**
 * `field` of row `key` ÷ the ceiling's, within each read round (the two runs at most a few minutes
 * apart), and the median of those: what a drifting machine does to one round it does to both.
 * Null when any round lacks a figure.
 */
function roundRatio(rounds, key, field) {
  return medianOfRounds(rounds.map(({ runs }) => div(runs[key]?.[field], runs.ceilingRead?.[field])));
}

const medianOfRounds = (perRound) => ({ value: perRound.every((v) => v !== null) ? median(perRound) : null, perRound });

/**
 * The read targets of one server (the bare mount or the example app) against the ceiling: cookie
 * and JWT req/s and p99, each within a round (roundRatio); RSS at the end of its cookie and JWT
 * runs (the larger) ÷ the ceiling's at the end of its run, within a round too; peak RSS, read from
 * every server at one moment after the last round.
 */
function readRatios(prefix, s, rounds, cookieKey, jwtKey) {
  const ceiling = s.ceilingRead;
  const [cookie, jwt] = [s[cookieKey], s[jwtKey]];
  return [
    ratio(`${prefix} read req/s ÷ ceiling`, roundRatio(rounds, cookieKey, 'reqPerSec'), '>=', 0.75),
    ratio(`${prefix} JWT read req/s ÷ ceiling`, roundRatio(rounds, jwtKey, 'reqPerSec'), '>=', 0.75),
    ratio(`${prefix} read p99 ÷ ceiling p99`, roundRatio(rounds, cookieKey, 'p99'), '<=', 1.5),
    ratio(`${prefix} JWT read p99 ÷ ceiling p99`, roundRatio(rounds, jwtKey, 'p99'), '<=', 1.5),
    ratio(`${prefix} RSS after read ÷ ceiling`, medianOfRounds(rounds.map(({ runs }) => div(max(runs[cookieKey].rssMiBAfterRun, runs[jwtKey].rssMiBAfterRun), runs.ceilingRead.rssMiBAfterRun))), '<=', 1.2),
    ratio(`${prefix} peak RSS ÷ ceiling`, div(max(cookie.peakRssMiB, jwt.peakRssMiB), ceiling.peakRssMiB), '<=', 1.5),
  ];
}

function computeRatios(s, rounds, { skipScale, reads }) {
  const ratios = [
    ...readRatios('router', s, rounds, 'read', 'jwtRead'),
    ...readRatios('example app', s, rounds, 'appRead', 'appJwtRead'),
  ];
  if (reads) return ratios;
  ratios.push(
    ratio('sign-in req/s ÷ raw hash rate', div(s.signIn.reqPerSec, s.hashRate.reqPerSec), '>=', 0.9),
    ratio('sign-up req/s ÷ raw hash rate', div(s.signUp.reqPerSec, s.hashRate.reqPerSec), '>=', 0.9),
  );
  if (skipScale) return ratios;
  return [
    ...ratios,
    ratio('read req/s at scale ÷ small', div(s.readScale.reqPerSec, s.read.reqPerSec), 'within', 0.1),
    ratio('sign-in req/s at scale ÷ small', div(s.signInScale.reqPerSec, s.signIn.reqPerSec), 'within', 0.1),
    ratio('RSS at scale − small (MiB, after read)', sub(s.readScale.rssMiB, s.read.rssMiB), '<=', 50),
    ratio('users.list search p99 at scale (ms)', s.listSearchScale.p99, '<=', 50),
    ratio('users.list label + date p99 at scale (ms)', s.listFilteredScale.p99, '<=', 50),
    ratio('GET /v1/users search p99 at scale (ms)', s.listSearchHttpScale.p99, '<=', 50),
    ratio('GET /v1/users label + date p99 at scale (ms)', s.listFilteredHttpScale.p99, '<=', 50),
  ];
}

/**
 * Figures, not targets: each read's requests per second of server CPU against the ceiling's (on a
 * shared machine the least disturbed measure of what a request costs; within each read round, as
 * the targets), and PostgreSQL against SQLite (same run and user count).
 */
function computeComparisons(s, rounds) {
  const perCpu = (name, key) => {
    const { value, perRound } = roundRatio(rounds, key, 'reqPerCpuSecond');
    return { name: `${name} req per CPU-second ÷ ceiling`, value, perRound, spread: spread(perRound) };
  };
  const efficiency = [
    perCpu('router read', 'read'),
    perCpu('router JWT read', 'jwtRead'),
    perCpu('example app read', 'appRead'),
    perCpu('example app JWT read', 'appJwtRead'),
    ...(s.accessTokenRead
      ? [
          { name: 'requireAccessToken req/s ÷ ceiling read', value: div(s.accessTokenRead.reqPerSec, s.ceilingRead.reqPerSec) },
          // Measured after the read rounds, so against the ceiling's median.
          { name: 'requireAccessToken req per CPU-second ÷ ceiling', value: div(s.accessTokenRead.reqPerCpuSecond, s.ceilingRead.reqPerCpuSecond) },
          { name: 'token endpoint (code exchange) req/s ÷ ceiling read', value: div(s.tokenCode.reqPerSec, s.ceilingRead.reqPerSec) },
          { name: 'token endpoint (refresh) req/s ÷ ceiling read', value: div(s.tokenRefresh.reqPerSec, s.ceilingRead.reqPerSec) },
        ]
      : []),
  ];
  if (!s.readPostgres) return efficiency;
  return [
    ...efficiency,
    { name: 'read req/s: PostgreSQL ÷ SQLite', value: div(s.readPostgres.reqPerSec, s.read.reqPerSec) },
    { name: 'sign-in req/s: PostgreSQL ÷ SQLite', value: div(s.signInPostgres.reqPerSec, s.signIn.reqPerSec) },
  ];
}

function table(rows) {
  const withDb = rows.some((r) => typeof r.dbCpuPercent === 'number');
  const header = ['scenario', 'rows', 'req/s', 'p50 ms', 'p99 ms', 'req/CPU-s', 'srv CPU %', ...(withDb ? ['db CPU %'] : []), 'core0 %', 'load CPU %', 'RSS MiB', 'peak MiB', 'non-2xx'];
  const body = rows.map((r) => [
    r.label + (r.disturbedRuns ? ' *' : ''),
    r.users === undefined ? '—' : r.users.toLocaleString('en'),
    fmt(r.reqPerSec, r.reqPerSec < 100 ? 2 : 0),
    fmt(r.p50, 2),
    fmt(r.p99, 2),
    fmt(r.reqPerCpuSecond, r.reqPerCpuSecond < 100 ? 2 : 0),
    fmt(r.serverCpuPercent, 0),
    ...(withDb ? [fmt(r.dbCpuPercent, 0)] : []),
    fmt(r.serverCoreBusyPercent, 0),
    fmt(r.loadCpuPercent, 0),
    fmt(r.rssMiB, 1),
    fmt(r.peakRssMiB, 1),
    r.non2xx === undefined ? '—' : String(r.non2xx + r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (withDb) lines.push(`db CPU %: every PostgreSQL process together${rows.some((r) => r.dbPinned) ? `, pinned to the server's core like the router` : ''}`);
  if (rows.some((r) => r.disturbedRuns)) lines.push(`* another process used > ${FOREIGN_LIMIT} % of the server's core in some measured run, even after retries (see foreignCpuPercent in the JSON)`);
  return lines.join('\n');
}

/** "[min–max over N rounds]" of a ratio taken within each read round; empty for the others. */
const spreadText = (r) => (r.spread ? `[${fmt(r.spread[0], 3)}–${fmt(r.spread[1], 3)} in ${r.perRound.length} round${r.perRound.length === 1 ? '' : 's'}]` : '');

/** One aligned line per figure: `verdict`, name, value, spread, then `note` (the target, or why there is none). */
function formatFigures(figures, verdict, note) {
  const width = Math.max(0, ...figures.map((f) => f.name.length));
  const spreadWidth = Math.max(0, ...figures.map((f) => spreadText(f).length));
  return figures.map((f) => `${verdict(f)}  ${f.name.padEnd(width)}  ${fmt(f.value, 3).padStart(8)}  ${spreadText(f).padEnd(spreadWidth)}  ${note(f)}`).join('\n');
}

const formatRatios = (ratios) => formatFigures(ratios, (r) => (r.pass ? 'PASS' : 'MISS'), (r) => `target ${r.op === 'within' ? `1 ± ${r.target}` : `${r.op} ${r.target}`}`);
const formatComparisons = (comparisons) => formatFigures(comparisons, () => 'info', () => '(same run and user count; no target)');

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const cfg = parseArgs(process.argv.slice(2));
  for (const file of ['lib/index.js', 'adapters/sqlite/index.js', 'lib/core/passwords.js', 'lib/core/sessions.js']) {
    if (!fs.existsSync(path.join(DIST, file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  const { PasswordHasher } = require(path.join(DIST, 'lib', 'core', 'passwords'));
  const pin = pinningAvailable();
  const machineInfo = machine(); // before pinning ourselves: availableParallelism() then says 1
  // The orchestrator itself (seeding, /proc sampling) stays off the server's core.
  if (pin) spawnSync('taskset', ['-a', '-p', '-c', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const startedAt = new Date();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'account-router-bench-'));
  tempDir = tmp;
  keepTemp = cfg.keep;
  const results = {
    meta: {
      startedAt: startedAt.toISOString(),
      machine: machineInfo,
      quick: cfg.quick,
      config: cfg,
      pinned: pin,
      serverCore: pin ? SERVER_CORE : null,
      loadCore: pin ? LOAD_CORE : null,
      disturbance: `a measured run is repeated (up to --attempts times) when another process used more than ${FOREIGN_LIMIT} % of the server's core during it`,
      routerServer: { uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE || 'default (4)', note: 'the whole server process, bcrypt thread pool included, is pinned to the server core' },
      tmp,
    },
    seeding: {},
    scenarios: {},
  };
  log(`machine: ${results.meta.machine.nproc} cores, ${results.meta.machine.cpuModel}, node ${process.version}; pinning ${pin ? `server → core ${SERVER_CORE}, load → core ${LOAD_CORE}` : 'unavailable'}`);
  log(`temp dir ${tmp}`);

  const servers = [];
  let loader;
  try {
    // --- seeding: one server secret, one password hash made by the router's own hasher
    const secret = crypto.randomBytes(32).toString('hex');
    const apiKey = `bench_${crypto.randomBytes(32).toString('hex')}`;
    const passwordHash = await new PasswordHasher(cfg.cost).hash(PASSWORD);
    const db = {
      router: path.join(tmp, 'router-small.sqlite'),
      routerScale: path.join(tmp, 'router-scale.sqlite'),
      ceiling: path.join(tmp, 'ceiling-small.sqlite'),
      ceilingScale: path.join(tmp, 'ceiling-scale.sqlite'),
    };
    const rotSmall = Math.min(cfg.users, cfg.rotation);
    const rotScale = Math.min(cfg.scale, cfg.rotation);
    log(`seeding router db: ${cfg.users.toLocaleString('en')} users + sessions`);
    const routerSmall = await seedRouterDb({ filename: db.router, count: cfg.users, secret, passwordHash, sampleSize: rotSmall, log });
    let routerScale = null;
    if (!cfg.skipScale) {
      log(`seeding router db: ${cfg.scale.toLocaleString('en')} users + sessions`);
      routerScale = await seedRouterDb({ filename: db.routerScale, count: cfg.scale, secret, passwordHash, sampleSize: rotScale, log });
    }
    log(`seeding ceiling dbs`);
    const ceilingSmall = seedCeilingDb({ filename: db.ceiling, count: cfg.users, sampleSize: rotSmall });
    const ceilingScale = cfg.skipScale ? null : seedCeilingDb({ filename: db.ceilingScale, count: cfg.scale, sampleSize: rotScale });
    const seedInfo = (s, count) => ({ users: count, sessions: count, seconds: s.seconds, rowsPerSecond: s.rowsPerSecond, fileMiB: s.fileMiB, rotation: s.sample.length });
    results.seeding = {
      method: 'router: createSqliteAdapter (createPostgresAdapter for --postgres) users.create + targets.create + sessions.create in adapter.transaction batches of 10,000; ceiling: raw better-sqlite3',
      routerSmall: seedInfo(routerSmall, cfg.users),
      ceilingSmall: seedInfo(ceilingSmall, cfg.users),
      ...(cfg.skipScale ? {} : { routerScale: seedInfo(routerScale, cfg.scale), ceilingScale: seedInfo(ceilingScale, cfg.scale) }),
    };
    if (routerScale) log(`seeded: ${cfg.scale.toLocaleString('en')} router users in ${routerScale.seconds.toFixed(1)} s (${routerScale.fileMiB.toFixed(0)} MiB)`);

    // --- the raw hash rate, alone on the server core
    if (!cfg.reads) results.scenarios.hashRate = { label: `raw hash (bcrypt ${cfg.cost}, 1 thread)`, ...(await hashRate(cfg, pin)) };

    // --- listing users (users.list through listUsers, no HTTP yet), one request at a time
    const listing = { core: SERVER_CORE, pin, runs: cfg.runs, requests: cfg.quick ? 200 : 2000, warmup: cfg.quick ? 20 : 200, log, measure: (run, label) => undisturbed(cfg, pin, label, run) };
    if (!cfg.reads) Object.assign(results.scenarios, await listScenarios({ ...listing, storageSpec: { filename: db.router }, sample: routerSmall.sample, users: cfg.users }));
    if (routerScale) {
      Object.assign(results.scenarios, await listScenarios({ ...listing, storageSpec: { filename: db.routerScale }, sample: routerScale.sample, users: cfg.scale, suffix: 'Scale', labelSuffix: ' @scale' }));
    }

    loader = await startLoader(pin, cfg.loadGenerator);
    results.meta.loaderCpus = loader.cpus;
    results.meta.loadGenerator = loader.generator;
    log(`load generator: ${loader.generator}`);
    const cookieRotation = (sample) => ({ header: 'cookie', values: sample.map((s) => cookieHeader(s.cookie)) });
    const ceilingRotation = (sample) => ({ header: 'cookie', values: sample.map((s) => `sid=${s.sid}`) });
    const signInBody = (sample) => ({ kind: 'signin', emails: sample.map((s) => s.email), password: PASSWORD });
    const small = { users: cfg.users, rotation: rotSmall };
    const large = { users: cfg.scale, rotation: rotScale };

    let server;

    // --- the router's Users-API list rows and the JWTs the reads send, on a router of its own: what
    // listing and minting load (search indexes in SQLite's page cache, the list and signing code)
    // stays out of the read servers' memory figures.
    const routerEnv = { filename: db.router, secret, bcryptCost: cfg.cost, apiKey };
    const lister = await startServer('router', routerEnv, pin);
    servers.push(lister);
    await expectAccount(lister.origin, { cookie: cookieHeader(routerSmall.sample[0].cookie) }, routerSmall.sample[0].userId, 'router');
    Object.assign(results.scenarios, await httpListScenarios(cfg, loader, lister, routerSmall.sample, apiKey, small, pin));
    log(`minting ${routerSmall.sample.length} JWTs`);
    const jwts = await mintJwts(lister.origin, routerSmall.sample);
    await stopChild(lister.child);

    // --- the read comparison, small: the ceiling, account-router mounted alone and the example app
    // as `npm start` runs it (same database, same cookies and JWTs), all up at once, measured in
    // interleaved rounds (see readRounds).
    const ceiling = await startServer('ceiling', { filename: db.ceiling }, pin);
    servers.push(ceiling);
    await expectAccount(ceiling.origin, { cookie: `sid=${ceilingSmall.sample[0].sid}` }, ceilingSmall.sample[0].userId, 'ceiling');
    const router = await startServer('router', routerEnv, pin);
    servers.push(router);
    await expectAccount(router.origin, { cookie: cookieHeader(routerSmall.sample[0].cookie) }, routerSmall.sample[0].userId, 'router');
    const exampleApp = await startExampleApp({ filename: db.router, secret }, pin);
    servers.push(exampleApp);
    results.meta.exampleApp = { command: 'node dist/example-app/server.js', env: exampleApp.env };
    await expectAccount(router.origin, { 'x-appwrite-jwt': jwts[0] }, routerSmall.sample[0].userId, 'router (JWT)');
    await expectAccount(exampleApp.origin, { cookie: cookieHeader(routerSmall.sample[0].cookie) }, routerSmall.sample[0].userId, 'example app');
    await expectAccount(exampleApp.origin, { 'x-appwrite-jwt': jwts[0] }, routerSmall.sample[0].userId, 'example app (JWT)');
    const cookieRead = { method: 'GET', path: '/v1/account', rotate: cookieRotation(routerSmall.sample) };
    const jwtRead = { method: 'GET', path: '/v1/account', rotate: { header: 'x-appwrite-jwt', values: jwts } };
    const reads = await readRounds(cfg, loader, [
      { key: 'ceilingRead', label: 'ceiling · read', name: 'ceiling read', server: ceiling, spec: { method: 'GET', path: '/v1/account', rotate: ceilingRotation(ceilingSmall.sample) } },
      { key: 'read', label: 'router · read (cookie)', name: 'router read', server: router, spec: cookieRead },
      { key: 'jwtRead', label: 'router · read (JWT)', name: 'router JWT read', server: router, spec: jwtRead },
      { key: 'appRead', label: 'example app · read (cookie)', name: 'example app read', server: exampleApp, spec: cookieRead },
      { key: 'appJwtRead', label: 'example app · read (JWT)', name: 'example app JWT read', server: exampleApp, spec: jwtRead },
    ], small, pin);
    Object.assign(results.scenarios, reads.rows);
    results.readRounds = reads.rounds.map(({ round, order }) => ({ round, order }));
    for (const s of [ceiling, router, exampleApp]) await stopChild(s.child);

    // --- account-router mounted alone: sign-in, sign-up
    if (!cfg.reads) {
      server = await startServer('router', routerEnv, pin);
      servers.push(server);
      results.scenarios.signIn = { label: 'router · sign-in', ...(await scenario(cfg, loader, server, 'router sign-in', { method: 'POST', path: '/v1/account/sessions/email', body: signInBody(routerSmall.sample) }, small, pin)) };
      results.scenarios.signUp = { label: 'router · sign-up', ...(await scenario(cfg, loader, server, 'router sign-up', { method: 'POST', path: '/v1/account', body: { kind: 'signup', password: PASSWORD } }, small, pin)) };
      await stopChild(server.child);

      // --- the authorization server: requireAccessToken on a host route (wrk, rotating tokens),
      // then the token endpoint, which spends single-use codes and refresh tokens (batches)
      server = await startServer('router', { ...routerEnv, idp: true }, pin);
      servers.push(server);
      const resource = `${server.origin}/api`;
      const batch = cfg.quick ? 300 : 2000;
      log(`minting ${batch} authorization codes`);
      const codes = await mintCodes(server.origin, routerSmall.sample, batch, resource);
      const refreshTokens = new Array(batch);
      const accessTokens = [];
      results.scenarios.tokenCode = {
        label: 'router · token (code exchange)',
        ...(await batchScenario(server, batch, cfg.connections, async (i) => {
          const tokens = await tokenRequest(server.origin, { grant_type: 'authorization_code', code: codes[i].code, code_verifier: codes[i].verifier, redirect_uri: BENCH_REDIRECT, resource });
          refreshTokens[i] = tokens?.refresh_token;
          if (tokens && accessTokens.length < rotSmall) accessTokens.push(`Bearer ${tokens.access_token}`);
          return Boolean(tokens?.refresh_token);
        }, { ...small, label: 'router token (code exchange)' })),
      };
      results.scenarios.tokenRefresh = {
        label: 'router · token (refresh)',
        ...(await batchScenario(server, batch, cfg.connections, async (i) => Boolean(refreshTokens[i] && (await tokenRequest(server.origin, { grant_type: 'refresh_token', refresh_token: refreshTokens[i] }))?.access_token), { ...small, label: 'router token (refresh)' })),
      };
      // The refreshes retired the first access tokens' families' refresh tokens, not the access
      // tokens: those live until they expire (15 minutes), longer than the row runs.
      const probe = await fetch(`${resource}/me`, { headers: { authorization: accessTokens[0] } });
      if (probe.status !== 200) throw new Error(`requireAccessToken answered ${probe.status}`);
      const tokenRead = { method: 'GET', path: '/api/me', rotate: { header: 'authorization', values: accessTokens } };
      results.scenarios.accessTokenRead = { label: 'router · requireAccessToken', ...(await scenario(cfg, loader, server, 'router requireAccessToken', tokenRead, small, pin)) };
      await stopChild(server.child);
    }

    // --- optional: the router on PostgreSQL, same user count, read and sign-in
    if (cfg.postgres) {
      const pg = { connectionString: cfg.postgres, schema: `bench_${crypto.randomBytes(4).toString('hex')}` };
      postgresSchema = pg;
      log(`seeding PostgreSQL schema ${pg.schema}: ${cfg.users.toLocaleString('en')} users + sessions`);
      const routerPostgres = await seedRouterDb({ postgres: pg, count: cfg.users, secret, passwordHash, sampleSize: rotSmall, log });
      results.seeding.routerPostgres = seedInfo(routerPostgres, cfg.users);
      // A PostgreSQL on this machine gets the server's core too, so the router and its database
      // share one core as the router and SQLite do; its processes' CPU is its own column.
      const dbPids = isLoopback(cfg.postgres) ? () => pidsNamed('postgres') : null;
      const dbPinned = Boolean(pin && dbPids && dbPids().length);
      if (dbPinned) restorePostgresAffinity = pinProcesses(dbPids(), SERVER_CORE);
      results.meta.postgres = { schema: pg.schema, local: Boolean(dbPids), pinnedToServerCore: dbPinned, version: await postgresVersion(cfg.postgres) };
      server = { ...(await startServer('router', { postgres: pg, secret, bcryptCost: cfg.cost }, pin)), dbPids };
      servers.push(server);
      await expectAccount(server.origin, { cookie: cookieHeader(routerPostgres.sample[0].cookie) }, routerPostgres.sample[0].userId, 'router on PostgreSQL');
      const onPg = { ...small, storage: 'postgres', dbPinned };
      results.scenarios.readPostgres = { label: 'router/PostgreSQL · read', ...(await scenario(cfg, loader, server, 'router read on PostgreSQL', { method: 'GET', path: '/v1/account', rotate: cookieRotation(routerPostgres.sample) }, onPg, pin)) };
      results.scenarios.signInPostgres = { label: 'router/PostgreSQL · sign-in', ...(await scenario(cfg, loader, server, 'router sign-in on PostgreSQL', { method: 'POST', path: '/v1/account/sessions/email', body: signInBody(routerPostgres.sample) }, onPg, pin)) };
      await stopChild(server.child);
      Object.assign(results.scenarios, await listScenarios({
        ...listing, storageSpec: { postgres: pg }, sample: routerPostgres.sample, users: cfg.users, suffix: 'Postgres', labelSuffix: ' (PostgreSQL)', info: { storage: 'postgres', dbPinned },
      }));
      restorePostgresAffinity?.();
      restorePostgresAffinity = null;
    }

    // --- scale: the ceiling (for reference), then account-router read and sign-in
    if (!cfg.skipScale) {
      server = await startServer('ceiling', { filename: db.ceilingScale }, pin);
      servers.push(server);
      results.scenarios.ceilingReadScale = { label: 'ceiling · read @scale', ...(await scenario(cfg, loader, server, 'ceiling read @scale', { method: 'GET', path: '/v1/account', rotate: ceilingRotation(ceilingScale.sample) }, large, pin)) };
      await stopChild(server.child);

      server = await startServer('router', { filename: db.routerScale, secret, bcryptCost: cfg.cost, apiKey }, pin);
      servers.push(server);
      await expectAccount(server.origin, { cookie: cookieHeader(routerScale.sample[0].cookie) }, routerScale.sample[0].userId, 'router @scale');
      Object.assign(results.scenarios, await httpListScenarios(cfg, loader, server, routerScale.sample, apiKey, large, pin, 'Scale', ' @scale'));
      results.scenarios.readScale = { label: 'router · read @scale', ...(await scenario(cfg, loader, server, 'router read @scale', { method: 'GET', path: '/v1/account', rotate: cookieRotation(routerScale.sample) }, large, pin)) };
      results.scenarios.signInScale = { label: 'router · sign-in @scale', ...(await scenario(cfg, loader, server, 'router sign-in @scale', { method: 'POST', path: '/v1/account/sessions/email', body: signInBody(routerScale.sample) }, large, pin)) };
      await stopChild(server.child);
    }

    // --- optional: CPU profiles of the router during the read scenarios (not part of the figures)
    if (cfg.profile) {
      results.profiles = {};
      const targets = [
        ['read', cookieRead, false],
        ['jwtRead', jwtRead, false],
        ['appRead', cookieRead, true],
        ['appJwtRead', jwtRead, true],
      ];
      for (const [key, spec, inExampleApp] of targets) {
        const profDir = path.join(tmp, `cpuprofile-${key}`);
        fs.mkdirSync(profDir, { recursive: true });
        const profiling = ['--cpu-prof', '--cpu-prof-dir', profDir];
        server = inExampleApp ? await startExampleApp({ filename: db.router, secret }, pin, profiling) : await startServer('router', routerEnv, pin, profiling);
        servers.push(server);
        await expectAccount(server.origin, { cookie: cookieHeader(routerSmall.sample[0].cookie) }, routerSmall.sample[0].userId, 'router (profiled)');
        const profiled = await scenario({ ...cfg, runs: 1 }, loader, server, `router ${key} (profiled)`, spec, small, pin);
        await stopChild(server.child);
        const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
        if (!file) throw new Error('--cpu-prof wrote no profile');
        const kept = path.join(path.dirname(cfg.out), `${key}.cpuprofile`);
        fs.mkdirSync(path.dirname(kept), { recursive: true });
        fs.copyFileSync(path.join(profDir, file), kept);
        results.profiles[key] = { reqPerSecWhileProfiling: profiled.reqPerSec, ...summarise(kept, 10) };
      }
    }

    // --- report
    results.ratios = computeRatios(results.scenarios, reads.rounds, cfg);
    results.comparisons = computeComparisons(results.scenarios, reads.rounds);
    results.finishedAt = new Date().toISOString();
    const order = [
      'ceilingRead', 'read', 'jwtRead', 'appRead', 'appJwtRead', 'signIn', 'signUp', 'tokenCode', 'tokenRefresh', 'accessTokenRead', 'hashRate', 'listSearch', 'listFiltered', 'listSearchHttp', 'listFilteredHttp', 'readPostgres', 'signInPostgres',
      'listSearchPostgres', 'listFilteredPostgres', 'ceilingReadScale', 'readScale', 'signInScale', 'listSearchScale', 'listFilteredScale', 'listSearchHttpScale', 'listFilteredHttpScale',
    ].filter((k) => results.scenarios[k]);
    const m = results.meta.machine;
    const mode = [cfg.reads && '--reads', cfg.quick && '--quick'].filter(Boolean).join(' ');
    console.log(`\naccount-router bench${mode ? ` (${mode})` : ''} — ${m.nproc} × ${m.cpuModel}, ${m.node}, ${pin ? `server pinned to core ${SERVER_CORE}, load generator to core ${LOAD_CORE}` : 'not pinned'}`);
    console.log(`load generator: ${loader.generator}${loader.generator === 'wrk' ? ' (1 thread, bench/wrk-rotate.lua)' : ' (wrk not found)'}, ${cfg.connections} connections, ${cfg.warmup} s warm-up + ${cfg.runs} × ${cfg.duration} s, medians; the five reads in ${cfg.runs} interleaved round${cfg.runs === 1 ? '' : 's'}, read ratios = median of the ratios within a round; bcrypt cost ${cfg.cost}; router UV_THREADPOOL_SIZE ${results.meta.routerServer.uvThreadpoolSize}, raw hash on 1 thread\n`);
    console.log(table(order.map((k) => results.scenarios[k])));
    console.log('\n' + formatRatios(results.ratios));
    if (results.comparisons.length) console.log('\n' + formatComparisons(results.comparisons));
    for (const [key, summary] of Object.entries(results.profiles ?? {})) console.log(`\n[${key}] ` + formatProfile(summary));
    fs.mkdirSync(path.dirname(cfg.out), { recursive: true });
    fs.writeFileSync(cfg.out, JSON.stringify(results, null, 2) + '\n');
    console.log(`\nraw figures: ${cfg.out}`);
  } finally {
    for (const s of servers) await stopChild(s.child);
    if (loader) await stopChild(loader.child);
    restorePostgresAffinity?.();
    if (postgresSchema && !cfg.keep) await dropPostgresSchema(postgresSchema).catch((error) => log(`could not drop schema ${postgresSchema.schema}: ${error.message}`));
    if (!cfg.keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killAllChildren();
    restorePostgresAffinity?.();
    if (tempDir && !keepTemp) fs.rmSync(tempDir, { recursive: true, force: true });
    process.exit(130);
  });
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  killAllChildren();
  process.exitCode = 1;
});
