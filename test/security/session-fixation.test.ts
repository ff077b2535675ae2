// Session fixation: a credential chosen or planted before sign-in is never adopted. Every sign-in
// mints a fresh random secret; a planted value stays worthless; a planted *valid* session (the
// attacker's own) makes sign-in refuse rather than continue in the attacker's account.
import express from 'express';
import request from 'supertest';
import type { AccountRouter } from '../../lib';
import { cookieOf, expectError, PASSWORD, signIn, signUp, testRouter } from '../helpers/test-instance';

let router: AccountRouter;
let app: express.Express;
beforeEach(async () => {
  router = testRouter();
  app = express().use('/v1', router);
  await signUp(app);
});
afterEach(() => router.close());

const credential = (id: string, secret: string) => Buffer.from(JSON.stringify({ id, secret })).toString('base64');
const secretOf = (cookie: string) => JSON.parse(Buffer.from(decodeURIComponent(cookie.split('=')[1]!), 'base64').toString()).secret as string;

it('ignores a credential the client chose before signing in and issues a fresh one', async () => {
  const user = (await request(app).post('/v1/account').send({ userId: 'unique()', email: 'eve@example.com', password: PASSWORD })).body;
  const planted = credential(user.$id, 'f'.repeat(256));
  for (const [name, value] of [['Cookie', `a_session_default=${planted}`], ['X-Appwrite-Session', planted], ['X-Fallback-Cookies', JSON.stringify({ a_session_default: planted })]]) {
    const res = await request(app).post('/v1/account/sessions/email').set(name!, value!).send({ email: 'eve@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
    const issued = cookieOf(res);
    expect(secretOf(issued)).not.toBe('f'.repeat(256));
    expect(secretOf(issued)).toMatch(/^[0-9a-f]{256}$/);
    expectError(await request(app).get('/v1/account').set('Cookie', `a_session_default=${planted}`), 401, 'general_unauthorized_scope');
    expect((await request(app).get('/v1/account').set('Cookie', issued)).body.email).toBe('eve@example.com');
  }
});

it("refuses to sign in over someone else's valid session instead of continuing in it", async () => {
  const attacker = cookieOf(await request(app).post('/v1/account/sessions/anonymous'));
  const res = await request(app).post('/v1/account/sessions/email').set('Cookie', attacker).send({ email: 'ada@example.com', password: PASSWORD });
  expectError(res, 401, 'user_session_already_exists');
  expect(res.headers['set-cookie']).toBeUndefined();
});

it('gives every sign-in of the same user its own secret', async () => {
  const first = await signIn(app);
  const second = await signIn(app);
  expect(secretOf(first)).not.toBe(secretOf(second));
});
