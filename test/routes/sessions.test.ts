// /account/sessions*: email/password sign-in, cookies and the fallback header, listing, reading,
// extending and ending sessions, over HTTP with supertest.
import express from 'express';
import request from 'supertest';
import { expectError, later, PASSWORD, signInResponse, signUp, testRouter } from '../helpers/test-instance';
import type { AccountRouter, AccountRouterOptions } from '../../lib';

let router: AccountRouter;
let app: express.Express;
function setUp(options: AccountRouterOptions = {}) {
  router = testRouter(options);
  app = express().use('/v1', router);
}
beforeEach(() => setUp());
afterEach(() => router.close());


describe('createEmailPasswordSession (POST /account/sessions/email)', () => {
  it('answers 201 with every Session field in the spec order', async () => {
    const user = await signUp(app);
    const { res } = await signInResponse(app, 'ADA@example.com');
    expect(Object.keys(res.body)).toEqual([
      '$id', '$createdAt', '$updatedAt', 'userId', 'expire', 'provider', 'providerUid', 'providerAccessToken',
      'providerAccessTokenExpiry', 'providerRefreshToken', 'ip', 'osCode', 'osName', 'osVersion', 'clientType', 'clientCode',
      'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel',
      'countryCode', 'countryName', 'current', 'factors', 'secret', 'mfaUpdatedAt',
    ]);
    expect(res.body).toMatchObject({ userId: user.$id, provider: 'email', providerUid: 'ada@example.com', current: true, secret: '', countryCode: '--', countryName: 'Unknown' });
    const year = Date.now() + 365 * 24 * 3600 * 1000;
    expect(Math.abs(new Date(res.body.expire).getTime() - year)).toBeLessThan(60_000);
  });

  it('sets an HttpOnly, SameSite=Lax, host-only cookie holding base64 {id, secret}', async () => {
    const user = await signUp(app);
    const { res } = await signInResponse(app);
    const [cookie] = res.headers['set-cookie'] as unknown as string[];
    expect(cookie).toMatch(/^a_session_default=[A-Za-z0-9%]+; Expires=[^;]+ GMT; Path=\/; HttpOnly; SameSite=Lax$/);
    const value = JSON.parse(Buffer.from(decodeURIComponent(cookie!.split(';')[0]!.split('=')[1]!), 'base64').toString());
    expect(value.id).toBe(user.$id);
    expect(value.secret).toMatch(/^[0-9a-f]{256}$/);
  });

  it('marks the cookie Secure over HTTPS (from a trusted proxy) and adds the _legacy twin with SameSite=None', async () => {
    await router.close();
    setUp({ cookie: { sameSite: 'none' }, trustProxy: 'loopback' });
    await signUp(app);
    const { res } = await signInResponse(app, 'ada@example.com', PASSWORD, { 'X-Forwarded-Proto': 'https' });
    const cookies = res.headers['set-cookie'] as unknown as string[];
    expect(cookies[0]).toMatch(/; Secure; HttpOnly; SameSite=None$/);
    expect(cookies[1]).toMatch(/^a_session_default_legacy=.*; Secure; HttpOnly$/);
  });

  it('sends X-Fallback-Cookies unless the origin is the API host itself', async () => {
    await router.close();
    setUp({ allowedHosts: ['localhost', '127.0.0.1', 'app.example.com'] });
    await signUp(app);
    const noOrigin = (await signInResponse(app)).res;
    expect(JSON.parse(noOrigin.headers['x-fallback-cookies']!)).toHaveProperty('a_session_default');
    const sameHost = (await signInResponse(app, 'ada@example.com', PASSWORD, { Origin: 'http://127.0.0.1:3000' })).res;
    expect(sameHost.headers['x-fallback-cookies']).toBeUndefined();
    const otherSite = (await signInResponse(app, 'ada@example.com', PASSWORD, { Origin: 'https://app.example.com' })).res;
    expect(otherSite.headers['x-fallback-cookies']).toBeDefined();
  });

  it('serves the 0.6-era alias POST /account/sessions', async () => {
    await signUp(app);
    const res = await request(app).post('/v1/account/sessions').send({ email: 'ada@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.provider).toBe('email');
  });

  it.each([
    [{ password: PASSWORD }, 'Param "email" is not optional.'],
    [{ email: 'ada@example.com' }, 'Param "password" is not optional.'],
    [{ email: 'nope', password: PASSWORD }, /^Invalid `email` param/],
    [{ email: 'ada@example.com', password: 'short' }, /^Invalid `password` param/],
    [{ email: 'ada@example.com', password: true }, /^Invalid `password` param/],
  ])('refuses %j with 400 general_argument_invalid', async (body, message) => {
    const res = await request(app).post('/v1/account/sessions/email').send(body);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toMatch(message);
  });

  it('answers unknown emails and wrong passwords alike with 401 user_invalid_credentials', async () => {
    await signUp(app);
    const wrong = await request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: 'wrong password' });
    const unknown = await request(app).post('/v1/account/sessions/email').send({ email: 'bob@example.com', password: 'wrong password' });
    expectError(wrong, 401, 'user_invalid_credentials');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a signed-in caller with 401 user_session_already_exists before validating', async () => {
    await signUp(app);
    const { cookie } = await signInResponse(app);
    const res = await request(app).post('/v1/account/sessions/email').set('Cookie', cookie).send({});
    expectError(res, 401, 'user_session_already_exists');
  });

  it('keeps at most session.maxPerUser sessions, deleting the oldest', async () => {
    await router.close();
    setUp({ session: { maxPerUser: 2 } });
    await signUp(app);
    const first = await signInResponse(app);
    const second = await signInResponse(app);
    const third = await signInResponse(app);
    expectError(await request(app).get('/v1/account').set('Cookie', first.cookie), 401, 'general_unauthorized_scope');
    const list = await request(app).get('/v1/account/sessions').set('Cookie', third.cookie);
    expect(list.body.sessions.map((s: { $id: string }) => s.$id)).toEqual([second.res.body.$id, third.res.body.$id]);
  });

  it('stops accepting a session once it has expired', async () => {
    await router.close();
    setUp({ session: { durationSeconds: 5 } });
    await signUp(app);
    const { cookie } = await signInResponse(app);
    expect((await request(app).get('/v1/account').set('Cookie', cookie)).status).toBe(200);
    await later(6000, async () => expectError(await request(app).get('/v1/account').set('Cookie', cookie), 401, 'general_unauthorized_scope'));
  });
});

