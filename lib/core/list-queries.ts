// The SDKs' list requests (`queries[]`, `search`, `total`) as the typed queries `users.list` and
// `identities.list` take: every attribute, method and value checked here, against Appwrite's
// allowed attributes (Validator/Queries/Users.php, Identities.php), so an adapter can trust what it
// gets. A bad query is 400 general_query_invalid with the reason Appwrite's validators give.
import {
  IDENTITY_LIST_ATTRIBUTES,
  USER_LIST_ATTRIBUTES,
  type IdentityListQuery,
  type IdentityRecord,
  type ListAttributeKind,
  type ListFilter,
  type ListFilterOp,
  type ListOrder,
  type ListQuery,
  type ListValue,
  type Page,
  type StorageStores,
  type UserListQuery,
  type UserRecord,
} from '../../adapters/types';
import { AccountError } from '../errors';
import { CUSTOM_ID } from '../params';

/** A list request as a route or the in-process API receives it. */
export interface ListRequest {
  /** The SDK's `queries[]`: JSON (1.5+) or call syntax (≤1.4). */
  queries?: readonly string[];
  /** Free text; '' (the default) for none. */
  search?: string;
  /** Count the matches (up to 5000). @default true */
  total?: boolean;
}

/** One parsed query: a method, its attribute (null when it has none) and its values. */
export interface ParsedQuery {
  method: string;
  attribute: string | null;
  values: unknown[];
}

/** The default page, as Appwrite's. */
export const DEFAULT_LIMIT = 25;
/** The largest page; larger limits are brought down to it. */
export const MAX_LIMIT = 5000;
/** At most this many values in one filter (Appwrite's APP_DATABASE_QUERY_MAX_VALUES). */
const MAX_VALUES = 500;
/** `and` / `or` nest at most this deep: each level is a recursion here and in the adapter. */
const MAX_DEPTH = 3;

const invalid = (detail: string) => new AccountError('general_query_invalid', `Invalid query: ${detail}`);

/** Call-syntax methods whose first argument is the attribute (`equal("email", ["a@b.c"])`). */
const WITH_ATTRIBUTE = new Set([
  'equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'between', 'notBetween',
  'isNull', 'isNotNull', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith', 'contains', 'containsAny',
  'containsAll', 'notContains', 'search', 'notSearch', 'orderAsc', 'orderDesc',
]);

function fromJson(node: unknown): ParsedQuery | null {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
  const { method, attribute, values } = node as { method?: unknown; attribute?: unknown; values?: unknown };
  if (typeof method !== 'string') return null;
  if (attribute !== undefined && attribute !== null && typeof attribute !== 'string') return null;
  if (values !== undefined && !Array.isArray(values)) return null;
  return { method, attribute: attribute ? attribute : null, values: values ?? [] };
}

/**
 * Reads one `queries[]` string: JSON `{"method":"equal","attribute":"email","values":[…]}`, or the
 * ≤1.4 call syntax `equal("email", ["a@b.c"])`, `between("$createdAt", "2024-01-01", "2025-01-01")`,
 * `limit(25)`. Throws 400 general_query_invalid when it is neither.
 */
export function parseQuery(query: string): ParsedQuery {
  const text = query.trim();
  let parsed: ParsedQuery | null = null;
  if (text.startsWith('{')) {
    try {
      parsed = fromJson(JSON.parse(text));
    } catch {
      throw invalid('Syntax error');
    }
  } else {
    const call = /^([A-Za-z]+)\((.*)\)$/s.exec(text);
    let args: unknown[] | undefined;
    try {
      args = call ? (JSON.parse(`[${call[2]}]`) as unknown[]) : undefined;
    } catch {
      args = undefined;
    }
    if (call && args) {
      const method = call[1];
      if (!WITH_ATTRIBUTE.has(method)) parsed = { method, attribute: null, values: args };
      else if (typeof args[0] === 'string') {
        const rest = args.slice(1);
        parsed = { method, attribute: args[0], values: rest.length === 1 && Array.isArray(rest[0]) ? rest[0] : rest };
      }
    }
  }
  if (!parsed) throw invalid('Syntax error');
  return parsed;
}

/** How an entity's wire attributes map to the adapter's, and which compare lower-cased. */
interface Vocabulary<A extends string> {
  /** Wire name (as the SDK sends it) → list attribute. */
  attributes: Readonly<Record<string, A>>;
  kinds: Readonly<Record<A, ListAttributeKind>>;
  /** Attributes stored lower-cased: their text operands are lower-cased too. */
  lowerCased: ReadonlySet<A>;
}

