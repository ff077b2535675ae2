// `identities`: lookups by provider uid and provider email (lower-cased), the (provider, providerUid)
// uniqueness, pages with their total, patches and deletes.

import { makeIdentity, expectConflict, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const identitiesSuite = defineSuite('identities', {
  'creates an identity and finds it by id, provider uid and provider email': async ({ a, createUser }) => {
    const user = await createUser();
    const input = makeIdentity(user.id, { providerEmail: 'ada@github.example', providerAccessTokenExpiry: null, providerIdToken: 'enc:header.payload.signature' });
    expect(await a.identities.create(input)).toEqual(input);
    expect(await a.identities.get(input.id)).toEqual(input);
    expect(await a.identities.getByProviderUid('github', input.providerUid)).toEqual(input);
    expect(await a.identities.getByProviderEmail('ada@github.example')).toEqual(input);
  },

  'compares provider emails lower-cased': async ({ a, createUser }) => {
    const user = await createUser();
    const identity = await a.identities.create(makeIdentity(user.id, { providerEmail: 'Ada@GitHub.Example' }));
    expect(identity.providerEmail).toBe('ada@github.example');
    expect((await a.identities.getByProviderEmail('ADA@github.example'))!.id).toBe(identity.id);
  },

  'returns null for unknown identities': async ({ a, createUser }) => {
    const user = await createUser();
    const identity = await a.identities.create(makeIdentity(user.id));
    expect(await a.identities.get('missing')).toBeNull();
    expect(await a.identities.getByProviderUid('google', identity.providerUid)).toBeNull();
    expect(await a.identities.getByProviderUid('github', 'other')).toBeNull();
    expect(await a.identities.getByProviderEmail('nobody@example.com')).toBeNull();
  },

  'throws ConflictError when (provider, providerUid) or the id is taken': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const identity = await a.identities.create(makeIdentity(user.id, { providerUid: '42' }));
    await expectConflict(
      a.identities.create(makeIdentity(other.id, { providerUid: '42' })),
      'identity',
      'provider',
    );
    await expectConflict(a.identities.create(makeIdentity(other.id, { id: identity.id })), 'identity', 'id');
    const google = await a.identities.create(makeIdentity(other.id, { provider: 'google', providerUid: '42' }));
    expect(await a.identities.getByProviderUid('google', '42')).toEqual(google);
  },

  'lists a user\'s identities newest last, a page at a time, with the total': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const created = [];
    for (const offset of [4000, 1000, 3000, 2000, 5000]) {
      created.push(await a.identities.create(makeIdentity(user.id, { createdAt: at(offset) })));
    }
    await a.identities.create(makeIdentity(other.id));
    const ordered = [...created].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());

    expect(await a.identities.listByUser(user.id, { limit: 10, offset: 0 })).toEqual({ total: 5, items: ordered });
    expect(await a.identities.listByUser(user.id, { limit: 2, offset: 1 })).toEqual({
      total: 5,
      items: ordered.slice(1, 3),
    });
    expect(await a.identities.listByUser(user.id, { limit: 2, offset: 10 })).toEqual({ total: 5, items: [] });
    expect(await a.identities.listByUser('missing', { limit: 2, offset: 0 })).toEqual({ total: 0, items: [] });
  },

  'updates only the patched fields and returns the result': async ({ a, createUser }) => {
    const user = await createUser();
    const identity = await a.identities.create(makeIdentity(user.id));
    const patch = {
      updatedAt: at(MINUTE),
      providerEmail: 'New@GitHub.Example',
      providerAccessToken: 'enc:new',
      providerRefreshToken: '',
      providerAccessTokenExpiry: null,
      providerIdToken: 'enc:id-token',
    };
    const expected = { ...identity, ...patch, providerEmail: 'new@github.example' };
    expect(await a.identities.update(identity.id, patch)).toEqual(expected);
    expect(await a.identities.getByProviderEmail('new@github.example')).toEqual(expected);
    expect(await a.identities.update(identity.id, {})).toEqual(expected);
    expect(await a.identities.update('missing', { providerAccessToken: 'x' })).toBeNull();
  },

  'deletes one identity': async ({ a, createUser }) => {
    const user = await createUser();
    const identity = await a.identities.create(makeIdentity(user.id));
    expect(await a.identities.delete(identity.id)).toBe(true);
    expect(await a.identities.get(identity.id)).toBeNull();
    expect(await a.identities.delete(identity.id)).toBe(false);
  },
});
