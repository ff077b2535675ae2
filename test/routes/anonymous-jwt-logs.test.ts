// POST /account/sessions/anonymous (and the upgrade path), POST /account/jwts and GET /account/logs.
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { cookieOf, expectError, PASSWORD, signIn, signUp, testRouter } from '../helpers/test-instance';
import type { AccountRouter } from '../../lib';

let router: AccountRouter;
let app: express.Express;
beforeEach(() => {
  router = testRouter({ secret: 'test secret that is long enough' });
  app = express().use('/v1', router);
});
afterEach(() => router.close());

async function anonymous(): Promise<{ cookie: string; body: Record<string, unknown> }> {
  const res = await request(app).post('/v1/account/sessions/anonymous').send({});
  expect(res.status).toBe(201);
  return { cookie: cookieOf(res), body: res.body };
}

describe('createAnonymousSession (POST /account/sessions/anonymous)', () => {
  it('creates a user without email or password and an anonymous session', async () => {
    const { cookie, body } = await anonymous();
    expect(body).toMatchObject({ provider: 'anonymous', factors: ['anonymous'], current: true });
    const account = await request(app).get('/v1/account').set('Cookie', cookie);
    expect(account.body).toMatchObject({ email: '', phone: '', name: '', passwordUpdate: '', targets: [] });
  });

  it('is refused to a signed-in caller with 401 user_session_already_exists', async () => {
    const { cookie } = await anonymous();
    expectError(await request(app).post('/v1/account/sessions/anonymous').set('Cookie', cookie), 401, 'user_session_already_exists');
  });

  it('upgrades to a full account with updateEmail, keeping the id, then signs in by password', async () => {
    const { cookie, body } = await anonymous();
    const upgraded = await request(app).patch('/v1/account/email').set('Cookie', cookie).send({ email: 'anon@example.com', password: PASSWORD });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toMatchObject({ $id: body.userId, email: 'anon@example.com' });
    expect(upgraded.body.passwordUpdate).not.toBe('');
    const login = await request(app).post('/v1/account/sessions/email').send({ email: 'anon@example.com', password: PASSWORD });
    expect(login.body.userId).toBe(body.userId);
  });

  it('lets an anonymous account set a password without an old one', async () => {
    const { cookie } = await anonymous();
    expect((await request(app).patch('/v1/account/password').set('Cookie', cookie).send({ password: 'brand new pass' })).status).toBe(200);
  });
});

describe('createJWT (POST /account/jwts)', () => {
  async function jwtFor(cookie: string, path = '/v1/account/jwts', body: object = {}): Promise<string> {
    const res = await request(app).post(path).set('Cookie', cookie).send(body);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['jwt']);
    return res.body.jwt;
  }

  it('signs HS256 {userId, sessionId, exp} with a 15-minute default life', async () => {
    const user = await signUp(app);
    const cookie = await signIn(app);
    const session = (await request(app).get('/v1/account/sessions/current').set('Cookie', cookie)).body;
    const token = await jwtFor(cookie);
    const decoded = jwt.verify(token, 'test secret that is long enough', { algorithms: ['HS256'] }) as Record<string, number | string>;
    expect(decoded).toEqual({ userId: user.$id, sessionId: session.$id, exp: expect.any(Number) });
    expect((decoded.exp as number) - Date.now() / 1000).toBeGreaterThan(895);
    expect(jwt.decode(token, { complete: true })!.header).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('authenticates with X-Appwrite-JWT; current resolves to no session', async () => {
    const user = await signUp(app);
    const token = await jwtFor(await signIn(app), '/v1/account/jwt');
    const res = await request(app).get('/v1/account').set('X-Appwrite-JWT', token);
    expect(res.body.$id).toBe(user.$id);
    expectError(await request(app).get('/v1/account/sessions/current').set('X-Appwrite-JWT', token), 404, 'user_session_not_found');
    // Appwrite answered 404 user_session_not_found up to 1.9.6, then refused outright (all formats).
    expectError(await request(app).post('/v1/account/jwts').set('X-Appwrite-JWT', token), 403, 'user_jwt_creation_denied');
    expectError(await request(app).post('/v1/account/jwt').set('X-Appwrite-JWT', token).set('X-Appwrite-Response-Format', '1.4.0'), 403, 'user_jwt_creation_denied');
  });

  it('refuses bad, expired, and JWT+cookie requests', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    const token = await jwtFor(cookie, '/v1/account/jwts', { duration: 1 });
    expectError(await request(app).get('/v1/account').set('X-Appwrite-JWT', token).set('Cookie', cookie), 403, 'user_jwt_and_cookie_set');
    expectError(await request(app).get('/v1/account').set('X-Appwrite-JWT', token + 'x'), 401, 'user_jwt_invalid');
    expectError(await request(app).get('/v1/account').set('X-Appwrite-JWT', 'not.a.jwt'), 401, 'user_jwt_invalid');
    const forged = jwt.sign({ userId: 'x', sessionId: 'y' }, 'another secret entirely');
    expectError(await request(app).get('/v1/account').set('X-Appwrite-JWT', forged), 401, 'user_jwt_invalid');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await request(app).get('/v1/account').set('X-Appwrite-JWT', token);
    expectError(expired, 401, 'user_jwt_invalid');
    expect(expired.body.message).toMatch(/^Failed to verify JWT\./);
  });

  it('stops working once its session is deleted or the user is blocked', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    const token = await jwtFor(cookie);
    await request(app).delete('/v1/account/sessions/current').set('Cookie', cookie);
    expectError(await request(app).get('/v1/account').set('X-Appwrite-JWT', token), 401, 'general_unauthorized_scope');
    const cookie2 = await signIn(app);
    const token2 = await jwtFor(cookie2);
    await request(app).patch('/v1/account/status').set('Cookie', cookie2);
    expectError(await request(app).get('/v1/account').set('X-Appwrite-JWT', token2), 401, 'user_blocked');
  });

  it.each([[{ duration: 0 }], [{ duration: 3601 }], [{ duration: 'long' }], [{ duration: 1.5 }]])('refuses %j with 400', async (body) => {
    await signUp(app);
    const cookie = await signIn(app);
    expectError(await request(app).post('/v1/account/jwts').set('Cookie', cookie).send(body), 400, 'general_argument_invalid');
  });

  it('names the range with thousands separators, as Appwrite does', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    const res = await request(app).post('/v1/account/jwts').set('Cookie', cookie).send({ duration: 3601 });
    expect(res.body.message).toBe('Invalid `duration` param: Value must be a valid range between 1 and 3,600');
  });

  it('answers guests with 401', async () => {
    expectError(await request(app).post('/v1/account/jwts'), 401, 'general_unauthorized_scope');
  });
});

