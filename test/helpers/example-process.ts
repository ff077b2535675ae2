// The example app as `npm start` runs it, in a child Node process of its own. The TypeScript
// sources load through a transpile-on-require hook (as the SQLite adapter's worker tests do), so
// no build is needed; only ACCOUNT_* variables the test passes reach the process.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

const LAUNCHER = `
  const fs = require('node:fs');
  const ts = require(process.env.TEST_TYPESCRIPT);
  require.extensions['.ts'] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
  require(process.env.TEST_SERVER);
`;

export interface ExampleProcess {
  name: string;
  /** http://127.0.0.1:<port> */
  url: string;
  process: ChildProcess;
  /** Everything the process printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A port nothing listens on at the moment of the call. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Spawns `example-app/server.ts` with `env` (PORT defaults to a free port, HOST to 127.0.0.1). */
export async function spawnExample(name: string, env: Record<string, string>): Promise<ExampleProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('ACCOUNT_')) delete childEnv[key];
  Object.assign(childEnv, {
    HOST: '127.0.0.1',
    ...env,
    PORT: String(port),
    TEST_TYPESCRIPT: require.resolve('typescript'),
    TEST_SERVER: path.resolve(__dirname, '../../example-app/server.ts'),
  });
  const child = spawn(process.execPath, ['-e', LAUNCHER], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
  };
}

/** Starts the example app and resolves once it announces its address; rejects if it exits first. */
export async function startExample(name: string, env: Record<string, string>): Promise<ExampleProcess> {
  const instance = await spawnExample(name, env);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s:\n${instance.output()}`)), 60_000);
    const check = () => {
      if (instance.output().includes(`${instance.url}/`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    instance.process.stdout!.on('data', check);
    void instance.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${instance.output()}`));
    });
  });
  return instance;
}
