// Impersonation (Appwrite 1.9; lib/core/impersonation.ts): PATCH /users/:userId/impersonator
// (updateImpersonator) sets the flag; a signed-in impersonator acts as the user named by
// X-Appwrite-Impersonate-User-Id/-Email/-Phone or their query fallbacks; the account model names
// the impersonator, the target's accessedAt stays, the security log names the impersonator;
// everyone else's headers are ignored. Through supertest and today's web SDK (appwrite@28).
import request from 'supertest';
import type express from 'express';
import { AppwriteException as AppwriteException28 } from 'appwrite28';
import type { UserRecord } from '../../adapters/types';
import { callerScopeRefusal } from '../../lib/gate';
import { cookieClient28 } from '../helpers/sdk';
import { expectError, PASSWORD, rejection, signedIn, startTestServer, testInstance, type TestInstance, type TestServer } from '../helpers/test-instance';

const KEY = 'impersonation-test-key-0123456789abcdef';

let t: TestInstance;
afterEach(() => t?.close());

async function setUp() {
  t = testInstance({ apiKeys: [{ secret: KEY, scopes: ['users.write'] }] });
  const boss = await signedIn(t.app, 'boss@example.com', { name: 'Boss' });
  const ada = await signedIn(t.app, 'ada@example.com', { name: 'Ada' });
  await setImpersonator(t.app, boss.id, true);
  return { boss, ada };
}

function setImpersonator(app: express.Express, userId: string, impersonator: boolean, headers: Record<string, string> = {}) {
  return request(app).patch(`/v1/users/${userId}/impersonator`).set('X-Appwrite-Key', KEY).set(headers).send({ impersonator });
}

describe('updateImpersonator', () => {
  it('sets and clears the flag and answers the user model', async () => {
    t = testInstance({ apiKeys: [{ secret: KEY, scopes: ['users.write'] }] });
    const ada = await signedIn(t.app);
    const on = await setImpersonator(t.app, ada.id, true);
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ $id: ada.id, email: 'ada@example.com', impersonator: true, impersonatorUserId: null });
    expect((await t.storage.users.get(ada.id))!.impersonator).toBe(true);
    const off = await setImpersonator(t.app, ada.id, false);
    expect(off.body.impersonator).toBe(false);
  });

  it('drops impersonator and impersonatorUserId below response format 1.9.0', async () => {
    t = testInstance({ apiKeys: [{ secret: KEY, scopes: ['users.write'] }] });
    const ada = await signedIn(t.app);
    const res = await setImpersonator(t.app, ada.id, true, { 'X-Appwrite-Response-Format': '1.8.0' });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('impersonator');
    expect(res.body).not.toHaveProperty('impersonatorUserId');
  });

  it('answers an unknown user 404 user_not_found and a bad flag 400', async () => {
    t = testInstance({ apiKeys: [{ secret: KEY, scopes: ['users.write'] }] });
    expectError(await setImpersonator(t.app, 'nobody', true), 404, 'user_not_found');
    const bad = await request(t.app).patch('/v1/users/nobody/impersonator').set('X-Appwrite-Key', KEY).send({ impersonator: 'yes' });
    expectError(bad, 400, 'general_argument_invalid');
  });

  it('is refused to the impersonator themself: their session holds users.read, not users.write', async () => {
    const { boss, ada } = await setUp();
    const res = await request(t.app).patch(`/v1/users/${ada.id}/impersonator`).set('Cookie', boss.cookie).send({ impersonator: true });
    expectError(res, 401, 'general_unauthorized_scope');
    expect(res.body.message).toBe('boss@example.com (role: users) missing scopes (["users.write"])');
  });
});

