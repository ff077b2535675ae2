// The reference pages generated from the code, where the code is the source of truth.
// `node scripts/docs.js` writes them; test/meta/docs.test.ts renders them again and fails when a
// committed page differs, so a change to the source that forgets the docs cannot pass CI.
import path from 'node:path';
import { renderErrors } from './errors';
import { renderOptions } from './options';
import { renderProviders } from './providers';
import { renderRoutes } from './routes';

export const ROOT = path.resolve(__dirname, '../..');

export interface GeneratedPage {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

export function renderDocs(root = ROOT): GeneratedPage[] {
  return [
    { path: 'docs/options.md', content: renderOptions(root) },
    { path: 'docs/routes.md', content: renderRoutes(root) },
    { path: 'docs/errors.md', content: renderErrors() },
    { path: 'docs/oauth2-providers.md', content: renderProviders() },
  ];
}
