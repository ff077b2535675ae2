// The error table (lib/errors.ts) against the code and the docs: every wire type is thrown or
// constructed somewhere in lib/, and docs/errors.md (generated from the table) lists it.
import fs from 'node:fs';
import path from 'node:path';
import { ERRORS } from '../../lib/errors';
import { ROOT } from '../../scripts/docs/render';

/** Every .ts under lib/ except the table itself and the OpenAPI generator, which only lists types. */
function libSources(dir = path.join(ROOT, 'lib')): string {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return libSources(full);
      const skip = !entry.name.endsWith('.ts') || ['lib/errors.ts', 'lib/openapi.ts'].includes(path.relative(ROOT, full));
      return skip ? '' : fs.readFileSync(full, 'utf8');
    })
    .join('\n');
}

it('every error type is thrown or constructed somewhere in lib/', () => {
  const sources = libSources();
  const unused = Object.keys(ERRORS).filter((type) => !sources.includes(`'${type}'`));
  expect(unused).toEqual([]);
});

it('docs/errors.md lists every error type with its status', () => {
  const page = fs.readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8');
  for (const [type, [status]] of Object.entries(ERRORS)) expect(page).toContain(`| \`${type}\` | ${status} |`);
});