describe('acting as another user', () => {
  it('X-Appwrite-Impersonate-User-Id: the account is the target, naming the impersonator', async () => {
    const { boss, ada } = await setUp();
    const res = await request(t.app).get('/v1/account').set('Cookie', boss.cookie).set('X-Appwrite-Impersonate-User-Id', ada.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $id: ada.id, email: 'ada@example.com', impersonator: false, impersonatorUserId: boss.id });
  });

  it('finds the target by email (any case) or phone, and by the query fallbacks', async () => {
    const { boss, ada } = await setUp();
    await t.storage.users.update(ada.id, { phone: '+14155550100' });
    const as = (headers: Record<string, string>, query = '') => request(t.app).get(`/v1/account${query}`).set('Cookie', boss.cookie).set(headers);
    expect((await as({ 'X-Appwrite-Impersonate-User-Email': 'ADA@Example.com' })).body.$id).toBe(ada.id);
    expect((await as({ 'X-Appwrite-Impersonate-User-Phone': '+14155550100' })).body.$id).toBe(ada.id);
    expect((await as({}, `?impersonateUserId=${ada.id}`)).body.$id).toBe(ada.id);
    expect((await as({}, `?impersonateuserid=${ada.id}`)).body.$id).toBe(ada.id);
    expect((await as({}, '?impersonateEmail=ada%40example.com')).body.$id).toBe(ada.id);
    expect((await as({}, '?impersonatephone=%2B14155550100')).body.$id).toBe(ada.id);
  });

  it('takes the id before the email, as Appwrite does', async () => {
    const { boss, ada } = await setUp();
    const res = await request(t.app).get('/v1/account').set('Cookie', boss.cookie).set({ 'X-Appwrite-Impersonate-User-Id': ada.id, 'X-Appwrite-Impersonate-User-Email': 'boss@example.com' });
    expect(res.body.$id).toBe(ada.id);
  });

  it('leaves the target\'s accessedAt alone', async () => {
    const { boss, ada } = await setUp();
    const long = new Date(Date.now() - 30 * 86_400_000);
    await t.storage.users.update(ada.id, { accessedAt: long });
    await request(t.app).get('/v1/account').set('Cookie', boss.cookie).set('X-Appwrite-Impersonate-User-Id', ada.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await t.storage.users.get(ada.id))!.accessedAt).toEqual(long);
  });

  it('changes the target and writes the security-log entry under the impersonator', async () => {
    const { boss, ada } = await setUp();
    const res = await request(t.app).patch('/v1/account/name').set('Cookie', boss.cookie).set('X-Appwrite-Impersonate-User-Id', ada.id).send({ name: 'Ada L.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $id: ada.id, name: 'Ada L.', impersonatorUserId: boss.id });
    const bossLog = await t.storage.logs.listByUser(boss.id, { limit: 25, offset: 0 });
    expect(bossLog.items.map((entry) => entry.event)).toContain('user.update');
    const adaLog = await t.storage.logs.listByUser(ada.id, { limit: 25, offset: 0 });
    expect(adaLog.items.map((entry) => entry.event)).not.toContain('user.update');
    const logs = await request(t.app).get('/v1/account/logs').set('Cookie', boss.cookie);
    expect(logs.body.logs[0]).toMatchObject({ event: 'user.update', userId: boss.id, userEmail: 'boss@example.com', userType: 'user' });
  });

  it('continues as the impersonator when the target does not exist', async () => {
    const { boss } = await setUp();
    for (const headers of [{ 'X-Appwrite-Impersonate-User-Id': 'nobody' }, { 'X-Appwrite-Impersonate-User-Email': 'nobody@example.com' }, { 'X-Appwrite-Impersonate-User-Id': 'x'.repeat(400) }]) {
      const res = await request(t.app).get('/v1/account').set('Cookie', boss.cookie).set(headers);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ $id: boss.id, impersonator: true, impersonatorUserId: null });
    }
  });

  it('may act as another impersonator, as Appwrite allows', async () => {
    const { boss, ada } = await setUp();
    await setImpersonator(t.app, ada.id, true);
    const res = await request(t.app).get('/v1/account').set('Cookie', boss.cookie).set('X-Appwrite-Impersonate-User-Id', ada.id);
    expect(res.body).toMatchObject({ $id: ada.id, impersonator: true, impersonatorUserId: boss.id });
  });

  it('answers 401 user_blocked when the target is blocked, as Appwrite judges the account acted as', async () => {
    const { boss, ada } = await setUp();
    await t.storage.users.update(ada.id, { status: false });
    expectError(await request(t.app).get('/v1/account').set('Cookie', boss.cookie).set('X-Appwrite-Impersonate-User-Id', ada.id), 401, 'user_blocked');
  });
});

describe('impersonation abuse', () => {
  it('ignores the headers of a user who is not an impersonator', async () => {
    const { boss, ada } = await setUp();
    const res = await request(t.app).get('/v1/account').set('Cookie', ada.cookie).set('X-Appwrite-Impersonate-User-Id', boss.id);
    expect(res.body).toMatchObject({ $id: ada.id, impersonatorUserId: null });
    const query = await request(t.app).get(`/v1/account?impersonateUserId=${boss.id}`).set('Cookie', ada.cookie);
    expect(query.body.$id).toBe(ada.id);
  });

  it('ignores them once the flag is cleared', async () => {
    const { boss, ada } = await setUp();
    await setImpersonator(t.app, boss.id, false);
    const res = await request(t.app).get('/v1/account').set('Cookie', boss.cookie).set('X-Appwrite-Impersonate-User-Id', ada.id);
    expect(res.body.$id).toBe(boss.id);
  });

  it('does nothing for an API key alone, nor for a key sent with an impersonator\'s session', async () => {
    const { boss, ada } = await setUp();
    const keyOnly = await request(t.app).get('/v1/account').set('X-Appwrite-Key', KEY).set('X-Appwrite-Impersonate-User-Id', ada.id);
    expectError(keyOnly, 401, 'general_unauthorized_scope');
    const both = await request(t.app).get('/v1/account').set('X-Appwrite-Key', KEY).set('Cookie', boss.cookie).set('X-Appwrite-Impersonate-User-Id', ada.id);
    expectError(both, 401, 'general_unauthorized_scope');
  });

  it('gives guests nothing: the headers without a session are a guest request', async () => {
    const { ada } = await setUp();
    expectError(await request(t.app).get('/v1/account').set('X-Appwrite-Impersonate-User-Id', ada.id), 401, 'general_unauthorized_scope');
  });
});

