// `tokens`: a token is consumed once, by exactly one of 20 concurrent callers, and only when its
// user, type, hash and expiry all match.

import { makeToken, expectConflict, times, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const tokensSuite = defineSuite('tokens', {
  'creates a token and consumes it exactly once': async ({ a, createUser }) => {
    const user = await createUser();
    const input = makeToken(user.id, { type: 'oauth2', phrase: 'Brave Fox', provider: 'github' });
    expect(await a.tokens.create(input)).toEqual(input);
    const query = { userId: user.id, types: ['oauth2' as const], secretHash: input.secretHash, now: at(MINUTE) };
    expect(await a.tokens.consume(query)).toEqual(input);
    expect(await a.tokens.consume(query)).toBeNull();
  },

  'throws ConflictError on a duplicate id': async ({ a, createUser }) => {
    const user = await createUser();
    const token = await a.tokens.create(makeToken(user.id));
    await expectConflict(a.tokens.create(makeToken(user.id, { id: token.id })), 'token', 'id');
  },

  'consumes only a matching, unexpired token of one of the given types': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const token = await a.tokens.create(makeToken(user.id, { type: 'recovery', expire: at(10 * MINUTE) }));
    const query = { userId: user.id, types: ['recovery' as const], secretHash: token.secretHash, now: at(MINUTE) };

    expect(await a.tokens.consume({ ...query, types: ['magic-url', 'email-otp'] })).toBeNull();
    expect(await a.tokens.consume({ ...query, types: [] })).toBeNull();
    expect(await a.tokens.consume({ ...query, userId: other.id })).toBeNull();
    expect(await a.tokens.consume({ ...query, secretHash: 'wrong' })).toBeNull();
    expect(await a.tokens.consume({ ...query, now: at(11 * MINUTE) })).toBeNull();
    expect(await a.tokens.consume({ ...query, types: ['email-verification', 'recovery'] })).toEqual(token);
  },

  'gives exactly one of 20 concurrent consumers the token': async ({ a, createUser }) => {
    const user = await createUser();
    const token = await a.tokens.create(makeToken(user.id, { type: 'email-otp' }));
    const query = { userId: user.id, types: ['email-otp' as const], secretHash: token.secretHash, now: at(0) };
    const results = await Promise.all(times(20, () => a.tokens.consume(query)));
    expect(results.filter((r) => r !== null)).toEqual([token]);
  },

  'deletes one token': async ({ a, createUser }) => {
    const user = await createUser();
    const token = await a.tokens.create(makeToken(user.id));
    expect(await a.tokens.delete(token.id)).toBe(true);
    expect(await a.tokens.delete(token.id)).toBe(false);
    expect(
      await a.tokens.consume({ userId: user.id, types: [token.type], secretHash: token.secretHash, now: at(0) }),
    ).toBeNull();
  },

  'deletes expired tokens only': async ({ a, createUser }) => {
    const user = await createUser();
    await a.tokens.create(makeToken(user.id, { expire: at(MINUTE) }));
    await a.tokens.create(makeToken(user.id, { expire: at(2 * MINUTE) }));
    const live = await a.tokens.create(makeToken(user.id, { expire: at(20 * MINUTE) }));
    expect(await a.tokens.deleteExpired(at(10 * MINUTE))).toBe(2);
    expect(await a.tokens.deleteExpired(at(10 * MINUTE))).toBe(0);
    expect(
      await a.tokens.consume({ userId: user.id, types: [live.type], secretHash: live.secretHash, now: at(0) }),
    ).toEqual(live);
  },
});
