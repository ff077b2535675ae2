// The storage-adapter conformance suite: what adapters/types.ts promises, checked against a real
// adapter. Published as `account-router/testing`: the built-in adapters and third-party ones run
// exactly this suite from a jest test file; each test gets a fresh adapter, so tests stand alone.

import {
  ConflictError,
  type AuthenticatorRecord,
  type ChallengeRecord,
  type IdentityRecord,
  type LogRecord,
  type SessionRecord,
  type StorageAdapter,
  type TargetRecord,
  type TokenRecord,
  type UserRecord,
} from '../adapters/types';

type NewUser = Omit<UserRecord, 'targets'>;

let sequence = 0;
/** Unique per call, and sorting in creation order, so ties never decide an ordering test. */
const newId = (prefix: string): string => `${prefix}${String(++sequence).padStart(6, '0')}`;

/** A fixed instant with a non-zero millisecond part, so precision loss would show. */
const T0 = Date.UTC(2024, 4, 6, 7, 8, 9, 123);
const at = (offsetMs: number): Date => new Date(T0 + offsetMs);
const MINUTE = 60_000;

function makeUser(overrides: Partial<NewUser> = {}): NewUser {
  return {
    id: newId('user'),
    createdAt: at(0),
    updatedAt: at(1),
    name: 'Ada Lovelace',
    email: `${newId('email')}@example.com`,
    phone: null,
    passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
    passwordUpdatedAt: at(2),
    status: true,
    labels: ['admin', 'beta'],
    emailVerification: true,
    phoneVerification: false,
    mfa: false,
    prefs: { theme: 'dark', notifications: { email: true } },
    accessedAt: at(3),
    ...overrides,
  };
}

function makeSession(userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: newId('session'),
    userId,
    createdAt: at(0),
    updatedAt: at(0),
    expire: at(365 * 24 * 60 * MINUTE),
    secretHash: newId('session-secret'),
    provider: 'email',
    providerUid: 'ada@example.com',
    providerAccessToken: '',
    providerRefreshToken: '',
    providerAccessTokenExpiry: null,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0',
    countryCode: 'gb',
    factors: ['password'],
    mfaUpdatedAt: null,
    ...overrides,
  };
}

function makeToken(userId: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: newId('token'),
    userId,
    type: 'magic-url',
    createdAt: at(0),
    expire: at(15 * MINUTE),
    secretHash: newId('token-secret'),
    phrase: '',
    provider: '',
    ...overrides,
  };
}

function makeIdentity(userId: string, overrides: Partial<IdentityRecord> = {}): IdentityRecord {
  return {
    id: newId('identity'),
    userId,
    createdAt: at(0),
    updatedAt: at(0),
    provider: 'github',
    providerUid: newId('uid'),
    providerEmail: `${newId('email')}@github.example`,
    providerAccessToken: 'enc:access',
    providerRefreshToken: 'enc:refresh',
    providerAccessTokenExpiry: at(MINUTE),
    ...overrides,
  };
}

function makeLog(userId: string, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    id: newId('log'),
    userId,
    event: 'session.create',
    userEmail: 'ada@example.com',
    userName: 'Ada Lovelace',
    mode: 'client',
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    countryCode: 'gb',
    time: at(0),
    ...overrides,
  };
}

function makeTarget(userId: string, overrides: Partial<TargetRecord> = {}): TargetRecord {
  return {
    id: newId('target'),
    userId,
    createdAt: at(0),
    updatedAt: at(0),
    providerType: 'email',
    identifier: `${newId('email')}@example.com`,
    providerId: null,
    name: '',
    expired: false,
    sessionId: null,
    ...overrides,
  };
}

function makeAuthenticator(userId: string, overrides: Partial<AuthenticatorRecord> = {}): AuthenticatorRecord {
  return {
    id: newId('auth'),
    userId,
    type: 'totp',
    verified: false,
    secret: 'enc:JBSWY3DPEHPK3PXP',
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

function makeChallenge(userId: string, overrides: Partial<ChallengeRecord> = {}): ChallengeRecord {
  return {
    id: newId('challenge'),
    userId,
    type: 'email',
    codeHash: 'code-hash',
    createdAt: at(0),
    expire: at(15 * MINUTE),
    ...overrides,
  };
}

async function expectConflict(
  promise: Promise<unknown>,
  entity: ConflictError['entity'],
  field: string,
): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ entity, field });
}

