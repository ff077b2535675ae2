// The package as users install it: `npm pack`, then CommonJS, ES-module and TypeScript consumers
// import it from a throwaway project (and from one without express-session, an optional peer),
// and @arethetypeswrong/cli checks its types in every resolution mode.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
let work: string;
let tarball: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'account-router-pkg-'));
  execFileSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: root });
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
  tarball = join(work, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
  // The package's dependencies come from the repo's install (no registry round trip, no native
  // rebuild); `project-bare` lacks express-session and its types, as most users' projects do.
  for (const [project, left] of [['project', new Set<string>()], ['project-bare', new Set(['express-session', '@types/express-session'])]] as const) {
    const modules = join(work, project, 'node_modules');
    mkdirSync(join(modules, 'account-router'), { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'account-router'), '--strip-components=1']);
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name === 'account-router' || name.startsWith('.') || left.has(name)) continue;
      if (name === '@types') {
        mkdirSync(join(modules, name));
        for (const types of readdirSync(join(root, 'node_modules', name))) {
          if (!left.has(`${name}/${types}`)) symlinkSync(join(root, 'node_modules', name, types), join(modules, name, types));
        }
      } else {
        symlinkSync(join(root, 'node_modules', name), join(modules, name));
      }
    }
    cpSync(join(__dirname, 'consumers'), join(work, project), { recursive: true });
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

it.each([['cjs.cjs'], ['esm.mjs']])('%s imports the package and runs a sign-in', (file) => {
  const output = execFileSync(process.execPath, [file], { cwd: join(work, 'project'), encoding: 'utf8' });
  expect(JSON.parse(output)).toEqual({ format: file.slice(0, 3), email: 'pkg@example.com', blockedCode: 401 });
});

it('uses the project\'s express-session for sessionStore(), whose store round-trips a session', () => {
  const output = execFileSync(process.execPath, ['session-store.cjs'], { cwd: join(work, 'project'), encoding: 'utf8' });
  const { isStore, data } = JSON.parse(output) as { isStore: boolean; data: { cookie: { expires: string }; views: number } };
  expect({ isStore, views: data.views, expires: typeof data.cookie.expires }).toEqual({ isStore: true, views: 3, expires: 'string' });
});

it('without express-session, runs the router and fails only sessionStore(), naming the package to install', () => {
  const output = execFileSync(process.execPath, ['no-express-session.cjs'], { cwd: join(work, 'project-bare'), encoding: 'utf8' });
  expect(JSON.parse(output)).toEqual({ message: 'accounts.sessionStore() needs the express-session package: npm install express-session' });
});

/** Type-checks `files` in `project` with strict settings, library declarations included. */
function typeCheck(project: string, resolution: string, files: string[]): void {
  const tsconfig = {
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, module: resolution === 'bundler' ? 'esnext' : resolution, moduleResolution: resolution, types: ['node'], target: 'es2022' },
    files,
  };
  writeFileSync(join(work, project, 'tsconfig.json'), JSON.stringify(tsconfig));
  execFileSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: join(work, project), encoding: 'utf8' });
}

it.each([['node16'], ['nodenext'], ['bundler']])('type-checks a TypeScript consumer with moduleResolution %s', (resolution) => {
  typeCheck('project', resolution, ['consumer.ts', 'session-consumer.ts']);
});

it('type-checks a TypeScript consumer in a project without express-session\'s types', () => {
  typeCheck('project-bare', 'node16', ['consumer.ts']);
});

it('has types that resolve in every module mode (@arethetypeswrong/cli)', () => {
  const report = execFileSync(bin('attw'), [tarball, '--format', 'json'], { encoding: 'utf8' });
  const { analysis, problems } = JSON.parse(report) as { analysis: { entrypoints: Record<string, unknown> }; problems: Record<string, unknown> };
  expect(Object.keys(analysis.entrypoints).sort()).toEqual(['.', './adapters/postgres', './adapters/sqlite', './package.json', './testing']);
  expect(problems).toEqual({});
});

it('ships only what users need and leaves test-only packages out of dependencies', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
  expect(files.some((f) => f.startsWith('package/test/') || f.startsWith('package/dist/test/') || f.includes('example-app'))).toBe(false);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  expect(pkg.peerDependencies!.express).toBe('^4.17.0 || ^5.0.0');
  // Required only by sessionStore(), lazily: an optional peer, so installs without it stay quiet.
  expect(pkg.peerDependencies!['express-session']).toBe('^1.17.0');
  expect(pkg.peerDependenciesMeta!['express-session']).toEqual({ optional: true });
  const shipped = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(work, 'project', 'node_modules', 'account-router', f.slice(8)), 'utf8'));
  const required = new Set(shipped.flatMap((code) => [...code.matchAll(/require(?:\.resolve)?\(["']([^"'.][^"']*)["']\)/g)].map((m) => m[1]!.split('/').slice(0, m[1]!.startsWith('@') ? 2 : 1).join('/'))));
  const builtin = (name: string) => name.startsWith('node:');
  const declared = new Set([...Object.keys(pkg.dependencies!), ...Object.keys(pkg.peerDependencies!)]);
  expect([...required].filter((name) => !builtin(name) && !declared.has(name))).toEqual([]);
  // Every dependency is used by shipped code (required, or resolved by name for its data files).
  const mentioned = (name: string) => shipped.some((code) => code.includes(`'${name}`) || code.includes(`"${name}`));
  expect(Object.keys(pkg.dependencies!).filter((name) => !mentioned(name))).toEqual([]);
});
