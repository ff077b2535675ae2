// `hostSessions`: the host app's express-session rows. A row is live until its expire and, when tied,
// while its account session is live; a tied row ends with its account session however that ends
// (in the database, so later code that deletes sessions is covered too); writes of one id race
// safely, and writes racing the end of the account session never leave a tied row behind.

import type { HostSessionRecord, StorageAdapter, UserRecord } from '../../adapters/types';
import { makeHostSession, makeSession, times, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

const NOW = at(0);

/** A user's account session (live for a year unless `expire` says otherwise) and a row tied to it. */
async function tiedRow(a: StorageAdapter, user: UserRecord, expire?: Date): Promise<HostSessionRecord> {
  const session = await a.sessions.create(makeSession(user.id, expire ? { expire } : {}), { maxPerUser: 0 });
  const row = makeHostSession({ accountSessionId: session.id });
  expect(await a.hostSessions.set(row, NOW)).toBe(true);
  return row;
}

/** Every row still stored, live or not (`clear` deletes them all and says how many there were). */
const storedRows = (a: StorageAdapter): Promise<number> => a.hostSessions.clear();

export const hostSessionsSuite = defineSuite('hostSessions', {
  'stores a session and reads it back with every field intact': async ({ a }) => {
    const row = makeHostSession({ expire: at(60 * MINUTE + 7) });
    expect(await a.hostSessions.set(row, NOW)).toBe(true);
    const read = await a.hostSessions.get(row.id, NOW);
    expect(read).toEqual(row);
    expect(read!.expire).toBeInstanceOf(Date);
    expect(read!.expire.getTime()).toBe(row.expire.getTime());
    expect(await a.hostSessions.get('missing', NOW)).toBeNull();
  },

  'returns the data text exactly as given: spacing, key order, Unicode, escapes and 1 MB': async ({ a }) => {
    const texts = [
      '{ "b": 1,\n  "a": [2, 3.50, -0, 1e400] }',
      JSON.stringify({ cookie: {}, name: 'Zoë 🚀 中文 ﷽', nul: 'a\u0000b', lone: '\ud800', quote: '"\\/' }),
      JSON.stringify({ cookie: {}, big: 'x'.repeat(1_000_000) }),
    ];
    for (const data of texts) {
      const row = makeHostSession({ data });
      await a.hostSessions.set(row, NOW);
      expect((await a.hostSessions.get(row.id, NOW))!.data).toBe(data);
    }
  },

  'replaces a session on set, its expiry and tie included': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    const row = makeHostSession();
    await a.hostSessions.set(row, NOW);
    const tied = { ...row, data: '{"cookie":{},"views":2}', expire: at(90 * MINUTE), accountSessionId: session.id };
    expect(await a.hostSessions.set(tied, NOW)).toBe(true);
    expect(await a.hostSessions.get(row.id, NOW)).toEqual(tied);
    const untied = { ...tied, accountSessionId: null };
    expect(await a.hostSessions.set(untied, NOW)).toBe(true);
    expect(await a.hostSessions.get(row.id, NOW)).toEqual(untied);
    expect(await a.hostSessions.length(NOW)).toBe(1);
  },

  'treats a session as absent from its expire on; deleteExpired deletes only those': async ({ a }) => {
    const early = makeHostSession({ expire: at(MINUTE) });
    const late = makeHostSession({ expire: at(10 * MINUTE) });
    await a.hostSessions.set(early, NOW);
    await a.hostSessions.set(late, NOW);
    expect(await a.hostSessions.get(early.id, at(MINUTE - 1))).toEqual(early);
    expect(await a.hostSessions.get(early.id, at(MINUTE))).toBeNull();
    expect(await a.hostSessions.get(late.id, at(MINUTE))).toEqual(late);
    expect(await a.hostSessions.deleteExpired(at(MINUTE))).toBe(1);
    expect(await a.hostSessions.get(early.id, NOW)).toBeNull();
    expect(await a.hostSessions.deleteExpired(at(MINUTE))).toBe(0);
    expect(await a.hostSessions.all(NOW)).toEqual([late]);
  },

  'touch moves a live session\'s expiry and never revives an ended one': async ({ a }) => {
    const row = makeHostSession({ expire: at(MINUTE) });
    await a.hostSessions.set(row, NOW);
    expect(await a.hostSessions.touch(row.id, at(5 * MINUTE), NOW)).toBe(true);
    expect(await a.hostSessions.get(row.id, at(2 * MINUTE))).toEqual({ ...row, expire: at(5 * MINUTE) });
    expect(await a.hostSessions.touch(row.id, at(20 * MINUTE), at(5 * MINUTE))).toBe(false);
    expect(await a.hostSessions.get(row.id, at(5 * MINUTE))).toBeNull();
    expect(await a.hostSessions.touch('missing', at(20 * MINUTE), NOW)).toBe(false);
    expect(await a.hostSessions.get('missing', NOW)).toBeNull();
  },

  'destroys one session': async ({ a }) => {
    const row = makeHostSession();
    const other = makeHostSession();
    await a.hostSessions.set(row, NOW);
    await a.hostSessions.set(other, NOW);
    expect(await a.hostSessions.destroy(row.id)).toBe(true);
    expect(await a.hostSessions.get(row.id, NOW)).toBeNull();
    expect(await a.hostSessions.destroy(row.id)).toBe(false);
    expect(await a.hostSessions.touch(row.id, at(MINUTE), NOW)).toBe(false);
    expect(await a.hostSessions.get(other.id, NOW)).toEqual(other);
  },

  'lists and counts only live sessions, by id, and clear deletes every row': async ({ a, createUser }) => {
    const user = await createUser();
    const expired = makeHostSession({ expire: at(-1) });
    const untied = makeHostSession();
    await a.hostSessions.set(expired, NOW);
    await a.hostSessions.set(untied, NOW);
    const tied = await tiedRow(a, user);
    const tiedToExpired = await tiedRow(a, user, at(MINUTE));
    const live = [untied, tied, tiedToExpired].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(await a.hostSessions.all(NOW)).toEqual(live);
    expect(await a.hostSessions.length(NOW)).toBe(3);
    expect(await a.hostSessions.all(at(MINUTE))).toEqual([untied, tied].sort((x, y) => (x.id < y.id ? -1 : 1)));
    expect(await a.hostSessions.length(at(MINUTE))).toBe(2);
    expect(await a.hostSessions.clear()).toBe(4);
    expect(await a.hostSessions.all(NOW)).toEqual([]);
    expect(await a.hostSessions.length(NOW)).toBe(0);
  },

  'treats a tied session as absent once its account session has expired, until that is deleted with it': async ({ a, createUser }) => {
    const user = await createUser();
    const row = await tiedRow(a, user, at(30 * MINUTE));
    expect(await a.hostSessions.get(row.id, at(30 * MINUTE - 1))).toEqual(row);
    expect(await a.hostSessions.get(row.id, at(30 * MINUTE))).toBeNull();
    expect(await a.hostSessions.touch(row.id, at(50 * MINUTE), at(30 * MINUTE))).toBe(false);
    expect(await a.sessions.deleteExpired(at(30 * MINUTE))).toBe(1);
    expect(await a.hostSessions.get(row.id, NOW)).toBeNull();
    expect(await storedRows(a)).toBe(0);
  },

  'deletes a tied session with its account session, whichever call deletes it': async ({ a, createUser }) => {
    const ada = await createUser();
    const bob = await createUser();
    const keep = [makeHostSession(), await tiedRow(a, bob)];
    await a.hostSessions.set(keep[0], NOW);

    const one = await tiedRow(a, ada);
    await a.sessions.delete(one.accountSessionId!);
    expect(await a.hostSessions.get(one.id, NOW)).toBeNull();

    const byUser = [await tiedRow(a, ada), await tiedRow(a, ada)];
    await a.sessions.deleteByUser(ada.id, { exceptId: byUser[1].accountSessionId! });
    expect(await a.hostSessions.get(byUser[0].id, NOW)).toBeNull();
    expect(await a.hostSessions.get(byUser[1].id, NOW)).toEqual(byUser[1]);
    await a.sessions.deleteByUser(ada.id);
    expect(await a.hostSessions.get(byUser[1].id, NOW)).toBeNull();

    const oldest = await tiedRow(a, ada);
    await a.sessions.create(makeSession(ada.id, { createdAt: at(MINUTE) }), { maxPerUser: 1 });
    expect(await a.hostSessions.get(oldest.id, NOW)).toBeNull();

    const expiring = await tiedRow(a, ada, at(MINUTE));
    await a.sessions.deleteExpired(at(MINUTE));
    expect(await a.hostSessions.get(expiring.id, NOW)).toBeNull();

    const owned = await tiedRow(a, ada);
    await a.users.delete(ada.id);
    expect(await a.hostSessions.get(owned.id, NOW)).toBeNull();

    expect(await a.hostSessions.all(NOW)).toEqual(keep.sort((x, y) => (x.id < y.id ? -1 : 1)));
    expect(await storedRows(a)).toBe(2);
  },

  'deletes the sessions tied to a user\'s account sessions when the user is blocked; unblocking restores none': async ({ a, createUser }) => {
    const ada = await createUser();
    const bob = await createUser();
    const adas = [await tiedRow(a, ada), await tiedRow(a, ada)];
    const bobs = await tiedRow(a, bob);
    await a.users.update(bob.id, { name: 'Bob' });
    await a.users.update(ada.id, { status: false });
    for (const row of adas) expect(await a.hostSessions.get(row.id, NOW)).toBeNull();
    await a.users.update(ada.id, { status: true });
    for (const row of adas) expect(await a.hostSessions.get(row.id, NOW)).toBeNull();
    expect(await a.hostSessions.all(NOW)).toEqual([bobs]);
    expect(await storedRows(a)).toBe(1);
  },

  'refuses to write a tie to a missing, expired or blocked account session, leaving the row as it was': async ({ a, createUser }) => {
    const user = await createUser();
    const blocked = await createUser();
    const expired = await a.sessions.create(makeSession(user.id, { expire: NOW }), { maxPerUser: 0 });
    const blockedSession = await a.sessions.create(makeSession(blocked.id), { maxPerUser: 0 });
    await a.users.update(blocked.id, { status: false });

    const row = makeHostSession();
    for (const accountSessionId of ['missing', expired.id, blockedSession.id]) {
      expect(await a.hostSessions.set({ ...row, accountSessionId }, NOW)).toBe(false);
      expect(await a.hostSessions.get(row.id, NOW)).toBeNull();
    }
    await a.hostSessions.set(row, NOW);
    expect(await a.hostSessions.set({ ...row, data: '{"cookie":{},"views":9}', accountSessionId: 'missing' }, NOW)).toBe(false);
    expect(await a.hostSessions.get(row.id, NOW)).toEqual(row);
    expect(await storedRows(a)).toBe(1);
  },

  'keeps one whole record of 20 concurrent sets of one id': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    const id = makeHostSession().id;
    const records = times(20, (i) =>
      makeHostSession({ id, data: JSON.stringify({ cookie: {}, writer: i }), expire: at((i + 1) * MINUTE), accountSessionId: i % 2 ? session.id : null }),
    );
    expect(await Promise.all(records.map((record) => a.hostSessions.set(record, NOW)))).toEqual(times(20, () => true));
    const rows = await a.hostSessions.all(NOW);
    expect(rows).toHaveLength(1);
    expect(records).toContainEqual(rows[0]);
  },

  'never fails and never revives a session under concurrent set, touch and destroy': async ({ a }) => {
    const row = makeHostSession();
    await a.hostSessions.set(row, NOW);
    const written = times(5, (i) => ({ ...row, data: JSON.stringify({ cookie: {}, writer: i }) }));
    await Promise.all(
      written.flatMap((record, i) => [
        a.hostSessions.set(record, NOW),
        a.hostSessions.touch(row.id, at((90 + i) * MINUTE), NOW),
        a.hostSessions.destroy(row.id),
      ]),
    );
    const after = await a.hostSessions.get(row.id, NOW);
    if (after) expect(written.map((record) => record.data)).toContain(after.data);
    // Once destroyed, touches (concurrent or later) never bring it back.
    await Promise.all([a.hostSessions.destroy(row.id), ...times(5, () => a.hostSessions.touch(row.id, at(99 * MINUTE), NOW))]);
    expect(await a.hostSessions.get(row.id, NOW)).toBeNull();
  },

  'leaves no tied session behind when 20 writes race the sign-out of their account session': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    const rows = times(20, () => makeHostSession({ accountSessionId: session.id }));
    const writes = rows.map((row) => a.hostSessions.set(row, NOW));
    const signOut = a.sessions.delete(session.id);
    const touches = rows.map((row) => a.hostSessions.touch(row.id, at(90 * MINUTE), NOW));
    await Promise.all([...writes, signOut, ...touches]);
    expect(await a.hostSessions.length(NOW)).toBe(0);
    expect(await storedRows(a)).toBe(0);
  },

  'leaves no live tied session when 20 writes race the blocking of the user': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    const rows = times(20, () => makeHostSession({ accountSessionId: session.id }));
    await Promise.all([...rows.map((row) => a.hostSessions.set(row, NOW)), a.users.update(user.id, { status: false })]);
    // A write that read the user before the block committed may have landed after the trigger ran;
    // it is stored but never live.
    expect(await a.hostSessions.length(NOW)).toBe(0);
    for (const row of rows) expect(await a.hostSessions.get(row.id, NOW)).toBeNull();
  },

  'writes inside a transaction and rolls back with it': async ({ a }) => {
    const kept = makeHostSession();
    const dropped = makeHostSession();
    await a.transaction(async (tx) => {
      await tx.hostSessions.set(kept, NOW);
    });
    await a
      .transaction(async (tx) => {
        await tx.hostSessions.set(dropped, NOW);
        expect(await tx.hostSessions.get(dropped.id, NOW)).toEqual(dropped);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await a.hostSessions.all(NOW)).toEqual([kept]);
  },
});