const USERS: Vocabulary<keyof typeof USER_LIST_ATTRIBUTES> = {
  attributes: {
    $id: 'id', $createdAt: 'createdAt', $updatedAt: 'updatedAt', name: 'name', email: 'email', phone: 'phone',
    status: 'status', passwordUpdate: 'passwordUpdatedAt', registration: 'createdAt', labels: 'labels',
    emailVerification: 'emailVerification', phoneVerification: 'phoneVerification', impersonator: 'impersonator',
  },
  kinds: USER_LIST_ATTRIBUTES,
  lowerCased: new Set(['email']),
};

const IDENTITIES: Vocabulary<keyof typeof IDENTITY_LIST_ATTRIBUTES> = {
  attributes: {
    $id: 'id', $createdAt: 'createdAt', $updatedAt: 'updatedAt', userId: 'userId', provider: 'provider',
    providerUid: 'providerUid', providerEmail: 'providerEmail', providerAccessTokenExpiry: 'providerAccessTokenExpiry',
  },
  kinds: IDENTITY_LIST_ATTRIBUTES,
  lowerCased: new Set(['providerEmail']),
};

/** Filter methods → the adapter's operator (`containsAny` is `contains` by another name). */
const FILTERS: Readonly<Record<string, ListFilterOp>> = {
  equal: 'equal', notEqual: 'notEqual', lessThan: 'lessThan', lessThanEqual: 'lessThanEqual',
  greaterThan: 'greaterThan', greaterThanEqual: 'greaterThanEqual', between: 'between', notBetween: 'notBetween',
  startsWith: 'startsWith', notStartsWith: 'notStartsWith', endsWith: 'endsWith', notEndsWith: 'notEndsWith',
  contains: 'contains', containsAny: 'contains', containsAll: 'containsAll', notContains: 'notContains',
  isNull: 'isNull', isNotNull: 'isNotNull',
};

/** How many values each operator takes: [min, max]. */
function arity(op: ListFilterOp): [number, number] {
  if (op === 'between' || op === 'notBetween') return [2, 2];
  if (op === 'equal' || op === 'contains' || op === 'containsAll' || op === 'notContains') return [1, MAX_VALUES];
  return [1, 1];
}

const capitalised = (method: string) => method[0].toUpperCase() + method.slice(1);

const TEXT_ONLY: ReadonlySet<ListFilterOp> = new Set(['startsWith', 'notStartsWith', 'endsWith', 'notEndsWith']);
const SET_OPS: ReadonlySet<ListFilterOp> = new Set(['contains', 'containsAll', 'notContains']);

function operand(wire: string, kind: ListAttributeKind, value: unknown, lower: boolean): ListValue {
  const bad = () => invalid(`Query value is invalid for attribute "${wire}"`);
  if (kind === 'boolean') {
    if (typeof value !== 'boolean') throw bad();
    return value;
  }
  if (typeof value !== 'string') throw bad();
  if (kind !== 'date') return lower ? value.toLowerCase() : value;
  const date = new Date(value);
  if (value.trim() === '' || Number.isNaN(date.getTime())) throw bad();
  return date;
}

function attributeOf<A extends string>(vocabulary: Vocabulary<A>, wire: string | null): A {
  const attribute = wire !== null && Object.hasOwn(vocabulary.attributes, wire) ? vocabulary.attributes[wire] : undefined;
  if (attribute === undefined) throw invalid(`Attribute not found in schema: ${wire ?? ''}`);
  return attribute;
}

function filterOf<A extends string>(vocabulary: Vocabulary<A>, query: ParsedQuery, depth: number): ListFilter<A> {
  const { method, values } = query;
  if (method === 'and' || method === 'or') {
    if (depth >= MAX_DEPTH) throw invalid(`${capitalised(method)} queries can be nested at most ${MAX_DEPTH} deep`);
    const nested = values.map(fromJson);
    if (nested.some((q) => q === null || !(Object.hasOwn(FILTERS, q.method) || q.method === 'and' || q.method === 'or'))) {
      throw invalid(`${capitalised(method)} queries can only contain filter queries`);
    }
    if (nested.length < 2) throw invalid(`${capitalised(method)} queries require at least two queries`);
    return { op: method, filters: nested.map((q) => filterOf(vocabulary, q!, depth + 1)) };
  }
  const op = FILTERS[method];
  const wire = query.attribute ?? '';
  const attribute = attributeOf(vocabulary, query.attribute);
  const kind = vocabulary.kinds[attribute];
  // Values given to isNull / isNotNull are ignored, as Appwrite ignores them.
  if (op === 'isNull' || op === 'isNotNull') return { attribute, op, values: [] };
  const [min, max] = arity(op);
  if (values.length < min) {
    throw invalid(`${capitalised(method)} queries require ${min === max ? `exactly ${min === 2 ? 'two values' : 'one value'}` : 'at least one value'}.`);
  }
  if (values.length > max) {
    if (max === MAX_VALUES) throw invalid(`Query on attribute has greater than ${MAX_VALUES} values: ${wire}`);
    throw invalid(`${capitalised(method)} queries require exactly ${max === 2 ? 'two values' : 'one value'}.`);
  }
  if (kind === 'labels' && !SET_OPS.has(op)) {
    throw invalid(`Cannot query ${method} on attribute "${wire}" because it is an array.`);
  }
  if ((op === 'contains' || op === 'notContains') && kind !== 'text' && kind !== 'labels') {
    throw invalid(`Cannot query ${method} on attribute "${wire}" because it is not an array, string, or object.`);
  }
  if (op === 'containsAll' && kind !== 'labels') throw invalid(`Cannot query ${method} on attribute "${wire}" because it is not an array.`);
  if (TEXT_ONLY.has(op) && kind !== 'text') throw invalid(`Cannot query ${method} on attribute "${wire}" because it is not a string.`);
  const lower = vocabulary.lowerCased.has(attribute);
  return { attribute, op, values: values.map((value) => operand(wire, kind === 'labels' ? 'text' : kind, value, lower)) };
}

