// `npm run bench -- --quick` end to end: builds, seeds, starts the servers and the load generator
// as child processes, and writes its JSON. This checks that every figure is produced — never a
// timing: how fast anything is depends on the machine. With ACCOUNT_TEST_DATABASE_URL set (CI), it
// also runs the PostgreSQL rows (`--postgres`). The load worker is also driven alone with each load
// generator this machine has (wrk when installed, autocannon always, and the fallback when wrk is
// missing), so both paths of the bench are exercised wherever the suite runs.
import { execFile, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

interface Row {
  label: string;
  runs?: { round?: number }[];
  reqPerSec: number | null;
  p50: number | null;
  p99: number | null;
  serverCpuPercent: number | null;
  loadCpuPercent: number | null;
  rssMiB: number | null;
  non2xx?: number;
  errors?: number;
}

interface Ratio {
  name: string;
  value: number | null;
  op: string;
  target: number;
  pass: boolean;
  /** Read ratios only: the ratio within each read round, and their [min, max]. */
  perRound?: (number | null)[];
  spread?: [number, number] | null;
}

interface Results {
  meta: { machine: { nproc: number; cpuModel: string }; quick: boolean; config: { runs: number }; loadGenerator: string; exampleApp: { command: string } };
  seeding: Record<string, { users: number; seconds: number }>;
  scenarios: Record<string, Row>;
  ratios: Ratio[];
  comparisons: { name: string; value: number | null; perRound?: (number | null)[] }[];
  readRounds: { round: number; order: string[] }[];
}

const ROOT = path.resolve(__dirname, '..');
const postgresUrl = process.env.ACCOUNT_TEST_DATABASE_URL;
const SCENARIOS = [
  'ceilingRead', 'read', 'jwtRead', 'appRead', 'appJwtRead', 'signIn', 'signUp', 'hashRate', 'ceilingReadScale', 'readScale', 'signInScale',
  'listSearch', 'listFiltered', 'listSearchScale', 'listFilteredScale', 'listSearchHttp', 'listFilteredHttp', 'listSearchHttpScale', 'listFilteredHttpScale',
  'tokenCode', 'tokenRefresh', 'accessTokenRead',
  ...(postgresUrl ? ['readPostgres', 'signInPostgres', 'listSearchPostgres', 'listFilteredPostgres'] : []),
];
/** Rows timed in-process, one request at a time: no HTTP, so no load generator. */
const IN_PROCESS = new Set(['hashRate', 'listSearch', 'listFiltered', 'listSearchScale', 'listFilteredScale', 'listSearchPostgres', 'listFilteredPostgres']);
const READ_RATIOS = (prefix: string) => [
  `${prefix} read req/s ÷ ceiling`,
  `${prefix} JWT read req/s ÷ ceiling`,
  `${prefix} read p99 ÷ ceiling p99`,
  `${prefix} JWT read p99 ÷ ceiling p99`,
  `${prefix} RSS after read ÷ ceiling`,
  `${prefix} peak RSS ÷ ceiling`,
];
const RATIOS = [
  ...READ_RATIOS('router'),
  ...READ_RATIOS('example app'),
  'sign-in req/s ÷ raw hash rate',
  'sign-up req/s ÷ raw hash rate',
  'read req/s at scale ÷ small',
  'sign-in req/s at scale ÷ small',
  'RSS at scale − small (MiB, after read)',
  'users.list search p99 at scale (ms)',
  'users.list label + date p99 at scale (ms)',
  'GET /v1/users search p99 at scale (ms)',
  'GET /v1/users label + date p99 at scale (ms)',
];
/** The read rows, in the order of the first read round. */
const READS = ['ceilingRead', 'read', 'jwtRead', 'appRead', 'appJwtRead'];
/** The read ratios taken within each round (peak RSS, a high-water mark, is read once after the last round). */
const PER_ROUND_RATIOS = [...READ_RATIOS('router'), ...READ_RATIOS('example app')].filter((name) => !name.includes('peak RSS'));
const { interleavedOrder } = require('../bench/common.js') as { interleavedOrder<T>(items: T[], roundIndex: number): T[] };
const onLinux = process.platform === 'linux';
/** wrk answers --version with its banner (and status 1); a missing binary is an ENOENT error. */
const wrkInstalled = !spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error;

const positive = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0;

describe('npm run bench -- --quick', () => {
  let dir: string;
  let results: Results;
  let stdout: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
    const out = path.join(dir, 'latest.json');
    stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.platform === 'win32' ? 'npm.cmd' : 'npm',
        ['run', 'bench', '--', '--quick', '--out', out, ...(postgresUrl ? ['--postgres', postgresUrl] : [])],
        { cwd: ROOT, timeout: 290_000, maxBuffer: 32 * 1024 * 1024 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${String(err).slice(-4000)}`)) : resolve(String(out))),
      );
    });
    results = JSON.parse(readFileSync(out, 'utf8')) as Results;
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('describes the run: wrk when installed, the example app as npm start runs it', () => {
    expect(results.meta.quick).toBe(true);
    expect(results.meta.loadGenerator).toBe(wrkInstalled ? 'wrk' : 'autocannon');
    expect(stdout).toContain(`load generator: ${results.meta.loadGenerator}`);
    expect(results.meta.exampleApp.command).toBe('node dist/example-app/server.js');
    expect(positive(results.meta.machine.nproc)).toBe(true);
    for (const key of ['routerSmall', 'routerScale', 'ceilingSmall', 'ceilingScale', ...(postgresUrl ? ['routerPostgres'] : [])]) {
      expect(positive(results.seeding[key]?.users)).toBe(true);
      expect(positive(results.seeding[key]?.seconds)).toBe(true);
    }
  });

  test.each(SCENARIOS)('scenario %s: every figure is a positive finite number, every response a 2xx', (key) => {
    const row = results.scenarios[key];
    expect(row).toBeDefined();
    expect(positive(row.reqPerSec)).toBe(true);
    expect(positive(row.p50)).toBe(true);
    expect(positive(row.p99)).toBe(true);
    if (onLinux) {
      expect(positive(row.serverCpuPercent)).toBe(true);
      expect(positive(row.rssMiB)).toBe(true);
      if (!IN_PROCESS.has(key)) expect(positive(row.loadCpuPercent)).toBe(true);
    }
    if (key !== 'hashRate') {
      // Correctness of what was measured (not speed): no error answers, no socket errors (for the
      // list rows: no empty page).
      expect(row.non2xx).toBe(0);
      expect(row.errors).toBe(0);
    }
  });

  test('every ratio is computed with a verdict', () => {
    expect(results.ratios.map((r) => r.name)).toEqual(RATIOS);
    for (const ratio of results.ratios) {
      expect(Number.isFinite(ratio.value)).toBe(true);
      expect(typeof ratio.pass).toBe('boolean');
    }
  });

  test('measures the reads in rounds, each read once per round, and takes each read ratio within a round', () => {
    const rounds = results.meta.config.runs;
    expect(results.readRounds.map((r) => r.round)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    results.readRounds.forEach(({ order }, i) => expect(order).toEqual(interleavedOrder(READS, i)));
    for (const key of READS) expect(results.scenarios[key].runs?.map((run) => run.round)).toEqual(results.readRounds.map((r) => r.round));
    for (const name of PER_ROUND_RATIOS) {
      const ratio = results.ratios.find((r) => r.name === name)!;
      expect(ratio.perRound).toHaveLength(rounds);
      for (const value of ratio.perRound!) expect(positive(value)).toBe(true);
      expect(ratio.spread![0]).toBeLessThanOrEqual(ratio.value!);
      expect(ratio.value!).toBeLessThanOrEqual(ratio.spread![1]);
    }
    for (const ratio of results.ratios.filter((r) => !PER_ROUND_RATIOS.includes(r.name))) expect(ratio.perRound).toBeUndefined();
  });

  test('compares CPU cost per read, the token endpoint and requireAccessToken with the ceiling, and PostgreSQL with SQLite when it ran (figures, not targets)', () => {
    const perCpu = ['router read', 'router JWT read', 'example app read', 'example app JWT read'].map((name) => `${name} req per CPU-second ÷ ceiling`);
    const idp = [
      'requireAccessToken req/s ÷ ceiling read',
      'requireAccessToken req per CPU-second ÷ ceiling',
      'token endpoint (code exchange) req/s ÷ ceiling read',
      'token endpoint (refresh) req/s ÷ ceiling read',
    ];
    expect(results.comparisons.map((c) => c.name)).toEqual([...perCpu, ...idp, ...(postgresUrl ? ['read req/s: PostgreSQL ÷ SQLite', 'sign-in req/s: PostgreSQL ÷ SQLite'] : [])]);
    for (const comparison of results.comparisons) expect(positive(comparison.value)).toBe(true);
    for (const name of perCpu) expect(results.comparisons.find((c) => c.name === name)?.perRound).toHaveLength(results.meta.config.runs);
  });

  test('prints the table and a PASS/MISS line per target', () => {
    for (const key of SCENARIOS) expect(stdout).toContain(results.scenarios[key].label);
    for (const name of RATIOS) expect(stdout).toMatch(new RegExp(`(PASS|MISS)  ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

interface WorkerResult {
  ok: number;
  non2xx: number;
  errors: number;
  reqPerSec: number;
  p50: number;
  p99: number;
}

/** bench/load-worker.js in its own process, with BENCH_LOAD_GENERATOR (or PATH) set by the caller. */
async function withLoadWorker<T>(env: NodeJS.ProcessEnv, use: (worker: ChildProcess, generator: string) => Promise<T>): Promise<T> {
  const worker = fork(path.join(ROOT, 'bench', 'load-worker.js'), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const hello = await nextMessage<{ generator: string }>(worker, 'hello');
    return await use(worker, hello.generator);
  } finally {
    worker.kill();
  }
}

function nextMessage<T>(worker: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string; error?: string }) => {
      if (message.type === 'error') reject(new Error(message.error));
      else if (message.type === type) {
        worker.off('message', onMessage);
        resolve(message as T);
      }
    };
    worker.on('message', onMessage);
    worker.once('exit', (code) => reject(new Error(`load worker exited with ${code}`)));
  });
}

