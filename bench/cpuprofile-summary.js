// Summarises a V8 .cpuprofile (node --cpu-prof): top functions by self time, self time per
// file/package, and inclusive time of this package's own functions.
// Usage: node bench/cpuprofile-summary.js <file.cpuprofile> [top=10]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** A short place for a call frame: `dist/lib/router.js:123`, `express/lib/…`, `node:internal/…`. */
function where(frame) {
  const url = frame.url || '';
  if (!url) return '';
  let file = url.replace(/^file:\/\//, '');
  if (file.startsWith(ROOT + '/')) file = file.slice(ROOT.length + 1);
  file = file.replace(/^.*node_modules\//, '');
  return `${file}:${frame.lineNumber + 1}`;
}

/** The bucket a frame's self time counts towards: a package, a folder of ours, node, or V8. */
function bucket(frame) {
  const url = (frame.url || '').replace(/^file:\/\//, '');
  if (!url) {
    if (frame.functionName.startsWith('(')) return frame.functionName; // (garbage collector), (program), (idle)
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node: ' + url.slice(5).split('/').slice(0, 2).join('/');
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 13).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const rel = url.startsWith(ROOT + '/') ? url.slice(ROOT.length + 1) : url;
  return rel.split('/').slice(0, 3).join('/');
}

function summarise(file, top = 10) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  // Self time per node from the sample stream (timeDeltas[i] is the time before sample i).
  const selfUs = new Map();
  const samples = profile.samples || [];
  const deltas = profile.timeDeltas || [];
  for (let i = 0; i < samples.length; i++) {
    const dt = i + 1 < deltas.length ? deltas[i + 1] : 0; // time spent in sample i until the next one
    selfUs.set(samples[i], (selfUs.get(samples[i]) || 0) + Math.max(0, dt));
  }
  let total = 0;
  let idle = 0;
  const fn = new Map();
  const buckets = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const frame = node.callFrame;
    total += us;
    if (frame.functionName === '(idle)') idle += us;
    const key = `${frame.functionName || '(anonymous)'}\t${where(frame)}`;
    fn.set(key, (fn.get(key) || 0) + us);
    const b = bucket(frame);
    buckets.set(b, (buckets.get(b) || 0) + us);
    // Inclusive time of our own functions: walk up once per distinct function on the stack.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      const url = (f.url || '').replace(/^file:\/\//, '');
      if (!url.startsWith(ROOT + '/') || url.includes('/node_modules/')) continue;
      const k = `${f.functionName || '(anonymous)'}\t${where(f)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) || 0) + us);
    }
  }
  const busy = total - idle;
  const row = ([key, us]) => {
    const [name, place] = key.split('\t');
    return { function: name, where: place, selfMs: us / 1000, percentOfBusy: (100 * us) / busy, percentOfTotal: (100 * us) / total };
  };
  const sortDesc = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    file,
    totalMs: total / 1000,
    idleMs: idle / 1000,
    busyMs: busy / 1000,
    samples: samples.length,
    topSelf: sortDesc(fn).filter(([k]) => !k.startsWith('(idle)')).slice(0, top).map(row),
    byBucket: sortDesc(buckets)
      .filter(([k]) => k !== '(idle)')
      .slice(0, 15)
      .map(([name, us]) => ({ bucket: name, selfMs: us / 1000, percentOfBusy: (100 * us) / busy })),
    ownInclusive: sortDesc(inclusive).slice(0, 15).map(([key, us]) => {
      const [name, place] = key.split('\t');
      return { function: name, where: place, inclusiveMs: us / 1000, percentOfBusy: (100 * us) / busy };
    }),
  };
}

function format(summary) {
  const pct = (v) => v.toFixed(1).padStart(5) + ' %';
  const lines = [];
  lines.push(`profile ${summary.file}: ${summary.samples} samples, busy ${summary.busyMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms (idle ${summary.idleMs.toFixed(0)} ms); % = share of busy time`);
  lines.push('top self time:');
  summary.topSelf.forEach((r, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${pct(r.percentOfBusy)}  ${r.selfMs.toFixed(0).padStart(6)} ms  ${r.function}  ${r.where}`));
  lines.push('self time by package / folder:');
  for (const b of summary.byBucket) lines.push(`      ${pct(b.percentOfBusy)}  ${b.selfMs.toFixed(0).padStart(6)} ms  ${b.bucket}`);
  lines.push("inclusive time of this package's functions:");
  for (const r of summary.ownInclusive) lines.push(`      ${pct(r.percentOfBusy)}  ${r.inclusiveMs.toFixed(0).padStart(6)} ms  ${r.function}  ${r.where}`);
  return lines.join('\n');
}

module.exports = { summarise, format };

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/cpuprofile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(format(summarise(file, Number(top) || 10)));
}
