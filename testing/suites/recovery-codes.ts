// `recoveryCodes`: the entries are replaced as a set and each is consumed once, by exactly one of
// 20 concurrent callers, and only by its own user.

import { times, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const recoveryCodesSuite = defineSuite('recovery codes', {
  'replaces a user\'s codes and lists the unused ones': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    await a.recoveryCodes.replace(other.id, ['other-1'], at(0));
    expect(await a.recoveryCodes.list(user.id)).toEqual([]);
    await a.recoveryCodes.replace(user.id, ['a', 'b', 'c'], at(0));
    expect([...(await a.recoveryCodes.list(user.id))].sort()).toEqual(['a', 'b', 'c']);
    await a.recoveryCodes.replace(user.id, ['d', 'e'], at(MINUTE));
    expect([...(await a.recoveryCodes.list(user.id))].sort()).toEqual(['d', 'e']);
    await a.recoveryCodes.replace(user.id, [], at(MINUTE));
    expect(await a.recoveryCodes.list(user.id)).toEqual([]);
    expect(await a.recoveryCodes.list(other.id)).toEqual(['other-1']);
  },

  'consumes a code once, and only the user\'s own': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    await a.recoveryCodes.replace(user.id, ['a', 'b'], at(0));
    await a.recoveryCodes.replace(other.id, ['c'], at(0));
    expect(await a.recoveryCodes.consume(user.id, 'c')).toBe(false);
    expect(await a.recoveryCodes.consume(user.id, 'a')).toBe(true);
    expect(await a.recoveryCodes.consume(user.id, 'a')).toBe(false);
    expect(await a.recoveryCodes.list(user.id)).toEqual(['b']);
    expect(await a.recoveryCodes.list(other.id)).toEqual(['c']);
  },

  'lets exactly one of 20 concurrent callers consume a code': async ({ a, createUser }) => {
    const user = await createUser();
    await a.recoveryCodes.replace(user.id, ['a', 'b'], at(0));
    const results = await Promise.all(times(20, () => a.recoveryCodes.consume(user.id, 'a')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.recoveryCodes.list(user.id)).toEqual(['b']);
  },
});
