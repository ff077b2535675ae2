// `transaction(fn)`: commit, rollback (a ConflictError inside included), and what an outside reader
// sees while one is open.

import type { StorageAdapter, UserRecord } from '../../adapters/types';
import { makeUser, makeSession, makeTarget, expectConflict, tick } from './fixtures';
import { defineSuite } from './suite';

/**
 * Reads a user from outside while a transaction that writes it (then one of its targets) is open,
 * and lets the transaction commit or roll back after the read was issued.
 */
async function readDuringTransaction(a: StorageAdapter, commit: boolean): Promise<UserRecord | null> {
  const user = makeUser();
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let proceed!: () => void;
  const gate = new Promise<void>((resolve) => (proceed = resolve));

  const transaction = a.transaction(async (tx) => {
    await tx.users.create(user);
    entered();
    await gate;
    await tx.targets.create(makeTarget(user.id));
    if (!commit) throw new Error('roll back');
  });
  await inside;
  // One query that would show the first write without the second, were it let in between.
  const read = a.users.get(user.id);
  await tick();
  proceed();
  await transaction.catch(() => undefined);
  return read;
}

export const transactionsSuite = defineSuite('transactions', {
  'commits every write and returns what fn returns': async ({ a }) => {
    const input = makeUser();
    const result = await a.transaction(async (tx) => {
      const user = await tx.users.create(input);
      await tx.sessions.create(makeSession(user.id), { maxPerUser: 0 });
      expect(await tx.users.get(user.id)).toEqual(user);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await a.users.get(input.id)).toEqual({ ...input, targets: [] });
    expect(await a.sessions.listByUser(input.id)).toHaveLength(1);
  },

  'rolls back every write when fn throws, and re-throws': async ({ a, createUser }) => {
    const existing = await createUser();
    const failure = new Error('boom');
    const input = makeUser();
    await expect(
      a.transaction(async (tx) => {
        await tx.users.create(input);
        await tx.users.update(existing.id, { name: 'Changed' });
        await tx.settings.getOrCreate('key', 'value');
        await tx.users.delete(existing.id);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await a.users.get(input.id)).toBeNull();
    expect(await a.users.get(existing.id)).toEqual(existing);
    expect(await a.settings.getOrCreate('key', 'after')).toBe('after');
  },

  'rolls back and re-throws a ConflictError raised inside': async ({ a, createUser }) => {
    const existing = await createUser({ email: 'taken@example.com' });
    const input = makeUser();
    await expectConflict(
      a.transaction(async (tx) => {
        await tx.users.create(input);
        await tx.users.create(makeUser({ email: existing.email }));
      }),
      'user',
      'email',
    );
    expect(await a.users.get(input.id)).toBeNull();
    expect(await a.users.count()).toBe(1);
  },

  'shows an outside reader all of a pending transaction that commits, or nothing': async ({ a }) => {
    const user = await readDuringTransaction(a, true);
    expect(user === null || user.targets.length === 1).toBe(true);
  },

  'shows an outside reader nothing of a pending transaction that rolls back': async ({ a }) => {
    expect(await readDuringTransaction(a, false)).toBeNull();
  },

  'lets outside callers proceed after a transaction ends either way': async ({ a, createUser }) => {
    await a.transaction(async (tx) => tx.users.create(makeUser()));
    await expect(a.transaction(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await createUser();
    expect(await a.users.count()).toBe(2);
  },
});
