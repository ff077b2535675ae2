// The route table (lib/routes/index.ts) is the one list the router, the OpenAPI document and the
// generated docs read: a route defined in a route file but left out of it would be dead code that
// nothing serves, and a route without a description would be a blank section in docs/routes.md.
import { ROUTES } from '../../lib/routes';
import { exportedRoutes, routeFiles } from '../../scripts/docs/routes';
import { ROOT } from '../../scripts/docs/render';

const exported = exportedRoutes(ROOT);

it('every route definition a route file exports is in the route table, once', () => {
  const missing = exported.filter((entry) => !ROUTES.includes(entry.route)).map((entry) => `${entry.group}.ts: ${entry.name}`);
  expect(missing).toEqual([]);
  expect(new Set(ROUTES).size).toBe(ROUTES.length);
});

it('every group list a route file exports holds only routes of the table', () => {
  for (const file of routeFiles(ROOT)) {
    for (const [name, value] of Object.entries(require(file) as Record<string, unknown>)) {
      if (Array.isArray(value)) expect([name, value.filter((route) => !ROUTES.includes(route)).length]).toEqual([name, 0]);
    }
  }
});

it('every route of the table is exported by a route file, with a description for docs/routes.md', () => {
  const byRoute = new Map(exported.map((entry) => [entry.route, entry]));
  const undocumented = ROUTES.filter((route) => !byRoute.get(route)?.description).map((route) => `${route.method.toUpperCase()} ${route.path} (${route.sdk})`);
  expect(undocumented).toEqual([]);
});
