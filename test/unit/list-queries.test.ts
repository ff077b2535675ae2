// lib/core/list-queries.ts: the SDKs' queries[] (built here by node-appwrite's and the 1.4 web SDK's
// own Query classes), search and total as the typed queries users.list / identities.list take,
// and Appwrite's 400 for everything the server would refuse.
import { Query } from 'node-appwrite';
import { Query as Query14 } from 'appwrite13';
import { createSqliteAdapter } from '../../adapters/sqlite';
import type { StorageAdapter } from '../../adapters/types';
import { AccountError } from '../../lib/errors';
import { identityListQuery, listIdentities, listUsers, parseQuery, userListQuery } from '../../lib/core/list-queries';

function refusal(run: () => unknown): { type: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AccountError);
    const { type, message } = error as AccountError;
    return { type, message };
  }
  throw new Error('expected a refusal');
}

const DEFAULTS = { filters: [], search: '', orders: [], cursor: null, limit: 25, offset: 0, total: true };

describe('userListQuery', () => {
  it('defaults to the first 25 users in creation order, total counted', () => {
    expect(userListQuery({})).toEqual(DEFAULTS);
    expect(userListQuery({ queries: [], search: '', total: true })).toEqual(DEFAULTS);
  });

  it('reads the filters node-appwrite builds, wire names to record fields, values typed by attribute', () => {
    const query = userListQuery({
      queries: [
        Query.equal('name', ['Ada', 'Bob']),
        Query.notEqual('status', false),
        Query.createdAfter('2024-01-02T03:04:05.006+00:00'),
        Query.between('registration', '2024-01-01', '2025-01-01'),
        Query.lessThanEqual('passwordUpdate', '2024-06-01T00:00:00.000Z'),
        Query.startsWith('email', 'Ada.'),
        Query.contains('labels', ['admin', 'vip']),
        Query.containsAny('name', ['ov']),
        Query.containsAll('labels', ['a', 'b']),
        Query.notContains('phone', '555'),
        Query.isNull('phone'),
        Query.equal('impersonator', true),
        Query.equal('$id', 'user1'),
        Query.updatedBefore('2030-01-01'),
        Query.notEndsWith('name', 'z'),
        Query.notBetween('emailVerification', false as never, true as never),
      ],
    });
    expect(query.filters).toEqual([
      { attribute: 'name', op: 'equal', values: ['Ada', 'Bob'] },
      { attribute: 'status', op: 'notEqual', values: [false] },
      { attribute: 'createdAt', op: 'greaterThan', values: [new Date('2024-01-02T03:04:05.006Z')] },
      { attribute: 'createdAt', op: 'between', values: [new Date('2024-01-01'), new Date('2025-01-01')] },
      { attribute: 'passwordUpdatedAt', op: 'lessThanEqual', values: [new Date('2024-06-01T00:00:00.000Z')] },
      { attribute: 'email', op: 'startsWith', values: ['ada.'] },
      { attribute: 'labels', op: 'contains', values: ['admin', 'vip'] },
      { attribute: 'name', op: 'contains', values: ['ov'] },
      { attribute: 'labels', op: 'containsAll', values: ['a', 'b'] },
      { attribute: 'phone', op: 'notContains', values: ['555'] },
      { attribute: 'phone', op: 'isNull', values: [] },
      { attribute: 'impersonator', op: 'equal', values: [true] },
      { attribute: 'id', op: 'equal', values: ['user1'] },
      { attribute: 'updatedAt', op: 'lessThan', values: [new Date('2030-01-01')] },
      { attribute: 'name', op: 'notEndsWith', values: ['z'] },
      { attribute: 'emailVerification', op: 'notBetween', values: [false, true] },
    ]);
  });

  it('reads orders, cursors, limit, offset, or / and, search and total', () => {
    const query = userListQuery({
      queries: [
        Query.orderDesc('$createdAt'),
        Query.orderAsc('name'),
        Query.cursorBefore('user9'),
        Query.limit(10),
        Query.offset(20),
        Query.or([Query.equal('status', false), Query.and([Query.isNull('email'), Query.startsWith('phone', '+44')])]),
      ],
      search: 'ada lovelace',
      total: false,
    });
    expect(query).toEqual({
      filters: [{
        op: 'or',
        filters: [
          { attribute: 'status', op: 'equal', values: [false] },
          { op: 'and', filters: [{ attribute: 'email', op: 'isNull', values: [] }, { attribute: 'phone', op: 'startsWith', values: ['+44'] }] },
        ],
      }],
      search: 'ada lovelace',
      orders: [{ attribute: 'createdAt', direction: 'desc' }, { attribute: 'name', direction: 'asc' }],
      cursor: { id: 'user9', direction: 'before' },
      limit: 10,
      offset: 20,
      total: false,
    });
  });

  it('reads the ≤1.4 call syntax the older SDKs send', () => {
    const query = userListQuery({
      queries: [
        Query14.equal('name', ['Ada']),
        Query14.between('$createdAt', '2024-01-01', '2025-01-01'),
        Query14.isNotNull('email'),
        Query14.orderAsc('email'),
        Query14.cursorAfter('user1'),
        Query14.limit(5),
        Query14.offset(1),
      ],
    });
    expect(query).toEqual({
      ...DEFAULTS,
      filters: [
        { attribute: 'name', op: 'equal', values: ['Ada'] },
        { attribute: 'createdAt', op: 'between', values: [new Date('2024-01-01'), new Date('2025-01-01')] },
        { attribute: 'email', op: 'isNotNull', values: [] },
      ],
      orders: [{ attribute: 'email', direction: 'asc' }],
      cursor: { id: 'user1', direction: 'after' },
      limit: 5,
      offset: 1,
    });
    expect(parseQuery('contains("labels", ["vip"])')).toEqual({ method: 'contains', attribute: 'labels', values: ['vip'] });
  });

  it('keeps the first limit, offset and cursor, and brings a limit above 5000 down to it', () => {
    const query = userListQuery({ queries: [Query.limit(9000), Query.limit(2), Query.cursorAfter('a'), Query.cursorBefore('b')] });
    expect(query).toMatchObject({ limit: 5000, cursor: { id: 'a', direction: 'after' } });
  });

  it.each([
    [Query.equal('password', ['x']), 'Invalid query: Attribute not found in schema: password'],
    [Query.equal('search', ['x']), 'Invalid query: Attribute not found in schema: search'],
    [Query.orderAsc('$sequence'), 'Invalid query: Attribute not found in schema: $sequence'],
    [Query.equal('name', []), 'Invalid query: Equal queries require at least one value.'],
    [Query.notEqual('name', ['a', 'b']), 'Invalid query: NotEqual queries require exactly one value.'],
    [Query.between('registration', '2024-01-01', '2024-01-02').replace(',"2024-01-02"', ''), 'Invalid query: Between queries require exactly two values.'],
    [Query.equal('status', 'true'), 'Invalid query: Query value is invalid for attribute "status"'],
    [Query.equal('name', 1 as unknown as string), 'Invalid query: Query value is invalid for attribute "name"'],
    [Query.greaterThan('registration', 'yesterday'), 'Invalid query: Query value is invalid for attribute "registration"'],
    [Query.contains('status', true as unknown as string), 'Invalid query: Cannot query contains on attribute "status" because it is not an array, string, or object.'],
    [Query.equal('labels', ['vip']), 'Invalid query: Cannot query equal on attribute "labels" because it is an array.'],
    [Query.containsAll('name', ['a']), 'Invalid query: Cannot query containsAll on attribute "name" because it is not an array.'],
    [Query.startsWith('registration', '2024'), 'Invalid query: Cannot query startsWith on attribute "registration" because it is not a string.'],
    [Query.orderAsc('labels'), 'Invalid query: Cannot order by attribute "labels" because it is an array.'],
    [Query.search('name', 'ada'), 'Invalid query: Searching by attribute "name" requires a fulltext index. Use the search parameter.'],
    [Query.select(['name']), 'Invalid query: Invalid query method: select'],
    [Query.orderRandom(), 'Invalid query: Invalid query method: orderRandom'],
    [Query.regex('name', 'a.*'), 'Invalid query: Invalid query method: regex'],
    [Query.limit(0), 'Invalid query: Invalid limit: Value must be a valid range between 1 and 5000'],
    [Query.limit(-1), 'Invalid query: Invalid limit: Value must be a valid range between 1 and 5000'],
    [Query.offset(-1), `Invalid query: Invalid offset: Value must be a valid range between 0 and ${Number.MAX_SAFE_INTEGER}`],
    [Query.cursorAfter('bad id!'), "Invalid query: Invalid cursor: UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char"],
    [Query.or([Query.equal('name', 'a')]), 'Invalid query: Or queries require at least two queries'],
    [Query.and([Query.equal('name', 'a'), Query.limit(1)]), 'Invalid query: And queries can only contain filter queries'],
    [JSON.stringify({ method: 'equal', attribute: 'name', values: Array.from({ length: 501 }, (_, i) => `n${i}`) }), 'Invalid query: Query on attribute has greater than 500 values: name'],
    ['{"method":"equal"', 'Invalid query: Syntax error'],
    ['equal(name, [1])', 'Invalid query: Syntax error'],
    ['{"method":"bogus","attribute":"name","values":[]}', 'Invalid query: Invalid query method: bogus'],
  ])('refuses %s with 400 general_query_invalid', (query, message) => {
    expect(refusal(() => userListQuery({ queries: [query] }))).toEqual({ type: 'general_query_invalid', message });
  });

  it('refuses or / and nested deeper than three levels', () => {
    let query = Query.equal('name', 'a');
    for (let i = 0; i < 4; i++) query = Query.or([query, Query.equal('name', 'b')]);
    expect(refusal(() => userListQuery({ queries: [query] })).message).toBe('Invalid query: Or queries can be nested at most 3 deep');
  });
});

