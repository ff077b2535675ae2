#!/usr/bin/env node
// `node scripts/docs.js` writes the reference pages generated from the code (docs/options.md,
// routes.md, errors.md, oauth2-providers.md; see scripts/docs/render.ts). `--check` writes nothing
// and exits 1 when a committed page differs. No build is needed: the TypeScript sources are
// transpiled as they load, as the example-app tests do.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
  });
  module._compile(outputText, filename);
};

const { renderDocs, ROOT } = require('./docs/render.ts');

const check = process.argv.includes('--check');
let stale = 0;
for (const page of renderDocs()) {
  const file = path.join(ROOT, page.path);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current === page.content) continue;
  if (check) {
    console.error(`${page.path} is out of date: run node scripts/docs.js`);
    stale++;
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, page.content);
    console.log(`wrote ${page.path}`);
  }
}
if (stale) process.exit(1);
