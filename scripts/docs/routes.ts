// docs/routes.md from the route table (lib/routes): every route with its aliases, scope, answer,
// rate limit and parameters, described by the JSDoc above its definition.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROUTES } from '../../lib/routes';
import { API_SCOPES, type AnyRoute, type RateLimitRule } from '../../lib/route';
import { code, generatedNotice, jsDocOf, parse, slug, table } from './markdown';
import { routeScopes } from '../../lib/gate';

/** A route definition as a route file exports it. */
export interface ExportedRoute {
  /** The route file, e.g. `sessions`. */
  group: string;
  /** The export's name. */
  name: string;
  route: AnyRoute;
  /** The JSDoc above the export. */
  description: string;
}

const isRoute = (value: unknown): value is AnyRoute =>
  typeof value === 'object' && value !== null && 'method' in value && 'path' in value && typeof (value as { handler?: unknown }).handler === 'function';

/** The route files: every `.ts` in lib/routes except the table itself. */
export function routeFiles(root: string): string[] {
  const dir = path.join(root, 'lib/routes');
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .sort()
    .map((file) => path.join(dir, file));
}

/** Every route definition the route files export under a name of its own (not the group lists). */
export function exportedRoutes(root: string): ExportedRoute[] {
  const found: ExportedRoute[] = [];
  for (const file of routeFiles(root)) {
    const group = path.basename(file, '.ts');
    const exports = require(file) as Record<string, unknown>;
    const source = parse(file, fs.readFileSync(file, 'utf8'));
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const name = declaration.name.getText(source);
        const value = exports[name];
        if (isRoute(value)) found.push({ group, name, route: value, description: jsDocOf(declaration).text });
      }
    }
  }
  return found;
}

/** How the pages name each route group, and the guide that explains it. */
const GROUPS: Record<string, { title: string; guide?: string }> = {
  account: { title: 'Account' },
  sessions: { title: 'Sessions' },
  jwt: { title: 'JWTs' },
  logs: { title: 'Security log', guide: 'security.md#the-security-log' },
  tokens: { title: 'Token sign-in: email code, magic URL, phone code', guide: 'mail-and-sms.md' },
  verification: { title: 'Email and phone verification', guide: 'mail-and-sms.md' },
  recovery: { title: 'Password recovery', guide: 'mail-and-sms.md' },
  mfa: { title: 'Multi-factor authentication', guide: 'mfa.md' },
  targets: { title: 'Push targets' },
  oauth2: { title: 'OAuth2', guide: 'oauth2.md' },
  identities: { title: 'Identities', guide: 'oauth2.md' },
  users: { title: 'Users API: listing, creating and deleting users', guide: 'listing-users.md' },
  'users-updates': { title: 'Users API: changing a user' },
  'users-sessions': { title: 'Users API: sessions, tokens, JWTs, logs' },
  'users-mfa': { title: 'Users API: MFA' },
  'users-targets': { title: 'Users API: targets and identities' },
};

const SCOPES: Record<AnyRoute['scope'], string> = {
  guest: 'guests only',
  user: 'signed in (session or JWT)',
  any: 'anyone',
  server: 'the server: an API key (`X-Appwrite-Key`)',
};

/** Who may call the route, and which key scopes admit a key (docs/security.md#api-keys). */
function who(route: AnyRoute): string {
  const scopes = routeScopes(route);
  const keyable = scopes.filter((scope) => (API_SCOPES as readonly string[]).includes(scope));
  const keys = keyable.length ? `; an API key holding ${keyable.map(code).join(' or ')}` : '';
  const impersonators = route.scope === 'server' && scopes.includes('users.read') ? ', or an impersonator\'s session' : '';
  return route.scope === 'server' ? `an API key holding ${keyable.map(code).join(' or ')}${impersonators}` : `${SCOPES[route.scope]}${keys}`;
}

const KEY_PARTS: Record<string, string> = { url: 'route', ip: 'IP', user: 'user' };

function window(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  return `${ms / 1000} s`;
}

