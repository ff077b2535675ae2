// `identities.list`: the identities of every user, with every operator on every attribute, orders,
// cursors, pages and the search, checked against the in-memory reference (list-reference.ts).

import {
  IDENTITY_LIST_ATTRIBUTES,
  type IdentityListAttribute,
  type IdentityRecord,
  type ListFilter,
  type ListOrder,
  type ListQuery,
  type StorageAdapter,
} from '../../adapters/types';
import { at, makeIdentity, MINUTE } from './fixtures';
import { compareText, identityReference, listQuery, referenceList } from './list-reference';
import { defineSuite } from './suite';

type Query = ListQuery<IdentityListAttribute>;
type Filter = ListFilter<IdentityListAttribute>;

/** Three users' identities: createdAt ties (then id decides), null expiries, mixed-case emails. */
async function seed(a: StorageAdapter): Promise<IdentityRecord[]> {
  for (const id of ['ada', 'bob', 'eve']) await a.users.create({ ...baseUser(id) });
  const rows: Partial<IdentityRecord>[] = [
    { id: 'i-ada-github', userId: 'ada', provider: 'github', providerUid: '1001', providerEmail: 'Ada@Example.com', createdAt: at(1000), providerAccessTokenExpiry: at(MINUTE) },
    { id: 'i-ada-google', userId: 'ada', provider: 'google', providerUid: 'g-77', providerEmail: 'ada@gmail.com', createdAt: at(3000), providerAccessTokenExpiry: null },
    { id: 'i-bob-github', userId: 'bob', provider: 'github', providerUid: '2002', providerEmail: 'bob@example.com', createdAt: at(2000), providerAccessTokenExpiry: at(2 * MINUTE) },
    { id: 'i-bob-apple', userId: 'bob', provider: 'apple', providerUid: 'apple.bob', providerEmail: 'bob@privaterelay.appleid.com', createdAt: at(2000), providerAccessTokenExpiry: null },
    { id: 'i-eve-gitlab', userId: 'eve', provider: 'gitlab', providerUid: '1001', providerEmail: 'éve@example.org', createdAt: at(4000), providerAccessTokenExpiry: at(30 * MINUTE) },
    { id: 'i-eve-github', userId: 'eve', provider: 'github', providerUid: '3003', providerEmail: 'ada@example.com.evil', createdAt: at(1000), providerAccessTokenExpiry: at(MINUTE) },
  ];
  const created: IdentityRecord[] = [];
  for (const row of rows) created.push(await a.identities.create(makeIdentity(row.userId!, { updatedAt: row.createdAt, ...row })));
  return created;
}

function baseUser(id: string) {
  return {
    id, createdAt: at(0), updatedAt: at(0), name: id, email: `${id}@users.example`, phone: null, passwordHash: null,
    passwordUpdatedAt: null, passwordPwned: null, status: true, labels: [], emailVerification: false, phoneVerification: false, mfa: false,
    prefs: {}, accessedAt: at(0), impersonator: false,
  };
}

async function expectList(a: StorageAdapter, identities: readonly IdentityRecord[], query: Query): Promise<void> {
  const expected = referenceList(identityReference(), identities, query);
  const page = await a.identities.list(query);
  const actual = page && { total: page.total, ids: page.items.map((identity) => identity.id) };
  expect({ page: actual, query: JSON.stringify(query) }).toEqual({ page: expected, query: JSON.stringify(query) });
}

function filtersFor(attribute: IdentityListAttribute, identities: readonly IdentityRecord[]): Filter[] {
  const presence: Filter[] = [{ attribute, op: 'isNull', values: [] }, { attribute, op: 'isNotNull', values: [] }];
  const values = identities.map((i) => i[attribute] as string | Date | null).filter((v): v is string | Date => v !== null);
  if (IDENTITY_LIST_ATTRIBUTES[attribute] === 'date') {
    const dates = [...new Set((values as Date[]).map((d) => d.getTime()))].sort((x, y) => x - y).map((t) => new Date(t));
    const mid = dates[Math.floor(dates.length / 2)];
    return [
      ...presence,
      { attribute, op: 'equal', values: [mid] },
      { attribute, op: 'notEqual', values: [mid] },
      { attribute, op: 'lessThan', values: [mid] },
      { attribute, op: 'greaterThanEqual', values: [mid] },
      { attribute, op: 'between', values: [dates[0], mid] },
    ];
  }
  const texts = [...new Set(values as string[])].sort(compareText);
  const mid = texts[Math.floor(texts.length / 2)];
  return [
    ...presence,
    { attribute, op: 'equal', values: [mid] },
    { attribute, op: 'equal', values: [texts[0], 'absent'] },
    { attribute, op: 'notEqual', values: [mid] },
    { attribute, op: 'greaterThan', values: [mid] },
    { attribute, op: 'startsWith', values: [mid.slice(0, 3)] },
    { attribute, op: 'endsWith', values: [mid.slice(-3)] },
    { attribute, op: 'contains', values: [mid.slice(1, -1)] },
    { attribute, op: 'notContains', values: ['example'] },
  ];
}

