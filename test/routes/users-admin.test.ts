// `router.users`, the in-process admin API: the same core functions as the Users API, so the same
// invariants hold — targets follow the email and phone, new passwords pass the policies and the
// history, clashes get Appwrite's errors, blocking and session revocation take effect on the
// routes — and bad arguments throw a TypeError naming them.
import request from 'supertest';
import { AccountError } from '../../lib';
import { expectError, PASSWORD, testInstance, type TestInstance } from '../helpers/test-instance';

let t: TestInstance;
beforeAll(() => {
  t = testInstance({ password: { bcryptCost: 4, history: 2 } });
});
afterAll(() => t.close());

let serial = 0;
const email = () => `admin${serial++}-${Date.now()}@example.com`;

async function signIn(address: string, password = PASSWORD): Promise<string> {
  const res = await request(t.app).post('/v1/account/sessions/email').send({ email: address, password });
  expect(res.status).toBe(201);
  return res.headers['set-cookie'][0].split(';')[0];
}

async function typeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccountError);
  return (error as AccountError).type;
}

it('create, get, list/search and delete', async () => {
  const address = email();
  const user = await t.router.users.create({ email: address, password: PASSWORD, name: 'Marie Curie' });
  expect(user).toMatchObject({ email: address, name: 'Marie Curie', status: true });
  expect(user.targets.map((target) => target.identifier)).toEqual([address]);
  expect((await t.router.users.get(user.id)).id).toBe(user.id);
  expect((await t.router.users.list({ search: 'curie' })).items.map((u) => u.id)).toEqual([user.id]);
  expect((await t.router.users.list({ queries: ['{"method":"equal","attribute":"email","values":["' + address + '"]}'] })).total).toBe(1);
  expect(await typeOf(t.router.users.create({ email: address }))).toBe('user_already_exists');
  await t.router.users.delete(user.id);
  expect(await typeOf(t.router.users.get(user.id))).toBe('user_not_found');
});

it('create imports an exported hash, and the user signs in with the old password', async () => {
  const address = email();
  await t.router.users.create({ email: address, passwordHash: { hash: 'md5', password: '5f4dcc3b5aa765d61d8327deb882cf99' } });
  await signIn(address, 'password');
});

it('update: the email target follows, the history policy refuses a reused password, sessions end on a new one', async () => {
  const user = await t.router.users.create({ email: email(), password: PASSWORD });
  const cookie = await signIn(user.email!);
  const next = email();
  const moved = await t.router.users.update(user.id, { email: next, name: 'Renamed', prefs: { a: 1 } });
  expect(moved).toMatchObject({ email: next, name: 'Renamed', prefs: { a: 1 }, emailVerification: false });
  expect(moved.targets.map((target) => target.identifier)).toEqual([next]);
  expect(await typeOf(t.router.users.update(user.id, { password: PASSWORD }))).toBe('password_recently_used');
  await t.router.users.update(user.id, { password: 'another password 9' });
  expectError(await request(t.app).get('/v1/account').set('Cookie', cookie), 401, 'general_unauthorized_scope');
});

it('block refuses the user’s sessions; unblock lets them back; labels are checked', async () => {
  const user = await t.router.users.create({ email: email(), password: PASSWORD });
  const cookie = await signIn(user.email!);
  await t.router.users.block(user.id);
  expectError(await request(t.app).get('/v1/account').set('Cookie', cookie), 401, 'user_blocked');
  await t.router.users.unblock(user.id);
  expect((await request(t.app).get('/v1/account').set('Cookie', cookie)).status).toBe(200);
  expect((await t.router.users.setLabels(user.id, ['admin', 'admin'])).labels).toEqual(['admin']);
  await expect(t.router.users.setLabels(user.id, ['not ok'])).rejects.toThrow(TypeError);
  await expect(t.router.users.update(user.id, { email: 'not an email' })).rejects.toThrow(/email/);
});

it('sessions: create one server-side (its secret is the cookie value), list, delete one, delete all', async () => {
  const user = await t.router.users.create({ email: email() });
  const { session, secret } = await t.router.users.createSession(user.id, { ip: '203.0.113.9' });
  expect(session).toMatchObject({ provider: 'server', factors: ['server'], ip: '203.0.113.9' });
  const me = await request(t.app).get('/v1/account').set('Cookie', `a_session_default=${secret}`);
  expect(me.body.$id).toBe(user.id);
  expect((await t.router.users.listSessions(user.id)).map((s) => s.id)).toEqual([session.id]);
  await t.router.users.createSession(user.id);
  await t.router.users.deleteSession(user.id, session.id);
  expect(await typeOf(t.router.users.deleteSession(user.id, session.id))).toBe('user_session_not_found');
  await t.router.users.deleteSessions(user.id);
  expect(await t.router.users.listSessions(user.id)).toEqual([]);
});

it('createToken gives a secret the Account API exchanges for a session; createJwt signs for the newest session', async () => {
  const user = await t.router.users.create({ email: email() });
  const { secret } = await t.router.users.createToken(user.id, { length: 8, expireSeconds: 60 });
  const res = await request(t.app).post('/v1/account/sessions/token').send({ userId: user.id, secret });
  expect(res.status).toBe(201);
  const jwt = await t.router.users.createJwt(user.id);
  expect((await request(t.app).get('/v1/account').set('X-Appwrite-JWT', jwt)).body.$id).toBe(user.id);
  await expect(t.router.users.createToken(user.id, { length: 2 })).rejects.toThrow(TypeError);
});

it('resetMfa turns MFA off and removes the recovery codes', async () => {
  const user = await t.router.users.create({ email: email() });
  await t.router.users.update(user.id, { mfa: true });
  await t.storage.recoveryCodes.replace(user.id, ['hash.code'], new Date());
  const reset = await t.router.users.resetMfa(user.id);
  expect(reset.mfa).toBe(false);
  expect(await t.storage.recoveryCodes.list(user.id)).toEqual([]);
});