export function describeRateLimit(rule: RateLimitRule): string {
  const keys = rule.keys.map((key) => key.map((part) => (part.startsWith('param:') ? code(part.slice(6)) : KEY_PARTS[part] ?? part)).join(' + '));
  const per = keys.length === 1 ? `per ${keys[0]}` : `per ${keys.slice(0, -1).join(', per ')} and per ${keys[keys.length - 1]}`;
  return `${rule.limit} per ${window(rule.windowMs)}, ${per}${rule.resetOnSuccess ? '; a success resets the count' : ''}`;
}

const wirePath = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');
const routeName = (route: AnyRoute, p = route.path) => `${route.method.toUpperCase()} ${wirePath(p)}`;

function answer(route: AnyRoute): string {
  if (route.status === 204) return '204, no content';
  if (route.status >= 300) return `${route.status} redirect`;
  // Authorization-server routes answer OAuth/OIDC documents (or a page), not an Appwrite model.
  return route.model ? `${route.status} ${code(route.model)}` : `${route.status} OAuth / OpenID Connect`;
}

function parameters(route: AnyRoute): string {
  const pathNames = new Set([...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]));
  const where = (name: string) => (pathNames.has(name) ? 'path' : route.method === 'get' ? 'query' : 'body');
  const rows = Object.entries(route.params).map(([name, rule]) => {
    const type = String(rule.schema.type ?? '');
    const required = rule.required ? 'yes' : rule.defaultValue === undefined ? 'no' : `no, default ${code(JSON.stringify(rule.defaultValue))}`;
    return [code(name), where(name), type, required, rule.description];
  });
  return rows.length ? table(['parameter', 'in', 'type', 'required', 'rule'], rows) : 'No parameters.';
}

/** The section's title: the SDK method, with its service for the Users API (`users.create`), whose names repeat the Account API's. */
function heading(route: AnyRoute): string {
  return route.path === '/users' || route.path.startsWith('/users/') ? `users.${route.sdk}` : route.sdk;
}

function section(entry: ExportedRoute): string {
  const { route, description } = entry;
  const facts = [
    `- ${code(routeName(route))}${route.aliases?.length ? `, also ${route.aliases.map((alias) => code(routeName(route, alias))).join(', ')}` : ''}`,
    `- Who: ${who(route)}`,
    `- Answer: ${answer(route)}`,
    `- Rate limit: ${route.rateLimit ? describeRateLimit(route.rateLimit) : 'none'}`,
  ];
  return [`### ${heading(route)}`, '', ...facts, '', description || '', '', parameters(route)].filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n');
}

export function renderRoutes(root: string): string {
  const exported = exportedRoutes(root);
  const byRoute = new Map(exported.map((entry) => [entry.route, entry]));
  const entries = ROUTES.map((route) => byRoute.get(route) ?? { group: 'other', name: route.sdk, route, description: '' });
  const groups = [...new Set(entries.map((entry) => entry.group))];
  const out = [
    generatedNotice('the route table (lib/routes)'),
    '',
    '# Routes',
    '',
    'Every route the router serves, relative to where it is mounted (`/v1` in the examples), with the',
    'SDK method that calls it. *Guests only* routes answer a signed-in caller with 401',
    '`user_session_already_exists`; *signed in* routes answer guests with 401',
    '`general_unauthorized_scope`. Parameters come from the JSON body (the query string for `GET`) and',
    'the path; the first invalid one is answered with 400 `general_argument_invalid` naming it and',
    "quoting its rule. Rate limits are Appwrite's; aliases share their route's counters, and",
    '[security](security.md#rate-limits) explains how they count. Every route may also answer with the',
    'errors every route shares: see [errors](errors.md).',
    '',
    table(
      ['route', 'SDK method', 'answer'],
      entries.map(({ route }) => [code(routeName(route)), `[${heading(route)}](#${slug(heading(route))})`, answer(route)]),
    ),
  ];
  for (const group of groups) {
    const meta = GROUPS[group] ?? { title: group[0]!.toUpperCase() + group.slice(1) };
    out.push('', `## ${meta.title}`, '');
    if (meta.guide) out.push(`How these fit together: [${meta.guide.replace(/#.*/, '')}](${meta.guide}).`, '');
    out.push(entries.filter((entry) => entry.group === group).map(section).join('\n\n'));
  }
  return out.join('\n') + '\n';
}