async function runWorker(worker: ChildProcess, spec: object): Promise<WorkerResult> {
  const setupDone = nextMessage(worker, 'setup-done');
  worker.send({ type: 'setup', spec });
  await setupDone;
  const result = nextMessage<{ result: WorkerResult }>(worker, 'result');
  worker.send({ type: 'run', seconds: 1 });
  return (await result).result;
}

describe('interleavedOrder (bench/common.js)', () => {
  test('keeps the order in even rounds and reverses it in odd ones, without touching its input', () => {
    const items = ['a', 'b', 'c'];
    expect([0, 1, 2, 3].map((round) => interleavedOrder(items, round).join(''))).toEqual(['abc', 'cba', 'abc', 'cba']);
    expect(items).toEqual(['a', 'b', 'c']);
  });
});

describe('bench/load-worker.js', () => {
  let server: Server;
  let origin: string;
  const cookiesSeen = new Set<string>();
  const signUpEmails: string[] = [];
  const listRequests = new Set<string>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET') {
        cookiesSeen.add(String(req.headers.cookie));
        if (req.url !== '/v1/account') listRequests.add(`${req.headers['x-appwrite-key']} ${req.url}`);
        res.setHeader('content-type', 'application/json');
        return void res.end('{}');
      }
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        signUpEmails.push((JSON.parse(body) as { email: string }).email);
        res.statusCode = 201;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('falls back to autocannon when wrk is not on the PATH', async () => {
    const generator = await withLoadWorker({ PATH: '/nonexistent', BENCH_LOAD_GENERATOR: 'auto' }, async (_worker, name) => name);
    expect(generator).toBe('autocannon');
  });

  test.each(wrkInstalled ? ['wrk', 'autocannon'] : ['autocannon'])('%s rotates 300 cookies round-robin and sends a unique e-mail per sign-up', async (generator) => {
    cookiesSeen.clear();
    signUpEmails.length = 0;
    await withLoadWorker({ BENCH_LOAD_GENERATOR: generator }, async (worker, name) => {
      expect(name).toBe(generator);
      const values = Array.from({ length: 300 }, (_, i) => `sid=${i}`);
      const read = await runWorker(worker, { url: origin, connections: 10, method: 'GET', path: '/v1/account', rotate: { header: 'cookie', values } });
      expect(read.ok).toBeGreaterThan(0);
      expect(read.non2xx + read.errors).toBe(0);
      expect(positive(read.p50) && positive(read.p99) && positive(read.reqPerSec)).toBe(true);
      expect(cookiesSeen.size).toBeGreaterThanOrEqual(Math.min(values.length, read.ok));
      for (const cookie of cookiesSeen) expect(values).toContain(cookie);
      const signUp = await runWorker(worker, { url: origin, connections: 4, method: 'POST', path: '/v1/account', body: { kind: 'signup', password: 'pw' } });
      expect(signUp.ok).toBeGreaterThan(0);
      expect(new Set(signUpEmails).size).toBe(signUpEmails.length);
    });
  }, 30_000);

  test.each(wrkInstalled ? ['wrk', 'autocannon'] : ['autocannon'])('%s rotates request paths, sending the fixed headers with each', async (generator) => {
    listRequests.clear();
    await withLoadWorker({ BENCH_LOAD_GENERATOR: generator }, async (worker) => {
      const paths = ['/v1/users?search=a', '/v1/users?search=b', '/v1/users?search=c'];
      const list = await runWorker(worker, { url: origin, connections: 1, method: 'GET', path: paths[0], paths, headers: { 'x-appwrite-key': 'bench-key' } });
      expect(list.ok).toBeGreaterThan(0);
      expect(list.non2xx + list.errors).toBe(0);
      expect([...listRequests].sort()).toEqual(paths.map((p) => `bench-key ${p}`));
    });
  }, 30_000);
});
