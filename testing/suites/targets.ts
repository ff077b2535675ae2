// `targets`: lookups, the (providerType, identifier) uniqueness, and every change shown at once in the
// user reads that carry targets, inside transactions and after rollbacks too.

import { makeSession, makeTarget, expectConflict, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const targetsSuite = defineSuite('targets', {
  'creates a target and finds it by id and by (providerType, identifier)': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    const input = makeTarget(user.id, {
      providerType: 'push',
      identifier: 'fcm-device-token',
      providerId: 'fcm',
      name: 'Pixel 8',
      sessionId: session.id,
    });
    expect(await a.targets.create(input)).toEqual(input);
    expect(await a.targets.get(input.id)).toEqual(input);
    expect(await a.targets.getByIdentifier('push', 'fcm-device-token')).toEqual(input);
    expect(await a.targets.getByIdentifier('email', 'fcm-device-token')).toBeNull();
    expect(await a.targets.get('missing')).toBeNull();
  },

  'throws ConflictError on a duplicate id or (providerType, identifier)': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const target = await a.targets.create(makeTarget(user.id, { identifier: 'shared@example.com' }));
    await expectConflict(a.targets.create(makeTarget(other.id, { id: target.id })), 'target', 'id');
    await expectConflict(
      a.targets.create(makeTarget(other.id, { identifier: 'shared@example.com' })),
      'target',
      'identifier',
    );
    const push = await a.targets.create(
      makeTarget(other.id, { providerType: 'push', identifier: 'shared@example.com' }),
    );
    expect(await a.targets.getByIdentifier('push', 'shared@example.com')).toEqual(push);
  },

  'shows every target change in the user it belongs to, on every read, inside transactions too': async ({ a, createUser }) => {
    const user = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    const targetsSeen = async () => {
      const reads = [
        (await a.users.get(user.id))!.targets,
        (await a.users.getByEmail(user.email!))!.targets,
        (await a.sessions.getBySecretHashWithUser(session.secretHash))!.user.targets,
        (await a.sessions.getWithUser(session.id))!.user.targets,
      ];
      for (const read of reads.slice(1)) expect(read).toEqual(reads[0]);
      return reads[0];
    };
    const first = await a.targets.create(makeTarget(user.id, { createdAt: at(10) }));
    const second = await a.targets.create(makeTarget(user.id, { createdAt: at(5), providerType: 'push', identifier: 'device' }));
    expect(await targetsSeen()).toEqual([second, first]);
    const renamed = (await a.targets.update(first.id, { name: 'Work', expired: true, updatedAt: at(MINUTE) }))!;
    expect(await targetsSeen()).toEqual([second, renamed]);
    await a.transaction(async (tx) => {
      await tx.targets.delete(second.id);
      expect((await tx.users.get(user.id))!.targets).toEqual([renamed]);
    });
    expect(await targetsSeen()).toEqual([renamed]);
    await expect(
      a.transaction(async (tx) => {
        await tx.targets.delete(renamed.id);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await targetsSeen()).toEqual([renamed]);
    expect(await a.targets.delete(renamed.id)).toBe(true);
    expect(await targetsSeen()).toEqual([]);
  },

  'updates only the patched fields and returns the result': async ({ a, createUser }) => {
    const user = await createUser();
    const target = await a.targets.create(makeTarget(user.id));
    const patch = {
      updatedAt: at(MINUTE),
      identifier: 'changed@example.com',
      name: 'Work',
      expired: true,
      providerId: 'sendgrid',
    };
    const expected = { ...target, ...patch };
    expect(await a.targets.update(target.id, patch)).toEqual(expected);
    expect(await a.targets.getByIdentifier('email', 'changed@example.com')).toEqual(expected);
    expect(await a.targets.update(target.id, { providerId: null })).toEqual({ ...expected, providerId: null });
    expect(await a.targets.update('missing', { name: 'x' })).toBeNull();
  },

  'throws ConflictError when an update clashes on identifier': async ({ a, createUser }) => {
    const user = await createUser();
    const first = await a.targets.create(makeTarget(user.id));
    const second = await a.targets.create(makeTarget(user.id));
    await expectConflict(a.targets.update(second.id, { identifier: first.identifier }), 'target', 'identifier');
    expect(await a.targets.get(second.id)).toEqual(second);
  },

  'deletes one target': async ({ a, createUser }) => {
    const user = await createUser();
    const target = await a.targets.create(makeTarget(user.id));
    expect(await a.targets.delete(target.id)).toBe(true);
    expect(await a.targets.get(target.id)).toBeNull();
    expect(await a.targets.delete(target.id)).toBe(false);
    expect((await a.users.get(user.id))!.targets).toEqual([]);
  },
});
