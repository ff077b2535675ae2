// /account/tokens/* and their exchange for a session (POST /account/sessions/token and the
// deprecated PUT /account/sessions/magic-url and /phone), over HTTP with supertest. Mail and SMS
// go to in-memory providers here; test/sdk/tokens.test.ts uses a real SMTP server.
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { cookieOf, expectError, later, testInstance, testRouter } from '../helpers/test-instance';
import { codeIn, linkIn } from '../helpers/smtp';
import { SecretHasher } from '../../lib/core/secrets';
import type { AccountRouter, AccountRouterOptions, MailMessage, SmsMessage, StorageAdapter } from '../../lib';

const SERVER_SECRET = 'a-test-server-secret-of-some-length';
let router: AccountRouter;
let app: express.Express;
let storage: StorageAdapter;
let mails: MailMessage[];
let texts: SmsMessage[];

function setUp(options: AccountRouterOptions = {}) {
  ({ router, app, storage, mails, texts } = testInstance({ secret: SERVER_SECRET, ...options }));
}
beforeEach(() => setUp());
afterEach(() => router.close());

const lastMail = () => mails[mails.length - 1]!;
const lastText = () => texts[texts.length - 1]!;

async function emailToken(email = 'ada@example.com', extra: Record<string, unknown> = {}) {
  const res = await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email, ...extra });
  expect(res.status).toBe(201);
  return { token: res.body as { $id: string; userId: string; expire: string; phrase: string; secret: string }, code: codeIn(lastMail().text) };
}

async function magicToken(email = 'ada@example.com', url = 'http://localhost:5173/magic?from=mail') {
  const res = await request(app).post('/v1/account/tokens/magic-url').send({ userId: 'unique()', email, url });
  expect(res.status).toBe(201);
  return { token: res.body as { userId: string; expire: string }, link: linkIn(lastMail().text) };
}

async function phoneToken(phone = '+14155550100') {
  const res = await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone });
  expect(res.status).toBe(201);
  return { token: res.body as { userId: string; expire: string }, code: lastText().message };
}

function exchange(userId: string, secret: string, path = '/v1/account/sessions/token', method: 'post' | 'put' = 'post') {
  return request(app)[method](path).send({ userId, secret });
}

