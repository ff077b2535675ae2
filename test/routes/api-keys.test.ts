// Server API keys (lib/core/api-keys.ts, the gate's key steps): made by router.admin.apiKeys and
// the `apiKeys` option, stored hashed, refused with Appwrite's bodies when unknown, revoked,
// expired or short of the route's scopes; a key request is the server's (no session, no rate
// limit, no Origin check) and sees the secret of the session it creates.
import request from 'supertest';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { encodeSessionCredential } from '../../lib/core/sessions';
import { expectError, later, PASSWORD, signedIn, signUp, testInstance, type TestInstance } from '../helpers/test-instance';

const STATIC_SECRET = 'static-secret-of-the-example-app-0123456789';
const DAY = 86_400_000;

let t: TestInstance;
afterEach(() => t.close());

function setUp(options: Parameters<typeof testInstance>[0] = {}): TestInstance {
  t = testInstance(options);
  return t;
}

const impersonatorFlag = (userId: string, key?: string) => {
  const req = request(t.app).patch(`/v1/users/${userId}/impersonator`).set('X-Appwrite-Project', 'default');
  return key === undefined ? req : req.set('X-Appwrite-Key', key);
};

describe('router.admin.apiKeys', () => {
  it('create returns a standard_ secret once; storage and list keep only its keyed hash', async () => {
    setUp();
    const created = await t.router.admin.apiKeys.create({ name: 'Backend', scopes: ['users.read', 'users.write'] });
    expect(created.secret).toMatch(/^standard_[0-9a-f]{256}$/);
    expect(created).toMatchObject({ name: 'Backend', scopes: ['users.read', 'users.write'], expire: null, accessedAt: null });
    const listed = await t.router.admin.apiKeys.list();
    expect(listed).toEqual([{ id: created.id, name: 'Backend', scopes: ['users.read', 'users.write'], createdAt: created.createdAt, expire: null, accessedAt: null }]);
    const [stored] = await t.storage.apiKeys.list();
    expect(stored!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice(9, 40));
  });

  it('create refuses bad arguments with a TypeError naming them', async () => {
    setUp();
    const create = t.router.admin.apiKeys.create;
    await expect(create({ name: '', scopes: ['users.read'] })).rejects.toThrow(/name/);
    await expect(create({ name: 'x'.repeat(129), scopes: ['users.read'] })).rejects.toThrow(/name/);
    await expect(create({ name: 'k', scopes: [] })).rejects.toThrow(/scopes/);
    await expect(create({ name: 'k', scopes: ['databases.read' as never] })).rejects.toThrow(/scopes/);
    await expect(create({ name: 'k', scopes: ['users.read'], expire: new Date(Date.now() - 1000) })).rejects.toThrow(/expire/);
    expect(await t.router.admin.apiKeys.list()).toEqual([]);
  });

  it('delete revokes the key at once: its next request gets 401 user_unauthorized', async () => {
    setUp();
    const { id } = await signUp(t.app).then((user) => ({ id: user.$id }));
    const key = await t.router.admin.apiKeys.create({ name: 'k', scopes: ['users.write'] });
    expect((await impersonatorFlag(id, key.secret).send({ impersonator: true })).status).toBe(200);
    expect(await t.router.admin.apiKeys.delete(key.id)).toBe(true);
    expect(await t.router.admin.apiKeys.delete(key.id)).toBe(false);
    const res = await impersonatorFlag(id, key.secret).send({ impersonator: true });
    expectError(res, 401, 'user_unauthorized');
    expect(res.body.message).toBe('The current user is not authorized to perform the requested action.');
  });
});

describe('the apiKeys option', () => {
  it('admits a static key by its secret, with its scopes', async () => {
    setUp({ apiKeys: [{ secret: STATIC_SECRET, scopes: ['users.write'], name: 'Example app' }] });
    const user = await signUp(t.app);
    const res = await impersonatorFlag(user.$id, STATIC_SECRET).send({ impersonator: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $id: user.$id, impersonator: true });
    expectError(await impersonatorFlag(user.$id, STATIC_SECRET.slice(0, -1)).send({ impersonator: true }), 401, 'user_unauthorized');
  });

  it.each([
    [{ secret: 'short', scopes: ['users.read'] }, /apiKeys\[0\]\.secret/],
    [{ secret: STATIC_SECRET, scopes: [] }, /apiKeys\[0\]\.scopes/],
    [{ secret: STATIC_SECRET, scopes: ['keys.write'] }, /apiKeys\[0\]\.scopes/],
    [{ secret: STATIC_SECRET, scopes: ['users.read'], name: '' }, /apiKeys\[0\]\.name/],
  ])('refuses %j with a TypeError naming the option', (key, message) => {
    expect(() => testInstance({ apiKeys: [key as never] })).toThrow(TypeError);
    expect(() => testInstance({ apiKeys: [key as never] })).toThrow(message);
  });

  it('refuses one secret listed twice when the router starts', async () => {
    setUp({ apiKeys: [{ secret: STATIC_SECRET, scopes: ['users.read'] }, { secret: STATIC_SECRET, scopes: ['users.write'] }] });
    await expect(t.router.ready()).rejects.toThrow(/one secret twice/);
  });
});