const ORDERS: ListOrder<IdentityListAttribute>[][] = [
  [],
  [{ attribute: 'provider', direction: 'asc' }],
  [{ attribute: 'providerAccessTokenExpiry', direction: 'desc' }],
  [{ attribute: 'userId', direction: 'desc' }, { attribute: 'providerEmail', direction: 'asc' }],
];

export const identityListsSuite = defineSuite('identities.list', {
  'lists every user\'s identities by createdAt, then id': async ({ a }) => {
    const identities = await seed(a);
    const page = (await a.identities.list(listQuery()))!;
    expect(page.total).toBe(identities.length);
    expect(page.items.map((i) => i.id)).toEqual(['i-ada-github', 'i-eve-github', 'i-bob-apple', 'i-bob-github', 'i-ada-google', 'i-eve-gitlab']);
    expect(page.items[0]).toEqual(identities[0]);
  },

  'filters every attribute with each operator its kind takes': async ({ a }) => {
    const identities = await seed(a);
    for (const attribute of Object.keys(IDENTITY_LIST_ATTRIBUTES) as IdentityListAttribute[]) {
      for (const filter of filtersFor(attribute, identities)) await expectList(a, identities, listQuery({ filters: [filter] }));
    }
  },

  'orders and pages with cursors both ways': async ({ a }) => {
    const identities = await seed(a);
    for (const orders of ORDERS) {
      await expectList(a, identities, listQuery({ orders }));
      for (const { id } of identities) {
        for (const direction of ['after', 'before'] as const) {
          await expectList(a, identities, listQuery({ orders, limit: 2, offset: 1, cursor: { id, direction } }));
          await expectList(a, identities, listQuery({ orders, limit: 3, cursor: { id, direction }, total: false }));
        }
      }
    }
  },

  'searches by provider email prefix, provider, provider uid or user id': async ({ a }) => {
    const identities = await seed(a);
    const ids = async (search: string) => (await a.identities.list(listQuery({ search })))!.items.map((i) => i.id);
    expect(await ids('ADA@')).toEqual(['i-ada-github', 'i-eve-github', 'i-ada-google']);
    expect(await ids('ada@example.com')).toEqual(['i-ada-github', 'i-eve-github']);
    expect(await ids('github')).toEqual(['i-ada-github', 'i-eve-github', 'i-bob-github']);
    expect(await ids('1001')).toEqual(['i-ada-github', 'i-eve-gitlab']);
    expect(await ids('bob')).toEqual(['i-bob-apple', 'i-bob-github']);
    expect(await ids('éve@')).toEqual(['i-eve-gitlab']);
    expect(await ids('nobody')).toEqual([]);
    expect(await ids('  ')).toEqual([]);
    for (const search of ['ada', 'github', 'eve']) {
      await expectList(a, identities, listQuery({ search, orders: ORDERS[1], limit: 1, offset: 1 }));
      await expectList(a, identities, listQuery({ search, cursor: { id: 'i-bob-github', direction: 'after' } }));
    }
  },

  'returns null for a cursor on an identity that does not exist, and drops a deleted user\'s identities': async ({ a }) => {
    await seed(a);
    expect(await a.identities.list(listQuery({ cursor: { id: 'missing', direction: 'after' } }))).toBeNull();
    await a.users.delete('bob');
    expect(await a.identities.list(listQuery({ cursor: { id: 'i-bob-github', direction: 'before' } }))).toBeNull();
    expect((await a.identities.list(listQuery()))!.items.map((i) => i.userId)).toEqual(['ada', 'eve', 'ada', 'eve']);
  },
});