describe('createEmailToken (POST /account/tokens/email)', () => {
  it('creates the user with an email target and mails a 6-digit code valid 15 minutes; the Token hides the secret', async () => {
    const res = await request(app).post('/v1/account/tokens/email').send({ userId: 'ada-1', email: 'Ada@Example.com' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['$id', '$createdAt', 'userId', 'secret', 'expire', 'phrase']);
    expect(res.body).toMatchObject({ userId: 'ada-1', secret: '', phrase: '' });
    expect(Math.abs(new Date(res.body.expire).getTime() - (Date.now() + 15 * 60_000))).toBeLessThan(5000);
    const user = await storage.users.get('ada-1');
    expect(user).toMatchObject({ email: 'ada@example.com', emailVerification: false, passwordHash: null });
    expect(user!.targets).toEqual([expect.objectContaining({ providerType: 'email', identifier: 'ada@example.com' })]);
    expect(mails).toHaveLength(1);
    expect(lastMail()).toMatchObject({ to: 'ada@example.com', subject: 'OTP for account-router Login' });
    expect(lastMail().text).toMatch(/\b\d{6}\b/);
    expect(lastMail().text).toContain('expires in 15 minutes');
    expect(lastMail().html).toContain(codeIn(lastMail().text));
  });

  it('gives an existing user the token and ignores the userId sent', async () => {
    const first = await emailToken();
    const res = await request(app).post('/v1/account/tokens/email').send({ userId: 'someone-else', email: 'ada@example.com' });
    expect(res.status).toBe(201);
    expect(res.body.userId).toBe(first.token.userId);
    expect(await storage.users.get('someone-else')).toBeNull();
    expect(await storage.users.count()).toBe(1);
  });

  it('returns a security phrase "<Adjective> <noun>" when asked, and prints it in the mail', async () => {
    const { token } = await emailToken('ada@example.com', { phrase: true });
    expect(token.phrase).toMatch(/^[A-Z][a-z]+ [a-z]+$/);
    expect(lastMail().text).toContain(`Security phrase: ${token.phrase}`);
  });

  it('is open to signed-in callers too (they cannot redeem it, though)', async () => {
    const { token, code } = await emailToken();
    const session = await exchange(token.userId, code);
    const res = await request(app).post('/v1/account/tokens/email').set('Cookie', cookieOf(session)).send({ userId: 'unique()', email: 'ada@example.com' });
    expect(res.status).toBe(201);
    expectError(await request(app).post('/v1/account/sessions/token').set('Cookie', cookieOf(session)).send({}), 401, 'user_session_already_exists');
  });

  it('mails in the request locale when a template for it is configured', async () => {
    await router.close();
    setUp({ templates: { fr: { emailOtp: { subject: 'Code de connexion à {{project}}' } } } });
    await request(app).post('/v1/account/tokens/email').set('X-Appwrite-Locale', 'fr-FR').send({ userId: 'unique()', email: 'ada@example.com' });
    expect(lastMail().subject).toBe('Code de connexion à account-router');
    await request(app).post('/v1/account/tokens/email').set('X-Appwrite-Locale', 'de').send({ userId: 'unique()', email: 'ada@example.com' });
    expect(lastMail().subject).toBe('Anmeldecode für account-router');
  });

  it.each([
    [{ email: 'ada@example.com' }, 'Param "userId" is not optional.'],
    [{ userId: 'unique()' }, 'Param "email" is not optional.'],
    [{ userId: '_bad', email: 'ada@example.com' }, /^Invalid `userId` param/],
    [{ userId: 'unique()', email: 'not-an-email' }, /^Invalid `email` param/],
    [{ userId: 'unique()', email: 'ada@example.com', phrase: 'yes' }, /^Invalid `phrase` param/],
  ])('refuses %j with 400 general_argument_invalid', async (body, message) => {
    const res = await request(app).post('/v1/account/tokens/email').send(body);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toMatch(message);
    expect(mails).toHaveLength(0);
  });

  it('answers 503 general_smtp_disabled without a mailer, creating nothing', async () => {
    await router.close();
    setUp({ mailer: undefined });
    expectError(await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'ada@example.com' }), 503, 'general_smtp_disabled');
    expect(await storage.users.count()).toBe(0);
  });

  it('answers 500 general_server_error when the mailer fails, leaving no user and no usable token', async () => {
    await router.close();
    let fail = true;
    setUp({
      mailer: async (message) => {
        mails.push(message);
        if (fail) throw new Error('SMTP down');
      },
    });
    const res = await request(app).post('/v1/account/tokens/email').send({ userId: 'new-user', email: 'ada@example.com' });
    expectError(res, 500, 'general_server_error');
    expect(res.body.message).toMatch(/could not be delivered/);
    expect(await storage.users.get('new-user')).toBeNull();
    expect(await storage.users.getByEmail('ada@example.com')).toBeNull();
    // An existing user is kept, but the undelivered code is gone.
    fail = false;
    const { token, code } = await emailToken();
    fail = true;
    expectError(await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'ada@example.com' }), 500, 'general_server_error');
    const undelivered = codeIn(lastMail().text);
    expect(await storage.users.get(token.userId)).not.toBeNull();
    if (undelivered !== code) expectError(await exchange(token.userId, undelivered), 401, 'user_invalid_token');
    expect((await exchange(token.userId, code)).status).toBe(201);
  });

  it('refuses an email tied to an OAuth2 identity with 400 general_bad_request', async () => {
    const { token } = await emailToken('grace@example.com');
    const now = new Date();
    await storage.identities.create({
      id: 'identity1', userId: token.userId, createdAt: now, updatedAt: now, provider: 'github', providerUid: '42',
      providerEmail: 'ada@example.com', providerAccessToken: '', providerRefreshToken: '', providerAccessTokenExpiry: null, providerIdToken: '',
    });
    expectError(await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'ada@example.com' }), 400, 'general_bad_request');
  });

  it('refuses a new user whose id is taken with 409 user_already_exists', async () => {
    await request(app).post('/v1/account/tokens/email').send({ userId: 'taken', email: 'ada@example.com' });
    expectError(await request(app).post('/v1/account/tokens/email').send({ userId: 'taken', email: 'bob@example.com' }), 409, 'user_already_exists');
  });

  it('honours userLimit for new users only', async () => {
    await router.close();
    setUp({ userLimit: 1 });
    await emailToken('ada@example.com');
    expectError(await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'bob@example.com' }), 400, 'user_count_exceeded');
    expect((await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'ada@example.com' })).status).toBe(201);
  });

  it('writes session.create to the security log of the user', async () => {
    const { token, code } = await emailToken();
    const session = await exchange(token.userId, code);
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookieOf(session));
    expect(logs.body.logs.map((l: { event: string }) => l.event)).toEqual(['session.create', 'session.create']);
  });
});

