// The load generator, in its own process (pinned by bench/run.js to another core than the server):
// wrk (C, bench/wrk-rotate.lua) when it is installed, autocannon's programmatic API otherwise, or
// the one BENCH_LOAD_GENERATOR names. wrk runs as a child of this process, so it inherits the pin.
// Protocol over IPC:
//   {type:'hello', generator}                            which load generator this worker uses
//   {type:'setup', spec}   → {type:'setup-done'}         what to send (see buildRequest / writeWrkSpec)
//   {type:'run', seconds}  → {type:'result', result}     one bounded run
// autocannon: latencies from its 'response' events (ms, sub-ms precision) rather than its
// histogram, which rounds to whole milliseconds. wrk: its own HdrHistogram (µs), through done().
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

/** 'wrk' when the wrk binary runs, else 'autocannon'; BENCH_LOAD_GENERATOR forces one. */
function chooseGenerator(env = process.env) {
  const forced = env.BENCH_LOAD_GENERATOR;
  if (forced && forced !== 'auto') {
    if (forced !== 'wrk' && forced !== 'autocannon') throw new Error(`BENCH_LOAD_GENERATOR must be wrk, autocannon or auto, not ${forced}`);
    return forced;
  }
  const probe = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  // wrk --version prints its banner and exits 1; a missing binary gives an ENOENT error.
  return probe.error ? 'autocannon' : 'wrk';
}

const generator = chooseGenerator();

let spec = null;
let sequence = 0; // unique e-mails across runs of one worker
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/**
 * One autocannon request whose setupRequest picks the next value round-robin (every connection
 * shares one counter, so consecutive requests use different sessions/accounts).
 *   spec.rotate = { header, values }        — e.g. header 'cookie' or 'x-appwrite-jwt'
 *   spec.paths = [path, …]                  — e.g. the list requests of bench/list.js
 *   spec.body = { kind: 'signin', emails, password } | { kind: 'signup', password }
 */
function buildRequest(s) {
  const headers = { ...(s.headers || {}) };
  let next = 0;
  const rotate = s.rotate;
  const body = s.body;
  if (body) headers['content-type'] = 'application/json';
  return {
    method: s.method,
    path: s.path,
    headers,
    setupRequest(req) {
      const i = next++;
      if (rotate) req.headers[rotate.header] = rotate.values[i % rotate.values.length];
      if (s.paths) req.path = s.paths[i % s.paths.length];
      if (body && body.kind === 'signin') {
        req.body = JSON.stringify({ email: body.emails[i % body.emails.length], password: body.password });
      } else if (body && body.kind === 'signup') {
        const n = sequence++;
        req.body = JSON.stringify({ userId: 'unique()', email: `signup-${runTag}-${n}@bench.example.com`, password: body.password });
      }
      return req;
    },
  };
}

function runAutocannon(seconds) {
  const autocannon = require('autocannon');
  return new Promise((resolve, reject) => {
    const latencies = [];
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: seconds,
        timeout: spec.timeoutSec ?? 30,
        pipelining: 1,
        requests: [buildRequest(spec)],
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const at = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] : null);
        const seconds = result.duration; // autocannon: the run's actual length, in seconds
        resolve({
          seconds,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodeStats: result.statusCodeStats,
          reqPerSec: result['2xx'] / seconds,
          p50: at(50),
          p90: at(90),
          p99: at(99),
          max: latencies.length ? latencies[latencies.length - 1] : null,
          mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
          autocannon: {
            requestsAverage: result.requests.average,
            latencyP50: result.latency.p50,
            latencyP99: result.latency.p99,
            throughputAverage: result.throughput.average,
          },
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

// --- wrk

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wrk-'));
process.on('exit', () => fs.rmSync(workDir, { recursive: true, force: true }));
let wrkSpecFile = null;

/** The spec file bench/wrk-rotate.lua reads: six settings, then one rotated value per line. */
function writeWrkSpec(s) {
  const values = s.rotate ? s.rotate.values : s.paths ? s.paths : s.body && s.body.kind === 'signin' ? s.body.emails : [];
  // The fixed headers (the list rows' API key) as name TAB value TAB …; `:path` rotates the path.
  const fixed = Object.entries(s.headers || {}).flat();
  for (const value of [...values, ...fixed]) if (/[\r\n\t]/.test(value)) throw new Error('a rotated value or header contains a line break or tab');
  const rotated = s.rotate ? s.rotate.header : s.paths ? ':path' : '';
  const lines = [s.method, s.path, rotated, s.body ? s.body.kind : '', s.body ? s.body.password : '', `${runTag}${sequence++}`, fixed.join('\t'), ...values];
  const file = path.join(workDir, `spec-${sequence}.txt`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function runWrk(seconds) {
  // The sign-up tag must differ between runs of one setup: e-mails are unique per run.
  if (spec.body && spec.body.kind === 'signup') wrkSpecFile = writeWrkSpec(spec);
  const args = [
    '-t', '1', '-c', String(spec.connections), '-d', `${Math.max(1, Math.round(seconds))}s`, '--timeout', `${spec.timeoutSec ?? 30}s`,
    '-s', path.join(__dirname, 'wrk-rotate.lua'), spec.url + spec.path, '--', wrkSpecFile,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`wrk exited with ${code}: ${(err || out).slice(-2000)}`));
      const w = JSON.parse(line.slice('BENCH_RESULT '.length));
      const secs = w.durationUs / 1e6;
      const socketErrors = w.connectErrors + w.readErrors + w.writeErrors + w.timeouts;
      const ms = (us) => us / 1000;
      resolve({
        seconds: secs,
        ok: w.requests - w.statusErrors,
        // wrk counts answers with a status ≥ 400 as errors.status: those are the non-2xx here.
        non2xx: w.statusErrors,
        errors: socketErrors,
        timeouts: w.timeouts,
        reqPerSec: (w.requests - w.statusErrors) / secs,
        p50: ms(w.p50Us),
        p90: ms(w.p90Us),
        p99: ms(w.p99Us),
        max: ms(w.maxUs),
        mean: ms(w.meanUs),
        wrk: w,
      });
    });
  });
}

process.on('message', (message) => {
  if (message.type === 'setup') {
    spec = message.spec;
    if (generator === 'wrk') wrkSpecFile = writeWrkSpec(spec);
    process.send({ type: 'setup-done' });
  } else if (message.type === 'run') {
    (generator === 'wrk' ? runWrk : runAutocannon)(message.seconds).then(
      (result) => process.send({ type: 'result', result }),
      (error) => process.send({ type: 'error', error: String(error && error.stack ? error.stack : error) }),
    );
  }
});
process.on('disconnect', () => process.exit(0)); // the bench died or is done
// Through process.exit, so that the 'exit' handler removes the spec files.
process.on('SIGTERM', () => process.exit(0));
process.send({ type: 'hello', generator });
