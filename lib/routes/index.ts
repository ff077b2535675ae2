// The route table: every route group, in one list the router, the OpenAPI generator and the
// tests read.
import type { AnyRoute } from '../route';
import { accountRoutes } from './account';
import { jwtRoutes } from './jwt';
import { logRoutes } from './logs';
import { sessionRoutes } from './sessions';

export const ROUTES: readonly AnyRoute[] = [...accountRoutes, ...sessionRoutes, ...jwtRoutes, ...logRoutes] as unknown as AnyRoute[];
