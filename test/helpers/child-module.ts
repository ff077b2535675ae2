// Runs an ES-module script (oauth2-mock-server is ESM-only, jest runs CommonJS) in a child Node and
// talks to it over a line-based JSON protocol: the child prints `{ready: true, ...}` once, answers
// every `{cmd, id, ...}` line with `{id, ...}`, and exits after answering `{cmd: 'stop'}`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildModule {
  /** What the child reported when ready (e.g. its issuer URL). */
  ready: Record<string, unknown>;
  /** Sends one command and resolves with the child's answer to it. */
  send(cmd: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Asks the child to stop and waits until it has exited. */
  stop(): Promise<void>;
}

export async function startChildModule(source: string, name: string): Promise<ChildModule> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: __dirname, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const waiting = new Map<number, (msg: Record<string, unknown>) => void>();
  let onReady: (msg: Record<string, unknown>) => void = () => undefined;
  const readyPromise = new Promise<Record<string, unknown>>((resolve, reject) => {
    onReady = resolve;
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${stderr}`)));
  });
  lines.on('line', (line) => {
    const msg = JSON.parse(line) as Record<string, unknown>;
    if (msg.ready) return onReady(msg);
    waiting.get(msg.id as number)?.(msg);
    waiting.delete(msg.id as number);
  });
  const ready = await readyPromise;
  let nextId = 0;
  return {
    ready,
    send: (cmd) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        child.stdin.write(JSON.stringify({ ...cmd, id }) + '\n');
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.write(JSON.stringify({ cmd: 'stop', id: -1 }) + '\n');
      await exited;
    },
  };
}
