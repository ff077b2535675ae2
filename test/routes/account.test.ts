// /account, /account/prefs and the router's shared behaviour (errors, project check, bodies),
// over HTTP with supertest.
import express from 'express';
import request from 'supertest';
import { cookieOf, expectError, PASSWORD, signIn, signUp, testRouter } from '../helpers/test-instance';
import type { AccountRouter } from '../../lib';

let router: AccountRouter;
let app: express.Express;
beforeEach(() => {
  router = testRouter();
  app = express().use('/v1', router);
});
afterEach(() => router.close());

/** POST /account as the SDK sends it: the route under test, its answer unchecked. */
const createAccount = (email = 'ada@example.com') => request(app).post('/v1/account').send({ userId: 'unique()', email, password: PASSWORD, name: 'Ada' });

describe('create (POST /account)', () => {
  it('answers 201 with every Account field in the spec order', async () => {
    const res = await createAccount('Ada@Example.com');
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual([
      '$id', '$createdAt', '$updatedAt', 'name', 'registration', 'status', 'labels', 'passwordUpdate', 'email', 'phone',
      'emailVerification', 'emailCanonical', 'emailIsFree', 'emailIsDisposable', 'emailIsCorporate', 'emailIsCanonical',
      'passwordPwned', 'phoneVerification', 'mfa', 'prefs', 'targets', 'accessedAt', 'impersonator', 'impersonatorUserId',
    ]);
    // Never checked: the breached-password policy is off.
    expect(res.body).toMatchObject({ email: 'ada@example.com', phone: '', name: 'Ada', status: true, passwordPwned: null });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('leaves passwordPwned out for SDKs before appwrite@28 (format 2.3.0)', async () => {
    const older = await request(app).post('/v1/account').set('X-Appwrite-Response-Format', '2.0.0').send({ userId: 'unique()', email: 'older@example.com', password: PASSWORD });
    expect(older.body).not.toHaveProperty('passwordPwned');
    expect(older.body).toHaveProperty('impersonator', false);
    const newest = await request(app).post('/v1/account').set('X-Appwrite-Response-Format', '2.3.0').send({ userId: 'unique()', email: 'newest@example.com', password: PASSWORD });
    expect(newest.body).toHaveProperty('passwordPwned', null);
  });

  it('generates an id when userId is absent (0.6-era SDKs)', async () => {
    const res = await request(app).post('/v1/account').send({ email: 'old@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.$id).toMatch(/^[0-9a-f]{20}$/);
  });

  it.each([
    [{ userId: 'unique()', password: PASSWORD }, 'Param "email" is not optional.'],
    [{ userId: 'unique()', email: 'a@example.com' }, 'Param "password" is not optional.'],
    [{ userId: '_bad', email: 'a@example.com', password: PASSWORD }, /^Invalid `userId` param: /],
    [{ userId: 'x'.repeat(37), email: 'a@example.com', password: PASSWORD }, /^Invalid `userId` param: /],
    [{ userId: 'unique()', email: 'a@', password: PASSWORD }, /^Invalid `email` param: /],
    [{ userId: 'unique()', email: 42, password: PASSWORD }, /^Invalid `email` param: /],
    [{ userId: 'unique()', email: 'a@example.com', password: '1234567' }, /^Invalid `password` param: /],
    [{ userId: 'unique()', email: 'a@example.com', password: 'x'.repeat(257) }, /^Invalid `password` param: /],
    [{ userId: 'unique()', email: 'a@example.com', password: PASSWORD, name: '' }, /^Invalid `name` param: /],
    [{ userId: 'unique()', email: 'a@example.com', password: PASSWORD, name: 'n'.repeat(129) }, /^Invalid `name` param: /],
  ])('refuses %j with 400 general_argument_invalid', async (body, message) => {
    const res = await request(app).post('/v1/account').send(body);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toMatch(message);
  });

  it('measures the password in bytes (4 emoji = 16 bytes pass the 8-byte minimum)', async () => {
    const res = await request(app).post('/v1/account').send({ userId: 'unique()', email: 'e@example.com', password: '🔑🔑🔑🔑' });
    expect(res.status).toBe(201);
  });

  it('refuses a duplicate email with 409 user_already_exists, whatever its case', async () => {
    await signUp(app);
    expectError(await createAccount('ADA@example.com'), 409, 'user_already_exists');
  });

  it('lets only one of many concurrent sign-ups with one email through', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => createAccount('race@example.com')));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('answers the user limit with 400 user_count_exceeded', async () => {
    const limited = testRouter({ userLimit: 1 });
    const limitedApp = express().use('/v1', limited);
    const body = { userId: 'unique()', password: PASSWORD };
    expect((await request(limitedApp).post('/v1/account').send({ ...body, email: 'one@example.com' })).status).toBe(201);
    expectError(await request(limitedApp).post('/v1/account').send({ ...body, email: 'two@example.com' }), 400, 'user_count_exceeded');
    await limited.close();
  });
});

describe('get (GET /account)', () => {
  it('answers guests with 401 general_unauthorized_scope', async () => {
    const res = await request(app).get('/v1/account');
    expectError(res, 401, 'general_unauthorized_scope');
    expect(res.body.message).toBe('User (role: guests) missing scopes (["account"])');
  });

  it('treats a garbage or forged cookie as a guest', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    const forged = Buffer.from(JSON.stringify({ id: 'someone', secret: 'f'.repeat(256) })).toString('base64');
    for (const value of ['garbage', forged, cookie.split('=')[1]!.slice(0, 40)]) {
      expectError(await request(app).get('/v1/account').set('Cookie', `a_session_default=${value}`), 401, 'general_unauthorized_scope');
    }
  });

  it('accepts the session from the cookie, X-Appwrite-Session and X-Fallback-Cookies', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    const value = decodeURIComponent(cookie.split('=')[1]!);
    for (const [name, headerValue] of [
      ['Cookie', cookie],
      ['X-Appwrite-Session', value],
      ['X-Fallback-Cookies', JSON.stringify({ a_session_default: value })],
    ] as const) {
      const res = await request(app).get('/v1/account').set(name, headerValue);
      expect(res.status).toBe(200);
      expect(res.body.email).toBe('ada@example.com');
    }
  });

  it('answers another project id with 404 project_not_found, from the header or the query', async () => {
    expectError(await request(app).get('/v1/account').set('X-Appwrite-Project', 'other'), 404, 'project_not_found');
    expectError(await request(app).get('/v1/account?project=other'), 404, 'project_not_found');
  });

  it('leaves impersonator fields out for SDKs built for older servers', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    const res = await request(app).get('/v1/account').set('Cookie', cookie).set('X-Appwrite-Response-Format', '1.6.0');
    expect(res.body).not.toHaveProperty('impersonator');
    expect(res.body).toHaveProperty('targets');
  });
});

