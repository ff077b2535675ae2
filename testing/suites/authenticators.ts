// `authenticators`: at most one per (user, type), replaced by `upsert`; patches and deletes.

import { makeAuthenticator, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const authenticatorsSuite = defineSuite('authenticators', {
  'upserts an authenticator and reads it back': async ({ a, createUser }) => {
    const user = await createUser();
    const input = makeAuthenticator(user.id);
    expect(await a.authenticators.upsert(input)).toEqual(input);
    expect(await a.authenticators.get(user.id, 'totp')).toEqual(input);
    expect(await a.authenticators.get('missing', 'totp')).toBeNull();
  },

  'replaces the existing authenticator of the same user and type': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const otherAuthenticator = await a.authenticators.upsert(makeAuthenticator(other.id));
    await a.authenticators.upsert(makeAuthenticator(user.id, { verified: true }));
    const replacement = makeAuthenticator(user.id, { secret: 'enc:NEWSECRET', createdAt: at(MINUTE), updatedAt: at(MINUTE) });
    expect(await a.authenticators.upsert(replacement)).toEqual(replacement);
    expect(await a.authenticators.get(user.id, 'totp')).toEqual(replacement);
    expect(await a.authenticators.upsert(replacement)).toEqual(replacement);
    expect(await a.authenticators.get(other.id, 'totp')).toEqual(otherAuthenticator);
  },

  'updates only the patched fields and returns the result': async ({ a, createUser }) => {
    const user = await createUser();
    const authenticator = await a.authenticators.upsert(makeAuthenticator(user.id));
    const expected = { ...authenticator, verified: true, updatedAt: at(MINUTE) };
    expect(await a.authenticators.update(authenticator.id, { verified: true, updatedAt: at(MINUTE) })).toEqual(expected);
    expect(await a.authenticators.get(user.id, 'totp')).toEqual(expected);
    expect(await a.authenticators.update('missing', { verified: true })).toBeNull();
  },

  'deletes a user\'s authenticator by type': async ({ a, createUser }) => {
    const user = await createUser();
    await a.authenticators.upsert(makeAuthenticator(user.id));
    expect(await a.authenticators.delete(user.id, 'totp')).toBe(true);
    expect(await a.authenticators.get(user.id, 'totp')).toBeNull();
    expect(await a.authenticators.delete(user.id, 'totp')).toBe(false);
  },
});
