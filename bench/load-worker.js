// The load generator: autocannon's programmatic API in its own process (pinned by bench/run.js to
// another core than the server). Protocol over IPC:
//   {type:'setup', spec}   → {type:'setup-done'}         what to send (see buildRequest)
//   {type:'run', seconds}  → {type:'result', result}     one bounded autocannon run
// Latencies are collected from autocannon's 'response' events (ms, sub-ms precision) rather than
// its histogram, which rounds to whole milliseconds.
'use strict';
const autocannon = require('autocannon');

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

function run(seconds) {
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

process.on('message', (message) => {
  if (message.type === 'setup') {
    spec = message.spec;
    process.send({ type: 'setup-done' });
  } else if (message.type === 'run') {
    run(message.seconds).then(
      (result) => process.send({ type: 'result', result }),
      (error) => process.send({ type: 'error', error: String(error && error.stack ? error.stack : error) }),
    );
  }
});
process.on('disconnect', () => process.exit(0)); // the bench died or is done
process.send({ type: 'hello' });
