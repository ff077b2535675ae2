// What `users.list` and `identities.list` must answer, computed in memory from the records the
// suite created: the contract of adapters/types.ts (ListQuery) written as plain JavaScript, so the
// suites can check every operator on every attribute against it instead of hand-writing each answer.

import {
  LIST_TOTAL_MAX,
  type IdentityRecord,
  type ListFilter,
  type ListQuery,
  type ListValue,
  type UserRecord,
} from '../../adapters/types';
import { searchQueryWords, userSearchWords } from '../../adapters/sql/search';

type Value = string | Date | boolean | string[] | null;

/** How the reference reads one entity. */
export interface ReferenceEntity<T, A extends string> {
  read(record: T, attribute: A): Value;
  /** The insertion order: negative when `x` came first. */
  sequence(x: T, y: T): number;
  unique: A;
  matchesSearch(record: T, search: string): boolean;
  id(record: T): string;
}

/** Code-point order, as SQLite's BINARY and PostgreSQL's "C" collation compare UTF-8. */
export function compareText(x: string, y: string): number {
  return Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
}

function compareValues(x: Value, y: Value): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (x instanceof Date && y instanceof Date) return x.getTime() - y.getTime();
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  return compareText(x as string, y as string);
}

function test<T, A extends string>(entity: ReferenceEntity<T, A>, record: T, filter: ListFilter<A>): boolean {
  if (!('attribute' in filter)) {
    const results = filter.filters.map((nested) => test(entity, record, nested));
    return filter.op === 'and' ? results.every(Boolean) : results.some(Boolean);
  }
  const value = entity.read(record, filter.attribute);
  const values = filter.values as ListValue[];
  if (filter.op === 'isNull') return value === null;
  if (filter.op === 'isNotNull') return value !== null;
  if (value === null) return false;
  if (Array.isArray(value)) {
    const has = (label: ListValue) => value.includes(label as string);
    if (filter.op === 'contains') return values.some(has);
    if (filter.op === 'containsAll') return values.every(has);
    if (filter.op === 'notContains') return !values.some(has);
    throw new Error(`labels cannot take ${filter.op}`);
  }
  const cmp = (operand: ListValue) => compareValues(value, operand);
  const text = value as string;
  switch (filter.op) {
    case 'equal': return values.some((v) => cmp(v) === 0);
    case 'notEqual': return values.every((v) => cmp(v) !== 0);
    case 'lessThan': return cmp(values[0]) < 0;
    case 'lessThanEqual': return cmp(values[0]) <= 0;
    case 'greaterThan': return cmp(values[0]) > 0;
    case 'greaterThanEqual': return cmp(values[0]) >= 0;
    case 'between': return cmp(values[0]) >= 0 && cmp(values[1]) <= 0;
    case 'notBetween': return !(cmp(values[0]) >= 0 && cmp(values[1]) <= 0);
    case 'startsWith': return values.some((v) => text.startsWith(v as string));
    case 'notStartsWith': return !values.some((v) => text.startsWith(v as string));
    case 'endsWith': return values.some((v) => text.endsWith(v as string));
    case 'notEndsWith': return !values.some((v) => text.endsWith(v as string));
    case 'contains': return values.some((v) => text.includes(v as string));
    case 'notContains': return !values.some((v) => text.includes(v as string));
    default: throw new Error(`unexpected ${filter.op}`);
  }
}

/** The page `query` must produce over `records` (all of the entity's rows), or null for an unknown cursor. */
export function referenceList<T, A extends string>(
  entity: ReferenceEntity<T, A>,
  records: readonly T[],
  query: ListQuery<A>,
): { total: number; ids: string[] } | null {
  const matching = records.filter(
    (record) => query.filters.every((filter) => test(entity, record, filter)) && entity.matchesSearch(record, query.search),
  );
  const order = (x: T, y: T): number => {
    for (const { attribute, direction } of query.orders) {
      const c = compareValues(entity.read(x, attribute), entity.read(y, attribute));
      if (c !== 0) return direction === 'asc' ? c : -c;
    }
    return query.orders.some((o) => o.attribute === entity.unique) ? 0 : entity.sequence(x, y);
  };
  const sorted = [...matching].sort(order);
  let page: T[];
  if (query.cursor) {
    const cursorId = query.cursor.id;
    const cursor = records.find((record) => entity.id(record) === cursorId);
    if (!cursor) return null;
    if (query.cursor.direction === 'after') {
      page = sorted.filter((record) => order(record, cursor) > 0).slice(query.offset, query.offset + query.limit);
    } else {
      const before = sorted.filter((record) => order(record, cursor) < 0);
      const end = Math.max(0, before.length - query.offset);
      page = before.slice(Math.max(0, end - query.limit), end);
    }
  } else {
    page = sorted.slice(query.offset, query.offset + query.limit);
  }
  return { total: query.total ? Math.min(matching.length, LIST_TOTAL_MAX) : 0, ids: page.map(entity.id) };
}

/** Users, in the order the suite created them (`created`). */
export function userReference(created: readonly string[]): ReferenceEntity<UserRecord, keyof UserRecord & string> {
  return {
    read: (user, attribute) => user[attribute] as Value,
    sequence: (x, y) => created.indexOf(x.id) - created.indexOf(y.id),
    unique: 'id',
    matchesSearch(user, search) {
      const words = searchQueryWords(search);
      if (words === null) return true;
      const own = userSearchWords(user);
      return words.length > 0 && words.every((word) => own.some((mine) => mine.startsWith(word)));
    },
    id: (user) => user.id,
  };
}

/** Identities, inserted in (createdAt, id) order. */
export function identityReference(): ReferenceEntity<IdentityRecord, keyof IdentityRecord & string> {
  return {
    read: (identity, attribute) => identity[attribute] as Value,
    sequence: (x, y) => x.createdAt.getTime() - y.createdAt.getTime() || compareText(x.id, y.id),
    unique: 'id',
    matchesSearch(identity, search) {
      if (search === '') return true;
      const text = search.trim();
      return (
        text !== '' &&
        (identity.providerEmail.startsWith(text.toLowerCase()) || identity.provider === text ||
          identity.providerUid === text || identity.userId === text)
      );
    },
    id: (identity) => identity.id,
  };
}

/** A query with the defaults filled in: no filters, no search, no order, no cursor, 25 rows, total counted. */
export function listQuery<A extends string>(parts: Partial<ListQuery<A>> = {}): ListQuery<A> {
  return { filters: [], search: '', orders: [], cursor: null, limit: 25, offset: 0, total: true, ...parts };
}
