// node-appwrite@27.1.0's whole `Users` service against the router on a real port, with an API key
// made by `router.admin.apiKeys.create`: every method (and its `…MFA…` alias) once — the rules of
// updateImpersonator are test/routes/impersonation.test.ts's — the custom token crossing to today's
// web SDK (`account.createSession`), a server-made session used as the web SDK's cookie, and hashed
// imports signing in with their old passwords.
import { createHash, scryptSync } from 'node:crypto';
import bcrypt from 'bcrypt';
import { AppwriteException, AuthenticatorType, Client, ID, MessagingProviderType, PasswordHash, Query, Users } from 'node-appwrite';
import speakeasy from 'speakeasy';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { cookieClient28, uniqueEmail } from '../helpers/sdk';
import { startTestServer, type TestServer } from '../helpers/test-instance';

const PASSWORD = 'correct horse battery';
const storage = createSqliteAdapter({ filename: ':memory:' });
let server: TestServer;
let users: Users;

beforeAll(async () => {
  server = await startTestServer({ storage }, { testUser: { password: PASSWORD } });
  const { secret } = await server.router.admin.apiKeys.create({ name: 'tests', scopes: ['users.read', 'users.write', 'sessions.read', 'sessions.write'] });
  users = new Users(new Client().setEndpoint(server.endpoint).setProject('default').setKey(secret));
});
afterAll(() => server.close());

/** The `type` of the AppwriteException a call rejects with (node-appwrite's or the web SDK's). */
async function typeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect((error as Error | null)?.name).toBe('AppwriteException');
  return (error as AppwriteException).type;
}

/** A user made through the Users API, with a password. */
async function newUser(name = 'Ada Lovelace') {
  return users.create({ userId: ID.unique(), email: uniqueEmail(), password: PASSWORD, name });
}

let phones = 0;
const uniquePhone = () => `+1415${String(Date.now() % 100_000).padStart(5, '0')}${String(phones++ % 100).padStart(2, '0')}`;

describe('users: list, create, get, delete', () => {
  it('create makes a user with email, phone and a policy-checked password; get shows the hash', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const user = await users.create({ userId: ID.unique(), email, phone, password: PASSWORD, name: 'Grace' });
    expect(user).toMatchObject({ email, phone, name: 'Grace', status: true, labels: [], hash: 'bcrypt-hmac-sha256' });
    expect(user.targets.map((t) => t.providerType).sort()).toEqual(['email', 'sms']);
    expect(await users.get({ userId: user.$id })).toMatchObject({ $id: user.$id, password: user.password, hashOptions: { cost: 4 } });
    expect(await typeOf(users.create({ userId: ID.unique(), email, password: PASSWORD }))).toBe('user_already_exists');
  });

  it('list filters with queries, searches, pages and counts', async () => {
    const marker = `m${Date.now().toString(36)}`;
    const made = [await newUser(`${marker} one`), await newUser(`${marker} two`)];
    await users.updateLabels({ userId: made[1].$id, labels: ['vip'] });
    const found = await users.list({ search: marker });
    expect(found.total).toBe(2);
    expect(found.users.map((u) => u.$id)).toEqual(made.map((u) => u.$id));
    const vip = await users.list({ queries: [Query.contains('labels', ['vip']), Query.greaterThan('$createdAt', made[0].$createdAt)] });
    expect(vip.users.map((u) => u.$id)).toEqual([made[1].$id]);
    const paged = await users.list({ queries: [Query.equal('$id', made.map((u) => u.$id)), Query.limit(1), Query.cursorAfter(made[0].$id)], total: false });
    expect({ total: paged.total, ids: paged.users.map((u) => u.$id) }).toEqual({ total: 0, ids: [made[1].$id] });
    expect(await typeOf(users.list({ queries: [Query.equal('password', ['x'])] }))).toBe('general_query_invalid');
  });

  it('delete removes the user; get then answers 404', async () => {
    const user = await newUser();
    await users.delete({ userId: user.$id });
    expect(await typeOf(users.get({ userId: user.$id }))).toBe('user_not_found');
  });
});

