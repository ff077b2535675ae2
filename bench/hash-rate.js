// The raw hash rate: the router's own PasswordHasher (dist/lib/core/passwords.js), at the router's
// cost, hashing back to back on ONE libuv thread (bench/run.js starts this with UV_THREADPOOL_SIZE=1
// and pins it to the server's core): the physical limit for sign-up (hash) and sign-in (verify).
// Protocol over IPC: {type:'run', op:'hash'|'verify', seconds} → {type:'result', result}.
'use strict';
const path = require('node:path');
const { PasswordHasher } = require(path.join(__dirname, '..', 'dist', 'lib', 'core', 'passwords'));

const cost = Number(process.env.BENCH_BCRYPT_COST || 10);
const hasher = new PasswordHasher(cost);
const PASSWORD = 'bench password 1';
let stored = null;

async function run(op, seconds) {
  stored ??= await hasher.hash(PASSWORD);
  const times = [];
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  // Bounded: at least one operation, then until the deadline.
  do {
    const s = process.hrtime.bigint();
    if (op === 'verify') {
      if (!(await hasher.verify(PASSWORD, stored))) throw new Error('verify failed');
    } else {
      await hasher.hash(PASSWORD);
    }
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
  } while (Date.now() < end);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.min(times.length - 1, Math.max(0, Math.ceil((p / 100) * times.length) - 1))];
  return { op, cost, count: times.length, seconds: elapsed, perSecond: times.length / elapsed, p50: at(50), p99: at(99) };
}

process.on('message', (message) => {
  if (message.type !== 'run') return;
  run(message.op, message.seconds).then(
    (result) => process.send({ type: 'result', result }),
    (error) => process.send({ type: 'error', error: String(error && error.stack ? error.stack : error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'hello', uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE });
