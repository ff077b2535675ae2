// requireAccount({ labels }): the host app's routes that demand a label (User.labels, set through
// the Users API). 401 for guests as before, 403 user_label_missing for an account without any of
// the labels, labels checked as Appwrite's when the guard is made; plain requireAccount unchanged.
import connect from 'connect';
import request from 'supertest';
import { expectError, signedIn, testInstance, type TestInstance } from './helpers/test-instance';

let t: TestInstance;
beforeEach(() => {
  t = testInstance();
  t.app.get('/admin', t.router.requireAccount({ labels: ['admin', 'staff'] }), (req, res) => void res.json({ id: req.account!.user.id }));
  t.app.get('/me', t.router.requireAccount, (req, res) => void res.json({ id: req.account!.user.id }));
});
afterEach(() => t.close());

it('requireAccount({ labels }) answers guests 401 general_unauthorized_scope, as plain requireAccount does', async () => {
  for (const path of ['/admin', '/me']) {
    const res = await request(t.app).get(path);
    expectError(res, 401, 'general_unauthorized_scope');
    expect(res.body.message).toBe('User (role: guests) missing scopes (["account"])');
  }
});

it('answers an account without any of the labels 403 user_label_missing', async () => {
  const ada = await signedIn(t.app);
  const res = await request(t.app).get('/admin').set('Cookie', ada.cookie);
  expectError(res, 403, 'user_label_missing');
  expect(res.body.message).toBe('The current user does not carry a label this resource requires (one of ["admin","staff"]).');
  expect((await request(t.app).get('/me').set('Cookie', ada.cookie)).body).toEqual({ id: ada.id });
});

it('lets an account carrying one of the labels through, and follows label changes at once', async () => {
  const ada = await signedIn(t.app);
  await t.storage.users.update(ada.id, { labels: ['staff'] });
  expect((await request(t.app).get('/admin').set('Cookie', ada.cookie)).body).toEqual({ id: ada.id });
  await t.storage.users.update(ada.id, { labels: ['Staff'] });
  expect((await request(t.app).get('/admin').set('Cookie', ada.cookie)).status).toBe(403);
});

it('works with a JWT and in Connect', async () => {
  const ada = await signedIn(t.app);
  await t.storage.users.update(ada.id, { labels: ['admin'] });
  const jwt = (await request(t.app).post('/v1/account/jwts').set('Cookie', ada.cookie)).body.jwt as string;
  expect((await request(t.app).get('/admin').set('X-Appwrite-JWT', jwt)).status).toBe(200);
  const app = connect().use('/v1', t.router as never).use('/admin', t.router.requireAccount({ labels: ['admin'] }) as never).use('/admin', (_req: unknown, res: { end(body: string): void }) => res.end('ok'));
  expect((await request(app).get('/admin').set('Cookie', ada.cookie)).text).toBe('ok');
  expectError(await request(app).get('/admin'), 401, 'general_unauthorized_scope');
});

it.each([
  ['an empty list', { labels: [] }],
  ['a space', { labels: ['has space'] }],
  ['37 characters', { labels: ['a'.repeat(37)] }],
  ['a number', { labels: ['ok', 7] }],
  ['a string for a list', { labels: 'admin' }],
  ['1,001 labels', { labels: Array.from({ length: 1001 }, (_, i) => `l${i}`) }],
])('refuses %s with a TypeError when the guard is made', (_case, options) => {
  expect(() => t.router.requireAccount(options as never)).toThrow(TypeError);
  expect(() => t.router.requireAccount(options as never)).toThrow(/requireAccount: option `labels`/);
});

it('accepts labels of 36 letters and digits, and no options at all', async () => {
  expect(typeof t.router.requireAccount({ labels: ['A1'.repeat(18)] })).toBe('function');
  const anyone = t.router.requireAccount({});
  t.app.get('/anyone', anyone, (_req, res) => void res.send('ok'));
  const ada = await signedIn(t.app);
  expect((await request(t.app).get('/anyone').set('Cookie', ada.cookie)).text).toBe('ok');
});