describe('users: the seven hashed imports sign in with the old password', () => {
  const cases: { method: string; password: string; call: (userId: string, email: string) => Promise<unknown> }[] = [
    { method: 'createBcryptUser', password: 'rasmuslerdorf', call: (userId, email) => users.createBcryptUser({ userId, email, password: bcrypt.hashSync('rasmuslerdorf', 4) }) },
    { method: 'createMD5User', password: 'password', call: (userId, email) => users.createMD5User({ userId, email, password: createHash('md5').update('password').digest('hex') }) },
    {
      method: 'createArgon2User',
      password: 'password',
      call: (userId, email) => users.createArgon2User({ userId, email, password: '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc' }),
    },
    { method: 'createPHPassUser', password: 'test12345', call: (userId, email) => users.createPHPassUser({ userId, email, password: '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0' }) },
    {
      method: 'createSHAUser',
      password: 'password',
      call: (userId, email) => users.createSHAUser({ userId, email, password: createHash('sha256').update('password').digest('hex'), passwordVersion: PasswordHash.Sha256 }),
    },
    {
      method: 'createScryptUser',
      password: 'password',
      call: (userId, email) =>
        users.createScryptUser({
          userId,
          email,
          password: scryptSync('password', 'salt', 64, { N: 16, r: 8, p: 1 }).toString('hex'),
          passwordSalt: 'salt',
          passwordCpu: 16,
          passwordMemory: 8,
          passwordParallel: 1,
          passwordLength: 64,
        }),
    },
    {
      method: 'createScryptModifiedUser',
      password: 'user1password',
      call: (userId, email) =>
        users.createScryptModifiedUser({
          userId,
          email,
          password: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
          passwordSalt: '42xEC+ixf3L2lw==',
          passwordSaltSeparator: 'Bw==',
          passwordSignerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
        }),
    },
  ];
  it.each(cases)('$method', async ({ password, call }) => {
    const email = uniqueEmail();
    const userId = ID.unique();
    await call(userId, email);
    const web = cookieClient28(server.endpoint);
    await expect(web.account.createEmailPasswordSession({ email, password })).resolves.toMatchObject({ provider: 'email' });
  });

  it('a malformed hash is 400 general_argument_invalid', async () => {
    expect(await typeOf(users.createMD5User({ userId: ID.unique(), email: uniqueEmail(), password: 'not-hex' }))).toBe('general_argument_invalid');
  });
});

describe('users: changing a user', () => {
  it('updateName, updateEmail, updatePhone, updatePassword, updateStatus, updateLabels, prefs and verification', async () => {
    const user = await newUser();
    const userId = user.$id;
    expect(await users.updateName({ userId, name: 'Augusta' })).toMatchObject({ name: 'Augusta' });
    const email = uniqueEmail();
    const moved = await users.updateEmail({ userId, email });
    expect(moved).toMatchObject({ email, emailVerification: false });
    expect(moved.targets.find((t) => t.providerType === 'email')?.identifier).toBe(email);
    const phone = uniquePhone();
    expect(await users.updatePhone({ userId, number: phone })).toMatchObject({ phone, phoneVerification: false });
    expect(await users.updateEmailVerification({ userId, emailVerification: true })).toMatchObject({ emailVerification: true });
    expect(await users.updatePhoneVerification({ userId, phoneVerification: true })).toMatchObject({ phoneVerification: true });
    expect((await users.updatePassword({ userId, password: 'a new password 2' })).passwordUpdate).not.toBe(user.passwordUpdate);
    await expect(cookieClient28(server.endpoint).account.createEmailPasswordSession({ email, password: 'a new password 2' })).resolves.toBeTruthy();
    expect(await users.updatePrefs({ userId, prefs: { theme: 'dark' } })).toEqual({ theme: 'dark' });
    expect(await users.getPrefs({ userId })).toEqual({ theme: 'dark' });
    expect((await users.updateLabels({ userId, labels: ['admin', 'admin', 'beta2'] })).labels).toEqual(['admin', 'beta2']);
    expect(await users.updateImpersonator({ userId, impersonator: true })).toMatchObject({ impersonator: true, password: expect.any(String) });
    expect(await users.updateStatus({ userId, status: false })).toMatchObject({ status: false });
    expect(await typeOf(cookieClient28(server.endpoint).account.createEmailPasswordSession({ email, password: 'a new password 2' }))).toBe('user_blocked');
  });

  it('updateEmail with another account’s address is 409', async () => {
    const [a, b] = [await newUser(), await newUser()];
    expect(await typeOf(users.updateEmail({ userId: a.$id, email: b.email }))).toBe('user_target_already_exists');
  });
});

