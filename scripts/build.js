#!/usr/bin/env node
// `npm run build` compiles everything with tsc into dist/. `npm start` runs it with --if-changed:
// when the sources, the tsconfig and the TypeScript version hash to what the last build recorded
// in dist/, nothing is compiled, so a restart takes a moment instead of a full type-check.
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.sources-hash');
const ENTRY = path.join(ROOT, 'dist', 'example-app', 'server.js');

/** Every .ts file under the directories tsconfig.json compiles, sorted. */
function sourceFiles(root) {
  const { include } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  const dirs = [...new Set(include.map((pattern) => pattern.split('/')[0]))];
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push(full);
    }
  };
  for (const dir of dirs) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return files.sort();
}

/** A hash of what the build output depends on: the sources, tsconfig.json and the compiler version. */
function inputsHash(root = ROOT) {
  const hash = createHash('sha256');
  hash.update(require('typescript/package.json').version);
  for (const file of [path.join(root, 'tsconfig.json'), ...sourceFiles(root)]) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function main() {
  const hash = inputsHash();
  if (process.argv.includes('--if-changed') && fs.existsSync(ENTRY) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === hash) {
    console.log('build: dist/ is up to date');
    return;
  }
  // Incremental: the build info lives inside dist/, so deleting dist/ always means a full build.
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], { cwd: ROOT, stdio: 'inherit' });
  fs.writeFileSync(STAMP, hash);
}

if (require.main === module) main();
module.exports = { inputsHash };