describe('createMagicURLToken (POST /account/tokens/magic-url)', () => {
  it('mails url + userId, a 64-hex secret, expire and project, valid 1 hour', async () => {
    const { token, link } = await magicToken();
    expect(link.origin + link.pathname).toBe('http://localhost:5173/magic');
    expect(link.searchParams.get('from')).toBe('mail');
    expect(link.searchParams.get('userId')).toBe(token.userId);
    expect(link.searchParams.get('secret')).toMatch(/^[0-9a-f]{64}$/);
    expect(link.searchParams.get('expire')).toBe(token.expire);
    expect(link.searchParams.get('project')).toBe('default');
    expect(Math.abs(new Date(token.expire).getTime() - (Date.now() + 3_600_000))).toBeLessThan(5000);
    expect(lastMail()).toMatchObject({ to: 'ada@example.com', subject: 'account-router Login' });
    expect(lastMail().text).toContain('expires in 1 hour');
  });

  it('is served at the 1.4-era path POST /account/sessions/magic-url too', async () => {
    const res = await request(app).post('/v1/account/sessions/magic-url').send({ userId: 'unique()', email: 'ada@example.com', url: 'http://localhost/m' });
    expect(res.status).toBe(201);
    expect(linkIn(lastMail().text).searchParams.get('userId')).toBe(res.body.userId);
  });

  it.each(['https://evil.example/', '//evil.example/', 'javascript:alert(1)', 'http://localhost.evil.example/', 'http://localhost@evil.example/', 'http://evil.example\\@localhost/', 'localhost/magic'])(
    'refuses the redirect URL %s with 400 general_argument_invalid',
    async (url) => {
      const res = await request(app).post('/v1/account/tokens/magic-url').send({ userId: 'unique()', email: 'ada@example.com', url });
      expectError(res, 400, 'general_argument_invalid');
      expect(res.body.message).toMatch(/^Invalid `url` param: Invalid URI/);
      expect(await storage.users.count()).toBe(0);
    },
  );

  it('needs url unless defaultMagicUrl is configured', async () => {
    const res = await request(app).post('/v1/account/tokens/magic-url').send({ userId: 'unique()', email: 'ada@example.com' });
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toBe('Param "url" is not optional.');
    await router.close();
    setUp({ defaultMagicUrl: 'https://app.example.com/auth/magic' });
    expect((await request(app).post('/v1/account/tokens/magic-url').send({ userId: 'unique()', email: 'ada@example.com' })).status).toBe(201);
    expect(linkIn(lastMail().text).origin).toBe('https://app.example.com');
  });

  it('refuses an email tied to an OAuth2 identity with 409 user_email_already_exists', async () => {
    const { token } = await magicToken('grace@example.com');
    const now = new Date();
    await storage.identities.create({
      id: 'identity1', userId: token.userId, createdAt: now, updatedAt: now, provider: 'github', providerUid: '42',
      providerEmail: 'ada@example.com', providerAccessToken: '', providerRefreshToken: '', providerAccessTokenExpiry: null, providerIdToken: '',
    });
    expectError(await request(app).post('/v1/account/tokens/magic-url').send({ userId: 'unique()', email: 'ada@example.com', url: 'http://localhost/' }), 409, 'user_email_already_exists');
  });

  it('answers 503 without a mailer and 500 when it fails, creating nothing', async () => {
    await router.close();
    setUp({ mailer: undefined });
    expectError(await request(app).post('/v1/account/tokens/magic-url').send({ userId: 'unique()', email: 'ada@example.com', url: 'http://localhost/' }), 503, 'general_smtp_disabled');
    await router.close();
    setUp({ mailer: { send: async () => Promise.reject(new Error('down')) } });
    expectError(await request(app).post('/v1/account/tokens/magic-url').send({ userId: 'unique()', email: 'ada@example.com', url: 'http://localhost/' }), 500, 'general_server_error');
    expect(await storage.users.count()).toBe(0);
  });
});