describe('users: sessions, tokens and JWTs', () => {
  it('createSession gives the secret the web SDK uses as its session cookie; listSessions, deleteSession, deleteSessions', async () => {
    const user = await newUser();
    const session = await users.createSession({ userId: user.$id });
    expect(session).toMatchObject({ provider: 'server', factors: ['server'], userId: user.$id });
    expect(session.secret).not.toBe('');
    const web = cookieClient28(server.endpoint);
    web.cookies.set('a_session_default', session.secret);
    expect((await web.account.get()).$id).toBe(user.$id);

    const second = await users.createSession({ userId: user.$id });
    expect((await users.listSessions({ userId: user.$id })).sessions.map((s) => s.$id)).toEqual([session.$id, second.$id]);
    await users.deleteSession({ userId: user.$id, sessionId: session.$id });
    expect(await typeOf(web.account.get())).toBe('general_unauthorized_scope');
    await users.deleteSessions({ userId: user.$id });
    expect((await users.listSessions({ userId: user.$id })).total).toBe(0);
  });

  it('createToken → the web SDK’s account.createSession(userId, secret), once', async () => {
    const user = await newUser();
    const token = await users.createToken({ userId: user.$id, length: 12, expire: 120 });
    expect(token.secret).toHaveLength(12);
    const web = cookieClient28(server.endpoint);
    expect(await web.account.createSession({ userId: user.$id, secret: token.secret })).toMatchObject({ userId: user.$id });
    expect((await web.account.get()).$id).toBe(user.$id);
    expect(await typeOf(cookieClient28(server.endpoint).account.createSession({ userId: user.$id, secret: token.secret }))).toBe('user_invalid_token');
  });

  it('createJWT for the most recent session; 404 without one', async () => {
    const user = await newUser();
    expect(await typeOf(users.createJWT({ userId: user.$id }))).toBe('user_session_not_found');
    await users.createSession({ userId: user.$id });
    const { jwt } = await users.createJWT({ userId: user.$id, duration: 60 });
    const web = cookieClient28(server.endpoint);
    web.client.setJWT(jwt);
    expect((await web.account.get()).$id).toBe(user.$id);
  });
});