describe('listLogs (GET /account/logs)', () => {
  it('records account and session events, newest first, with limit/offset queries in both syntaxes', async () => {
    await signUp(app);
    const cookie = await signIn(app);
    await request(app).patch('/v1/account/name').set('Cookie', cookie).send({ name: 'Ada' });
    await request(app).patch('/v1/account/prefs').set('Cookie', cookie).send({ prefs: { a: 1 } });
    const res = await request(app).get('/v1/account/logs').set('Cookie', cookie).set('User-Agent', 'curl/8.0');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.logs.map((l: { event: string }) => l.event)).toEqual(['user.update', 'user.update', 'session.create', 'user.create']);
    expect(Object.keys(res.body.logs[0])).toEqual([
      'event', 'userId', 'userEmail', 'userName', 'mode', 'userType', 'ip', 'time', 'osCode', 'osName', 'osVersion', 'clientType',
      'clientCode', 'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel',
      'countryCode', 'countryName',
    ]);
    expect(res.body.logs[0]).toMatchObject({ userEmail: 'ada@example.com', mode: 'default', ip: '127.0.0.1' });
    const json = await request(app).get('/v1/account/logs').set('Cookie', cookie).query({ 'queries[0]': '{"method":"limit","values":[1]}', 'queries[1]': '{"method":"offset","values":[1]}' });
    expect(json.body.logs.map((l: { event: string }) => l.event)).toEqual(['user.update']);
    const old = await request(app).get('/v1/account/logs?queries[]=limit(2)&queries[]=offset(2)&total=false').set('Cookie', cookie);
    expect(old.body.total).toBe(0);
    expect(old.body.logs.map((l: { event: string }) => l.event)).toEqual(['session.create', 'user.create']);
  });

  it.each(['equal("event", ["x"])', '{"method":"limit","values":["x"]}', 'limit(', '{bad json', '{"method":"limit","values":[-1]}'])(
    'refuses the query %s with 400 general_query_invalid',
    async (query) => {
      await signUp(app);
      const cookie = await signIn(app);
      expectError(await request(app).get('/v1/account/logs').set('Cookie', cookie).query({ 'queries[]': query }), 400, 'general_query_invalid');
    },
  );

  it('records session.delete and keeps the log after the session is gone', async () => {
    await signUp(app);
    const first = await signIn(app);
    await request(app).delete('/v1/account/sessions/current').set('Cookie', first);
    const second = await signIn(app);
    const events = (await request(app).get('/v1/account/logs').set('Cookie', second)).body.logs.map((l: { event: string }) => l.event);
    expect(events).toEqual(['session.create', 'session.delete', 'session.create', 'user.create']);
  });
});
