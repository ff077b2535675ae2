// The docs against the code. The reference pages are generated (scripts/docs/render.ts): each
// committed page must be what the generator writes today, so a change to the routes, errors,
// providers or options that forgets `node scripts/docs.js` fails here, in CI. The hand-written
// pages are checked where they restate the code (the storage interface) and for dead links.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse, slug } from '../../scripts/docs/markdown';
import { renderDocs, ROOT } from '../../scripts/docs/render';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe.each(renderDocs())('$path', (page) => {
  it('is what node scripts/docs.js writes from the code today', () => {
    const committed = fs.existsSync(path.join(ROOT, page.path)) ? read(page.path) : '(missing)';
    // On failure: run `node scripts/docs.js` and commit the pages it rewrites.
    expect(committed).toBe(page.content);
  });
});

/** The methods of every store of the adapter interface, as `store.method`. */
function storageMethods(): string[] {
  const source = parse('types.ts', read('adapters/types.ts'));
  const interfaces = new Map(source.statements.filter(ts.isInterfaceDeclaration).map((declaration) => [declaration.name.text, declaration]));
  const methods: string[] = [];
  for (const store of interfaces.get('StorageStores')!.members) {
    const storeName = store.name!.getText(source);
    const typeName = ((store as ts.PropertySignature).type as ts.TypeReferenceNode).typeName.getText(source);
    for (const method of interfaces.get(typeName)!.members) methods.push(`${storeName}.${method.name!.getText(source)}`);
  }
  return methods.sort();
}

it('docs/storage-adapters.md lists exactly the methods of the adapter interface', () => {
  const rows = read('docs/storage-adapters.md').match(/^\| `[a-zA-Z]+` \| .* \|$/gm) ?? [];
  const documented = rows.flatMap((row) => {
    const [store, methods] = row.split(' | ');
    // Each method opens an item of the comma-separated list; other code spans are explanations.
    return [...methods!.matchAll(/(?:^|, )`([a-zA-Z]+)[`(]/g)].map((m) => `${store!.slice(3, -1)}.${m[1]}`);
  });
  expect(documented.sort()).toEqual(storageMethods());
});

/** Every Markdown file a reader can reach from the README. */
const PAGES = ['README.md', 'CONTRIBUTING.md', 'bench/README.md', 'example-app/README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The anchors GitHub gives the headings of a Markdown file (a repeated heading gets -1, -2, …). */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of read(file).replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading!.replace(/`/g, ''));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count ? `${base}-${count}` : base);
  }
  return result;
}

it.each(PAGES)('%s links only to files and headings that exist', (file) => {
  const text = read(file).replace(/```[\s\S]*?```/g, '');
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue;
    const [linked, anchor] = target!.split('#') as [string, string | undefined];
    const resolved = linked ? path.posix.normalize(path.posix.join(path.posix.dirname(file), linked)) : file;
    if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(target!);
    else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) broken.push(target!);
  }
  expect(broken).toEqual([]);
});
