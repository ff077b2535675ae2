// `challenges`: a challenge is consumed once, by exactly one of 20 concurrent callers; expiry sweeps.

import { makeChallenge, expectConflict, times, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const challengesSuite = defineSuite('challenges', {
  'creates a challenge and reads it back': async ({ a, createUser }) => {
    const user = await createUser();
    const input = makeChallenge(user.id, { type: 'totp', codeHash: '' });
    expect(await a.challenges.create(input)).toEqual(input);
    expect(await a.challenges.get(input.id)).toEqual(input);
    expect(await a.challenges.get('missing')).toBeNull();
  },

  'keeps the sealed code of a challenge the host delivers': async ({ a, createUser }) => {
    const user = await createUser();
    const input = makeChallenge(user.id, { type: 'custom', codeHash: 'code-hash', code: 'enc:123456' });
    expect(await a.challenges.create(input)).toEqual(input);
    expect(await a.challenges.get(input.id)).toEqual(input);
  },

  'throws ConflictError on a duplicate id': async ({ a, createUser }) => {
    const user = await createUser();
    const challenge = await a.challenges.create(makeChallenge(user.id));
    await expectConflict(a.challenges.create(makeChallenge(user.id, { id: challenge.id })), 'challenge', 'id');
  },

  'consumes a challenge once': async ({ a, createUser }) => {
    const user = await createUser();
    const challenge = await a.challenges.create(makeChallenge(user.id));
    expect(await a.challenges.consume(challenge.id)).toBe(true);
    expect(await a.challenges.get(challenge.id)).toBeNull();
    expect(await a.challenges.consume(challenge.id)).toBe(false);
    expect(await a.challenges.consume('missing')).toBe(false);
  },

  'lets exactly one of 20 concurrent callers consume a challenge': async ({ a, createUser }) => {
    const user = await createUser();
    const challenge = await a.challenges.create(makeChallenge(user.id));
    const results = await Promise.all(times(20, () => a.challenges.consume(challenge.id)));
    expect(results.filter(Boolean)).toHaveLength(1);
  },

  'deletes expired challenges only': async ({ a, createUser }) => {
    const user = await createUser();
    const expired = await a.challenges.create(makeChallenge(user.id, { expire: at(MINUTE) }));
    const live = await a.challenges.create(makeChallenge(user.id, { expire: at(20 * MINUTE) }));
    expect(await a.challenges.deleteExpired(at(10 * MINUTE))).toBe(1);
    expect(await a.challenges.get(expired.id)).toBeNull();
    expect(await a.challenges.get(live.id)).toEqual(live);
  },
});
