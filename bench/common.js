// Shared helpers of the bench: pinned child processes (and their clean-up), /proc sampling, stats.
'use strict';
const { fork, spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');

/** Clock ticks per second for /proc/<pid>/stat (utime/stime); 100 on every mainstream Linux. */
const CLK_TCK = (() => {
  try {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(String(out.stdout).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** Whether children can be pinned: Linux, a working `taskset`, and at least two usable cores. */
function pinningAvailable() {
  if (process.platform !== 'linux') return false;
  if ((os.availableParallelism?.() ?? os.cpus().length) < 2) return false;
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  return probe.status === 0;
}

const children = new Set();

/**
 * Forks a node script with an IPC channel, pinned to `core` through `taskset -c <core>` when
 * `pin` is true. taskset exec()s node, so child.pid is node's pid. stdout goes to our stderr, so
 * stdout stays the bench's table.
 */
function forkPinned(script, args, { core, pin, env, nodeArgs = [] }) {
  const options = {
    env: { ...process.env, ...env },
    stdio: ['ignore', 2, 2, 'ipc'],
    execArgv: nodeArgs,
  };
  if (pin) {
    options.execPath = 'taskset';
    options.execArgv = ['-c', String(core), process.execPath, ...nodeArgs];
  }
  const child = fork(script, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * Runs `node <script>` as a user would start it (no IPC channel), pinned like forkPinned; its
 * stdout is piped (see waitForOutput) and its stderr goes to ours. `env` replaces the environment.
 */
function spawnNodePinned(script, args, { core, pin, env, nodeArgs = [], cwd }) {
  const argv = [...nodeArgs, script, ...args];
  const child = pin
    ? spawn('taskset', ['-c', String(core), process.execPath, ...argv], { env, cwd, stdio: ['ignore', 'pipe', 2] })
    : spawn(process.execPath, argv, { env, cwd, stdio: ['ignore', 'pipe', 2] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolves with the first match of `pattern` in the child's stdout (which is echoed to our stderr). */
function waitForOutput(child, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      process.stderr.write(chunk);
      seen += chunk;
      const match = pattern.exec(seen);
      if (match) {
        cleanup();
        resolve(match);
      }
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`exited with ${code} before printing ${pattern}: ${seen.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}`));
    }, timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      // Keep draining stdout (mails logged in development mode) so the child never blocks on it.
      child.stdout.on('data', () => undefined);
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGKILLs every child still alive (synchronous: usable in an 'exit' handler). */
function killAllChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
function stopChild(child, graceMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Waits for the next IPC message of `type` from the child (bounded by `timeoutMs`). */
function nextMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message && message.type === 'error') {
        cleanup();
        reject(new Error(`${type}: child reported ${message.error}`));
      } else if (message && message.type === type) {
        cleanup();
        resolve(message);
      }
    };
    const onExit = (code, signal) => {
      cleanup();
      reject(new Error(`child exited (code ${code}, signal ${signal}) while waiting for "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${type}"`));
    }, timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * utime + stime of the whole process (all threads), in seconds; null when /proc is unreadable.
 * With `children`, also the CPU of its children that have exited (cutime + cstime): the load
 * worker's wrk, which is reaped before the worker reports a run.
 */
function cpuSeconds(pid, { children = false } = {}) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    const own = Number(fields[11]) + Number(fields[12]);
    return (children ? own + Number(fields[13]) + Number(fields[14]) : own) / CLK_TCK;
  } catch {
    return null;
  }
}

/** A CPU meter over a wall-clock window: start(), then stop() → percent of one core. */
function cpuMeter(pid, options) {
  const cpu0 = cpuSeconds(pid, options);
  const t0 = process.hrtime.bigint();
  return () => {
    const cpu1 = cpuSeconds(pid, options);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (cpu0 === null || cpu1 === null || wall <= 0) return null;
    return (100 * (cpu1 - cpu0)) / wall;
  };
}

/** Pids of the processes whose /proc/<pid>/comm is `name` (every PostgreSQL process is `postgres`). */
function pidsNamed(name) {
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/**
 * cpuMeter over a group of processes listed again at the end (PostgreSQL backends come and go
 * with pool connections): a process born during the window counts all its CPU time.
 */
function groupCpuMeter(listPids) {
  const start = new Map(listPids().map((pid) => [pid, cpuSeconds(pid)]));
  const t0 = process.hrtime.bigint();
  return () => {
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    let seconds = 0;
    for (const pid of listPids()) {
      const now = cpuSeconds(pid);
      if (now !== null) seconds += now - (start.get(pid) ?? 0);
    }
    return wall > 0 ? (100 * seconds) / wall : null;
  };
}

/**
 * Pins running processes (all their threads) to `core`; children they fork later inherit it.
 * Returns a function that restores each one's previous affinity.
 */
function pinProcesses(pids, core) {
  const previous = pids.map((pid) => [pid, allowedCpus(pid)]).filter(([, cpus]) => cpus);
  for (const [pid] of previous) spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
  return () => {
    for (const [pid, cpus] of previous) spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  };
}

/** Jiffies of one core from /proc/stat: busy (everything but idle and iowait), steal, total. */
function coreTicks(core) {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${core} `));
    if (!line) return null;
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - v[3] - v[4], steal: v[7], total };
  } catch {
    return null;
  }
}

/** How busy a core was over a window (percent), whoever used it; null off Linux. */
function coreMeter(core) {
  const a = coreTicks(core);
  return () => {
    const b = coreTicks(core);
    if (!a || !b || b.total <= a.total) return null;
    return { busyPercent: (100 * (b.busy - a.busy)) / (b.total - a.total), stealPercent: (100 * (b.steal - a.steal)) / (b.total - a.total) };
  };
}

/**
 * Waits until the process is (nearly) idle: a request abandoned by a finished load run (a queued
 * bcrypt, say) must not eat into the next run. Bounded by `timeoutMs`; returns the ms waited.
 */
async function waitIdle(pid, { thresholdPercent = 5, windowMs = 300, timeoutMs = 60_000 } = {}) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const meter = cpuMeter(pid);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const percent = meter();
    if (percent === null || percent < thresholdPercent) break;
  }
  return Date.now() - start;
}

function procStatusField(pid, field) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const line = status.split('\n').find((l) => l.startsWith(field + ':'));
    return line ? line.slice(field.length + 1).trim() : null;
  } catch {
    return null;
  }
}

/** Resident set size in MiB (VmRSS), or null off Linux. */
function rssMiB(pid) {
  const value = procStatusField(pid, 'VmRSS');
  if (!value) return null;
  return Number(value.replace(/\s*kB$/, '')) / 1024;
}

/** VmRSS split into RssAnon (heap, stacks, malloc) and RssFile (mapped code and files), MiB. */
function rssBreakdown(pid) {
  const kb = (field) => {
    const value = procStatusField(pid, field);
    return value ? Number(value.replace(/\s*kB$/, '')) / 1024 : null;
  };
  return { rssMiB: kb('VmRSS'), anonMiB: kb('RssAnon'), fileMiB: kb('RssFile'), hwmMiB: kb('VmHWM') };
}

/** The cores the process may run on, e.g. "0" (Cpus_allowed_list), or null off Linux. */
function allowedCpus(pid) {
  return procStatusField(pid, 'Cpus_allowed_list');
}

function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The order of round `roundIndex` (0-based) of interleaved measurements: as given in even rounds,
 * reversed in odd ones, so a drift linear in time weighs on every item alike over two rounds.
 */
function interleavedOrder(items, roundIndex) {
  return roundIndex % 2 === 0 ? [...items] : [...items].reverse();
}

/** Nearest-rank percentile of an ascending-sorted array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

function machine() {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    platform: `${process.platform} ${os.release()}`,
    arch: process.arch,
    nproc: os.cpus().length,
    availableParallelism: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel,
    memTotalMiB: Math.round(os.totalmem() / 1048576),
    node: process.version,
  };
}

module.exports = {
  CLK_TCK,
  pinningAvailable,
  forkPinned,
  spawnNodePinned,
  waitForOutput,
  killAllChildren,
  stopChild,
  nextMessage,
  cpuSeconds,
  cpuMeter,
  groupCpuMeter,
  pidsNamed,
  pinProcesses,
  coreMeter,
  waitIdle,
  rssMiB,
  rssBreakdown,
  allowedCpus,
  median,
  interleavedOrder,
  percentile,
  machine,
};