describe('the gate for keys', () => {
  it('answers an unknown key 401 user_unauthorized on server and Account routes alike', async () => {
    setUp();
    const user = await signUp(t.app);
    expectError(await impersonatorFlag(user.$id, 'standard_0123').send({ impersonator: true }), 401, 'user_unauthorized');
    const signIn = await request(t.app).post('/v1/account/sessions/email').set('X-Appwrite-Key', 'nope').send({ email: 'ada@example.com', password: PASSWORD });
    expectError(signIn, 401, 'user_unauthorized');
    expectError(await request(t.app).get('/v1/account').set('X-Appwrite-Key', 'x'.repeat(5000)), 401, 'user_unauthorized');
  });

  it('answers an expired key 401 project_key_expired', async () => {
    setUp();
    const user = await signUp(t.app);
    const key = await t.router.admin.apiKeys.create({ name: 'k', scopes: ['users.write'], expire: new Date(Date.now() + 60_000) });
    expect((await impersonatorFlag(user.$id, key.secret).send({ impersonator: true })).status).toBe(200);
    const res = await later(61_000, () => impersonatorFlag(user.$id, key.secret).send({ impersonator: true }));
    expectError(res, 401, 'project_key_expired');
  });

  it('answers a key without any of the route scopes 401 general_unauthorized_scope naming them, as Appwrite words it', async () => {
    setUp();
    const user = await signUp(t.app);
    const key = await t.router.admin.apiKeys.create({ name: 'reader', scopes: ['users.read', 'sessions.write'] });
    const res = await impersonatorFlag(user.$id, key.secret).set('Host', 'api.example.com:8080').send({ impersonator: true });
    expectError(res, 401, 'general_unauthorized_scope');
    expect(res.body.message).toBe('app.default@service.api.example.com (role: applications) missing scopes (["users.write"])');
    const account = await request(t.app).get('/v1/account').set('Host', 'api.example.com').set('X-Appwrite-Key', key.secret);
    expectError(account, 401, 'general_unauthorized_scope');
    expect(account.body.message).toBe('app.default@service.api.example.com (role: applications) missing scopes (["account"])');
    const verify = await request(t.app).put('/v1/account/verifications/email').set('X-Appwrite-Key', key.secret).send({ userId: user.$id, secret: 'x' });
    expectError(verify, 401, 'general_unauthorized_scope');
    expect(verify.body.message).toMatch(/missing scopes \(\["public"\]\)$/);
    const push = await request(t.app).post('/v1/account/targets/push').set('X-Appwrite-Key', key.secret).send({ targetId: 'unique()', identifier: 'token' });
    expect(push.body.message).toMatch(/\(role: applications\) missing scopes \(\["targets.write"\]\)$/);
    const guestPush = await request(t.app).post('/v1/account/targets/push').send({ targetId: 'unique()', identifier: 'token' });
    expect(guestPush.body.message).toBe('User (role: guests) missing scopes (["targets.write"])');
  });

  it('answers guests and signed-in users on a server route 401 general_unauthorized_scope with their role', async () => {
    setUp();
    const guest = await impersonatorFlag('someone').send({ impersonator: true });
    expectError(guest, 401, 'general_unauthorized_scope');
    expect(guest.body.message).toBe('User (role: guests) missing scopes (["users.write"])');
    const ada = await signedIn(t.app);
    const user = await impersonatorFlag(ada.id).set('Cookie', ada.cookie).send({ impersonator: true });
    expectError(user, 401, 'general_unauthorized_scope');
    expect(user.body.message).toBe('ada@example.com (role: users) missing scopes (["users.write"])');
    expect((await t.storage.users.get(ada.id))!.impersonator).toBe(false);
  });

  it('reads no session with a key: the request is the server, not the signed-in user', async () => {
    setUp();
    const ada = await signedIn(t.app);
    const key = await t.router.admin.apiKeys.create({ name: 'k', scopes: ['sessions.write'] });
    expectError(await request(t.app).get('/v1/account').set('Cookie', ada.cookie).set('X-Appwrite-Key', key.secret), 401, 'general_unauthorized_scope');
    // A guest-only route is open to the key, though the request also carries a session.
    const res = await request(t.app).post('/v1/account/sessions/email').set('Cookie', ada.cookie).set('X-Appwrite-Key', key.secret).send({ email: 'ada@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
  });

  it('counts no rate limit for key requests, and leaves the counters of others alone', async () => {
    setUp({ rateLimits: true });
    await signUp(t.app);
    const key = await t.router.admin.apiKeys.create({ name: 'k', scopes: ['sessions.write'] });
    for (let i = 0; i < 12; i++) {
      const res = await request(t.app).post('/v1/account/sessions/email').set('X-Appwrite-Key', key.secret).send({ email: 'ada@example.com', password: 'wrong-password' });
      expectError(res, 401, 'user_invalid_credentials');
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
    const browser = await request(t.app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: 'wrong-password' });
    expect(browser.headers['x-ratelimit-remaining']).toBe('9');
  });

  it('exempts a valid key from the Origin check, and checks the key first', async () => {
    setUp();
    const user = await signUp(t.app);
    const key = await t.router.admin.apiKeys.create({ name: 'k', scopes: ['users.write'] });
    const evil = { Origin: 'https://evil.example' };
    expectError(await impersonatorFlag(user.$id).set(evil).send({ impersonator: true }), 403, 'general_unknown_origin');
    expectError(await impersonatorFlag(user.$id, 'standard_forged').set(evil).send({ impersonator: true }), 401, 'user_unauthorized');
    expect((await impersonatorFlag(user.$id, key.secret).set(evil).send({ impersonator: true })).status).toBe(200);
  });

  it('records a stored key\'s use in accessedAt at most once a day', async () => {
    setUp();
    const user = await signUp(t.app);
    const key = await t.router.admin.apiKeys.create({ name: 'k', scopes: ['users.write'] });
    await impersonatorFlag(user.$id, key.secret).send({ impersonator: true });
    const first = (await t.router.admin.apiKeys.list())[0]!.accessedAt;
    expect(first).toBeInstanceOf(Date);
    await impersonatorFlag(user.$id, key.secret).send({ impersonator: false });
    expect((await t.router.admin.apiKeys.list())[0]!.accessedAt).toEqual(first);
    await later(DAY + 1000, () => impersonatorFlag(user.$id, key.secret).send({ impersonator: true }));
    expect((await t.router.admin.apiKeys.list())[0]!.accessedAt!.getTime()).toBeGreaterThan(first!.getTime());
  });
});

describe('server-side rendering: sign-in with a key', () => {
  it('createEmailPasswordSession shows the key the new session\'s cookie value, which then signs in', async () => {
    setUp();
    await signUp(t.app);
    const key = await t.router.admin.apiKeys.create({ name: 'ssr', scopes: ['sessions.write'] });
    const res = await request(t.app).post('/v1/account/sessions/email').set('X-Appwrite-Key', key.secret).send({ email: 'ada@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.current).toBe(true);
    const decoded = JSON.parse(Buffer.from(res.body.secret, 'base64').toString('utf8')) as { id: string; secret: string };
    expect(decoded.id).toBe(res.body.userId);
    expect(res.body.secret).toBe(encodeSessionCredential(decoded.id, decoded.secret));
    const account = await request(t.app).get('/v1/account').set('X-Appwrite-Session', res.body.secret);
    expect(account.status).toBe(200);
    expect(account.body.email).toBe('ada@example.com');
  });

  it('shows no secret without a key, and answers a key without sessions.write 401', async () => {
    setUp();
    await signUp(t.app);
    const plain = await request(t.app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD });
    expect(plain.body.secret).toBe('');
    const key = await t.router.admin.apiKeys.create({ name: 'users only', scopes: ['users.read'] });
    const res = await request(t.app).post('/v1/account/sessions/email').set('X-Appwrite-Key', key.secret).send({ email: 'ada@example.com', password: PASSWORD });
    expectError(res, 401, 'general_unauthorized_scope');
    expect(res.body.message).toMatch(/\(role: applications\) missing scopes \(\["sessions.write"\]\)$/);
  });
});

describe('token secrets', () => {
  it('createEmailToken shows a key the code it mailed, which createSession redeems; others see none', async () => {
    setUp();
    const key = await t.router.admin.apiKeys.create({ name: 'otp', scopes: ['sessions.write'] });
    const res = await request(t.app).post('/v1/account/tokens/email').set('X-Appwrite-Key', key.secret).send({ userId: 'unique()', email: 'otp@example.com' });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^\d{6}$/);
    expect(t.mails.at(-1)!.text).toContain(res.body.secret);
    const session = await request(t.app).post('/v1/account/sessions/token').send({ userId: res.body.userId, secret: res.body.secret });
    expect(session.status).toBe(201);
    const plain = await request(t.app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'otp@example.com' });
    expect([plain.status, plain.body.secret]).toEqual([201, '']);
  });
});

describe('storage', () => {
  it('keys live in the adapter: another router on the same storage and secret admits them', async () => {
    const storage = createSqliteAdapter({ filename: ':memory:' });
    setUp({ storage, secret: 'a-server-secret-for-both-routers' });
    const user = await signUp(t.app);
    const key = await t.router.admin.apiKeys.create({ name: 'k', scopes: ['users.write'] });
    const other = testInstance({ storage, secret: 'a-server-secret-for-both-routers' });
    const res = await request(other.app).patch(`/v1/users/${user.$id}/impersonator`).set('X-Appwrite-Key', key.secret).send({ impersonator: true });
    expect(res.status).toBe(200);
  });
});