const times = <T>(n: number, fn: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => fn(i));

/** Resolves on a later macrotask, letting every queued callback run first. */
const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Defines `describe(name)` with the whole storage contract. `createAdapter` returns a fresh, empty,
 * migrated adapter; `destroy` disposes of it (by default `adapter.close()`).
 */
export function runAdapterConformance(
  name: string,
  createAdapter: () => Promise<StorageAdapter>,
  destroy: (adapter: StorageAdapter) => Promise<void> = (adapter) => adapter.close(),
): void {
  describe(name, () => {
    let a: StorageAdapter;

    beforeEach(async () => {
      a = await createAdapter();
      await a.migrate();
    });

    afterEach(async () => {
      await destroy(a);
    });

    async function createUser(overrides: Partial<NewUser> = {}): Promise<UserRecord> {
      return a.users.create(makeUser(overrides));
    }

    describe('adapter', () => {
      it('has a name and migrate() is idempotent', async () => {
        expect(typeof a.name).toBe('string');
        expect(a.name.length).toBeGreaterThan(0);
        await a.migrate();
        await a.migrate();
        expect(await a.users.count()).toBe(0);
      });
    });

    describe('users', () => {
      it('creates a user and reads it back by id, email and phone with every field intact', async () => {
        const input = makeUser({ phone: '+14155550100', passwordUpdatedAt: null, mfa: true, status: false });
        const created = await a.users.create(input);
        const expected = { ...input, targets: [] };
        expect(created).toEqual(expected);
        expect(await a.users.get(input.id)).toEqual(expected);
        expect(await a.users.getByEmail(input.email!)).toEqual(expected);
        expect(await a.users.getByPhone('+14155550100')).toEqual(expected);
      });

      it('returns null for unknown users', async () => {
        await createUser();
        expect(await a.users.get('missing')).toBeNull();
        expect(await a.users.getByEmail('missing@example.com')).toBeNull();
        expect(await a.users.getByPhone('+10000000000')).toBeNull();
      });

      it('round-trips dates at millisecond precision as Date objects', async () => {
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
      });

      it('round-trips Unicode names and a ~64 kB prefs object', async () => {
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
      });

      it('stores emails lower-cased and finds them case-insensitively', async () => {
        const user = await createUser({ email: 'Ada.Lovelace@Example.COM' });
        expect(user.email).toBe('ada.lovelace@example.com');
        expect((await a.users.getByEmail('ADA.LOVELACE@example.com'))!.id).toBe(user.id);
      });

      it('throws ConflictError on a duplicate id, email (any case) or phone', async () => {
        const user = await createUser({ email: 'taken@example.com', phone: '+14155550100' });
        await expectConflict(a.users.create(makeUser({ id: user.id })), 'user', 'id');
        await expectConflict(a.users.create(makeUser({ email: 'TAKEN@example.com' })), 'user', 'email');
        await expectConflict(a.users.create(makeUser({ phone: '+14155550100' })), 'user', 'phone');
        expect(await a.users.count()).toBe(1);
      });

      it('allows any number of users without email or phone', async () => {
        for (let i = 0; i < 5; i++) await createUser({ email: null, phone: null });
        expect(await a.users.count()).toBe(5);
      });

      it('gives exactly one of 20 concurrent creates with the same email, the rest ConflictError', async () => {
        const results = await Promise.allSettled(
          times(20, () => a.users.create(makeUser({ email: 'race@example.com' }))),
        );
        const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(failures).toHaveLength(19);
        for (const failure of failures) expect(failure.reason).toMatchObject({ entity: 'user', field: 'email' });
        expect(failures[0].reason).toBeInstanceOf(ConflictError);
        expect(await a.users.count()).toBe(1);
      });

      it('returns the user with its targets, oldest first, from every read', async () => {
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
      });

      it('updates only the patched fields and returns the result', async () => {
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
        };
        const expected = { ...user, ...patch, email: 'ada.king@example.com' };
        expect(await a.users.update(user.id, patch)).toEqual(expected);
        expect(await a.users.get(user.id)).toEqual(expected);
        expect(await a.users.getByEmail('ada.king@example.com')).toEqual(expected);
        expect(await a.users.getByEmail(user.email!)).toBeNull();
      });

      it('leaves a user unchanged by an empty patch', async () => {
        const user = await createUser();
        expect(await a.users.update(user.id, {})).toEqual(user);
        expect(await a.users.update(user.id, { name: 'Only the name' })).toEqual({ ...user, name: 'Only the name' });
      });

      it('returns null when updating a missing user', async () => {
        expect(await a.users.update('missing', { name: 'x' })).toBeNull();
      });

      it('throws ConflictError when an update clashes on email or phone, and changes nothing', async () => {
        const first = await createUser({ phone: '+14155550100' });
        const second = await createUser({ phone: '+14155550101' });
        await expectConflict(a.users.update(second.id, { email: first.email!.toUpperCase() }), 'user', 'email');
        await expectConflict(a.users.update(second.id, { phone: '+14155550100', name: 'x' }), 'user', 'phone');
        expect(await a.users.get(second.id)).toEqual(second);
      });

      it('counts users', async () => {
        expect(await a.users.count()).toBe(0);
        await createUser();
        await createUser();
        expect(await a.users.count()).toBe(2);
      });

      it('deletes a user with everything it owns but keeps its logs', async () => {
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
      });

      it('reports whether a user was deleted', async () => {
        const user = await createUser();
        expect(await a.users.delete(user.id)).toBe(true);
        expect(await a.users.delete(user.id)).toBe(false);
        expect(await a.users.delete('missing')).toBe(false);
      });

      it('lets a deleted user\'s email and phone be used again', async () => {
        const user = await createUser({ email: 'reuse@example.com', phone: '+14155550100' });
        await a.users.delete(user.id);
        const again = await createUser({ email: 'reuse@example.com', phone: '+14155550100' });
        expect((await a.users.getByEmail('reuse@example.com'))!.id).toBe(again.id);
      });
    });

    describe('sessions', () => {
      it('creates a session and reads it back with every field intact', async () => {
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
      });

      it('throws ConflictError on a duplicate id or secret hash', async () => {
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
      });

      it('returns the session with its user and the user\'s targets by secret hash and by id', async () => {
        const user = await createUser();
        const target = await a.targets.create(makeTarget(user.id, { identifier: user.email! }));
        const session = await a.sessions.create(makeSession(user.id, { createdAt: at(50) }), { maxPerUser: 0 });
        const expected = { session, user: { ...user, targets: [target] } };
        expect(await a.sessions.getBySecretHashWithUser(session.secretHash)).toEqual(expected);
        expect(await a.sessions.getWithUser(session.id)).toEqual(expected);
      });

      it('returns the user with no targets, and null for unknown sessions', async () => {
        const user = await createUser();
        const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
        expect((await a.sessions.getBySecretHashWithUser(session.secretHash))!.user).toEqual(user);
        expect(await a.sessions.getBySecretHashWithUser('unknown')).toBeNull();
        expect(await a.sessions.getWithUser('unknown')).toBeNull();
      });

      it('returns expired sessions too: expiry is the caller\'s check', async () => {
        const user = await createUser();
        const session = await a.sessions.create(makeSession(user.id, { expire: new Date(0) }), { maxPerUser: 0 });
        expect((await a.sessions.getBySecretHashWithUser(session.secretHash))!.session).toEqual(session);
      });

      it('keeps at most maxPerUser sessions, dropping the oldest', async () => {
        const user = await createUser();
        const other = await createUser();
        const otherSession = await a.sessions.create(makeSession(other.id, { createdAt: at(-10) }), { maxPerUser: 3 });
        const created: SessionRecord[] = [];
        for (let i = 1; i <= 5; i++) {
          created.push(await a.sessions.create(makeSession(user.id, { createdAt: at(i * 1000) }), { maxPerUser: 3 }));
        }
        expect(await a.sessions.listByUser(user.id)).toEqual(created.slice(2));
        expect(await a.sessions.get(otherSession.id)).toEqual(otherSession);
      });

      it('never drops the session being created, even when it is the oldest', async () => {
        const user = await createUser();
        const newer = [];
        for (let i = 1; i <= 3; i++) {
          newer.push(await a.sessions.create(makeSession(user.id, { createdAt: at(i * 1000) }), { maxPerUser: 0 }));
        }
        const backdated = await a.sessions.create(makeSession(user.id, { createdAt: at(0) }), { maxPerUser: 3 });
        expect(await a.sessions.listByUser(user.id)).toEqual([backdated, newer[1], newer[2]]);
      });

      it('keeps every session when maxPerUser is 0', async () => {
        const user = await createUser();
        for (let i = 0; i < 6; i++) {
          await a.sessions.create(makeSession(user.id, { createdAt: at(i) }), { maxPerUser: 0 });
        }
        expect(await a.sessions.listByUser(user.id)).toHaveLength(6);
      });

      it('lists a user\'s sessions oldest first', async () => {
        const user = await createUser();
        const other = await createUser();
        const late = await a.sessions.create(makeSession(user.id, { createdAt: at(3000) }), { maxPerUser: 0 });
        const early = await a.sessions.create(makeSession(user.id, { createdAt: at(1000) }), { maxPerUser: 0 });
        const middle = await a.sessions.create(makeSession(user.id, { createdAt: at(2000) }), { maxPerUser: 0 });
        await a.sessions.create(makeSession(other.id), { maxPerUser: 0 });
        expect(await a.sessions.listByUser(user.id)).toEqual([early, middle, late]);
        expect(await a.sessions.listByUser('missing')).toEqual([]);
      });

      it('updates only the patched fields and returns the result', async () => {
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
      });

      it('deletes one session', async () => {
        const user = await createUser();
        const session = await a.sessions.create(makeSession(user.id), { maxPerUser: 0 });
        expect(await a.sessions.delete(session.id)).toBe(true);
        expect(await a.sessions.get(session.id)).toBeNull();
        expect(await a.sessions.delete(session.id)).toBe(false);
      });

      it('deletes a user\'s sessions, optionally sparing one', async () => {
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
      });

      it('deletes expired sessions only', async () => {
        const user = await createUser();
        const now = at(10 * MINUTE);
        const expired = await a.sessions.create(makeSession(user.id, { expire: at(MINUTE) }), { maxPerUser: 0 });
        await a.sessions.create(makeSession(user.id, { expire: at(2 * MINUTE) }), { maxPerUser: 0 });
        const live = await a.sessions.create(makeSession(user.id, { expire: at(20 * MINUTE) }), { maxPerUser: 0 });
        expect(await a.sessions.deleteExpired(now)).toBe(2);
        expect(await a.sessions.get(expired.id)).toBeNull();
        expect(await a.sessions.listByUser(user.id)).toEqual([live]);
        expect(await a.sessions.deleteExpired(now)).toBe(0);
      });
    });

    describe('tokens', () => {
      it('creates a token and consumes it exactly once', async () => {
        const user = await createUser();
        const input = makeToken(user.id, { type: 'oauth2', phrase: 'Brave Fox', provider: 'github' });
        expect(await a.tokens.create(input)).toEqual(input);
        const query = { userId: user.id, types: ['oauth2' as const], secretHash: input.secretHash, now: at(MINUTE) };
        expect(await a.tokens.consume(query)).toEqual(input);
        expect(await a.tokens.consume(query)).toBeNull();
      });

      it('throws ConflictError on a duplicate id', async () => {
        const user = await createUser();
        const token = await a.tokens.create(makeToken(user.id));
        await expectConflict(a.tokens.create(makeToken(user.id, { id: token.id })), 'token', 'id');
      });

      it('consumes only a matching, unexpired token of one of the given types', async () => {
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
      });

      it('gives exactly one of 20 concurrent consumers the token', async () => {
        const user = await createUser();
        const token = await a.tokens.create(makeToken(user.id, { type: 'email-otp' }));
        const query = { userId: user.id, types: ['email-otp' as const], secretHash: token.secretHash, now: at(0) };
        const results = await Promise.all(times(20, () => a.tokens.consume(query)));
        expect(results.filter((r) => r !== null)).toEqual([token]);
      });

      it('deletes one token', async () => {
        const user = await createUser();
        const token = await a.tokens.create(makeToken(user.id));
        expect(await a.tokens.delete(token.id)).toBe(true);
        expect(await a.tokens.delete(token.id)).toBe(false);
        expect(
          await a.tokens.consume({ userId: user.id, types: [token.type], secretHash: token.secretHash, now: at(0) }),
        ).toBeNull();
      });

      it('deletes expired tokens only', async () => {
        const user = await createUser();
        await a.tokens.create(makeToken(user.id, { expire: at(MINUTE) }));
        await a.tokens.create(makeToken(user.id, { expire: at(2 * MINUTE) }));
        const live = await a.tokens.create(makeToken(user.id, { expire: at(20 * MINUTE) }));
        expect(await a.tokens.deleteExpired(at(10 * MINUTE))).toBe(2);
        expect(await a.tokens.deleteExpired(at(10 * MINUTE))).toBe(0);
        expect(
          await a.tokens.consume({ userId: user.id, types: [live.type], secretHash: live.secretHash, now: at(0) }),
        ).toEqual(live);
      });
    });

    describe('identities', () => {
      it('creates an identity and finds it by id, provider uid and provider email', async () => {
        const user = await createUser();
        const input = makeIdentity(user.id, { providerEmail: 'ada@github.example', providerAccessTokenExpiry: null });
        expect(await a.identities.create(input)).toEqual(input);
        expect(await a.identities.get(input.id)).toEqual(input);
        expect(await a.identities.getByProviderUid('github', input.providerUid)).toEqual(input);
        expect(await a.identities.getByProviderEmail('ada@github.example')).toEqual(input);
      });

      it('compares provider emails lower-cased', async () => {
        const user = await createUser();
        const identity = await a.identities.create(makeIdentity(user.id, { providerEmail: 'Ada@GitHub.Example' }));
        expect(identity.providerEmail).toBe('ada@github.example');
        expect((await a.identities.getByProviderEmail('ADA@github.example'))!.id).toBe(identity.id);
      });

      it('returns null for unknown identities', async () => {
        const user = await createUser();
        const identity = await a.identities.create(makeIdentity(user.id));
        expect(await a.identities.get('missing')).toBeNull();
        expect(await a.identities.getByProviderUid('google', identity.providerUid)).toBeNull();
        expect(await a.identities.getByProviderUid('github', 'other')).toBeNull();
        expect(await a.identities.getByProviderEmail('nobody@example.com')).toBeNull();
      });

      it('throws ConflictError when (provider, providerUid) or the id is taken', async () => {
        const user = await createUser();
        const other = await createUser();
        const identity = await a.identities.create(makeIdentity(user.id, { providerUid: '42' }));
        await expectConflict(
          a.identities.create(makeIdentity(other.id, { providerUid: '42' })),
          'identity',
          'provider',
        );
        await expectConflict(a.identities.create(makeIdentity(other.id, { id: identity.id })), 'identity', 'id');
        const google = await a.identities.create(makeIdentity(other.id, { provider: 'google', providerUid: '42' }));
        expect(await a.identities.getByProviderUid('google', '42')).toEqual(google);
      });

      it('lists a user\'s identities newest last, a page at a time, with the total', async () => {
        const user = await createUser();
        const other = await createUser();
        const created = [];
        for (const offset of [4000, 1000, 3000, 2000, 5000]) {
          created.push(await a.identities.create(makeIdentity(user.id, { createdAt: at(offset) })));
        }
        await a.identities.create(makeIdentity(other.id));
        const ordered = [...created].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());

        expect(await a.identities.listByUser(user.id, { limit: 10, offset: 0 })).toEqual({ total: 5, items: ordered });
        expect(await a.identities.listByUser(user.id, { limit: 2, offset: 1 })).toEqual({
          total: 5,
          items: ordered.slice(1, 3),
        });
        expect(await a.identities.listByUser(user.id, { limit: 2, offset: 10 })).toEqual({ total: 5, items: [] });
        expect(await a.identities.listByUser('missing', { limit: 2, offset: 0 })).toEqual({ total: 0, items: [] });
      });

      it('updates only the patched fields and returns the result', async () => {
        const user = await createUser();
        const identity = await a.identities.create(makeIdentity(user.id));
        const patch = {
          updatedAt: at(MINUTE),
          providerEmail: 'New@GitHub.Example',
          providerAccessToken: 'enc:new',
          providerRefreshToken: '',
          providerAccessTokenExpiry: null,
        };
        const expected = { ...identity, ...patch, providerEmail: 'new@github.example' };
        expect(await a.identities.update(identity.id, patch)).toEqual(expected);
        expect(await a.identities.getByProviderEmail('new@github.example')).toEqual(expected);
        expect(await a.identities.update(identity.id, {})).toEqual(expected);
        expect(await a.identities.update('missing', { providerAccessToken: 'x' })).toBeNull();
      });

      it('deletes one identity', async () => {
        const user = await createUser();
        const identity = await a.identities.create(makeIdentity(user.id));
        expect(await a.identities.delete(identity.id)).toBe(true);
        expect(await a.identities.get(identity.id)).toBeNull();
        expect(await a.identities.delete(identity.id)).toBe(false);
      });
    });

    describe('logs', () => {
      it('lists a user\'s logs newest first, a page at a time, with the total', async () => {
        const user = await createUser();
        const other = await createUser();
        const created: LogRecord[] = [];
        for (const offset of [2000, 5000, 1000, 4000, 3000]) {
          const log = makeLog(user.id, { time: at(offset), event: `event-${offset}` });
          await a.logs.create(log);
          created.push(log);
        }
        await a.logs.create(makeLog(other.id));
        const newestFirst = [...created].sort((x, y) => y.time.getTime() - x.time.getTime());

        expect(await a.logs.listByUser(user.id, { limit: 25, offset: 0 })).toEqual({ total: 5, items: newestFirst });
        expect(await a.logs.listByUser(user.id, { limit: 2, offset: 2 })).toEqual({
          total: 5,
          items: newestFirst.slice(2, 4),
        });
        expect(await a.logs.listByUser('missing', { limit: 25, offset: 0 })).toEqual({ total: 0, items: [] });
      });

      it('keeps logs of users that do not exist (any more)', async () => {
        const log = makeLog('never-created', { userName: 'Ghost 👻' });
        await a.logs.create(log);
        expect(await a.logs.listByUser('never-created', { limit: 1, offset: 0 })).toEqual({ total: 1, items: [log] });
      });
    });

    describe('targets', () => {
      it('creates a target and finds it by id and by (providerType, identifier)', async () => {
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
      });

      it('throws ConflictError on a duplicate id or (providerType, identifier)', async () => {
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
      });

      it('shows every target change in the user it belongs to, on every read, inside transactions too', async () => {
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
      });

      it('updates only the patched fields and returns the result', async () => {
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
      });

      it('throws ConflictError when an update clashes on identifier', async () => {
        const user = await createUser();
        const first = await a.targets.create(makeTarget(user.id));
        const second = await a.targets.create(makeTarget(user.id));
        await expectConflict(a.targets.update(second.id, { identifier: first.identifier }), 'target', 'identifier');
        expect(await a.targets.get(second.id)).toEqual(second);
      });

      it('deletes one target', async () => {
        const user = await createUser();
        const target = await a.targets.create(makeTarget(user.id));
        expect(await a.targets.delete(target.id)).toBe(true);
        expect(await a.targets.get(target.id)).toBeNull();
        expect(await a.targets.delete(target.id)).toBe(false);
        expect((await a.users.get(user.id))!.targets).toEqual([]);
      });
    });

    describe('authenticators', () => {
      it('upserts an authenticator and reads it back', async () => {
        const user = await createUser();
        const input = makeAuthenticator(user.id);
        expect(await a.authenticators.upsert(input)).toEqual(input);
        expect(await a.authenticators.get(user.id, 'totp')).toEqual(input);
        expect(await a.authenticators.get('missing', 'totp')).toBeNull();
      });

      it('replaces the existing authenticator of the same user and type', async () => {
        const user = await createUser();
        const other = await createUser();
        const otherAuthenticator = await a.authenticators.upsert(makeAuthenticator(other.id));
        await a.authenticators.upsert(makeAuthenticator(user.id, { verified: true }));
        const replacement = makeAuthenticator(user.id, { secret: 'enc:NEWSECRET', createdAt: at(MINUTE), updatedAt: at(MINUTE) });
        expect(await a.authenticators.upsert(replacement)).toEqual(replacement);
        expect(await a.authenticators.get(user.id, 'totp')).toEqual(replacement);
        expect(await a.authenticators.upsert(replacement)).toEqual(replacement);
        expect(await a.authenticators.get(other.id, 'totp')).toEqual(otherAuthenticator);
      });

      it('updates only the patched fields and returns the result', async () => {
        const user = await createUser();
        const authenticator = await a.authenticators.upsert(makeAuthenticator(user.id));
        const expected = { ...authenticator, verified: true, updatedAt: at(MINUTE) };
        expect(await a.authenticators.update(authenticator.id, { verified: true, updatedAt: at(MINUTE) })).toEqual(expected);
        expect(await a.authenticators.get(user.id, 'totp')).toEqual(expected);
        expect(await a.authenticators.update('missing', { verified: true })).toBeNull();
      });

      it('deletes a user\'s authenticator by type', async () => {
        const user = await createUser();
        await a.authenticators.upsert(makeAuthenticator(user.id));
        expect(await a.authenticators.delete(user.id, 'totp')).toBe(true);
        expect(await a.authenticators.get(user.id, 'totp')).toBeNull();
        expect(await a.authenticators.delete(user.id, 'totp')).toBe(false);
      });
    });

    describe('challenges', () => {
      it('creates a challenge and reads it back', async () => {
        const user = await createUser();
        const input = makeChallenge(user.id, { type: 'totp', codeHash: '' });
        expect(await a.challenges.create(input)).toEqual(input);
        expect(await a.challenges.get(input.id)).toEqual(input);
        expect(await a.challenges.get('missing')).toBeNull();
      });

      it('throws ConflictError on a duplicate id', async () => {
        const user = await createUser();
        const challenge = await a.challenges.create(makeChallenge(user.id));
        await expectConflict(a.challenges.create(makeChallenge(user.id, { id: challenge.id })), 'challenge', 'id');
      });

      it('consumes a challenge once', async () => {
        const user = await createUser();
        const challenge = await a.challenges.create(makeChallenge(user.id));
        expect(await a.challenges.consume(challenge.id)).toBe(true);
        expect(await a.challenges.get(challenge.id)).toBeNull();
        expect(await a.challenges.consume(challenge.id)).toBe(false);
        expect(await a.challenges.consume('missing')).toBe(false);
      });

      it('lets exactly one of 20 concurrent callers consume a challenge', async () => {
        const user = await createUser();
        const challenge = await a.challenges.create(makeChallenge(user.id));
        const results = await Promise.all(times(20, () => a.challenges.consume(challenge.id)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('deletes expired challenges only', async () => {
        const user = await createUser();
        const expired = await a.challenges.create(makeChallenge(user.id, { expire: at(MINUTE) }));
        const live = await a.challenges.create(makeChallenge(user.id, { expire: at(20 * MINUTE) }));
        expect(await a.challenges.deleteExpired(at(10 * MINUTE))).toBe(1);
        expect(await a.challenges.get(expired.id)).toBeNull();
        expect(await a.challenges.get(live.id)).toEqual(live);
      });
    });

    describe('recovery codes', () => {
      it('replaces a user\'s codes and lists the unused ones', async () => {
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
      });

      it('consumes a code once, and only the user\'s own', async () => {
        const user = await createUser();
        const other = await createUser();
        await a.recoveryCodes.replace(user.id, ['a', 'b'], at(0));
        await a.recoveryCodes.replace(other.id, ['c'], at(0));
        expect(await a.recoveryCodes.consume(user.id, 'c')).toBe(false);
        expect(await a.recoveryCodes.consume(user.id, 'a')).toBe(true);
        expect(await a.recoveryCodes.consume(user.id, 'a')).toBe(false);
        expect(await a.recoveryCodes.list(user.id)).toEqual(['b']);
        expect(await a.recoveryCodes.list(other.id)).toEqual(['c']);
      });

      it('lets exactly one of 20 concurrent callers consume a code', async () => {
        const user = await createUser();
        await a.recoveryCodes.replace(user.id, ['a', 'b'], at(0));
        const results = await Promise.all(times(20, () => a.recoveryCodes.consume(user.id, 'a')));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await a.recoveryCodes.list(user.id)).toEqual(['b']);
      });
    });

    describe('password history', () => {
      it('lists a user\'s entries newest first and keeps only the newest `keep`', async () => {
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
      });

      it('keeps at most `keep` entries when 20 callers add at once', async () => {
        const user = await createUser();
        await Promise.all(times(20, (i) => a.passwordHistory.add(user.id, `h${i}`, at(i), 5)));
        expect(await a.passwordHistory.list(user.id)).toHaveLength(5);
      });

      it('writes inside a transaction and is rolled back with it', async () => {
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
      });
    });

    describe('counters', () => {
      const windowMs = MINUTE;
      const windowStart = T0 - (T0 % windowMs);

      it('counts 50 concurrent hits 1..50 and reports the window end', async () => {
        const results = await Promise.all(times(50, (i) => a.counters.hit('login:ip', windowMs, at(i))));
        expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(times(50, (i) => i + 1));
        for (const result of results) expect(result.resetAt).toEqual(new Date(windowStart + windowMs));
        expect((await a.counters.hit('login:ip', windowMs, at(0))).count).toBe(51);
      });

      it('starts again at 1 in a later window', async () => {
        await a.counters.hit('key', windowMs, new Date(windowStart));
        await a.counters.hit('key', windowMs, new Date(windowStart + windowMs - 1));
        const next = await a.counters.hit('key', windowMs, new Date(windowStart + windowMs));
        expect(next).toEqual({ count: 1, resetAt: new Date(windowStart + 2 * windowMs) });
        expect((await a.counters.hit('key', windowMs, new Date(windowStart + windowMs + 5))).count).toBe(2);
      });

      it('keeps counters apart by key', async () => {
        await a.counters.hit('a', windowMs, at(0));
        await a.counters.hit('a', windowMs, at(0));
        expect((await a.counters.hit('b', windowMs, at(0))).count).toBe(1);
      });

      it('takes hits back, never below zero', async () => {
        for (let i = 0; i < 3; i++) await a.counters.hit('key', windowMs, at(0));
        await a.counters.decrement('key');
        expect((await a.counters.hit('key', windowMs, at(0))).count).toBe(3);
        for (let i = 0; i < 5; i++) await a.counters.decrement('key');
        expect((await a.counters.hit('key', windowMs, at(0))).count).toBe(1);
        await a.counters.decrement('missing');
      });

      it('resets a counter', async () => {
        await a.counters.hit('key', windowMs, at(0));
        await a.counters.hit('key', windowMs, at(0));
        await a.counters.reset('key');
        expect((await a.counters.hit('key', windowMs, at(0))).count).toBe(1);
        await a.counters.reset('missing');
      });

      it('deletes counters whose window has ended', async () => {
        await a.counters.hit('old', windowMs, new Date(windowStart - windowMs));
        await a.counters.hit('current', windowMs, new Date(windowStart));
        expect(await a.counters.deleteExpired(new Date(windowStart + 1))).toBe(1);
        expect((await a.counters.hit('current', windowMs, new Date(windowStart))).count).toBe(2);
        expect((await a.counters.hit('old', windowMs, new Date(windowStart - windowMs))).count).toBe(1);
      });
    });

    describe('settings', () => {
      it('returns null for a missing key', async () => {
        expect(await a.settings.get('missing')).toBeNull();
      });

      it('stores the first value and keeps it', async () => {
        expect(await a.settings.getOrCreate('secret', 'first')).toBe('first');
        expect(await a.settings.getOrCreate('secret', 'second')).toBe('first');
        expect(await a.settings.get('secret')).toBe('first');
      });

      it('agrees on one value among concurrent creators', async () => {
        const values = await Promise.all(times(10, (i) => a.settings.getOrCreate('key', `value-${i}`)));
        expect(new Set(values).size).toBe(1);
        expect(await a.settings.get('key')).toBe(values[0]);
      });
    });

    describe('transactions', () => {
      it('commits every write and returns what fn returns', async () => {
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
      });

      it('rolls back every write when fn throws, and re-throws', async () => {
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
        expect(await a.settings.get('key')).toBeNull();
      });

      it('rolls back and re-throws a ConflictError raised inside', async () => {
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
      });

      async function readDuringTransaction(commit: boolean) {
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

      it('shows an outside reader all of a pending transaction that commits, or nothing', async () => {
        const user = await readDuringTransaction(true);
        expect(user === null || user.targets.length === 1).toBe(true);
      });

      it('shows an outside reader nothing of a pending transaction that rolls back', async () => {
        expect(await readDuringTransaction(false)).toBeNull();
      });

      it('lets outside callers proceed after a transaction ends either way', async () => {
        await a.transaction(async (tx) => tx.users.create(makeUser()));
        await expect(a.transaction(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
        await createUser();
        expect(await a.users.count()).toBe(2);
      });
    });
  });
}
