// `users`: every field round-trips, unique email and phone (one winner of 20 concurrent sign-ups),
// the targets every read carries, patches, and a delete that takes everything the user owns but logs.

import { ConflictError } from '../../adapters/types';
import { makeUser, makeSession, makeToken, makeIdentity, makeLog, makeTarget, makeAuthenticator, makeChallenge, expectConflict, times, at, MINUTE } from './fixtures';
import { defineSuite } from './suite';

export const usersSuite = defineSuite('users', {
  'creates a user and reads it back by id, email and phone with every field intact': async ({ a }) => {
    const input = makeUser({ phone: '+14155550100', passwordUpdatedAt: null, mfa: true, status: false });
    const created = await a.users.create(input);
    const expected = { ...input, targets: [] };
    expect(created).toEqual(expected);
    expect(await a.users.get(input.id)).toEqual(expected);
    expect(await a.users.getByEmail(input.email!)).toEqual(expected);
    expect(await a.users.getByPhone('+14155550100')).toEqual(expected);
  },

  'returns null for unknown users': async ({ a, createUser }) => {
    await createUser();
    expect(await a.users.get('missing')).toBeNull();
    expect(await a.users.getByEmail('missing@example.com')).toBeNull();
    expect(await a.users.getByPhone('+10000000000')).toBeNull();
  },

  'round-trips dates at millisecond precision as Date objects': async ({ a, createUser }) => {
    const user = await createUser({
      createdAt: new Date('2023-01-02T03:04:05.006Z'),
      updatedAt: new Date('2023-12-31T23:59:59.999Z'),
      passwordUpdatedAt: new Date('1999-06-07T08:09:10.011Z'),
      accessedAt: new Date(1),
    });
    const read = (await a.users.get(user.id))!;
    expect(read.createdAt).toBeInstanceOf(Date);
    expect(read.createdAt.getTime()).toBe(Date.parse('2023-01-02T03:04:05.006Z'));
    expect(read.updatedAt.getTime()).toBe(Date.parse('2023-12-31T23:59:59.999Z'));
    expect(read.passwordUpdatedAt!.getTime()).toBe(Date.parse('1999-06-07T08:09:10.011Z'));
    expect(read.accessedAt.getTime()).toBe(1);
  },

  'round-trips Unicode names and a ~64 kB prefs object': async ({ a, createUser }) => {
    const prefs = {
      blob: 'x'.repeat(64 * 1024),
      nested: { list: [1, 2.5, null, true, 'ü'], empty: {} },
      emoji: '🔐✓',
    };
    const name = 'Zoë Ñúñez 山田太郎 🚀 Ελένη';
    const user = await createUser({ name, prefs, labels: [] });
    const read = (await a.users.get(user.id))!;
    expect(read.name).toBe(name);
    expect(read.prefs).toEqual(prefs);
    expect(read.labels).toEqual([]);
  },

  'stores emails lower-cased and finds them case-insensitively': async ({ a, createUser }) => {
    const user = await createUser({ email: 'Ada.Lovelace@Example.COM' });
    expect(user.email).toBe('ada.lovelace@example.com');
    expect((await a.users.getByEmail('ADA.LOVELACE@example.com'))!.id).toBe(user.id);
  },

  'throws ConflictError on a duplicate id, email (any case) or phone': async ({ a, createUser }) => {
    const user = await createUser({ email: 'taken@example.com', phone: '+14155550100' });
    await expectConflict(a.users.create(makeUser({ id: user.id })), 'user', 'id');
    await expectConflict(a.users.create(makeUser({ email: 'TAKEN@example.com' })), 'user', 'email');
    await expectConflict(a.users.create(makeUser({ phone: '+14155550100' })), 'user', 'phone');
    expect(await a.users.count()).toBe(1);
  },

  'allows any number of users without email or phone': async ({ a, createUser }) => {
    for (let i = 0; i < 5; i++) await createUser({ email: null, phone: null });
    expect(await a.users.count()).toBe(5);
  },

  'gives exactly one of 20 concurrent creates with the same email, the rest ConflictError': async ({ a }) => {
    const results = await Promise.allSettled(
      times(20, () => a.users.create(makeUser({ email: 'race@example.com' }))),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(failures).toHaveLength(19);
    for (const failure of failures) expect(failure.reason).toMatchObject({ entity: 'user', field: 'email' });
    expect(failures[0].reason).toBeInstanceOf(ConflictError);
    expect(await a.users.count()).toBe(1);
  },

  'returns the user with its targets, oldest first, from every read': async ({ a, createUser }) => {
    const user = await createUser({ phone: '+14155550100' });
    const sms = await a.targets.create(
      makeTarget(user.id, { providerType: 'sms', identifier: '+14155550100', createdAt: at(20) }),
    );
    const email = await a.targets.create(makeTarget(user.id, { identifier: user.email!, createdAt: at(10) }));
    const expected = [email, sms];
    expect((await a.users.get(user.id))!.targets).toEqual(expected);
    expect((await a.users.getByEmail(user.email!))!.targets).toEqual(expected);
    expect((await a.users.getByPhone('+14155550100'))!.targets).toEqual(expected);
    expect((await a.users.update(user.id, { name: 'Renamed' }))!.targets).toEqual(expected);
  },

  'updates only the patched fields and returns the result': async ({ a, createUser }) => {
    const user = await createUser({ phone: '+14155550100' });
    const patch = {
      updatedAt: at(MINUTE),
      name: 'Ada King',
      email: 'Ada.King@Example.com',
      phone: null,
      passwordHash: null,
      passwordUpdatedAt: null,
      status: false,
      labels: ['vip'],
      emailVerification: false,
      phoneVerification: true,
      mfa: true,
      prefs: { language: 'fr' },
      accessedAt: at(2 * MINUTE),
      passwordPwned: true,
    };
    const expected = { ...user, ...patch, email: 'ada.king@example.com' };
    expect(await a.users.update(user.id, patch)).toEqual(expected);
    expect(await a.users.get(user.id)).toEqual(expected);
    expect(await a.users.getByEmail('ada.king@example.com')).toEqual(expected);
    expect(await a.users.getByEmail(user.email!)).toBeNull();
  },

  'keeps passwordPwned as null, true or false, on create, update and the session join': async ({ a, createUser }) => {
    const unchecked = await createUser({ passwordPwned: null });
    expect((await a.users.get(unchecked.id))!.passwordPwned).toBeNull();
    const pwned = await createUser({ passwordPwned: true });
    expect((await a.users.get(pwned.id))!.passwordPwned).toBe(true);
    expect((await a.users.update(pwned.id, { passwordPwned: false }))!.passwordPwned).toBe(false);
    expect((await a.users.update(pwned.id, { passwordPwned: null }))!.passwordPwned).toBeNull();
    const flagged = (await a.users.update(unchecked.id, { passwordPwned: true }))!;
    const session = await a.sessions.create(makeSession(flagged.id), { maxPerUser: 0 });
    expect((await a.sessions.getBySecretHashWithUser(session.secretHash))!.user).toEqual(flagged);
  },

  'leaves a user unchanged by an empty patch': async ({ a, createUser }) => {
    const user = await createUser();
    expect(await a.users.update(user.id, {})).toEqual(user);
    expect(await a.users.update(user.id, { name: 'Only the name' })).toEqual({ ...user, name: 'Only the name' });
  },

  'returns null when updating a missing user': async ({ a }) => {
    expect(await a.users.update('missing', { name: 'x' })).toBeNull();
  },

  'throws ConflictError when an update clashes on email or phone, and changes nothing': async ({ a, createUser }) => {
    const first = await createUser({ phone: '+14155550100' });
    const second = await createUser({ phone: '+14155550101' });
    await expectConflict(a.users.update(second.id, { email: first.email!.toUpperCase() }), 'user', 'email');
    await expectConflict(a.users.update(second.id, { phone: '+14155550100', name: 'x' }), 'user', 'phone');
    expect(await a.users.get(second.id)).toEqual(second);
  },

  'counts users': async ({ a, createUser }) => {
    expect(await a.users.count()).toBe(0);
    await createUser();
    await createUser();
    expect(await a.users.count()).toBe(2);
  },

  'deletes a user with everything it owns but keeps its logs': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
    const token = await a.tokens.create(makeToken(user.id));
    const identity = await a.identities.create(makeIdentity(user.id));
    const target = await a.targets.create(makeTarget(user.id));
    await a.authenticators.upsert(makeAuthenticator(user.id));
    const challenge = await a.challenges.create(makeChallenge(user.id));
    await a.recoveryCodes.replace(user.id, ['code-1', 'code-2'], at(0));
    await a.passwordHistory.add(user.id, 'hash-1', at(0), 5);
    await a.logs.create(makeLog(user.id));
    const otherSession = await a.sessions.create(makeSession(other.id), { maxPerUser: 0 });

    expect(await a.users.delete(user.id)).toBe(true);

    expect(await a.users.get(user.id)).toBeNull();
    expect(await a.sessions.get(session.id)).toBeNull();
    expect(await a.sessions.getBySecretHashWithUser(session.secretHash)).toBeNull();
    expect(
      await a.tokens.consume({ userId: user.id, types: [token.type], secretHash: token.secretHash, now: at(0) }),
    ).toBeNull();
    expect(await a.identities.get(identity.id)).toBeNull();
    expect(await a.identities.getByProviderUid(identity.provider, identity.providerUid)).toBeNull();
    expect(await a.targets.get(target.id)).toBeNull();
    expect(await a.authenticators.get(user.id, 'totp')).toBeNull();
    expect(await a.challenges.get(challenge.id)).toBeNull();
    expect(await a.recoveryCodes.list(user.id)).toEqual([]);
    expect(await a.passwordHistory.list(user.id)).toEqual([]);
    expect((await a.logs.listByUser(user.id, { limit: 10, offset: 0 })).total).toBe(1);
    expect(await a.sessions.get(otherSession.id)).toEqual(otherSession);
    expect(await a.users.count()).toBe(1);
  },

  'reports whether a user was deleted': async ({ a, createUser }) => {
    const user = await createUser();
    expect(await a.users.delete(user.id)).toBe(true);
    expect(await a.users.delete(user.id)).toBe(false);
    expect(await a.users.delete('missing')).toBe(false);
  },

  'lets a deleted user\'s email and phone be used again': async ({ a, createUser }) => {
    const user = await createUser({ email: 'reuse@example.com', phone: '+14155550100' });
    await a.users.delete(user.id);
    const again = await createUser({ email: 'reuse@example.com', phone: '+14155550100' });
    expect((await a.users.getByEmail('reuse@example.com'))!.id).toBe(again.id);
  },
});