describe('createPhoneToken (POST /account/tokens/phone)', () => {
  it('creates the user with an sms target and texts the bare 6-digit code, valid 15 minutes', async () => {
    const res = await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone: '+14155550100' });
    expect(res.status).toBe(201);
    expect(res.body.secret).toBe('');
    expect(Math.abs(new Date(res.body.expire).getTime() - (Date.now() + 15 * 60_000))).toBeLessThan(5000);
    expect(lastText().to).toBe('+14155550100');
    expect(lastText().message).toMatch(/^\d{6}$/);
    const user = await storage.users.get(res.body.userId);
    expect(user).toMatchObject({ phone: '+14155550100', email: null, phoneVerification: false });
    expect(user!.targets).toEqual([expect.objectContaining({ providerType: 'sms', identifier: '+14155550100' })]);
  });

  it('gives an existing user the token, also at the 1.4-era path POST /account/sessions/phone', async () => {
    const first = await phoneToken();
    const res = await request(app).post('/v1/account/sessions/phone').send({ userId: 'unique()', phone: '+14155550100' });
    expect(res.status).toBe(201);
    expect(res.body.userId).toBe(first.token.userId);
  });

  it('refuses a phone number that is not E.164 with 400', async () => {
    for (const phone of ['4155550100', '+0123456789', '+1 415 555 0100', '+1234']) {
      expectError(await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone }), 400, 'general_argument_invalid');
    }
  });

  it('answers 503 general_phone_disabled without an SMS provider and 500 when it fails, creating nothing', async () => {
    await router.close();
    setUp({ sms: undefined });
    expectError(await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone: '+14155550100' }), 503, 'general_phone_disabled');
    await router.close();
    setUp({ sms: async () => Promise.reject(new Error('gateway down')) });
    expectError(await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone: '+14155550100' }), 500, 'general_server_error');
    expect(await storage.users.getByPhone('+14155550100')).toBeNull();
  });

  it('gives a mock number its fixed code and texts nothing, for sign-in and for phone verification', async () => {
    await router.close();
    setUp({ mockNumbers: [{ phone: '+14155550199', otp: '123456' }, { phone: '+14155550198', otp: '111222' }] });
    const res = await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone: '+14155550199' });
    expect(res.status).toBe(201);
    expect(texts).toEqual([]);
    expectError(await exchange(res.body.userId, '654321'), 401, 'user_invalid_token');
    const session = await exchange(res.body.userId, '123456');
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({ provider: 'phone', factors: ['phone'] });

    // A user who puts the mock number on their account verifies it with the same code.
    await request(app).post('/v1/account').send({ userId: 'unique()', email: 'mock@example.com', password: 'password 123' }).expect(201);
    const signedIn = await request(app).post('/v1/account/sessions/email').send({ email: 'mock@example.com', password: 'password 123' }).expect(201);
    const cookie = cookieOf(signedIn);
    await request(app).patch('/v1/account/phone').set('cookie', cookie).send({ phone: '+14155550198', password: 'password 123' }).expect(200);
    const verify = await request(app).post('/v1/account/verifications/phone').set('cookie', cookie);
    expect(verify.status).toBe(201);
    expect(texts).toEqual([]);
    await request(app).put('/v1/account/verifications/phone').set('cookie', cookie).send({ userId: signedIn.body.userId, secret: '111222' }).expect(200);
    expect((await storage.users.get(signedIn.body.userId))!.phoneVerification).toBe(true);

    await phoneToken('+14155550100');
    expect(lastText().message).toMatch(/^\d{6}$/);
  });

  it('refuses malformed mock numbers when the router is created', () => {
    for (const mockNumbers of [[{ phone: '4155550199', otp: '123456' }], [{ phone: '+14155550199', otp: '12345' }], 'none']) {
      expect(() => testRouter({ mockNumbers: mockNumbers as never })).toThrow(/mockNumbers/);
    }
  });
});

