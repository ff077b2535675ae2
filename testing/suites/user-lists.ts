// `users.list`: every operator on every attribute, search, orders with ties, keyset cursors both
// ways, pages and the capped total, checked against the in-memory reference (list-reference.ts)
// over a fixture of users chosen for their edge cases (nulls, ties, Unicode, out-of-order dates).

import {
  LIST_TOTAL_MAX,
  USER_LIST_ATTRIBUTES,
  type ListFilter,
  type ListOrder,
  type ListQuery,
  type StorageAdapter,
  type UserListAttribute,
  type UserRecord,
} from '../../adapters/types';
import { at, makeUser, times, type NewUser } from './fixtures';
import { compareText, listQuery, referenceList, userReference } from './list-reference';
import { defineSuite } from './suite';

type Query = ListQuery<UserListAttribute>;
type Filter = ListFilter<UserListAttribute>;

/** The fixture, in creation order: ties in name and createdAt, nulls, Unicode, dates out of creation order. */
const FIXTURE: Partial<NewUser>[] = [
  { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', phone: '+14155550101', labels: ['admin', 'beta'], impersonator: true, createdAt: at(1000), updatedAt: at(5000), passwordUpdatedAt: at(2000), phoneVerification: true },
  { id: 'zoe', name: 'Zoë Ñúñez', email: 'zoe@example.org', phone: null, status: false, labels: [], emailVerification: false, createdAt: at(3000), updatedAt: at(3000), passwordUpdatedAt: null },
  { id: 'yamada', name: '山田太郎', email: null, phone: '+819012345678', labels: ['vip'], createdAt: at(2000), updatedAt: at(9000), passwordUpdatedAt: at(1000) },
  { id: 'byron', name: 'Ada Byron', email: 'ada.byron@example.com', phone: '+14155550102', labels: ['beta'], createdAt: at(3000), updatedAt: at(4000), passwordUpdatedAt: at(7000), phoneVerification: true },
  { id: 'anon', name: '', email: null, phone: null, labels: [], emailVerification: false, createdAt: at(4000), updatedAt: at(4000), passwordHash: null, passwordUpdatedAt: null },
  { id: 'ada-2', name: 'ada lovelace', email: 'Lovelace.Second@Example.COM', phone: null, labels: ['admin'], createdAt: at(1000), updatedAt: at(8000), passwordUpdatedAt: at(2000) },
  { id: 'rocket', name: '🚀 Rocket O\'Brien-Smith', email: 'rocket+tag@example.net', phone: '+447700900123', labels: ['beta', 'vip'], status: false, createdAt: at(5000), updatedAt: at(5000), passwordUpdatedAt: at(6000), impersonator: true },
  { id: 'ada.3', name: 'Ada Lovelace', email: 'ada3@example.com', phone: null, labels: ['Admin'], createdAt: at(6000), updatedAt: at(1000), passwordUpdatedAt: at(2000) },
];

async function seed(a: StorageAdapter): Promise<UserRecord[]> {
  const users: UserRecord[] = [];
  for (const overrides of FIXTURE) users.push(await a.users.create(makeUser(overrides)));
  return users;
}

/** Asserts `users.list(query)` gives the reference's page, naming the query when it does not. */
async function expectList(a: StorageAdapter, users: readonly UserRecord[], created: readonly string[], query: Query): Promise<void> {
  const expected = referenceList(userReference(created), users, query);
  const page = await a.users.list(query);
  const actual = page && { total: page.total, ids: page.items.map((user) => user.id) };
  // The query as one line, so that a failure's diff shows which query it was.
  expect({ page: actual, query: JSON.stringify(query) }).toEqual({ page: expected, query: JSON.stringify(query) });
}

const ATTRIBUTES = Object.keys(USER_LIST_ATTRIBUTES) as UserListAttribute[];

/** `[…chars]` keeps surrogate pairs whole. */
const slice = (text: string, start: number, end?: number) => [...text].slice(start, end).join('');

/** Every operator the attribute's kind takes, with operands from the fixture and some that match nothing. */
function filtersFor(attribute: UserListAttribute, users: readonly UserRecord[]): Filter[] {
  const kind = USER_LIST_ATTRIBUTES[attribute];
  const presence: Filter[] = [{ attribute, op: 'isNull', values: [] }, { attribute, op: 'isNotNull', values: [] }];
  if (kind === 'labels') {
    return [
      ...presence,
      { attribute, op: 'contains', values: ['beta'] },
      { attribute, op: 'contains', values: ['vip', 'admin'] },
      { attribute, op: 'contains', values: ['Admin'] },
      { attribute, op: 'contains', values: ['nobody'] },
      { attribute, op: 'containsAll', values: ['admin', 'beta'] },
      { attribute, op: 'containsAll', values: ['beta'] },
      { attribute, op: 'notContains', values: ['beta'] },
      { attribute, op: 'notContains', values: ['vip', 'admin'] },
    ];
  }
  if (kind === 'boolean') {
    return [
      ...presence,
      ...[[true], [false], [true, false]].map((values): Filter => ({ attribute, op: 'equal', values })),
      { attribute, op: 'notEqual', values: [true] },
      { attribute, op: 'lessThan', values: [true] },
      { attribute, op: 'greaterThanEqual', values: [false] },
      { attribute, op: 'between', values: [false, true] },
    ];
  }
  const values = users.map((user) => user[attribute] as string | Date | null).filter((v): v is string | Date => v !== null);
  if (kind === 'date') {
    const dates = [...new Set((values as Date[]).map((d) => d.getTime()))].sort((x, y) => x - y).map((t) => new Date(t));
    const [low, mid, high] = [dates[0], dates[Math.floor(dates.length / 2)], dates[dates.length - 1]];
    const between = new Date(mid.getTime() + 1);
    return [
      ...presence,
      { attribute, op: 'equal', values: [mid] },
      { attribute, op: 'equal', values: [low, high, between] },
      { attribute, op: 'notEqual', values: [mid] },
      ...(['lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual'] as const).flatMap((op) => [
        { attribute, op, values: [mid] } as Filter,
        { attribute, op, values: [between] } as Filter,
      ]),
      { attribute, op: 'between', values: [low, mid] },
      { attribute, op: 'notBetween', values: [low, mid] },
    ];
  }
  const texts = [...new Set(values as string[])].sort(compareText);
  const [low, mid, high] = [texts[0], texts[Math.floor(texts.length / 2)], texts[texts.length - 1]];
  const length = [...mid].length;
  const prefix = slice(mid, 0, Math.min(3, length));
  const suffix = slice(mid, Math.max(0, length - 3));
  const infix = slice(mid, 1, Math.max(2, length - 1));
  return [
    ...presence,
    { attribute, op: 'equal', values: [mid] },
    { attribute, op: 'equal', values: [low, high, 'absent'] },
    { attribute, op: 'notEqual', values: [mid] },
    ...(['lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual'] as const).map((op): Filter => ({ attribute, op, values: [mid] })),
    { attribute, op: 'between', values: [low, mid] },
    { attribute, op: 'notBetween', values: [low, mid] },
    { attribute, op: 'startsWith', values: [prefix] },
    { attribute, op: 'startsWith', values: [''] },
    { attribute, op: 'startsWith', values: [prefix, slice(high, 0, 1)] },
    { attribute, op: 'notStartsWith', values: [prefix] },
    { attribute, op: 'endsWith', values: [suffix] },
    { attribute, op: 'endsWith', values: [mid + 'x'] },
    { attribute, op: 'notEndsWith', values: [suffix] },
    { attribute, op: 'contains', values: [infix] },
    { attribute, op: 'contains', values: [infix, '🚀'] },
    { attribute, op: 'notContains', values: [infix] },
  ];
}

const ORDERS: ListOrder<UserListAttribute>[][] = [
  [],
  [{ attribute: 'name', direction: 'asc' }],
  [{ attribute: 'name', direction: 'desc' }],
  [{ attribute: 'createdAt', direction: 'desc' }],
  [{ attribute: 'passwordUpdatedAt', direction: 'asc' }],
  [{ attribute: 'email', direction: 'desc' }],
  [{ attribute: 'id', direction: 'desc' }],
  [{ attribute: 'name', direction: 'asc' }, { attribute: 'passwordUpdatedAt', direction: 'desc' }],
  [{ attribute: 'status', direction: 'asc' }, { attribute: 'createdAt', direction: 'asc' }],
];

export const userListsSuite = defineSuite('users.list', {
  'lists users in creation order, with their targets and every field': async ({ a }) => {
    const users = await seed(a);
    const page = (await a.users.list(listQuery()))!;
    expect(page).toEqual({ total: users.length, items: users });
    expect(page.items.find((user) => user.id === 'ada')).toMatchObject({ impersonator: true, labels: ['admin', 'beta'] });
  },

  'filters every attribute with each operator its kind takes': async ({ a }) => {
    const users = await seed(a);
    const created = users.map((user) => user.id);
    for (const attribute of ATTRIBUTES) {
      for (const filter of filtersFor(attribute, users)) await expectList(a, users, created, listQuery({ filters: [filter] }));
    }
  },

  'combines filters, and nests and / or': async ({ a }) => {
    const users = await seed(a);
    const created = users.map((user) => user.id);
    const queries: Filter[][] = [
      [{ attribute: 'status', op: 'equal', values: [true] }, { attribute: 'labels', op: 'contains', values: ['beta'] }],
      [{ op: 'or', filters: [{ attribute: 'email', op: 'isNull', values: [] }, { attribute: 'impersonator', op: 'equal', values: [true] }] }],
      [{
        op: 'and',
        filters: [
          { op: 'or', filters: [{ attribute: 'name', op: 'startsWith', values: ['Ada'] }, { attribute: 'phone', op: 'startsWith', values: ['+81'] }] },
          { attribute: 'createdAt', op: 'lessThan', values: [at(3000)] },
        ],
      }],
    ];
    for (const filters of queries) await expectList(a, users, created, listQuery({ filters }));
  },

  'orders by any attribute, nulls first ascending and last descending, ties in creation order': async ({ a }) => {
    const users = await seed(a);
    const created = users.map((user) => user.id);
    for (const orders of ORDERS) await expectList(a, users, created, listQuery({ orders }));
    // Names by code point: '' < 'Ada…' < 'Zoë' < 'ada…' < '山田' < '🚀'; equal names in creation order.
    const byName = (await a.users.list(listQuery({ orders: [{ attribute: 'name', direction: 'asc' }] })))!;
    expect(byName.items.map((user) => user.id)).toEqual(['anon', 'byron', 'ada', 'ada.3', 'zoe', 'ada-2', 'yamada', 'rocket']);
  },

  'pages through every order with cursors, forwards and backwards, ties and nulls included': async ({ a }) => {
    const users = await seed(a);
    const created = users.map((user) => user.id);
    for (const orders of ORDERS) {
      const all = (await a.users.list(listQuery({ orders, limit: 100 })))!.items.map((user) => user.id);
      const forwards: string[] = [];
      let page = (await a.users.list(listQuery({ orders, limit: 3 })))!;
      while (page.items.length > 0) {
        forwards.push(...page.items.map((user) => user.id));
        page = (await a.users.list(listQuery({ orders, limit: 3, cursor: { id: forwards[forwards.length - 1], direction: 'after' } })))!;
      }
      expect({ orders, ids: forwards }).toEqual({ orders, ids: all });
      const backwards: string[] = [all[all.length - 1]];
      for (;;) {
        page = (await a.users.list(listQuery({ orders, limit: 3, cursor: { id: backwards[0], direction: 'before' } })))!;
        if (page.items.length === 0) break;
        backwards.unshift(...page.items.map((user) => user.id));
      }
      expect({ orders, ids: backwards }).toEqual({ orders, ids: all });
      for (const id of created) {
        for (const direction of ['after', 'before'] as const) {
          await expectList(a, users, created, listQuery({ orders, limit: 2, offset: 1, cursor: { id, direction } }));
        }
      }
    }
  },

  'places a cursor by its row even when the filters leave that row out': async ({ a }) => {
    const users = await seed(a);
    const created = users.map((user) => user.id);
    const filters: Filter[] = [{ attribute: 'status', op: 'equal', values: [true] }];
    for (const direction of ['after', 'before'] as const) {
      await expectList(a, users, created, listQuery({ filters, cursor: { id: 'zoe', direction } }));
      await expectList(a, users, created, listQuery({ filters, orders: [{ attribute: 'name', direction: 'desc' }], cursor: { id: 'rocket', direction } }));
    }
  },

  'returns null for a cursor on a user that does not exist or was deleted': async ({ a }) => {
    await seed(a);
    expect(await a.users.list(listQuery({ cursor: { id: 'missing', direction: 'after' } }))).toBeNull();
    await a.users.delete('byron');
    expect(await a.users.list(listQuery({ cursor: { id: 'byron', direction: 'before' } }))).toBeNull();
    expect(await a.users.list(listQuery({ search: 'ada', cursor: { id: 'byron', direction: 'after' } }))).toBeNull();
  },

  'applies limit and offset, and counts the total only when asked': async ({ a }) => {
    const users = await seed(a);
    const created = users.map((user) => user.id);
    for (const [limit, offset] of [[1, 0], [3, 2], [5, 6], [2, 8], [25, 100]]) {
      await expectList(a, users, created, listQuery({ limit, offset }));
    }
    expect(await a.users.list(listQuery({ limit: 2, total: false }))).toEqual({ total: 0, items: users.slice(0, 2) });
    const filtered = (await a.users.list(listQuery({ filters: [{ attribute: 'labels', op: 'contains', values: ['beta'] }], limit: 1 })))!;
    expect(filtered.total).toBe(3);
    expect(filtered.items).toHaveLength(1);
  },

  [`counts at most ${LIST_TOTAL_MAX} users`]: async ({ a }) => {
    await a.transaction(async (tx) => {
      for (const i of times(LIST_TOTAL_MAX + 1, (n) => n)) await tx.users.create(makeUser({ id: `bulk${i}`, email: null, name: `Bulk ${i}` }));
    });
    expect(await a.users.count()).toBe(LIST_TOTAL_MAX + 1);
    const page = (await a.users.list(listQuery({ limit: 2 })))!;
    expect(page.total).toBe(LIST_TOTAL_MAX);
    expect(page.items.map((user) => user.id)).toEqual(['bulk0', 'bulk1']);
    expect((await a.users.list(listQuery({ search: 'bulk 4999', limit: 5 })))!.items.map((user) => user.id)).toEqual(['bulk4999']);
  },

  'filters on a label a thousand users hold, whichever way the adapter reads it': async ({ a }) => {
    const users: UserRecord[] = [];
    await a.transaction(async (tx) => {
      // 1,000 hold `common` (COMMON_LABEL_HOLDERS), 5 hold `rare` too.
      for (let i = 0; i < 1500; i++) {
        const labels = i % 3 === 0 ? [] : i % 300 === 2 ? ['common', 'rare'] : i % 3 === 2 ? ['common', 'other'] : ['common'];
        users.push(await tx.users.create(makeUser({ id: `many${i}`, email: null, labels, createdAt: at(1000 * (i % 50)) })));
      }
    });
    const created = users.map((user) => user.id);
    const common: Filter = { attribute: 'labels', op: 'contains', values: ['common'] };
    const rare: Filter = { attribute: 'labels', op: 'contains', values: ['rare'] };
    const orders: ListOrder<UserListAttribute>[] = [{ attribute: 'createdAt', direction: 'desc' }];
    for (const query of [
      listQuery({ filters: [common] }),
      listQuery({ filters: [common], orders, offset: 30 }),
      listQuery({ filters: [common, { attribute: 'createdAt', op: 'greaterThan', values: [at(40_000)] }], orders }),
      listQuery({ filters: [common], orders, cursor: { id: 'many700', direction: 'after' } }),
      listQuery({ filters: [common], cursor: { id: 'many700', direction: 'before' } }),
      listQuery({ filters: [{ op: 'or', filters: [rare, common] }], orders }),
      listQuery({ filters: [rare], orders }),
      listQuery({ filters: [{ attribute: 'labels', op: 'notContains', values: ['common'] }] }),
      listQuery({ filters: [{ attribute: 'labels', op: 'containsAll', values: ['common', 'rare'] }] }),
      listQuery({ filters: [common], search: 'many7' }),
    ]) {
      await expectList(a, users, created, query);
    }
  },

  'searches word prefixes of the id, email, phone and name, every word, whatever the case and accents': async ({ a }) => {
    await seed(a);
    const search = async (text: string) => (await a.users.list(listQuery({ search: text })))!.items.map((user) => user.id);
    expect(await search('lovelace')).toEqual(['ada', 'ada-2', 'ada.3']);
    expect(await search('LOVE')).toEqual(['ada', 'ada-2', 'ada.3']);
    expect(await search('ada lov')).toEqual(['ada', 'ada-2', 'ada.3']);
    expect(await search('lov ada')).toEqual(['ada', 'ada-2', 'ada.3']);
    expect(await search('ada')).toEqual(['ada', 'byron', 'ada-2', 'ada.3']);
    expect(await search('zoe')).toEqual(['zoe']);
    expect(await search('ÑÚÑEZ')).toEqual(['zoe']);
    expect(await search('example.org')).toEqual(['zoe']);
    expect(await search('+1415')).toEqual(['ada', 'byron']);
    expect(await search('819012345678')).toEqual(['yamada']);
    expect(await search('山田')).toEqual(['yamada']);
    expect(await search('太郎')).toEqual([]);
    expect(await search('rocket+tag@example.net')).toEqual(['rocket']);
    expect(await search("o'brien")).toEqual(['rocket']);
    expect(await search('byron')).toEqual(['byron']);
    expect(await search('ada.3')).toEqual(['ada.3']);
    expect(await search('second@example')).toEqual(['ada-2']);
    expect(await search('lovelace nobody')).toEqual([]);
    expect(await search('>')).toEqual([]);
    expect(await search('   ')).toEqual([]);
    expect(await search('')).toHaveLength(FIXTURE.length);
  },

  'searches together with filters, orders, cursors and the total': async ({ a }) => {
    const users = await seed(a);
    const created = users.map((user) => user.id);
    const labels: Filter = { attribute: 'labels', op: 'contains', values: ['admin', 'beta'] };
    for (const orders of ORDERS) {
      await expectList(a, users, created, listQuery({ search: 'ada', orders }));
      await expectList(a, users, created, listQuery({ search: 'ada', filters: [labels], orders, limit: 2, offset: 1 }));
      for (const id of ['ada', 'byron', 'zoe']) {
        await expectList(a, users, created, listQuery({ search: 'ex', orders, limit: 2, cursor: { id, direction: 'after' } }));
        await expectList(a, users, created, listQuery({ search: 'ex', orders, limit: 2, cursor: { id, direction: 'before' } }));
      }
    }
  },

  'keeps the search and the label filters current through updates and deletes': async ({ a }) => {
    await seed(a);
    const ids = async (query: Partial<Query>) => (await a.users.list(listQuery(query)))!.items.map((user) => user.id);
    await a.users.update('byron', { name: 'Lord Byron', labels: ['vip'] });
    await a.users.update('zoe', { email: 'Zed@Example.com', phone: '+33612345678' });
    expect(await ids({ search: 'lord' })).toEqual(['byron']);
    expect(await ids({ search: 'ada' })).toEqual(['ada', 'byron', 'ada-2', 'ada.3']);
    expect(await ids({ search: 'org' })).toEqual([]);
    expect(await ids({ search: 'zed' })).toEqual(['zoe']);
    expect(await ids({ search: '3361' })).toEqual(['zoe']);
    expect(await ids({ filters: [{ attribute: 'labels', op: 'contains', values: ['beta'] }] })).toEqual(['ada', 'rocket']);
    expect(await ids({ filters: [{ attribute: 'labels', op: 'contains', values: ['vip'] }] })).toEqual(['yamada', 'byron', 'rocket']);
    await a.users.update('ada', { status: false, updatedAt: at(10_000) });
    expect(await ids({ search: 'lovelace' })).toEqual(['ada', 'ada-2', 'ada.3']);
    await a.users.delete('ada');
    expect(await ids({ search: 'lovelace' })).toEqual(['ada-2', 'ada.3']);
    expect(await ids({ filters: [{ attribute: 'labels', op: 'contains', values: ['admin'] }] })).toEqual(['ada-2']);
    const again = await a.users.create(makeUser({ id: 'ada', name: 'Ada Again', email: 'again@example.com', labels: ['admin'] }));
    expect(await ids({ search: 'again' })).toEqual([again.id]);
    expect(await ids({ filters: [{ attribute: 'labels', op: 'contains', values: ['admin'] }] })).toEqual(['ada-2', 'ada']);
  },

  'stores the impersonator flag and changes it by update': async ({ a }) => {
    const user = await a.users.create(makeUser());
    expect(user.impersonator).toBe(false);
    expect(await a.users.update(user.id, { impersonator: true })).toMatchObject({ impersonator: true });
    expect((await a.users.get(user.id))!.impersonator).toBe(true);
    const impersonators = (await a.users.list(listQuery({ filters: [{ attribute: 'impersonator', op: 'equal', values: [true] }] })))!;
    expect(impersonators.items.map((u) => u.id)).toEqual([user.id]);
  },

  'lists inside a transaction, seeing its own writes': async ({ a }) => {
    await seed(a);
    const seen = await a.transaction(async (tx) => {
      await tx.users.create(makeUser({ id: 'inside', name: 'Inside Job' }));
      return (await tx.users.list(listQuery({ search: 'inside' })))!.items.map((user) => user.id);
    });
    expect(seen).toEqual(['inside']);
  },
});