describe('identityListQuery', () => {
  it('reads the identity attributes Appwrite allows, provider emails lower-cased', () => {
    expect(identityListQuery({
      queries: [Query.equal('providerEmail', 'Ada@Example.COM'), Query.isNull('providerAccessTokenExpiry'), Query.orderDesc('provider')],
      search: 'github',
    })).toEqual({
      ...DEFAULTS,
      filters: [
        { attribute: 'providerEmail', op: 'equal', values: ['ada@example.com'] },
        { attribute: 'providerAccessTokenExpiry', op: 'isNull', values: [] },
      ],
      orders: [{ attribute: 'provider', direction: 'desc' }],
      search: 'github',
    });
    expect(refusal(() => identityListQuery({ queries: [Query.equal('providerAccessToken', 'x')] })).message)
      .toBe('Invalid query: Attribute not found in schema: providerAccessToken');
    expect(refusal(() => identityListQuery({ queries: [Query.equal('name', 'x')] })).message).toBe('Invalid query: Attribute not found in schema: name');
  });
});

describe('listUsers / listIdentities', () => {
  let storage: StorageAdapter;
  beforeEach(() => {
    storage = createSqliteAdapter({ filename: ':memory:' });
  });
  afterEach(() => storage.close());

  it('answers a cursor on an unknown row with Appwrite\'s 400 general_cursor_not_found', async () => {
    const users = listUsers(storage, { queries: [Query.cursorAfter('gone')] });
    await expect(users).rejects.toMatchObject({ type: 'general_cursor_not_found', code: 400, message: "User 'gone' for the 'cursor' value not found." });
    const identities = listIdentities(storage, { queries: [Query.cursorBefore('gone')] });
    await expect(identities).rejects.toMatchObject({ type: 'general_cursor_not_found', message: "User 'gone' for the 'cursor' value not found." });
  });

  it('lists through the adapter', async () => {
    const now = new Date();
    await storage.users.create({
      id: 'ada', createdAt: now, updatedAt: now, name: 'Ada Lovelace', email: 'ada@example.com', phone: null, passwordHash: null,
      passwordUpdatedAt: null, passwordPwned: null, status: true, labels: ['admin'], emailVerification: false, phoneVerification: false, mfa: false,
      prefs: {}, accessedAt: now, impersonator: false,
    });
    const page = await listUsers(storage, { queries: [Query.contains('labels', ['admin'])], search: 'love' });
    expect(page.items.map((user) => user.id)).toEqual(['ada']);
    expect(page.total).toBe(1);
    expect((await listUsers(storage, { search: 'love', total: false })).total).toBe(0);
  });
});
