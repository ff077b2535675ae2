// `npm run bench -- --quick` end to end: builds, seeds, starts the servers and the load generator
// as child processes, and writes its JSON. This checks that every figure is produced — never a
// timing: how fast anything is depends on the machine. With ACCOUNT_TEST_DATABASE_URL set (CI), it
// also runs the PostgreSQL rows (`--postgres`).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Row {
  label: string;
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
}

interface Results {
  meta: { machine: { nproc: number; cpuModel: string }; quick: boolean };
  seeding: Record<string, { users: number; seconds: number }>;
  scenarios: Record<string, Row>;
  ratios: Ratio[];
  comparisons: { name: string; value: number | null }[];
}

const ROOT = path.resolve(__dirname, '..');
const postgresUrl = process.env.ACCOUNT_TEST_DATABASE_URL;
const SCENARIOS = [
  'ceilingRead', 'read', 'jwtRead', 'signIn', 'signUp', 'hashRate', 'ceilingReadScale', 'readScale', 'signInScale',
  'listSearch', 'listFiltered', 'listSearchScale', 'listFilteredScale', 'listSearchHttp', 'listFilteredHttp', 'listSearchHttpScale', 'listFilteredHttpScale',
  ...(postgresUrl ? ['readPostgres', 'signInPostgres', 'listSearchPostgres', 'listFilteredPostgres'] : []),
];
/** Rows timed in-process, one request at a time: no HTTP, so no load generator. */
const IN_PROCESS = new Set(['hashRate', 'listSearch', 'listFiltered', 'listSearchScale', 'listFilteredScale', 'listSearchPostgres', 'listFilteredPostgres']);
const RATIOS = [
  'read req/s ÷ ceiling req/s',
  'read p99 ÷ ceiling p99',
  'JWT read req/s ÷ ceiling req/s',
  'sign-in req/s ÷ raw hash rate',
  'sign-up req/s ÷ raw hash rate',
  'RSS after read ÷ ceiling RSS',
  'read req/s at scale ÷ small',
  'sign-in req/s at scale ÷ small',
  'RSS at scale − small (MiB, after read)',
  'users.list search p99 at scale (ms)',
  'users.list label + date p99 at scale (ms)',
  'GET /v1/users search p99 at scale (ms)',
  'GET /v1/users label + date p99 at scale (ms)',
];
const onLinux = process.platform === 'linux';

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
        { cwd: ROOT, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${String(err).slice(-4000)}`)) : resolve(String(out))),
      );
    });
    results = JSON.parse(readFileSync(out, 'utf8')) as Results;
  }, 250_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('describes the run', () => {
    expect(results.meta.quick).toBe(true);
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

  test('compares PostgreSQL with SQLite when it ran (figures, not targets)', () => {
    expect(results.comparisons.map((c) => c.name)).toEqual(postgresUrl ? ['read req/s: PostgreSQL ÷ SQLite', 'sign-in req/s: PostgreSQL ÷ SQLite'] : []);
    for (const comparison of results.comparisons) expect(positive(comparison.value)).toBe(true);
  });

  test('prints the table and a PASS/MISS line per target', () => {
    for (const key of SCENARIOS) expect(stdout).toContain(results.scenarios[key].label);
    for (const name of RATIOS) expect(stdout).toMatch(new RegExp(`(PASS|MISS)  ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});
