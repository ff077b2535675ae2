// /account/recovery: mailing the reset link and setting the new password with it, over HTTP.
import express from 'express';
import request from 'supertest';
import { expectError, later, PASSWORD, signIn, signUp, testInstance } from '../helpers/test-instance';
import { linkIn } from '../helpers/smtp';
import type { AccountRouter, AccountRouterOptions, MailMessage, StorageAdapter } from '../../lib';

let router: AccountRouter;
let app: express.Express;
let storage: StorageAdapter;
let mails: MailMessage[];

function setUp(options: AccountRouterOptions = {}) {
  ({ router, app, storage, mails } = testInstance(options));
}
beforeEach(() => setUp());
afterEach(() => router.close());

const NEW_PASSWORD = 'a brand new password';
const URL_OK = 'http://localhost:5173/reset';

async function recover(email = 'ada@example.com') {
  const res = await request(app).post('/v1/account/recovery').send({ email, url: URL_OK });
  expect(res.status).toBe(201);
  const link = linkIn(mails[mails.length - 1]!.text);
  return { token: res.body, userId: link.searchParams.get('userId')!, secret: link.searchParams.get('secret')! };
}

describe('createRecovery (POST /account/recovery)', () => {
  it('mails the user, by name, a link with userId, a 256-hex secret and expire, valid 1 hour', async () => {
    const { $id: id } = await signUp(app, 'ada@example.com', { name: 'Ada' });
    const res = await request(app).post('/v1/account/recovery').send({ email: 'ADA@example.com', url: `${URL_OK}?lang=en` });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['$id', '$createdAt', 'userId', 'secret', 'expire', 'phrase']);
    expect(res.body).toMatchObject({ userId: id, secret: '' });
    expect(Math.abs(new Date(res.body.expire).getTime() - (Date.now() + 3_600_000))).toBeLessThan(5000);
    expect(mails[0]).toMatchObject({ to: 'ada@example.com', toName: 'Ada', subject: 'Password Reset for account-router' });
    const link = linkIn(mails[0]!.text);
    expect(link.origin + link.pathname).toBe(URL_OK);
    expect(link.searchParams.get('lang')).toBe('en');
    expect(link.searchParams.get('userId')).toBe(id);
    expect(link.searchParams.get('secret')).toMatch(/^[0-9a-f]{256}$/);
    expect(link.searchParams.get('expire')).toBe(res.body.expire);
  });

  it('answers 404 user_not_found for an unknown email and 401 user_blocked for a blocked user', async () => {
    expectError(await request(app).post('/v1/account/recovery').send({ email: 'nobody@example.com', url: URL_OK }), 404, 'user_not_found');
    await signUp(app);
    const cookie = await signIn(app);
    await request(app).patch('/v1/account/status').set('Cookie', cookie);
    expectError(await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url: URL_OK }), 401, 'user_blocked');
    expect(mails).toHaveLength(0);
  });

  it('with recovery.revealUnknownEmail false answers unknown and blocked emails like real ones, mailing nobody', async () => {
    await router.close();
    setUp({ recovery: { revealUnknownEmail: false } });
    const real = await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url: URL_OK });
    expect(real.status).toBe(201);
    expect(Object.keys(real.body)).toEqual(['$id', '$createdAt', 'userId', 'secret', 'expire', 'phrase']);
    expect(real.body.userId).toMatch(/^[0-9a-f]{20}$/);
    expect(mails).toHaveLength(0);
    await signUp(app);
    expect((await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url: URL_OK })).status).toBe(201);
    expect(mails).toHaveLength(1);
  });

  it.each(['https://evil.example/', '//evil.example/', 'javascript:alert(1)', 'http://localhost.evil.example/', 'http://localhost@evil.example/', 'http://evil.example\\@localhost/'])(
    'refuses the redirect URL %s with 400 general_argument_invalid',
    async (url) => {
      await signUp(app);
      expectError(await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url }), 400, 'general_argument_invalid');
      expect(mails).toHaveLength(0);
    },
  );

  it.each([
    [{ url: URL_OK }, 'Param "email" is not optional.'],
    [{ email: 'ada@example.com' }, 'Param "url" is not optional.'],
    [{ email: 'nope', url: URL_OK }, /^Invalid `email` param/],
  ])('refuses %j with 400 general_argument_invalid', async (body, message) => {
    const res = await request(app).post('/v1/account/recovery').send(body);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toMatch(message);
  });

  it('answers 503 without a mailer, and 500 when it fails leaving no usable link', async () => {
    await router.close();
    setUp({ mailer: undefined });
    await signUp(app);
    expectError(await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url: URL_OK }), 503, 'general_smtp_disabled');
    await router.close();
    const failed: MailMessage[] = [];
    setUp({
      mailer: async (m) => {
        failed.push(m);
        throw new Error('down');
      },
    });
    const { $id: id } = await signUp(app);
    expectError(await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url: URL_OK }), 500, 'general_server_error');
    const secret = linkIn(failed[0]!.text).searchParams.get('secret');
    expectError(await request(app).put('/v1/account/recovery').send({ userId: id, secret, password: NEW_PASSWORD }), 401, 'user_invalid_token');
  });
});