describe('createSession (POST /account/sessions/token)', () => {
  it('exchanges an email code for a session (provider token, factors [email]) and verifies the email', async () => {
    const { token, code } = await emailToken();
    const res = await exchange(token.userId, code);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId: token.userId, provider: 'token', providerUid: '', factors: ['email'], current: true, secret: '' });
    expect(res.headers['set-cookie']![0]).toMatch(/^a_session_default=/);
    const account = await request(app).get('/v1/account').set('Cookie', cookieOf(res));
    expect(account.body).toMatchObject({ $id: token.userId, emailVerification: true });
  });

  it('exchanges a magic-URL secret (provider magic-url) and a phone code (provider phone, phone verified)', async () => {
    const magic = await magicToken();
    const viaMagic = await exchange(magic.link.searchParams.get('userId')!, magic.link.searchParams.get('secret')!);
    expect(viaMagic.body).toMatchObject({ provider: 'magic-url', factors: ['email'] });
    const phone = await phoneToken();
    const viaPhone = await exchange(phone.token.userId, phone.code);
    expect(viaPhone.body).toMatchObject({ provider: 'phone', factors: ['phone'] });
    expect((await storage.users.get(phone.token.userId))!.phoneVerification).toBe(true);
  });

  it('gives exactly one session to 10 concurrent requests with the same secret', async () => {
    const { token, code } = await emailToken();
    const results = await Promise.all(Array.from({ length: 10 }, () => exchange(token.userId, code)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const res of results.filter((r) => r.status !== 201)) expectError(res, 401, 'user_invalid_token');
    expect(await storage.sessions.listByUser(token.userId)).toHaveLength(1);
  });

  it('answers a reused, a wrong, an expired secret and an unknown user with 401 user_invalid_token', async () => {
    const { token, code } = await emailToken();
    expect((await exchange(token.userId, code)).status).toBe(201);
    expectError(await exchange(token.userId, code), 401, 'user_invalid_token');
    const second = await emailToken();
    expectError(await exchange(token.userId, second.code === '000000' ? '111111' : '000000'), 401, 'user_invalid_token');
    expectError(await exchange('nobody', second.code), 401, 'user_invalid_token');
    await later(15 * 60_000 + 1000, async () => expectError(await exchange(token.userId, second.code), 401, 'user_invalid_token'));
    const magic = await magicToken();
    await later(3_600_000 + 1000, async () =>
      expectError(await exchange(magic.token.userId, magic.link.searchParams.get('secret')!), 401, 'user_invalid_token'),
    );
  });

  it('never accepts a recovery or verification secret', async () => {
    const { token, code } = await emailToken();
    const session = await exchange(token.userId, code);
    await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url: 'http://localhost/r' });
    const recovery = linkIn(lastMail().text);
    expectError(await exchange(token.userId, recovery.searchParams.get('secret')!), 401, 'user_invalid_token');
    await storage.users.update(token.userId, { emailVerification: false });
    await request(app).post('/v1/account/verification').set('Cookie', cookieOf(session)).send({ url: 'http://localhost/v' });
    expectError(await exchange(token.userId, linkIn(lastMail().text).searchParams.get('secret')!), 401, 'user_invalid_token');
  });

  it('refuses a blocked user with 401 user_blocked even with a valid secret', async () => {
    const first = await emailToken();
    const session = await exchange(first.token.userId, first.code);
    expect((await request(app).patch('/v1/account/status').set('Cookie', cookieOf(session))).status).toBe(200);
    const second = await emailToken();
    expectError(await exchange(second.token.userId, second.code), 401, 'user_blocked');
    expectError(await exchange(second.token.userId, second.code), 401, 'user_invalid_token');
  });

  it('exchanges OAuth2 tokens, plain or wrapped in the 1.9 JWT, and generic tokens', async () => {
    const { token } = await emailToken();
    const hash = (s: string) => new SecretHasher(SERVER_SECRET).hash(s);
    const now = new Date();
    const add = (id: string, type: 'oauth2' | 'generic', secret: string, provider = '') =>
      storage.tokens.create({ id, userId: token.userId, type, createdAt: now, expire: new Date(now.getTime() + 60_000), secretHash: hash(secret), phrase: '', provider });
    await add('t1', 'oauth2', 'a'.repeat(64), 'github');
    const wrapped = jwt.sign({ secret: 'a'.repeat(64), provider: 'github', exp: Math.floor(Date.now() / 1000) + 60 }, SERVER_SECRET, { algorithm: 'HS256' });
    const forged = jwt.sign({ secret: 'a'.repeat(64), provider: 'github' }, 'another-secret-entirely', { algorithm: 'HS256' });
    expectError(await exchange(token.userId, forged), 401, 'user_invalid_token');
    expect((await exchange(token.userId, wrapped)).body).toMatchObject({ provider: 'github', factors: ['email'] });
    await add('t0', 'oauth2', 'd'.repeat(64), 'github');
    const wrongProvider = jwt.sign({ secret: 'd'.repeat(64), provider: 'gitlab' }, SERVER_SECRET, { algorithm: 'HS256' });
    expectError(await exchange(token.userId, wrongProvider), 401, 'user_invalid_token');
    await add('t2', 'oauth2', 'b'.repeat(64), 'github');
    expect((await exchange(token.userId, 'b'.repeat(64))).body).toMatchObject({ provider: 'github' });
    await add('t3', 'generic', 'c'.repeat(64));
    expect((await exchange(token.userId, 'c'.repeat(64))).body).toMatchObject({ provider: 'token', factors: ['token'] });
  });

  it.each([
    [{ secret: '123456' }, 'Param "userId" is not optional.'],
    [{ userId: 'abc' }, 'Param "secret" is not optional.'],
    [{ userId: 'abc', secret: '' }, /^Invalid `secret` param/],
    [{ userId: 'abc', secret: 'x'.repeat(257) }, /^Invalid `secret` param/],
    [{ userId: 'unique()', secret: '123456' }, /^Invalid `userId` param/],
  ])('refuses %j with 400 general_argument_invalid', async (body, message) => {
    const res = await request(app).post('/v1/account/sessions/token').send(body);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toMatch(message);
  });
});