function pageNumber(method: 'limit' | 'offset', values: unknown[]): number {
  const value = values[0];
  const min = method === 'limit' ? 1 : 0;
  if (values.length !== 1 || typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(`Invalid ${method}: Value must be a valid range between ${min} and ${method === 'limit' ? MAX_LIMIT : Number.MAX_SAFE_INTEGER}`);
  }
  return method === 'limit' ? Math.min(value, MAX_LIMIT) : value;
}

function listQuery<A extends string>(vocabulary: Vocabulary<A>, request: ListRequest): ListQuery<A> {
  const filters: ListFilter<A>[] = [];
  const orders: ListOrder<A>[] = [];
  let cursor: ListQuery<A>['cursor'] = null;
  let limit: number | null = null;
  let offset: number | null = null;
  for (const text of request.queries ?? []) {
    const query = parseQuery(text);
    const { method, values } = query;
    // As Appwrite, the first limit, offset and cursor count and later ones are ignored.
    if (method === 'limit' || method === 'offset') {
      const value = pageNumber(method, values);
      if (method === 'limit') limit ??= value;
      else offset ??= value;
    } else if (method === 'cursorAfter' || method === 'cursorBefore') {
      const id = values[0];
      if (values.length !== 1 || typeof id !== 'string' || !CUSTOM_ID.test(id)) {
        throw invalid('Invalid cursor: UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char');
      }
      cursor ??= { id, direction: method === 'cursorAfter' ? 'after' : 'before' };
    } else if (method === 'orderAsc' || method === 'orderDesc') {
      const attribute = attributeOf(vocabulary, query.attribute);
      if (vocabulary.kinds[attribute] === 'labels') throw invalid(`Cannot order by attribute "${query.attribute}" because it is an array.`);
      orders.push({ attribute, direction: method === 'orderAsc' ? 'asc' : 'desc' });
    } else if (method === 'search' || method === 'notSearch') {
      const attribute = attributeOf(vocabulary, query.attribute);
      throw invalid(`Searching by attribute "${query.attribute ?? attribute}" requires a fulltext index. Use the search parameter.`);
    } else if (Object.hasOwn(FILTERS, method) || method === 'and' || method === 'or') {
      filters.push(filterOf(vocabulary, query, 0));
    } else {
      throw invalid(`Invalid query method: ${method}`);
    }
  }
  return {
    filters,
    search: request.search ?? '',
    orders,
    cursor,
    limit: limit ?? DEFAULT_LIMIT,
    offset: offset ?? 0,
    total: request.total ?? true,
  };
}

/** The `users.list` query for a `GET /v1/users` request; throws 400 general_query_invalid. */
export function userListQuery(request: ListRequest): UserListQuery {
  return listQuery(USERS, request);
}

/** The `identities.list` query for a `GET /v1/users/identities` request; throws 400 general_query_invalid. */
export function identityListQuery(request: ListRequest): IdentityListQuery {
  return listQuery(IDENTITIES, request);
}

/** Appwrite's answer for a cursor naming a row that does not exist (its text says "User" for identities too). */
function cursorNotFound(id: string): AccountError {
  return new AccountError('general_cursor_not_found', `User '${id}' for the 'cursor' value not found.`);
}

/** Lists users for a request: the one path for the Users API and the in-process admin API. */
export async function listUsers(stores: Pick<StorageStores, 'users'>, request: ListRequest): Promise<Page<UserRecord>> {
  const query = userListQuery(request);
  const page = await stores.users.list(query);
  if (!page) throw cursorNotFound(query.cursor!.id);
  return page;
}

/** Lists identities of all users for a request. */
export async function listIdentities(stores: Pick<StorageStores, 'identities'>, request: ListRequest): Promise<Page<IdentityRecord>> {
  const query = identityListQuery(request);
  const page = await stores.identities.list(query);
  if (!page) throw cursorNotFound(query.cursor!.id);
  return page;
}
