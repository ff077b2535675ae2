// `users.list` and `identities.list` as SQL, for every SQL adapter: filters, orders with the
// insertion sequence as the tie-breaker, keyset cursors and the capped count, written once in the
// SQL both dialects parse. What the dialects do differently (placeholders, value encoding, substring
// tests, null ordering, labels) comes in as a ListDialect; the search condition as a ListSource.

import {
  LIST_TOTAL_MAX,
  USER_LIST_ATTRIBUTES,
  IDENTITY_LIST_ATTRIBUTES,
  type IdentityListAttribute,
  type ListAttributeKind,
  type ListFilter,
  type ListQuery,
  type UserListAttribute,
} from '../types';
import type { Row } from './rows';
import { snake } from './schema';

/** Where a list attribute is stored. */
export interface ListColumn {
  column: string;
  kind: ListAttributeKind;
  nullable: boolean;
}

/** One entity's list as the SQL adapters store it. */
export interface ListTable<A extends string> {
  table: string;
  alias: string;
  columns: Readonly<Record<A, ListColumn>>;
  /** The insertion sequence, ascending: the order when none is asked for, and every order's tie-breaker. */
  sequence: readonly string[];
  /** An attribute unique on its own: an order on it needs no tie-breaker. */
  unique: A;
}

function columns<A extends string>(kinds: Record<A, ListAttributeKind>, nullable: readonly NoInfer<A>[]): Record<A, ListColumn> {
  const out = {} as Record<A, ListColumn>;
  for (const [attribute, kind] of Object.entries(kinds) as [A, ListAttributeKind][]) {
    out[attribute] = { column: snake(attribute), kind, nullable: nullable.includes(attribute) };
  }
  return out;
}

/** Users, in the order they were created: `seq` is given on insert and never changes. */
export const USER_LIST: ListTable<UserListAttribute> = {
  table: 'users',
  alias: 'u',
  columns: columns(USER_LIST_ATTRIBUTES, ['email', 'phone', 'passwordUpdatedAt']),
  sequence: ['seq'],
  unique: 'id',
};

/** Identities, by createdAt then id (a user links one at a time, so that is the order they came in). */
export const IDENTITY_LIST: ListTable<IdentityListAttribute> = {
  table: 'identities',
  alias: 'i',
  columns: columns(IDENTITY_LIST_ATTRIBUTES, ['providerAccessTokenExpiry']),
  sequence: ['created_at', 'id'],
  unique: 'id',
};

/**
 * A label held by at least this many users is common: a page then walks its order and checks
 * each user's labels, instead of reading every holder and sorting them. The planners cannot tell
 * the two cases apart, so the adapter finds out first (SQLite counts the holders up to this bound;
 * PostgreSQL, whose GIN index would hand back every holder, samples its newest users).
 */
export const COMMON_LABEL_HOLDERS = 1000;

/** The label sets of every `contains` filter on labels in `filters`, nested ones included. */
export function labelSets<A extends string>(table: ListTable<A>, filters: readonly ListFilter<A>[]): string[][] {
  return filters.flatMap((filter): string[][] => {
    if (!('attribute' in filter)) return labelSets(table, filter.filters);
    return table.columns[filter.attribute].kind === 'labels' && filter.op === 'contains' ? [filter.values as string[]] : [];
  });
}

/** Binds a value to the statement being built and returns its placeholder. */
export type Bind = (value: unknown) => string;

