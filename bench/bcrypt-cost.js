// Measures bcrypt hashes per second for a range of costs, back to back on one thread
// (UV_THREADPOOL_SIZE=1): the physical limit for sign-in and sign-up at each cost.
// Usage: node bench/bcrypt-cost.js [minCost] [maxCost] [seconds]
process.env.UV_THREADPOOL_SIZE = '1';
const bcrypt = require('bcrypt');

async function rate(cost, seconds) {
  const end = Date.now() + seconds * 1000;
  let n = 0;
  const start = process.hrtime.bigint();
  while (Date.now() < end) {
    await bcrypt.hash('measure me please', cost);
    n++;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { cost, hashes: n, msPerHash: +(ms / n).toFixed(1), perSecond: +((n * 1000) / ms).toFixed(1) };
}

(async () => {
  const [min = 8, max = 12, seconds = 3] = process.argv.slice(2).map(Number);
  for (let cost = min; cost <= max; cost++) console.log(JSON.stringify(await rate(cost, seconds)));
})();