describe('updateMagicURLSession and updatePhoneSession (deprecated PUT routes)', () => {
  it('PUT /account/sessions/magic-url exchanges like createSession', async () => {
    const { link } = await magicToken();
    const res = await exchange(link.searchParams.get('userId')!, link.searchParams.get('secret')!, '/v1/account/sessions/magic-url', 'put');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ provider: 'magic-url', current: true });
    expectError(await exchange(link.searchParams.get('userId')!, link.searchParams.get('secret')!, '/v1/account/sessions/magic-url', 'put'), 401, 'user_invalid_token');
  });

  it('PUT /account/sessions/phone exchanges like createSession and is guest-only', async () => {
    const { token, code } = await phoneToken();
    const res = await exchange(token.userId, code, '/v1/account/sessions/phone', 'put');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ provider: 'phone', factors: ['phone'] });
    const again = await request(app).put('/v1/account/sessions/phone').set('Cookie', cookieOf(res)).send({ userId: token.userId, secret: code });
    expectError(again, 401, 'user_session_already_exists');
  });
});

describe('rate limits', () => {
  beforeEach(async () => {
    await router.close();
    setUp({ rateLimits: true });
  });

  it('POST /account/tokens/email: 10 per hour per email', async () => {
    let res!: request.Response;
    for (let i = 0; i < 10; i++) res = await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'ada@example.com' });
    expect(res.status).toBe(201);
    expect(res.headers['x-ratelimit-limit']).toBe('10');
    expectError(await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'ada@example.com' }), 429, 'general_rate_limit_exceeded');
  });

  it('POST /account/tokens/magic-url allows 60 per hour and the alias shares the counter', async () => {
    const res = await request(app).post('/v1/account/tokens/magic-url').send({ userId: 'unique()', email: 'ada@example.com', url: 'http://localhost/' });
    expect([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']]).toEqual(['60', '59']);
    const alias = await request(app).post('/v1/account/sessions/magic-url').send({ userId: 'unique()', email: 'ada@example.com', url: 'http://localhost/' });
    expect(alias.headers['x-ratelimit-remaining']).toBe('58');
  });

  it('POST /account/sessions/token: 10 per hour per IP and userId, wiped by a success', async () => {
    const { token, code } = await emailToken();
    for (let i = 0; i < 9; i++) expectError(await exchange(token.userId, 'wrong'), 401, 'user_invalid_token');
    expect((await exchange(token.userId, code)).status).toBe(201);
    const again = await exchange(token.userId, 'wrong');
    expect(again.headers['x-ratelimit-remaining']).toBe('9');
    for (let i = 0; i < 9; i++) await exchange(token.userId, 'wrong');
    expectError(await exchange(token.userId, 'wrong'), 429, 'general_rate_limit_exceeded');
  });
});
