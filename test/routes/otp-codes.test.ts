// The appwrite@28 code routes, for apps that cannot open links: email verification by code
// (/account/verifications/email/otp) and password recovery by code (/account/recovery/otp), over
// HTTP with supertest. Each shares the rules of its link twin; what differs is tested here: the
// 6-digit code and its 15 minutes, the phrase, the own token type and mail, single use under
// concurrency, and the budget of failed codes.
import express from 'express';
import request from 'supertest';
import { cookieOf, expectError, later, PASSWORD, signedIn, signIn, signUp, testInstance, testRouter } from '../helpers/test-instance';
import { codeIn, linkIn } from '../helpers/smtp';
import { startRangeServer } from '../helpers/range-server';
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
const lastMail = () => mails[mails.length - 1]!;
const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');
const within = (iso: string, ms: number) => Math.abs(new Date(iso).getTime() - (Date.now() + ms)) < 5000;

const createVerification = (cookie: string, body: Record<string, unknown> = {}) => request(app).post('/v1/account/verifications/email/otp').set('Cookie', cookie).send(body);
const confirmVerification = (body: Record<string, unknown>) => request(app).put('/v1/account/verifications/email/otp').send(body);
const createRecoveryCode = (body: Record<string, unknown>) => request(app).post('/v1/account/recovery/otp').send(body);
const recoverWithCode = (body: Record<string, unknown>) => request(app).put('/v1/account/recovery/otp').send(body);

