// List queries over what a route already holds: the page of a log list, and filters, orders and
// cursors over a user's own identities, in memory. The queries' syntax (JSON, or the ≤1.4 call
// syntax) is read by list-queries.ts, which also turns them into adapter queries for large lists.
import { AccountError } from '../errors';
import { MAX_LIMIT, parseQuery, type ParsedQuery } from './list-queries';

export interface PageQuery {
  limit: number;
  offset: number;
}

export { MAX_LIMIT };

const invalid = (query: string, why?: string) =>
  new AccountError('general_query_invalid', `Invalid query: ${query.slice(0, 200)}${why ? ` (${why})` : ''}`);

/** Methods the in-memory lists evaluate (besides limit, offset and the cursors). */
const WITH_ATTRIBUTE = new Set([
  'equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'between',
  'isNull', 'isNotNull', 'startsWith', 'endsWith', 'orderAsc', 'orderDesc',
]);

function pageValue(query: string, parsed: ParsedQuery): number {
  const value = parsed.values[0];
  if (parsed.values.length !== 1 || !Number.isInteger(value) || (value as number) < 0) throw invalid(query);
  return parsed.method === 'limit' ? Math.min(value as number, MAX_LIMIT) : (value as number);
}

/** Reads `limit` and `offset` (the only queries these lists take); anything else is 400 general_query_invalid. */
export function parsePageQueries(queries: readonly string[] | undefined, defaultLimit = 25): PageQuery {
  const page: PageQuery = { limit: defaultLimit, offset: 0 };
  for (const query of queries ?? []) {
    const parsed = parseQuery(query);
    if (parsed.method === 'limit') page.limit = pageValue(query, parsed);
    else if (parsed.method === 'offset') page.offset = pageValue(query, parsed);
    else throw invalid(query);
  }
  return page;
}

/** How a queryable attribute is read from an item; `date` attributes compare as instants. */
export interface QueryAttribute<T> {
  read: (item: T) => string | Date | null;
  date?: boolean;
}

type Value = string | Date | null;

/**
 * Filters, orders, a cursor and a page over a list small enough to hold in memory (a user's own
 * identities). `id` reads the item's `$id` for cursors. `total` counts the filtered items, before
 * cursor and page, as Appwrite does.
 */
export function queryInMemory<T>(
  items: readonly T[],
  queries: readonly string[] | undefined,
  attributes: Record<string, QueryAttribute<T>>,
  id: (item: T) => string,
  defaultLimit = 25,
): { total: number; items: T[] } {
  const filters: ((item: T) => boolean)[] = [];
  const orders: { read: (item: T) => Value; direction: 1 | -1 }[] = [];
  let cursor: { id: string; after: boolean } | null = null;
  const page: PageQuery = { limit: defaultLimit, offset: 0 };

  for (const query of queries ?? []) {
    const parsed = parseQuery(query);
    const { method, attribute } = parsed;
    if (method === 'limit' || method === 'offset') {
      page[method] = pageValue(query, parsed);
      continue;
    }
    if (method === 'cursorAfter' || method === 'cursorBefore') {
      if (parsed.values.length !== 1 || typeof parsed.values[0] !== 'string') throw invalid(query);
      cursor = { id: parsed.values[0], after: method === 'cursorAfter' };
      continue;
    }
    if (!WITH_ATTRIBUTE.has(method)) throw invalid(query, `unsupported method ${method}`);
    const spec = attribute === null ? undefined : Object.hasOwn(attributes, attribute) ? attributes[attribute] : undefined;
    if (!spec) throw invalid(query, `attribute not queryable: ${attribute ?? '(none)'}`);
    if (spec.date && (method === 'startsWith' || method === 'endsWith')) throw invalid(query, `${attribute} is a date`);
    if (method === 'orderAsc' || method === 'orderDesc') orders.push({ read: spec.read, direction: method === 'orderAsc' ? 1 : -1 });
    else filters.push(filter(query, method, parsed.values.map((value) => operand(query, value, spec)), spec.read));
  }

  const matching = items.filter((item) => filters.every((test) => test(item)));
  const ordered = orders.length === 0 ? matching : [...matching].sort((a, b) => {
    for (const { read, direction } of orders) {
      const order = compare(read(a), read(b));
      if (order !== 0) return order * direction;
    }
    return 0;
  });
  if (!cursor) return { total: matching.length, items: ordered.slice(page.offset, page.offset + page.limit) };
  const { id: cursorId, after } = cursor;
  if (!items.some((item) => id(item) === cursorId)) throw new AccountError('general_cursor_not_found');
  const at = ordered.findIndex((item) => id(item) === cursorId);
  // A cursor on an item the filters leave out has no place in the list: nothing is next to it.
  if (at < 0) return { total: matching.length, items: [] };
  if (after) return { total: matching.length, items: ordered.slice(at + 1).slice(page.offset, page.offset + page.limit) };
  const before = ordered.slice(0, at);
  const end = Math.max(0, before.length - page.offset);
  return { total: matching.length, items: before.slice(Math.max(0, end - page.limit), end) };
}

/** null sorts first; dates by instant; text by code unit. */
function compare(a: Value, b: Value): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A query value as the attribute's kind: text, or for date attributes the instant of an ISO date. */
function operand<T>(query: string, value: unknown, attribute: QueryAttribute<T>): string | Date {
  if (typeof value !== 'string') throw invalid(query, 'values must be strings');
  if (!attribute.date) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(query, `not a date: ${value.slice(0, 40)}`);
  return date;
}

function filter<T>(query: string, method: string, values: (string | Date)[], read: (item: T) => Value): (item: T) => boolean {
  if (method === 'isNull') return (item) => read(item) === null;
  if (method === 'isNotNull') return (item) => read(item) !== null;
  if (values.length === 0 || values.length > 100) throw invalid(query, 'expects 1 to 100 values');
  const [first, second] = values as [string | Date, string | Date | undefined];
  const present = (item: T, test: (value: string | Date) => boolean) => {
    const value = read(item);
    return value !== null && test(value);
  };
  switch (method) {
    case 'equal':
      return (item) => values.some((value) => compare(read(item), value) === 0);
    case 'notEqual':
      return (item) => values.every((value) => compare(read(item), value) !== 0);
    case 'lessThan':
      return (item) => present(item, (value) => compare(value, first) < 0);
    case 'lessThanEqual':
      return (item) => present(item, (value) => compare(value, first) <= 0);
    case 'greaterThan':
      return (item) => present(item, (value) => compare(value, first) > 0);
    case 'greaterThanEqual':
      return (item) => present(item, (value) => compare(value, first) >= 0);
    case 'between':
      if (second === undefined || values.length !== 2) throw invalid(query, 'between expects 2 values');
      return (item) => present(item, (value) => compare(value, first) >= 0 && compare(value, second) <= 0);
    case 'startsWith':
      return (item) => present(item, (value) => typeof value === 'string' && values.some((prefix) => value.startsWith(prefix as string)));
    case 'endsWith':
      return (item) => present(item, (value) => typeof value === 'string' && values.some((suffix) => value.endsWith(suffix as string)));
    default:
      throw invalid(query, `unsupported method ${method}`);
  }
}