describe('listSessions, getSession, updateSession, deleteSession, deleteSessions', () => {
  it('listSessions answers {total, sessions} oldest first with current set on the caller', async () => {
    await signUp(app);
    const a = await signInResponse(app);
    const b = await signInResponse(app);
    const res = await request(app).get('/v1/account/sessions').set('Cookie', b.cookie);
    expect(Object.keys(res.body)).toEqual(['total', 'sessions']);
    expect(res.body.total).toBe(2);
    expect(res.body.sessions.map((s: { $id: string; current: boolean }) => [s.$id, s.current])).toEqual([
      [a.res.body.$id, false],
      [b.res.body.$id, true],
    ]);
  });

  it('getSession rejects a malformed id with 400 and an unknown one with 404', async () => {
    await signUp(app);
    const { cookie } = await signInResponse(app);
    expectError(await request(app).get('/v1/account/sessions/_bad').set('Cookie', cookie), 400, 'general_argument_invalid');
    expectError(await request(app).get('/v1/account/sessions/abc').set('Cookie', cookie), 404, 'user_session_not_found');
  });

  it('updateSession extends the expiry without re-issuing the cookie', async () => {
    await signUp(app);
    const { cookie, res: login } = await signInResponse(app);
    const res = await request(app).patch('/v1/account/sessions/current').set('Cookie', cookie).send({});
    expect(res.status).toBe(200);
    expect(res.body.$id).toBe(login.body.$id);
    expect(new Date(res.body.expire).getTime()).toBeGreaterThanOrEqual(new Date(login.body.expire).getTime());
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('deleteSession("current") answers 204 with no body and clears both cookies', async () => {
    await signUp(app);
    const { cookie } = await signInResponse(app);
    const res = await request(app).delete('/v1/account/sessions/current').set('Cookie', cookie).send({});
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    const cleared = res.headers['set-cookie'] as unknown as string[];
    expect(cleared.map((c) => c.split('=')[0])).toEqual(['a_session_default', 'a_session_default_legacy']);
    expect(new Date(cleared[0]!.match(/Expires=([^;]+)/)![1]!).getTime()).toBeLessThan(Date.now());
    expect(res.headers['x-fallback-cookies']).toBe('[]');
    expectError(await request(app).get('/v1/account').set('Cookie', cookie), 401, 'general_unauthorized_scope');
  });

  it('deleteSession of another session leaves the cookie alone', async () => {
    await signUp(app);
    const a = await signInResponse(app);
    const b = await signInResponse(app);
    const res = await request(app).delete(`/v1/account/sessions/${a.res.body.$id}`).set('Cookie', b.cookie);
    expect(res.status).toBe(204);
    expect(res.headers['set-cookie']).toBeUndefined();
    expectError(await request(app).get('/v1/account').set('Cookie', a.cookie), 401, 'general_unauthorized_scope');
  });

  it('deleteSessions ends every session and clears the cookie', async () => {
    await signUp(app);
    const a = await signInResponse(app);
    const b = await signInResponse(app);
    const res = await request(app).delete('/v1/account/sessions').set('Cookie', b.cookie);
    expect(res.status).toBe(204);
    expect(res.headers['set-cookie']).toBeDefined();
    for (const cookie of [a.cookie, b.cookie]) {
      expectError(await request(app).get('/v1/account/sessions').set('Cookie', cookie), 401, 'general_unauthorized_scope');
    }
  });

  it('every session route answers guests with 401 general_unauthorized_scope', async () => {
    for (const [method, path] of [
      ['get', '/v1/account/sessions'],
      ['delete', '/v1/account/sessions'],
      ['get', '/v1/account/sessions/current'],
      ['patch', '/v1/account/sessions/current'],
      ['delete', '/v1/account/sessions/current'],
    ] as const) {
      expectError(await request(app)[method](path), 401, 'general_unauthorized_scope');
    }
  });
});
