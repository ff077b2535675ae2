// The security log: what happened to the caller's account, newest first.
import { p } from '../params';
import { defineRoute } from '../route';
import { parsePageQueries } from '../core/queries';

/**
 * The caller's security log, newest first. `queries` takes `limit` and `offset`, in JSON or the
 * 1.4-era `limit(25)` syntax; `total: false` leaves the count out (`total` is 0).
 */
export const listLogs = defineRoute({
  method: 'get',
  path: '/account/logs',
  scope: 'user',
  params: { queries: p.stringArray(100, 4096).optional([]), total: p.looseBoolean().optional(true) },
  status: 200,
  model: 'logList',
  sdk: 'listLogs',
  async handler(call) {
    const page = await call.services.storage.logs.listByUser(call.caller.user.id, parsePageQueries(call.params.queries));
    return call.params.total ? page : { total: 0, items: page.items };
  },
});

export const logRoutes = [listLogs];