describe('createEmailVerificationOTP (POST /account/verifications/email/otp)', () => {
  it('mails the user a 6-digit code valid 15 minutes in its own mail, and answers the Token', async () => {
    const { id, cookie } = await signedIn(app, 'ada@example.com', { name: 'Ada' });
    const res = await createVerification(cookie);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['$id', '$createdAt', 'userId', 'secret', 'expire', 'phrase']);
    expect(res.body).toMatchObject({ userId: id, secret: '', phrase: '' });
    expect(within(res.body.expire, 15 * 60_000)).toBe(true);
    expect(lastMail()).toMatchObject({ to: 'ada@example.com', toName: 'Ada', subject: 'Account Verification Code for account-router' });
    expect(codeIn(lastMail().text)).toMatch(/^\d{6}$/);
    expect(lastMail().text).not.toContain('http');
  });

  it('with phrase: true, the Token and the mail carry the same security phrase', async () => {
    const { cookie } = await signedIn(app);
    const res = await createVerification(cookie, { phrase: true });
    expect(res.body.phrase).toMatch(/^[A-Z][a-z]+ [a-z]+$/);
    expect(lastMail().text).toContain(res.body.phrase);
  });

  it('answers guests 401, 409 once verified, 400 without an email, 503 without a mailer, 400 for a bad phrase', async () => {
    expectError(await request(app).post('/v1/account/verifications/email/otp'), 401, 'general_unauthorized_scope');
    const { id, cookie } = await signedIn(app);
    expectError(await createVerification(cookie, { phrase: 'yes' }), 400, 'general_argument_invalid');
    await storage.users.update(id, { emailVerification: true });
    expectError(await createVerification(cookie), 409, 'user_email_already_verified');
    const anonymous = cookieOf(await request(app).post('/v1/account/sessions/anonymous'));
    expectError(await createVerification(anonymous), 400, 'user_email_not_found');
    await router.close();
    setUp({ mailer: undefined });
    const fresh = await signedIn(app, 'bob@example.com');
    expectError(await createVerification(fresh.cookie), 503, 'general_smtp_disabled');
  });

  it('is rate limited to 10 per hour per user, with the X-RateLimit headers', async () => {
    await router.close();
    setUp({ rateLimits: true });
    const { cookie } = await signedIn(app);
    const first = await createVerification(cookie);
    expect([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']]).toEqual(['10', '9']);
    for (let i = 1; i < 10; i++) expect((await createVerification(cookie)).status).toBe(201);
    expectError(await createVerification(cookie), 429, 'general_rate_limit_exceeded');
  });
});

describe('updateEmailVerificationOTP (PUT /account/verifications/email/otp)', () => {
  it('confirms without a session, answers 200 with the consumed Token and sets emailVerification; the code works once', async () => {
    const { id, cookie } = await signedIn(app);
    const token = (await createVerification(cookie)).body;
    const code = codeIn(lastMail().text);
    const res = await confirmVerification({ userId: id, secret: code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $id: token.$id, userId: id, secret: '' });
    expect((await storage.users.get(id))!.emailVerification).toBe(true);
    expectError(await confirmVerification({ userId: id, secret: code }), 401, 'user_invalid_token');
  });

  it('404 for an unknown user; 401 for a wrong, expired, link or recovery secret; 400 for missing params', async () => {
    const { id, cookie } = await signedIn(app);
    await createVerification(cookie);
    const code = codeIn(lastMail().text);
    expectError(await confirmVerification({ userId: 'nobody', secret: code }), 404, 'user_not_found');
    expectError(await confirmVerification({ userId: id, secret: otherCode(code) }), 401, 'user_invalid_token');
    expectError(await confirmVerification({ userId: id }), 400, 'general_argument_invalid');
    // A link of the other route is another token type.
    await request(app).post('/v1/account/verifications/email').set('Cookie', cookie).send({ url: 'http://localhost/verify' });
    const linkSecret = linkIn(lastMail().text).searchParams.get('secret');
    expectError(await confirmVerification({ userId: id, secret: linkSecret }), 401, 'user_invalid_token');
    await later(15 * 60_000 + 1000, async () => {
      expectError(await confirmVerification({ userId: id, secret: code }), 401, 'user_invalid_token');
    });
  });

  it('concurrent confirmations of one code: exactly one succeeds', async () => {
    const { id, cookie } = await signedIn(app);
    await createVerification(cookie);
    const code = codeIn(lastMail().text);
    const results = await Promise.all(Array.from({ length: 8 }, () => confirmVerification({ userId: id, secret: code })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 401, 'user_invalid_token');
  });

  it('spends the failed-code budget even with rate limits off: 10 wrong codes, then 429 for the right one', async () => {
    const { id, cookie } = await signedIn(app);
    await createVerification(cookie);
    const code = codeIn(lastMail().text);
    for (let i = 0; i < 10; i++) expectError(await confirmVerification({ userId: id, secret: otherCode(code) }), 401, 'user_invalid_token');
    expectError(await confirmVerification({ userId: id, secret: code }), 429, 'general_rate_limit_exceeded');
    // The MFA budget is another: the account's challenges are unaffected.
    expect((await storage.counters.hit(`mfa-fail:${id}`, 3_600_000, new Date())).count).toBe(1);
  });

  it('is rate limited to 10 per hour per user id, with the X-RateLimit headers', async () => {
    await router.close();
    setUp({ rateLimits: true });
    const first = await confirmVerification({ userId: 'someone', secret: '123456' });
    expect([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']]).toEqual(['10', '9']);
    for (let i = 1; i < 10; i++) await confirmVerification({ userId: 'someone', secret: '123456' });
    expectError(await confirmVerification({ userId: 'someone', secret: '123456' }), 429, 'general_rate_limit_exceeded');
  });

  it('writes verification.create and verification.update to the security log', async () => {
    const { id, cookie } = await signedIn(app);
    await createVerification(cookie);
    await confirmVerification({ userId: id, secret: codeIn(lastMail().text) });
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookie);
    expect(logs.body.logs.map((l: { event: string }) => l.event).slice(0, 2)).toEqual(['verification.update', 'verification.create']);
  });
});

describe('createRecoveryOTP (POST /account/recovery/otp)', () => {
  it('mails a 6-digit code valid 15 minutes in its own mail; phrase: true adds a phrase', async () => {
    const { $id: id } = await signUp(app, 'ada@example.com', { name: 'Ada' });
    const res = await createRecoveryCode({ email: 'ADA@example.com' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['$id', '$createdAt', 'userId', 'secret', 'expire', 'phrase']);
    expect(res.body).toMatchObject({ userId: id, secret: '', phrase: '' });
    expect(within(res.body.expire, 15 * 60_000)).toBe(true);
    expect(lastMail()).toMatchObject({ to: 'ada@example.com', toName: 'Ada', subject: 'Password Reset Code for account-router' });
    expect(codeIn(lastMail().text)).toMatch(/^\d{6}$/);
    const withPhrase = await createRecoveryCode({ email: 'ada@example.com', phrase: true });
    expect(withPhrase.body.phrase).toMatch(/^[A-Z][a-z]+ [a-z]+$/);
    expect(lastMail().text).toContain(withPhrase.body.phrase);
  });

  it('answers 404 for an unknown email, 401 for a blocked user, 503 without a mailer, 400 without an email', async () => {
    expectError(await createRecoveryCode({ email: 'nobody@example.com' }), 404, 'user_not_found');
    expectError(await createRecoveryCode({}), 400, 'general_argument_invalid');
    await signUp(app);
    await request(app).patch('/v1/account/status').set('Cookie', await signIn(app));
    expectError(await createRecoveryCode({ email: 'ada@example.com' }), 401, 'user_blocked');
    expect(mails).toHaveLength(0);
    await router.close();
    setUp({ mailer: undefined });
    expectError(await createRecoveryCode({ email: 'ada@example.com' }), 503, 'general_smtp_disabled');
  });

  it('with recovery.revealUnknownEmail false answers unknown and blocked emails like real ones, mailing nobody', async () => {
    await router.close();
    setUp({ recovery: { revealUnknownEmail: false } });
    const decoy = await createRecoveryCode({ email: 'nobody@example.com', phrase: true });
    expect(decoy.status).toBe(201);
    expect(Object.keys(decoy.body)).toEqual(['$id', '$createdAt', 'userId', 'secret', 'expire', 'phrase']);
    expect(within(decoy.body.expire, 15 * 60_000)).toBe(true);
    expect(decoy.body.phrase).toMatch(/^[A-Z][a-z]+ [a-z]+$/);
    expect(mails).toHaveLength(0);
  });

  it('is rate limited to 10 per hour per email and per IP, with the X-RateLimit headers', async () => {
    const limited = testRouter({ rateLimits: true, mailer: async () => undefined });
    const limitedApp = express().use('/v1', limited);
    await signUp(limitedApp);
    const first = await request(limitedApp).post('/v1/account/recovery/otp').send({ email: 'ada@example.com' });
    expect([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']]).toEqual(['10', '9']);
    for (let i = 1; i < 10; i++) await request(limitedApp).post('/v1/account/recovery/otp').send({ email: 'ada@example.com' });
    expectError(await request(limitedApp).post('/v1/account/recovery/otp').send({ email: 'ada@example.com' }), 429, 'general_rate_limit_exceeded');
    await limited.close();
  });
});

describe('updateRecoveryOTP (PUT /account/recovery/otp)', () => {
  async function recoveryCode(email = 'ada@example.com'): Promise<{ userId: string; secret: string; tokenId: string }> {
    const res = await createRecoveryCode({ email });
    expect(res.status).toBe(201);
    return { userId: res.body.userId, secret: codeIn(lastMail().text), tokenId: res.body.$id };
  }

  it('sets the password, verifies the email, ends every session and answers 200 with the consumed Token', async () => {
    await signUp(app);
    const before = await signIn(app);
    const { userId, secret, tokenId } = await recoveryCode();
    const res = await recoverWithCode({ userId, secret, password: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $id: tokenId, userId, secret: '' });
    expectError(await request(app).get('/v1/account').set('Cookie', before), 401, 'general_unauthorized_scope');
    expectError(await request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD }), 401, 'user_invalid_credentials');
    const account = await request(app).get('/v1/account').set('Cookie', await signIn(app, 'ada@example.com', NEW_PASSWORD));
    expect(account.body.emailVerification).toBe(true);
    expectError(await recoverWithCode({ userId, secret, password: 'yet another password' }), 401, 'user_invalid_token');
  });

  it('404 for an unknown user; 401 for a wrong or expired code, or a link secret; 400 for a short password (the code stays)', async () => {
    await signUp(app);
    const { userId, secret } = await recoveryCode();
    expectError(await recoverWithCode({ userId: 'nobody', secret, password: NEW_PASSWORD }), 404, 'user_not_found');
    expectError(await recoverWithCode({ userId, secret: otherCode(secret), password: NEW_PASSWORD }), 401, 'user_invalid_token');
    expectError(await recoverWithCode({ userId, secret, password: 'short' }), 400, 'general_argument_invalid');
    await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url: 'http://localhost/reset' });
    expectError(await recoverWithCode({ userId, secret: linkIn(lastMail().text).searchParams.get('secret'), password: NEW_PASSWORD }), 401, 'user_invalid_token');
    await later(15 * 60_000 + 1000, async () => {
      expectError(await recoverWithCode({ userId, secret, password: NEW_PASSWORD }), 401, 'user_invalid_token');
    });
  });

  it('applies the history and personal-data policies, giving the code back when they refuse', async () => {
    await router.close();
    setUp({ password: { bcryptCost: 4, history: 2, personalData: true } });
    await signUp(app, 'ada@example.com', { name: 'Ada' });
    const { userId, secret } = await recoveryCode();
    expectError(await recoverWithCode({ userId, secret, password: PASSWORD }), 400, 'password_recently_used');
    expectError(await recoverWithCode({ userId, secret, password: 'ada@example.com!' }), 400, 'password_personal_data');
    expect((await recoverWithCode({ userId, secret, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('refuses a breached password (password.pwned) and gives the code back', async () => {
    const range = await startRangeServer();
    try {
      range.breach('breached password 1');
      await router.close();
      setUp({ password: { bcryptCost: 4, pwned: { checker: range.url } } });
      await signUp(app);
      const { userId, secret } = await recoveryCode();
      expectError(await recoverWithCode({ userId, secret, password: 'breached password 1' }), 400, 'password_pwned');
      const res = await recoverWithCode({ userId, secret, password: NEW_PASSWORD });
      expect(res.status).toBe(200);
      expect((await storage.users.get(userId))!.passwordPwned).toBe(false);
    } finally {
      await range.close();
    }
  });

  it('concurrent redemptions of one code: exactly one sets its password', async () => {
    await signUp(app);
    const { userId, secret } = await recoveryCode();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => recoverWithCode({ userId, secret, password: `${NEW_PASSWORD} ${i}` })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 401, 'user_invalid_token');
  });

  it('spends the failed-code budget even with rate limits off: 10 wrong codes, then 429 for the right one', async () => {
    await signUp(app);
    const { userId, secret } = await recoveryCode();
    for (let i = 0; i < 10; i++) expectError(await recoverWithCode({ userId, secret: otherCode(secret), password: NEW_PASSWORD }), 401, 'user_invalid_token');
    expectError(await recoverWithCode({ userId, secret, password: NEW_PASSWORD }), 429, 'general_rate_limit_exceeded');
  });

  it('is rate limited to 10 per hour per user id, with the X-RateLimit headers', async () => {
    await router.close();
    setUp({ rateLimits: true });
    const first = await recoverWithCode({ userId: 'someone', secret: '123456', password: NEW_PASSWORD });
    expect([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']]).toEqual(['10', '9']);
  });

  it('writes recovery.create and recovery.update to the security log', async () => {
    await signUp(app);
    const { userId, secret } = await recoveryCode();
    await recoverWithCode({ userId, secret, password: NEW_PASSWORD });
    const logs = await request(app).get('/v1/account/logs').set('Cookie', await signIn(app, 'ada@example.com', NEW_PASSWORD));
    expect(logs.body.logs.map((l: { event: string }) => l.event)).toEqual(['session.create', 'recovery.update', 'recovery.create', 'user.create']);
  });
});