describe('updateRecovery (PUT /account/recovery)', () => {
  it('sets the password, verifies the email, ends every session and answers 200 with the consumed Token', async () => {
    await signUp(app);
    const before = await signIn(app);
    const { token, userId, secret } = await recover();
    const res = await request(app).put('/v1/account/recovery').send({ userId, secret, password: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $id: token.$id, userId, secret: '' });
    expectError(await request(app).get('/v1/account').set('Cookie', before), 401, 'general_unauthorized_scope');
    expectError(await request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD }), 401, 'user_invalid_credentials');
    const after = await signIn(app, 'ada@example.com', NEW_PASSWORD);
    const account = await request(app).get('/v1/account').set('Cookie', after);
    expect(account.body.emailVerification).toBe(true);
    expect(new Date(account.body.passwordUpdate).getTime()).toBeGreaterThan(Date.now() - 5000);
  });

  it('works once per link: reuse, a wrong secret and an expired link are 401 user_invalid_token', async () => {
    await signUp(app);
    const { userId, secret } = await recover();
    expectError(await request(app).put('/v1/account/recovery').send({ userId, secret: 'f'.repeat(256), password: NEW_PASSWORD }), 401, 'user_invalid_token');
    expect((await request(app).put('/v1/account/recovery').send({ userId, secret, password: NEW_PASSWORD })).status).toBe(200);
    expectError(await request(app).put('/v1/account/recovery').send({ userId, secret, password: NEW_PASSWORD }), 401, 'user_invalid_token');
    const second = await recover();
    await later(3_600_000 + 1000, async () => {
      expectError(await request(app).put('/v1/account/recovery').send({ userId, secret: second.secret, password: NEW_PASSWORD }), 401, 'user_invalid_token');
    });
  });

  it('answers 404 user_not_found for an unknown user', async () => {
    await signUp(app);
    const { secret } = await recover();
    expectError(await request(app).put('/v1/account/recovery').send({ userId: 'nobody', secret, password: NEW_PASSWORD }), 404, 'user_not_found');
  });

  it('checks passwordAgain when sent (≤1.4 SDKs): a mismatch is 400 user_password_mismatch and keeps the link', async () => {
    await signUp(app);
    const { userId, secret } = await recover();
    expectError(await request(app).put('/v1/account/recovery').send({ userId, secret, password: NEW_PASSWORD, passwordAgain: 'something else' }), 400, 'user_password_mismatch');
    expect((await request(app).put('/v1/account/recovery').send({ userId, secret, password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD })).status).toBe(200);
  });

  it('never accepts a sign-in or verification secret', async () => {
    const { $id: id } = await signUp(app);
    await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'ada@example.com' });
    const code = /\b\d{6}\b/.exec(mails[mails.length - 1]!.text)![0];
    expectError(await request(app).put('/v1/account/recovery').send({ userId: id, secret: code, password: NEW_PASSWORD }), 401, 'user_invalid_token');
  });

  it.each([
    [{ secret: 'abc', password: NEW_PASSWORD }, 'Param "userId" is not optional.'],
    [{ userId: 'abc', password: NEW_PASSWORD }, 'Param "secret" is not optional.'],
    [{ userId: 'abc', secret: 'abc' }, 'Param "password" is not optional.'],
    [{ userId: 'abc', secret: 'abc', password: 'short' }, /^Invalid `password` param/],
  ])('refuses %j with 400 general_argument_invalid', async (body, message) => {
    const res = await request(app).put('/v1/account/recovery').send(body);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toMatch(message);
  });

  it('writes recovery.create and recovery.update to the security log', async () => {
    await signUp(app);
    const { userId, secret } = await recover();
    await request(app).put('/v1/account/recovery').send({ userId, secret, password: NEW_PASSWORD });
    const cookie = await signIn(app, 'ada@example.com', NEW_PASSWORD);
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookie);
    expect(logs.body.logs.map((l: { event: string }) => l.event)).toEqual(['session.create', 'recovery.update', 'recovery.create', 'user.create']);
  });
});