/** What differs between the SQL dialects. */
export interface ListDialect {
  /** The placeholder of the n-th bound value (from 1). */
  placeholder(n: number): string;
  /** A filter or cursor value (string, Date, boolean, or a value read from a row) as the driver binds it. */
  value(value: unknown): unknown;
  /** SQL true when the text expression `haystack` contains the text expression `needle`. */
  contains(haystack: string, needle: string): string;
  /** An ORDER BY term: nulls first when ascending, last when descending (SQLite's own order). */
  orderBy(expression: string, direction: 'asc' | 'desc', nullable: boolean): string;
  /**
   * A date range condition, marked for a planner without statistics as one that keeps few rows
   * (the usual question: who signed up this week), so it reads the date's index and sorts the
   * matches instead of walking every row in list order.
   */
  dateRange(condition: string): string;
  /**
   * A labels test on the users row aliased `alias`: has one of `labels`, all of them, or none.
   * `common` (contains only): many users have one of them (see COMMON_LABEL_HOLDERS).
   */
  labels(alias: string, op: 'contains' | 'containsAll' | 'notContains', labels: string[], bind: Bind, common: boolean): string;
}

/** Where the rows come from and what the search keeps, written with the statement's own `bind`. */
export interface ListSource {
  from: string;
  /** The search condition, or null without one. */
  where: string | null;
  /** Column → expression to use instead of `alias.column` (a joined table that serves it better). */
  expressions?: Readonly<Record<string, string>>;
  /** Whether one of `labels` is common (see COMMON_LABEL_HOLDERS); false when not given. */
  commonLabels?: (labels: string[]) => boolean;
}

export interface Statement {
  text: string;
  values: unknown[];
}

function binder(dialect: ListDialect): { bind: Bind; values: unknown[] } {
  const values: unknown[] = [];
  return {
    values,
    bind: (value) => {
      values.push(dialect.value(value));
      return dialect.placeholder(values.length);
    },
  };
}

/**
 * The smallest string above every string that starts with `prefix` (by code point, as SQLite's
 * BINARY and PostgreSQL's "C" collation compare), or null when there is none: `startsWith` becomes
 * a range an index serves.
 */
export function prefixEnd(prefix: string): string | null {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    let next = points.pop()! + 1;
    if (next === 0xd800) next = 0xe000;
    if (next <= 0x10ffff) return String.fromCodePoint(...points, next);
  }
  return null;
}

function startsWith(column: string, prefix: string, bind: Bind): string {
  const end = prefixEnd(prefix);
  return end === null ? `${column} >= ${bind(prefix)}` : `(${column} >= ${bind(prefix)} AND ${column} < ${bind(end)})`;
}

function endsWith(column: string, suffix: string, bind: Bind): string {
  // length() and substr() count characters in both dialects; the length is ours, not the caller's text.
  const length = [...suffix].length;
  return `(length(${column}) >= ${length} AND substr(${column}, length(${column}) - ${length - 1}) = ${bind(suffix)})`;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  lessThan: '<',
  lessThanEqual: '<=',
  greaterThan: '>',
  greaterThanEqual: '>=',
};

