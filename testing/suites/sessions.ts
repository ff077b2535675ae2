// `sessions`: round-trips, the hot-path reads with the user and its targets, `maxPerUser` pruning in
// the same step as the insert, patches and the deletes.

import type { SessionRecord } from '../../adapters/types';
import { makeSession, makeTarget, expectConflict, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const sessionsSuite = defineSuite('sessions', {
  'creates a session and reads it back with every field intact': async ({ a, createUser }) => {
    const user = await createUser();
    const input = makeSession(user.id, {
      provider: 'github',
      providerUid: '12345',
      providerAccessToken: 'enc:access',
      providerRefreshToken: 'enc:refresh',
      providerAccessTokenExpiry: at(MINUTE + 7),
      factors: ['password', 'totp'],
      mfaUpdatedAt: at(999),
    });
    expect(await a.sessions.create(input, { maxPerUser: 0 })).toEqual(input);
    expect(await a.sessions.get(input.id)).toEqual(input);
    expect(await a.sessions.get('missing')).toBeNull();
  },

  'throws ConflictError on a duplicate id or secret hash': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    await expectConflict(
      a.sessions.create(makeSession(user.id, { id: session.id }), { maxPerUser: 0 }),
      'session',
      'id',
    );
    await expectConflict(
      a.sessions.create(makeSession(user.id, { secretHash: session.secretHash }), { maxPerUser: 0 }),
      'session',
      'secretHash',
    );
    expect(await a.sessions.listByUser(user.id)).toEqual([session]);
  },

  'returns the session with its user and the user\'s targets by secret hash and by id': async ({ a, createUser }) => {
    const user = await createUser();
    const target = await a.targets.create(makeTarget(user.id, { identifier: user.email! }));
    const session = await a.sessions.create(makeSession(user.id, { createdAt: at(50) }), { maxPerUser: 0 });
    const expected = { session, user: { ...user, targets: [target] } };
    expect(await a.sessions.getBySecretHashWithUser(session.secretHash)).toEqual(expected);
    expect(await a.sessions.getWithUser(session.id)).toEqual(expected);
  },

  'returns the user with no targets, and null for unknown sessions': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    expect((await a.sessions.getBySecretHashWithUser(session.secretHash))!.user).toEqual(user);
    expect(await a.sessions.getBySecretHashWithUser('unknown')).toBeNull();
    expect(await a.sessions.getWithUser('unknown')).toBeNull();
  },

  'returns expired sessions too: expiry is the caller\'s check': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id, { expire: new Date(0) }), { maxPerUser: 0 });
    expect((await a.sessions.getBySecretHashWithUser(session.secretHash))!.session).toEqual(session);
  },

  'keeps at most maxPerUser sessions, dropping the oldest': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const otherSession = await a.sessions.create(makeSession(other.id, { createdAt: at(-10) }), { maxPerUser: 3 });
    const created: SessionRecord[] = [];
    for (let i = 1; i <= 5; i++) {
      created.push(await a.sessions.create(makeSession(user.id, { createdAt: at(i * 1000) }), { maxPerUser: 3 }));
    }
    expect(await a.sessions.listByUser(user.id)).toEqual(created.slice(2));
    expect(await a.sessions.get(otherSession.id)).toEqual(otherSession);
  },

  'never drops the session being created, even when it is the oldest': async ({ a, createUser }) => {
    const user = await createUser();
    const newer = [];
    for (let i = 1; i <= 3; i++) {
      newer.push(await a.sessions.create(makeSession(user.id, { createdAt: at(i * 1000) }), { maxPerUser: 0 }));
    }
    const backdated = await a.sessions.create(makeSession(user.id, { createdAt: at(0) }), { maxPerUser: 3 });
    expect(await a.sessions.listByUser(user.id)).toEqual([backdated, newer[1], newer[2]]);
  },

  'keeps every session when maxPerUser is 0': async ({ a, createUser }) => {
    const user = await createUser();
    for (let i = 0; i < 6; i++) {
      await a.sessions.create(makeSession(user.id, { createdAt: at(i) }), { maxPerUser: 0 });
    }
    expect(await a.sessions.listByUser(user.id)).toHaveLength(6);
  },

  'lists a user\'s sessions oldest first': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const late = await a.sessions.create(makeSession(user.id, { createdAt: at(3000) }), { maxPerUser: 0 });
    const early = await a.sessions.create(makeSession(user.id, { createdAt: at(1000) }), { maxPerUser: 0 });
    const middle = await a.sessions.create(makeSession(user.id, { createdAt: at(2000) }), { maxPerUser: 0 });
    await a.sessions.create(makeSession(other.id), { maxPerUser: 0 });
    expect(await a.sessions.listByUser(user.id)).toEqual([early, middle, late]);
    expect(await a.sessions.listByUser('missing')).toEqual([]);
  },

  'updates only the patched fields and returns the result': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(
      makeSession(user.id, { providerAccessTokenExpiry: at(5), providerAccessToken: 'old' }),
      { maxPerUser: 0 },
    );
    const patch = {
      updatedAt: at(MINUTE),
      expire: at(2 * MINUTE),
      providerAccessTokenExpiry: null,
      factors: ['password', 'email'],
      mfaUpdatedAt: at(MINUTE + 1),
    };
    const expected = { ...session, ...patch };
    expect(await a.sessions.update(session.id, patch)).toEqual(expected);
    expect(await a.sessions.get(session.id)).toEqual(expected);
    const tokens = { providerAccessToken: 'new', providerRefreshToken: 'new-refresh' };
    expect(await a.sessions.update(session.id, tokens)).toEqual({ ...expected, ...tokens });
    expect(await a.sessions.update('missing', { expire: at(0) })).toBeNull();
  },

  'deletes one session': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    expect(await a.sessions.delete(session.id)).toBe(true);
    expect(await a.sessions.get(session.id)).toBeNull();
    expect(await a.sessions.delete(session.id)).toBe(false);
  },

  'deletes a user\'s sessions, optionally sparing one': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const sessions = [];
    for (let i = 0; i < 3; i++) sessions.push(await a.sessions.create(makeSession(user.id, { createdAt: at(i) }), { maxPerUser: 0 }));
    const otherSession = await a.sessions.create(makeSession(other.id), { maxPerUser: 0 });

    expect(await a.sessions.deleteByUser(user.id, { exceptId: sessions[1].id })).toBe(2);
    expect(await a.sessions.listByUser(user.id)).toEqual([sessions[1]]);
    expect(await a.sessions.deleteByUser(user.id)).toBe(1);
    expect(await a.sessions.listByUser(user.id)).toEqual([]);
    expect(await a.sessions.deleteByUser(user.id, {})).toBe(0);
    expect(await a.sessions.get(otherSession.id)).toEqual(otherSession);
  },

  'deletes expired sessions only': async ({ a, createUser }) => {
    const user = await createUser();
    const now = at(10 * MINUTE);
    const expired = await a.sessions.create(makeSession(user.id, { expire: at(MINUTE) }), { maxPerUser: 0 });
    await a.sessions.create(makeSession(user.id, { expire: at(2 * MINUTE) }), { maxPerUser: 0 });
    const live = await a.sessions.create(makeSession(user.id, { expire: at(20 * MINUTE) }), { maxPerUser: 0 });
    expect(await a.sessions.deleteExpired(now)).toBe(2);
    expect(await a.sessions.get(expired.id)).toBeNull();
    expect(await a.sessions.listByUser(user.id)).toEqual([live]);
    expect(await a.sessions.deleteExpired(now)).toBe(0);
  },
});