describe('users: MFA', () => {
  it('updateMfa, listMfaFactors, recovery codes (PATCH creates, PUT regenerates), deleteMfaAuthenticator, under both names', async () => {
    const { account } = await server.signedIn({ password: PASSWORD });
    const me = await account.get();
    const userId = me.$id;
    const { secret } = await account.createMfaAuthenticator('totp' as never);
    await account.updateMfaAuthenticator('totp' as never, speakeasy.totp({ secret, encoding: 'base32' }));
    expect(await users.updateMfa({ userId, mfa: true })).toMatchObject({ mfa: true });
    expect(await users.updateMFA({ userId, mfa: true })).toMatchObject({ mfa: true });
    expect(await users.listMfaFactors({ userId })).toMatchObject({ totp: true, recoveryCode: false });
    expect(await users.listMFAFactors({ userId })).toMatchObject({ totp: true });
    expect(await typeOf(users.getMfaRecoveryCodes({ userId }))).toBe('user_recovery_codes_not_found');
    const created = await users.createMfaRecoveryCodes({ userId });
    expect(created.recoveryCodes).toHaveLength(6);
    expect(await typeOf(users.createMFARecoveryCodes({ userId }))).toBe('user_recovery_codes_already_exists');
    expect(await users.getMfaRecoveryCodes({ userId })).toEqual(created);
    expect(await users.getMFARecoveryCodes({ userId })).toEqual(created);
    const regenerated = await users.updateMfaRecoveryCodes({ userId });
    expect(regenerated.recoveryCodes).not.toEqual(created.recoveryCodes);
    expect((await users.updateMFARecoveryCodes({ userId })).recoveryCodes).toHaveLength(6);
    await users.deleteMfaAuthenticator({ userId, type: AuthenticatorType.Totp });
    expect(await typeOf(users.deleteMFAAuthenticator({ userId, type: AuthenticatorType.Totp }))).toBe('user_authenticator_not_found');
    expect(await users.listMfaFactors({ userId })).toMatchObject({ totp: false, recoveryCode: true });
  });
});

describe('users: targets, identities, logs, memberships', () => {
  it('createTarget, listTargets, getTarget, updateTarget, deleteTarget', async () => {
    const user = await newUser();
    const userId = user.$id;
    const target = await users.createTarget({ userId, targetId: ID.unique(), providerType: MessagingProviderType.Push, identifier: 'device-token', name: 'Pixel' });
    expect(target).toMatchObject({ providerType: 'push', identifier: 'device-token', name: 'Pixel', userId });
    expect((await users.listTargets({ userId })).targets.map((t) => t.providerType).sort()).toEqual(['email', 'push']);
    expect((await users.listTargets({ userId, queries: [Query.equal('providerType', ['push'])] })).total).toBe(1);
    expect(await users.getTarget({ userId, targetId: target.$id })).toMatchObject({ $id: target.$id });
    expect(await users.updateTarget({ userId, targetId: target.$id, identifier: 'new-token' })).toMatchObject({ identifier: 'new-token' });
    await users.deleteTarget({ userId, targetId: target.$id });
    expect(await typeOf(users.getTarget({ userId, targetId: target.$id }))).toBe('user_target_not_found');
    expect(await typeOf(users.createTarget({ userId, targetId: ID.unique(), providerType: MessagingProviderType.Email, identifier: 'nope' }))).toBe('general_invalid_email');
  });

  it('listIdentities across users and deleteIdentity', async () => {
    const user = await newUser();
    const now = new Date();
    const identity = {
      id: ID.unique(), userId: user.$id, createdAt: now, updatedAt: now, provider: 'github', providerUid: `uid-${user.$id}`, providerEmail: user.email,
      providerAccessToken: '', providerRefreshToken: '', providerAccessTokenExpiry: null, providerIdToken: '',
    };
    await storage.identities.create(identity);
    const listed = await users.listIdentities({ queries: [Query.equal('userId', [user.$id])] });
    expect(listed.identities.map((i) => [i.$id, i.provider])).toEqual([[identity.id, 'github']]);
    expect((await users.listIdentities({ search: identity.providerUid })).total).toBe(1);
    await users.deleteIdentity({ identityId: identity.id });
    expect(await typeOf(users.deleteIdentity({ identityId: identity.id }))).toBe('user_identity_not_found');
  });

  it('listLogs shows what the Users API did to the account; listMemberships is empty', async () => {
    const user = await newUser();
    await users.updateName({ userId: user.$id, name: 'Logged' });
    const logs = await users.listLogs({ userId: user.$id, queries: [Query.limit(5)] });
    expect(logs.logs.map((l) => l.event)).toEqual(['user.update', 'user.create']);
    expect(await users.listMemberships({ userId: user.$id })).toEqual({ total: 0, memberships: [] });
  });
});
