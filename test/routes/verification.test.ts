// /account/verifications/email and /phone (and the pre-1.8 /account/verification… aliases):
// sending the link or code, and confirming it, over HTTP with supertest.
import express from 'express';
import request from 'supertest';
import { cookieOf, expectError, later, PASSWORD, signedIn, testInstance } from '../helpers/test-instance';
import { linkIn } from '../helpers/smtp';
import type { AccountRouter, AccountRouterOptions, MailMessage, SmsMessage, StorageAdapter } from '../../lib';

let router: AccountRouter;
let app: express.Express;
let storage: StorageAdapter;
let mails: MailMessage[];
let texts: SmsMessage[];

function setUp(options: AccountRouterOptions = {}) {
  ({ router, app, storage, mails, texts } = testInstance(options));
}
beforeEach(() => setUp());
afterEach(() => router.close());

const URL_OK = 'http://localhost:5173/verify?step=2';

async function sendVerification(cookie: string, path = '/v1/account/verifications/email') {
  const res = await request(app).post(path).set('Cookie', cookie).send({ url: URL_OK });
  expect(res.status).toBe(201);
  return { token: res.body, link: linkIn(mails[mails.length - 1]!.text) };
}

const lastText = () => texts[texts.length - 1]!;

describe('createEmailVerification (POST /account/verifications/email)', () => {
  it('mails the user, by name, a link with userId, a 256-hex secret and expire, valid 7 days by default', async () => {
    const { id, cookie } = await signedIn(app, 'ada@example.com', { name: 'Ada Lovelace' });
    const { token, link } = await sendVerification(cookie);
    expect(token).toMatchObject({ userId: id, secret: '', phrase: '' });
    expect(Math.abs(new Date(token.expire).getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(5000);
    expect(mails[0]).toMatchObject({ to: 'ada@example.com', toName: 'Ada Lovelace', subject: 'Account Verification for account-router' });
    expect(mails[0]!.text).toContain('expires in 7 days');
    expect(link.origin + link.pathname).toBe('http://localhost:5173/verify');
    expect(link.searchParams.get('step')).toBe('2');
    expect(link.searchParams.get('userId')).toBe(id);
    expect(link.searchParams.get('secret')).toMatch(/^[0-9a-f]{256}$/);
    expect(link.searchParams.get('expire')).toBe(token.expire);
    expect(link.searchParams.has('project')).toBe(false);
  });

  it('is served at the pre-1.8 path POST /account/verification and honours verification.emailLinkSeconds', async () => {
    await router.close();
    setUp({ verification: { emailLinkSeconds: 3600 } });
    const { cookie } = await signedIn(app);
    const { token } = await sendVerification(cookie, '/v1/account/verification');
    expect(Math.abs(new Date(token.expire).getTime() - (Date.now() + 3_600_000))).toBeLessThan(5000);
    expect(mails[0]!.text).toContain('expires in 1 hour');
  });

  it('answers guests with 401 general_unauthorized_scope', async () => {
    expectError(await request(app).post('/v1/account/verifications/email').send({ url: URL_OK }), 401, 'general_unauthorized_scope');
  });

  it.each(['https://evil.example/', '//evil.example/', 'javascript:alert(1)', 'http://localhost.evil.example/', 'http://localhost@evil.example/', 'http://evil.example\\@localhost/'])(
    'refuses the redirect URL %s with 400 general_argument_invalid',
    async (url) => {
      const { cookie } = await signedIn(app);
      expectError(await request(app).post('/v1/account/verifications/email').set('Cookie', cookie).send({ url }), 400, 'general_argument_invalid');
      expect(mails).toHaveLength(0);
    },
  );

  it('needs url', async () => {
    const { cookie } = await signedIn(app);
    const res = await request(app).post('/v1/account/verifications/email').set('Cookie', cookie).send({});
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toBe('Param "url" is not optional.');
  });

  it('answers 409 user_email_already_verified once verified, and 400 user_email_not_found without an email', async () => {
    const { cookie } = await signedIn(app);
    const { link } = await sendVerification(cookie);
    await request(app).put('/v1/account/verifications/email').send({ userId: link.searchParams.get('userId'), secret: link.searchParams.get('secret') });
    expectError(await request(app).post('/v1/account/verifications/email').set('Cookie', cookie).send({ url: URL_OK }), 409, 'user_email_already_verified');
    const anonymous = await request(app).post('/v1/account/sessions/anonymous');
    const anonymousCookie = cookieOf(anonymous);
    expectError(await request(app).post('/v1/account/verifications/email').set('Cookie', anonymousCookie).send({ url: URL_OK }), 400, 'user_email_not_found');
  });

  it('answers 503 without a mailer, and 500 when it fails leaving no usable token', async () => {
    await router.close();
    setUp({ mailer: undefined });
    const first = await signedIn(app);
    expectError(await request(app).post('/v1/account/verifications/email').set('Cookie', first.cookie).send({ url: URL_OK }), 503, 'general_smtp_disabled');
    await router.close();
    const failed: MailMessage[] = [];
    setUp({
      mailer: async (m) => {
        failed.push(m);
        throw new Error('down');
      },
    });
    const second = await signedIn(app);
    expectError(await request(app).post('/v1/account/verifications/email').set('Cookie', second.cookie).send({ url: URL_OK }), 500, 'general_server_error');
    const link = linkIn(failed[0]!.text);
    expectError(await request(app).put('/v1/account/verifications/email').send({ userId: second.id, secret: link.searchParams.get('secret') }), 401, 'user_invalid_token');
  });
});

describe('updateEmailVerification (PUT /account/verifications/email)', () => {
  it('confirms without a session, answers 200 with the consumed Token and sets emailVerification', async () => {
    const { id, cookie } = await signedIn(app);
    const { token, link } = await sendVerification(cookie);
    const res = await request(app).put('/v1/account/verifications/email').send({ userId: id, secret: link.searchParams.get('secret') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $id: token.$id, userId: id, secret: '' });
    expect((await request(app).get('/v1/account').set('Cookie', cookie)).body.emailVerification).toBe(true);
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookie);
    expect(logs.body.logs.map((l: { event: string }) => l.event).slice(0, 2)).toEqual(['verification.update', 'verification.create']);
  });

  it('is served at PUT /account/verification and each link works once', async () => {
    const { id, cookie } = await signedIn(app);
    const { link } = await sendVerification(cookie, '/v1/account/verification');
    const body = { userId: id, secret: link.searchParams.get('secret') };
    expect((await request(app).put('/v1/account/verification').send(body)).status).toBe(200);
    expectError(await request(app).put('/v1/account/verification').send(body), 401, 'user_invalid_token');
  });

  it('answers 404 user_not_found for an unknown user, 401 user_invalid_token for a wrong or expired secret', async () => {
    const { id, cookie } = await signedIn(app);
    const { link } = await sendVerification(cookie);
    const secret = link.searchParams.get('secret')!;
    expectError(await request(app).put('/v1/account/verifications/email').send({ userId: 'nobody', secret }), 404, 'user_not_found');
    expectError(await request(app).put('/v1/account/verifications/email').send({ userId: id, secret: 'f'.repeat(256) }), 401, 'user_invalid_token');
    await later(7 * 86_400_000 + 1000, async () => {
      expectError(await request(app).put('/v1/account/verifications/email').send({ userId: id, secret }), 401, 'user_invalid_token');
    });
  });

  it.each([
    [{ secret: 'abc' }, 'Param "userId" is not optional.'],
    [{ userId: 'abc' }, 'Param "secret" is not optional.'],
    [{ userId: 'unique()', secret: 'abc' }, /^Invalid `userId` param/],
  ])('refuses %j with 400 general_argument_invalid', async (body, message) => {
    const res = await request(app).put('/v1/account/verifications/email').send(body);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toMatch(message);
  });
});

describe('createPhoneVerification and updatePhoneVerification (/account/verifications/phone)', () => {
  async function withPhone(phone = '+14155550100') {
    const user = await signedIn(app);
    expect((await request(app).patch('/v1/account/phone').set('Cookie', user.cookie).send({ phone, password: PASSWORD })).status).toBe(200);
    return user;
  }

  it('texts a 6-digit code valid 1 hour; confirming it sets phoneVerification', async () => {
    const { id, cookie } = await withPhone();
    const res = await request(app).post('/v1/account/verifications/phone').set('Cookie', cookie).send({});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId: id, secret: '' });
    expect(Math.abs(new Date(res.body.expire).getTime() - (Date.now() + 3_600_000))).toBeLessThan(5000);
    expect(lastText()).toEqual({ to: '+14155550100', message: expect.stringMatching(/^\d{6}$/) });
    const confirm = await request(app).put('/v1/account/verifications/phone').send({ userId: id, secret: lastText().message });
    expect(confirm.status).toBe(200);
    expect(confirm.body.$id).toBe(res.body.$id);
    expect((await request(app).get('/v1/account').set('Cookie', cookie)).body.phoneVerification).toBe(true);
    expectError(await request(app).post('/v1/account/verifications/phone').set('Cookie', cookie).send({}), 409, 'user_phone_already_verified');
  });

  it('is served at /account/verification/phone (POST and PUT)', async () => {
    const { id, cookie } = await withPhone();
    expect((await request(app).post('/v1/account/verification/phone').set('Cookie', cookie)).status).toBe(201);
    expect((await request(app).put('/v1/account/verification/phone').send({ userId: id, secret: lastText().message })).status).toBe(200);
  });

  it('accepts a phone sign-in code and lets its code sign in (one token type, spec §4)', async () => {
    const { id, cookie } = await withPhone();
    await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone: '+14155550100' });
    expect((await request(app).put('/v1/account/verifications/phone').send({ userId: id, secret: lastText().message })).status).toBe(200);
    await storage.users.update(id, { phoneVerification: false });
    await request(app).post('/v1/account/verifications/phone').set('Cookie', cookie);
    const session = await request(app).post('/v1/account/sessions/token').send({ userId: id, secret: lastText().message });
    expect(session.body).toMatchObject({ provider: 'phone', factors: ['phone'] });
  });

  it('answers 400 user_phone_not_found without a phone, 503 without an SMS provider, 500 when it fails', async () => {
    const { cookie } = await signedIn(app);
    expectError(await request(app).post('/v1/account/verifications/phone').set('Cookie', cookie), 400, 'user_phone_not_found');
    await router.close();
    setUp({ sms: undefined });
    expectError(await request(app).post('/v1/account/verifications/phone').set('Cookie', (await withPhone()).cookie), 503, 'general_phone_disabled');
    await router.close();
    setUp({ sms: async () => Promise.reject(new Error('down')) });
    expectError(await request(app).post('/v1/account/verifications/phone').set('Cookie', (await withPhone()).cookie), 500, 'general_server_error');
  });

  it('PUT answers 404 for an unknown user, 401 for a wrong, used or expired code', async () => {
    const { id, cookie } = await withPhone();
    await request(app).post('/v1/account/verifications/phone').set('Cookie', cookie);
    const code = lastText().message;
    expectError(await request(app).put('/v1/account/verifications/phone').send({ userId: 'nobody', secret: code }), 404, 'user_not_found');
    expectError(await request(app).put('/v1/account/verifications/phone').send({ userId: id, secret: code === '000000' ? '111111' : '000000' }), 401, 'user_invalid_token');
    await later(3_600_000 + 1000, async () => {
      expectError(await request(app).put('/v1/account/verifications/phone').send({ userId: id, secret: code }), 401, 'user_invalid_token');
    });
    expect((await request(app).put('/v1/account/verifications/phone').send({ userId: id, secret: code })).status).toBe(200);
    expectError(await request(app).put('/v1/account/verifications/phone').send({ userId: id, secret: code }), 401, 'user_invalid_token');
  });

  it('POST answers guests with 401 general_unauthorized_scope', async () => {
    expectError(await request(app).post('/v1/account/verifications/phone'), 401, 'general_unauthorized_scope');
  });
});
