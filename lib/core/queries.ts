// List queries as the SDKs send them: `queries[]` strings, either JSON (`{"method":"limit",
// "values":[25]}`, 1.5+) or the older call syntax (`limit(25)`, ≤1.4).
import { AccountError } from '../errors';

export interface PageQuery {
  limit: number;
  offset: number;
}

const MAX_LIMIT = 5000;

function parseOne(query: string): { method: string; values: unknown[] } {
  const trimmed = query.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { method?: unknown; values?: unknown };
      if (typeof parsed.method === 'string') return { method: parsed.method, values: Array.isArray(parsed.values) ? parsed.values : [] };
    } catch {
      // falls through to the error below
    }
  } else {
    const call = /^([A-Za-z]+)\((.*)\)$/.exec(trimmed);
    if (call) {
      try {
        return { method: call[1]!, values: call[2]!.trim() === '' ? [] : (JSON.parse(`[${call[2]}]`) as unknown[]) };
      } catch {
        // falls through
      }
    }
  }
  throw new AccountError('general_query_invalid', `Invalid query: ${query.slice(0, 200)}`);
}

/** Reads `limit` and `offset` (the only queries these lists take); anything else is 400 general_query_invalid. */
export function parsePageQueries(queries: readonly string[] | undefined, defaultLimit = 25): PageQuery {
  const page: PageQuery = { limit: defaultLimit, offset: 0 };
  for (const query of queries ?? []) {
    const { method, values } = parseOne(query);
    const value = values[0];
    if ((method !== 'limit' && method !== 'offset') || values.length !== 1 || !Number.isInteger(value) || (value as number) < 0) {
      throw new AccountError('general_query_invalid', `Invalid query: ${query.slice(0, 200)}`);
    }
    if (method === 'limit') page.limit = Math.min(value as number, MAX_LIMIT);
    else page.offset = value as number;
  }
  return page;
}