describe('the users.read grant (callerScopeRefusal)', () => {
  const reader = { scope: 'server', keyScopes: ['users.read'] } as const;
  const writer = { scope: 'server', keyScopes: ['users.write', 'sessions.write'] } as const;
  const user = (fields: Partial<UserRecord>) => ({ email: 'u@example.com', impersonator: false, ...fields }) as UserRecord;
  const caller = (u: UserRecord, impersonator?: UserRecord) => ({ user: u, session: {} as never, via: 'session' as const, impersonator });

  it('admits impersonators to users.read routes, before and while impersonating', () => {
    const boss = user({ impersonator: true });
    expect(callerScopeRefusal(reader, caller(boss))).toBeNull();
    expect(callerScopeRefusal(reader, caller(user({ email: 'ada@example.com' }), boss))).toBeNull();
  });

  it('refuses them every other server route, and refuses other users and guests with their role', () => {
    expect(callerScopeRefusal(writer, caller(user({ impersonator: true })))?.message).toBe('u@example.com (role: users) missing scopes (["users.write","sessions.write"])');
    expect(callerScopeRefusal(reader, caller(user({})))?.message).toBe('u@example.com (role: users) missing scopes (["users.read"])');
    expect(callerScopeRefusal(reader, caller(user({ email: null })))?.message).toBe('User (role: users) missing scopes (["users.read"])');
    expect(callerScopeRefusal(reader, null)?.message).toBe('User (role: guests) missing scopes (["users.read"])');
    expect(callerScopeRefusal({ scope: 'user' }, null)?.message).toBe('User (role: guests) missing scopes (["account"])');
    expect(callerScopeRefusal({ scope: 'any' }, null)).toBeNull();
  });
});

describe('the host app\'s routes', () => {
  it('requireAccount sees the target, with the impersonator beside it', async () => {
    const { boss, ada } = await setUp();
    t.app.get('/whoami', t.router.requireAccount, (req, res) => {
      res.json({ id: req.account!.user.id, impersonator: req.account!.impersonator?.id ?? null });
    });
    const res = await request(t.app).get('/whoami').set('Cookie', boss.cookie).set('X-Appwrite-Impersonate-User-Id', ada.id);
    expect(res.body).toEqual({ id: ada.id, impersonator: boss.id });
  });
});

describe('appwrite@28', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  it('client.setImpersonateUserId / setImpersonateUserEmail act as the target; a plain user\'s are ignored', async () => {
    server = await startTestServer({ apiKeys: [{ secret: KEY, scopes: ['users.write'] }] });
    const boss = cookieClient28(server.endpoint);
    await boss.account.create({ userId: 'boss', email: 'boss@example.com', password: PASSWORD });
    await boss.account.createEmailPasswordSession({ email: 'boss@example.com', password: PASSWORD });
    const ada = cookieClient28(server.endpoint);
    await ada.account.create({ userId: 'ada', email: 'ada@example.com', password: PASSWORD });
    await ada.account.createEmailPasswordSession({ email: 'ada@example.com', password: PASSWORD });
    await setImpersonator(server.app, 'boss', true);

    boss.client.setImpersonateUserId('ada');
    const asAda = await boss.account.get();
    expect([asAda.$id, asAda.impersonatorUserId]).toEqual(['ada', 'boss']);
    boss.client.setImpersonateUserId('');
    boss.client.setImpersonateUserEmail('ada@example.com');
    expect((await boss.account.get()).$id).toBe('ada');

    ada.client.setImpersonateUserId('boss');
    expect((await ada.account.get()).$id).toBe('ada');
    // A key is no way in: with it, GET /account is the server's, which has no account.
    ada.client.setImpersonateUserId('');
    const keyed = cookieClient28(server.endpoint);
    (keyed.client.headers as unknown as Record<string, string>)['X-Appwrite-Key'] = KEY;
    keyed.client.setImpersonateUserId('ada');
    expect((await rejection(keyed.account.get(), AppwriteException28)).type).toBe('general_unauthorized_scope');
  });
});