describe('prefs (GET and PATCH /account/prefs)', () => {
  it('replaces prefs and returns the Account; getPrefs returns the object', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    await request(app).patch('/v1/account/prefs').set('Cookie', cookie).send({ prefs: { a: 1, b: 2 } });
    const res = await request(app).patch('/v1/account/prefs').set('Cookie', cookie).send({ prefs: { c: 3 } });
    expect(res.status).toBe(200);
    expect(res.body.prefs).toEqual({ c: 3 });
    expect((await request(app).get('/v1/account/prefs').set('Cookie', cookie)).body).toEqual({ c: 3 });
  });

  it.each([
    [{}, 'Param "prefs" is not optional.'],
    [{ prefs: 'text' }, /^Invalid `prefs` param: /],
    [{ prefs: [1, 2] }, /^Invalid `prefs` param: /],
    [{ prefs: { s: '🍰'.repeat(6000) } }, /^Invalid `prefs` param: /],
    [{ prefs: { s: 'nul \u0000 inside' } }, /^Invalid `prefs` param: /],
  ])('refuses %j with 400', async (body, message) => {
    await signUp(app);
    const cookie = await signIn(app);
    const res = await request(app).patch('/v1/account/prefs').set('Cookie', cookie).send(body);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toMatch(message);
  });

  it('accepts an empty list as empty prefs', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    const res = await request(app).patch('/v1/account/prefs').set('Cookie', cookie).send({ prefs: [] });
    expect(res.body.prefs).toEqual({});
  });

  it('answers guests with 401 before looking at parameters', async () => {
    expectError(await request(app).patch('/v1/account/prefs').send({ prefs: 'bad' }), 401, 'general_unauthorized_scope');
  });
});

