// `passwordHistory`: newest first, trimmed to `keep` in the same step as the insert (also under 20
// concurrent adds), and rolled back with the transaction it was written in.

import { times, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const passwordHistorySuite = defineSuite('password history', {
  'lists a user\'s entries newest first and keeps only the newest `keep`': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    await a.passwordHistory.add(other.id, 'other-1', at(0), 3);
    expect(await a.passwordHistory.list(user.id)).toEqual([]);
    // Same timestamps on purpose: the order is the order of the calls.
    for (const hash of ['h1', 'h2', 'h3']) await a.passwordHistory.add(user.id, hash, at(0), 3);
    expect(await a.passwordHistory.list(user.id)).toEqual(['h3', 'h2', 'h1']);
    await a.passwordHistory.add(user.id, 'h4', at(MINUTE), 3);
    expect(await a.passwordHistory.list(user.id)).toEqual(['h4', 'h3', 'h2']);
    await a.passwordHistory.add(user.id, 'h5', at(MINUTE), 1);
    expect(await a.passwordHistory.list(user.id)).toEqual(['h5']);
    expect(await a.passwordHistory.list(other.id)).toEqual(['other-1']);
  },

  'keeps at most `keep` entries when 20 callers add at once': async ({ a, createUser }) => {
    const user = await createUser();
    await Promise.all(times(20, (i) => a.passwordHistory.add(user.id, `h${i}`, at(i), 5)));
    expect(await a.passwordHistory.list(user.id)).toHaveLength(5);
  },

  'writes inside a transaction and is rolled back with it': async ({ a, createUser }) => {
    const user = await createUser();
    await a.passwordHistory.add(user.id, 'kept', at(0), 5);
    await expect(
      a.transaction(async (tx) => {
        await tx.passwordHistory.add(user.id, 'dropped', at(1), 5);
        expect(await tx.passwordHistory.list(user.id)).toEqual(['dropped', 'kept']);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await a.passwordHistory.list(user.id)).toEqual(['kept']);
  },
});