const any = (parts: string[]): string => (parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`);

function filterSql<A extends string>(
  table: ListTable<A>,
  dialect: ListDialect,
  filter: ListFilter<A>,
  bind: Bind,
  expression: (column: string) => string,
  common: (labels: string[]) => boolean,
): string {
  if (!('attribute' in filter)) {
    const parts = filter.filters.map((nested) => filterSql(table, dialect, nested, bind, expression, common));
    return `(${parts.join(filter.op === 'and' ? ' AND ' : ' OR ')})`;
  }
  const { column, kind } = table.columns[filter.attribute];
  const sql = expression(column);
  const { op, values } = filter;
  if (op === 'isNull') return `${sql} IS NULL`;
  if (op === 'isNotNull') return `${sql} IS NOT NULL`;
  if (kind === 'labels') {
    if (op !== 'contains' && op !== 'containsAll' && op !== 'notContains') throw new TypeError(`labels cannot take ${op}`);
    return dialect.labels(table.alias, op, values as string[], bind, op === 'contains' && common(values as string[]));
  }
  const texts = values as string[];
  const range = (condition: string) => (kind === 'date' ? dialect.dateRange(condition) : condition);
  switch (op) {
    case 'equal':
      return values.length === 1 ? `${sql} = ${bind(values[0])}` : `${sql} IN (${values.map(bind).join(', ')})`;
    case 'notEqual':
      return values.map((value) => `${sql} <> ${bind(value)}`).join(' AND ');
    case 'lessThan':
    case 'lessThanEqual':
    case 'greaterThan':
    case 'greaterThanEqual':
      return range(`${sql} ${COMPARISONS[op]} ${bind(values[0])}`);
    case 'between':
      return range(`${sql} BETWEEN ${bind(values[0])} AND ${bind(values[1])}`);
    case 'notBetween':
      return `${sql} NOT BETWEEN ${bind(values[0])} AND ${bind(values[1])}`;
    case 'startsWith':
      return any(texts.map((value) => startsWith(sql, value, bind)));
    case 'notStartsWith':
      return `NOT ${any(texts.map((value) => startsWith(sql, value, bind)))}`;
    case 'endsWith':
      return any(texts.map((value) => endsWith(sql, value, bind)));
    case 'notEndsWith':
      return `NOT ${any(texts.map((value) => endsWith(sql, value, bind)))}`;
    case 'contains':
      return any(texts.map((value) => dialect.contains(sql, bind(value))));
    case 'notContains':
      return `NOT ${any(texts.map((value) => dialect.contains(sql, bind(value))))}`;
    default:
      throw new TypeError(`${op} does not apply to ${kind} attributes`);
  }
}

/** One key of the effective order: the expression, its direction, and the cursor-row column it compares with. */
interface OrderKey {
  expression: string;
  column: string;
  direction: 'asc' | 'desc';
  nullable: boolean;
}

function orderKeys<A extends string>(table: ListTable<A>, query: ListQuery<A>, expression: (column: string) => string): OrderKey[] {
  const flip = query.cursor?.direction === 'before';
  const key = (column: string, direction: 'asc' | 'desc', nullable: boolean): OrderKey => ({
    expression: expression(column),
    column,
    direction: flip ? (direction === 'asc' ? 'desc' : 'asc') : direction,
    nullable,
  });
  const keys = query.orders.map(({ attribute, direction }) => {
    const { column, nullable } = table.columns[attribute];
    return key(column, direction, nullable);
  });
  // The tie-breaker is ascending whatever the orders say, as Appwrite appends `$sequence`.
  if (!query.orders.some((order) => order.attribute === table.unique)) {
    for (const column of table.sequence) if (!keys.some((k) => k.column === column)) keys.push(key(column, 'asc', false));
  }
  return keys;
}

/** The cursor row's columns a keyset over `query`'s order compares with. */
export function cursorColumns<A extends string>(table: ListTable<A>, query: ListQuery<A>): string[] {
  return orderKeys(table, query, (column) => column).map((k) => k.column);
}

/**
 * SQL true for the rows after the cursor row in the effective order (nulls lowest). With one
 * direction and no nulls in play it is a row-value comparison, which an index range serves.
 */
function keysetSql(keys: OrderKey[], cursor: Row, bind: Bind): string {
  const simple = keys.every((k) => k.direction === keys[0].direction && (!k.nullable || (k.direction === 'asc' && cursor[k.column] != null)));
  if (simple) {
    const left = keys.map((k) => k.expression).join(', ');
    const right = keys.map((k) => bind(cursor[k.column])).join(', ');
    const op = keys[0].direction === 'asc' ? '>' : '<';
    return keys.length === 1 ? `${left} ${op} ${right}` : `(${left}) ${op} (${right})`;
  }
  // A bound on the first key alone, which an index range can start from (an OR of terms gives the
  // planner none): what makes `orderDesc('$createdAt')` with a cursor a seek. Bound first, since
  // the placeholders are bound in the order they appear (SQLite's `?` are positional).
  const [head] = keys;
  const first = cursor[head.column];
  let bound = '';
  if (head.direction === 'asc' && first != null) bound = `${head.expression} >= ${bind(first)} AND `;
  else if (head.direction === 'desc' && !head.nullable) bound = `${head.expression} <= ${bind(first)} AND `;
  const terms: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const { expression, column, direction, nullable } = keys[i];
    const value = cursor[column];
    // Nothing sorts after a null when descending: that key adds no term.
    if (direction === 'desc' && value == null) continue;
    const parts = keys.slice(0, i).map((k) => (cursor[k.column] == null ? `${k.expression} IS NULL` : `${k.expression} = ${bind(cursor[k.column])}`));
    if (direction === 'asc') parts.push(value == null ? `${expression} IS NOT NULL` : `${expression} > ${bind(value)}`);
    else parts.push(nullable ? `(${expression} < ${bind(value)} OR ${expression} IS NULL)` : `${expression} < ${bind(value)}`);
    terms.push(`(${parts.join(' AND ')})`);
  }
  return terms.length === 0 ? '1 = 0' : `(${bound}(${terms.join(' OR ')}))`;
}

function whereSql<A extends string>(
  table: ListTable<A>,
  dialect: ListDialect,
  query: ListQuery<A>,
  source: ListSource,
  bind: Bind,
  expression: (column: string) => string,
): string[] {
  const where = source.where === null ? [] : [source.where];
  const common = source.commonLabels ?? (() => false);
  for (const filter of query.filters) where.push(filterSql(table, dialect, filter, bind, expression, common));
  return where;
}

function expressions<A extends string>(table: ListTable<A>, source: ListSource): (column: string) => string {
  return (column) => source.expressions?.[column] ?? `${table.alias}.${column}`;
}

/**
 * The page: `select` from `source`, filtered, after the cursor row (when `cursor` is given: its
 * {@link cursorColumns}), ordered, offset and limited. For a `before` cursor the order is reversed
 * and so are the rows it returns: the caller reverses them back.
 */
export function pageStatement<A extends string>(
  table: ListTable<A>,
  dialect: ListDialect,
  query: ListQuery<A>,
  select: string,
  source: (bind: Bind) => ListSource,
  cursor: Row | null,
): Statement {
  const { bind, values } = binder(dialect);
  const from = source(bind);
  const expression = expressions(table, from);
  const keys = orderKeys(table, query, expression);
  const where = whereSql(table, dialect, query, from, bind, expression);
  if (cursor) where.push(keysetSql(keys, cursor, bind));
  const order = keys.map((k) => dialect.orderBy(k.expression, k.direction, k.nullable)).join(', ');
  const text = `SELECT ${select} FROM ${from.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${order} LIMIT ${bind(query.limit)} OFFSET ${bind(query.offset)}`;
  return { text, values };
}

/** How many rows pass the filters and the search, counting no further than LIST_TOTAL_MAX. */
export function countStatement<A extends string>(
  table: ListTable<A>,
  dialect: ListDialect,
  query: ListQuery<A>,
  source: (bind: Bind) => ListSource,
): Statement {
  const { bind, values } = binder(dialect);
  const from = source(bind);
  const where = whereSql(table, dialect, query, from, bind, expressions(table, from));
  const text = `SELECT count(*) AS n FROM (SELECT 1 FROM ${from.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    LIMIT ${LIST_TOTAL_MAX}) AS matching`;
  return { text, values };
}

/**
 * The identities search, the same in every dialect and served by indexes: the text, lower-cased,
 * starts the provider email, or the text equals the provider, the provider uid or the user id.
 * Null without a search; blank text matches nothing.
 */
export function identitySearch(search: string, bind: Bind): string | null {
  if (search === '') return null;
  const text = search.trim();
  if (text === '') return '1 = 0';
  const { alias } = IDENTITY_LIST;
  return `(${startsWith(`${alias}.provider_email`, text.toLowerCase(), bind)} OR ${alias}.provider = ${bind(text)}
    OR ${alias}.provider_uid = ${bind(text)} OR ${alias}.user_id = ${bind(text)})`;
}
