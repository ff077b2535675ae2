// `apiKeys`: server API keys are found by the hash of their secret, listed oldest first, revoked by
// deleting them; the hash is unique, so two keys can never answer to one secret.

import { at, expectConflict, makeApiKey, MINUTE, times } from './fixtures';
import { defineSuite } from './suite';

export const apiKeysSuite = defineSuite('apiKeys', {
  'creates a key and finds it by its secret hash only': async ({ a }) => {
    const input = makeApiKey({ scopes: ['users.read', 'users.write', 'sessions.write'] });
    expect(await a.apiKeys.create(input)).toEqual(input);
    expect(await a.apiKeys.getBySecretHash(input.secretHash)).toEqual(input);
    expect(await a.apiKeys.getBySecretHash(input.id)).toBeNull();
    expect(await a.apiKeys.getBySecretHash('missing')).toBeNull();
  },

  'keeps a key without expiry, and returns an expired key for lib/ to refuse': async ({ a }) => {
    const forever = await a.apiKeys.create(makeApiKey({ expire: null }));
    const expired = await a.apiKeys.create(makeApiKey({ expire: at(-MINUTE) }));
    expect(await a.apiKeys.getBySecretHash(forever.secretHash)).toEqual(forever);
    expect(await a.apiKeys.getBySecretHash(expired.secretHash)).toEqual(expired);
  },

  'throws ConflictError on a duplicate id or secret hash': async ({ a }) => {
    const key = await a.apiKeys.create(makeApiKey());
    await expectConflict(a.apiKeys.create(makeApiKey({ id: key.id })), 'apiKey', 'id');
    await expectConflict(a.apiKeys.create(makeApiKey({ secretHash: key.secretHash })), 'apiKey', 'secretHash');
  },

  'gives one of 10 concurrent creates with one secret hash the key': async ({ a }) => {
    const results = await Promise.allSettled(times(10, () => a.apiKeys.create(makeApiKey({ secretHash: 'same' }))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  },

  'lists keys oldest first': async ({ a }) => {
    const second = await a.apiKeys.create(makeApiKey({ createdAt: at(2 * MINUTE) }));
    const first = await a.apiKeys.create(makeApiKey({ createdAt: at(MINUTE) }));
    expect(await a.apiKeys.list()).toEqual([first, second]);
  },

  'deletes a key, which then no longer answers to its secret': async ({ a }) => {
    const key = await a.apiKeys.create(makeApiKey());
    expect(await a.apiKeys.delete(key.id)).toBe(true);
    expect(await a.apiKeys.getBySecretHash(key.secretHash)).toBeNull();
    expect(await a.apiKeys.delete(key.id)).toBe(false);
    expect(await a.apiKeys.list()).toEqual([]);
  },

  'touches accessedAt with millisecond precision': async ({ a }) => {
    const key = await a.apiKeys.create(makeApiKey());
    expect(await a.apiKeys.touch(key.id, at(5 * MINUTE + 7))).toBe(true);
    expect(await a.apiKeys.getBySecretHash(key.secretHash)).toEqual({ ...key, accessedAt: at(5 * MINUTE + 7) });
    expect(await a.apiKeys.touch('missing', at(0))).toBe(false);
  },
});