describe('the router', () => {
  it('answers unknown paths under the mount point with 404 general_route_not_found', async () => {
    expectError(await request(app).get('/v1/account/nothing-here'), 404, 'general_route_not_found');
    expectError(await request(app).put('/v1/account'), 404, 'general_route_not_found');
    expectError(await request(app).get('/v1/elsewhere'), 404, 'general_route_not_found');
  });

  it('passes non-account paths on when mounted at the root', async () => {
    const rootApp = express().use(router).get('/hello', (_req, res) => res.send('host app'));
    expect((await request(rootApp).get('/hello')).text).toBe('host app');
  });

  it('answers malformed JSON with 400 general_bad_request', async () => {
    const res = await request(app).post('/v1/account').set('Content-Type', 'application/json').send('{"email": ');
    expectError(res, 400, 'general_bad_request');
  });

  it('answers a JSON body that is not an object with 400 general_bad_request', async () => {
    const res = await request(app).post('/v1/account').set('Content-Type', 'application/json').send('[1,2]');
    expectError(res, 400, 'general_bad_request');
  });

  it('answers an oversized body with 413 general_payload_too_large', async () => {
    const res = await request(app).post('/v1/account').send({ email: 'x'.repeat(300_000) });
    expectError(res, 413, 'general_payload_too_large');
  });

  it('reads form-encoded bodies too', async () => {
    const res = await request(app).post('/v1/account').type('form').send({ userId: 'unique()', email: 'form@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
  });

  it('works behind a host-app body parser', async () => {
    const parsedApp = express().use(express.json()).use('/v1', router);
    const res = await request(parsedApp).post('/v1/account').send({ userId: 'unique()', email: 'parsed@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
  });

  it('answers a storage failure with 500 general_unknown and no stack', async () => {
    const errors: string[] = [];
    const broken = testRouter({ logger: { error: (m) => errors.push(m), warn: () => undefined } });
    const brokenApp = express().use('/v1', broken);
    await broken.ready();
    await broken.close();
    const res = await request(brokenApp).post('/v1/account').send({ userId: 'unique()', email: 'a@example.com', password: PASSWORD });
    expectError(res, 500, 'general_unknown');
    expect(res.body.message).toBe('Server Error');
    expect(errors).toHaveLength(1);
  });

  it('serves two routers with two databases in one process', async () => {
    const other = testRouter({ projectId: 'second' });
    const both = express().use('/a', router).use('/b', other);
    expect((await request(both).post('/a/account').send({ userId: 'unique()', email: 'x@example.com', password: PASSWORD })).status).toBe(201);
    const res = await request(both).post('/b/account/sessions/email').set('X-Appwrite-Project', 'second').send({ email: 'x@example.com', password: PASSWORD });
    expectError(res, 401, 'user_invalid_credentials');
    await other.close();
  });
});

describe('authenticate and requireAccount', () => {
  it('put the caller on req.account for host-app routes and refuse guests with the Appwrite body', async () => {
    const hostApp = express()
      .use('/v1', router)
      .get('/whoami', router.authenticate, (req, res) => {
        res.json({ account: req.account ? req.account.user.email : null });
      })
      .get('/private', router.requireAccount, (req, res) => {
        res.json({ id: req.account!.user.id });
      });
    await request(hostApp).post('/v1/account').send({ userId: 'unique()', email: 'host@example.com', password: PASSWORD });
    const login = await request(hostApp).post('/v1/account/sessions/email').send({ email: 'host@example.com', password: PASSWORD });
    const cookie = cookieOf(login);
    expect((await request(hostApp).get('/whoami')).body).toEqual({ account: null });
    expect((await request(hostApp).get('/whoami').set('Cookie', cookie)).body).toEqual({ account: 'host@example.com' });
    expectError(await request(hostApp).get('/private'), 401, 'general_unauthorized_scope');
    expect((await request(hostApp).get('/private').set('Cookie', cookie)).body.id).toBe(login.body.userId);
  });
});
