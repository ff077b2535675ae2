// MFA over HTTP (supertest): PATCH /account/mfa, the TOTP authenticator, challenges, recovery
// codes, the MFA gate on every sign-in path, the recent-challenge gate and the failed-code budget.
// Mail and SMS go to in-memory providers.
import express from 'express';
import request from 'supertest';
import speakeasy from 'speakeasy';
import { cookieOf, expectError, later, PASSWORD, signIn, signUp, testInstance } from '../helpers/test-instance';
import { codeIn } from '../helpers/smtp';
import { SecretHasher } from '../../lib/core/secrets';
import { jwtKey, signJwt } from '../../lib/core/jwt';
import { MFA_FAILURE_LIMIT } from '../../lib/core/mfa';
import type { AccountRouter, AccountRouterOptions, MailMessage, SmsMessage, StorageAdapter } from '../../lib';

const SERVER_SECRET = 'a-test-server-secret-of-some-length';
let router: AccountRouter;
let app: express.Express;
let storage: StorageAdapter;
let mails: MailMessage[];
let texts: SmsMessage[];

function setUp(options: AccountRouterOptions = {}) {
  ({ router, app, storage, mails, texts } = testInstance({ secret: SERVER_SECRET, projectName: 'Example App', ...options }));
  app.get('/me', router.requireAccount, (req, res) => void res.json({ id: req.account!.user.id }));
  app.get('/whoami', router.authenticate, (req, res) => void res.json({ account: req.account ? req.account.user.id : null }));
}
beforeEach(() => setUp());
afterEach(() => router.close());

const totp = (secret: string) => speakeasy.totp({ secret, encoding: 'base32' });
const lastMail = () => mails[mails.length - 1]!;

/** A user with a verified email, signed in with email+password. */
async function user(email = 'ada@example.com', { verified = true } = {}): Promise<{ id: string; cookie: string }> {
  const { $id: id } = await signUp(app, email);
  if (verified) await storage.users.update(id, { emailVerification: true });
  return { id, cookie: await signIn(app, email) };
}

async function enrollTotp(cookie: string): Promise<string> {
  const created = await request(app).post('/v1/account/mfa/authenticators/totp').set('Cookie', cookie);
  expect(created.status).toBe(200);
  const confirmed = await request(app).put('/v1/account/mfa/authenticators/totp').set('Cookie', cookie).send({ otp: totp(created.body.secret) });
  expect(confirmed.status).toBe(200);
  return created.body.secret as string;
}

async function enableMfa(cookie: string) {
  const res = await request(app).patch('/v1/account/mfa').set('Cookie', cookie).send({ mfa: true });
  expect(res.status).toBe(200);
  return res;
}

async function createChallenge(cookie: string, factor: string): Promise<string> {
  const res = await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor });
  expect(res.status).toBe(201);
  return res.body.$id as string;
}

function answer(cookie: string, challengeId: string, otp: string) {
  return request(app).put('/v1/account/mfa/challenges').set('Cookie', cookie).send({ challengeId, otp });
}

async function emailChallenge(cookie: string): Promise<request.Response> {
  const id = await createChallenge(cookie, 'email');
  return answer(cookie, id, codeIn(lastMail().text));
}

const getAccount = (cookie: string) => request(app).get('/v1/account').set('Cookie', cookie);
const currentSession = (cookie: string) => request(app).get('/v1/account/sessions/current').set('Cookie', cookie);

describe('PATCH /account/mfa', () => {
  it('needs a user and a boolean', async () => {
    expectError(await request(app).patch('/v1/account/mfa').send({ mfa: true }), 401, 'general_unauthorized_scope');
    const { cookie } = await user();
    expectError(await request(app).patch('/v1/account/mfa').set('Cookie', cookie).send({}), 400, 'general_argument_invalid');
    expectError(await request(app).patch('/v1/account/mfa').set('Cookie', cookie).send({ mfa: 'yes' }), 400, 'general_argument_invalid');
  });

  it('turns MFA on and off, credits the current session with the verified factors, and logs user.update', async () => {
    const { cookie } = await user();
    const on = await enableMfa(cookie);
    expect(on.body.mfa).toBe(true);
    expect((await currentSession(cookie)).body.factors).toEqual(['password', 'email']);
    expect((await getAccount(cookie)).status).toBe(200);
    const off = await request(app).patch('/v1/account/mfa').set('Cookie', cookie).send({ mfa: false });
    expect([off.status, off.body.mfa]).toEqual([200, false]);
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookie);
    expect(logs.body.logs.filter((l: { event: string }) => l.event === 'user.update')).toHaveLength(2);
  });

  it('does not credit factors the user has not verified', async () => {
    const { cookie } = await user('bob@example.com', { verified: false });
    await enableMfa(cookie);
    expect((await currentSession(cookie)).body.factors).toEqual(['password']);
    // Nothing verified: one factor is all MFA can ask for.
    expect((await getAccount(cookie)).status).toBe(200);
  });
});

describe('GET /account/mfa/factors', () => {
  it('lists the verified factors in the spec key order', async () => {
    const { id, cookie } = await user('ada@example.com', { verified: false });
    let res = await request(app).get('/v1/account/mfa/factors').set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['totp', 'phone', 'email', 'recoveryCode', 'custom']);
    expect(res.body).toEqual({ totp: false, phone: false, email: false, recoveryCode: false, custom: false });
    await storage.users.update(id, { emailVerification: true, phone: '+14155550100', phoneVerification: true });
    await enrollTotp(cookie);
    expect((await request(app).post('/v1/account/mfa/recovery-codes').set('Cookie', cookie)).status).toBe(201);
    res = await request(app).get('/v1/account/mfa/factors').set('Cookie', cookie);
    expect(res.body).toEqual({ totp: true, phone: true, email: true, recoveryCode: true, custom: false });
    // SDKs before appwrite@27 (format 2.0.0) get the model without `custom`.
    res = await request(app).get('/v1/account/mfa/factors').set('Cookie', cookie).set('X-Appwrite-Response-Format', '1.9.5');
    expect(res.body).toEqual({ totp: true, phone: true, email: true, recoveryCode: true });
    res = await request(app).get('/v1/account/mfa/factors').set('Cookie', cookie).set('X-Appwrite-Response-Format', '2.0.0');
    expect(Object.keys(res.body)).toEqual(['totp', 'phone', 'email', 'recoveryCode', 'custom']);
  });

  it('is 401 for guests', async () => {
    expectError(await request(app).get('/v1/account/mfa/factors'), 401, 'general_unauthorized_scope');
  });
});

describe('TOTP authenticator', () => {
  it('POST returns 200 {secret, uri} with an encrypted secret at rest', async () => {
    const { id, cookie } = await user();
    const res = await request(app).post('/v1/account/mfa/authenticators/totp').set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['secret', 'uri']);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(res.body.uri).toBe(`otpauth://totp/${encodeURIComponent('Example App:ada@example.com')}?issuer=Example%20App&secret=${res.body.secret}`);
    const stored = await storage.authenticators.get(id, 'totp');
    expect(stored!.verified).toBe(false);
    expect(stored!.secret).not.toContain(res.body.secret);
    expect(stored!.secret).toMatch(/^v1\./);
  });

  it('labels the URI with the user id when there is no email', async () => {
    const anon = await request(app).post('/v1/account/sessions/anonymous');
    const res = await request(app).post('/v1/account/mfa/authenticators/totp').set('Cookie', cookieOf(anon));
    expect(res.body.uri).toContain(encodeURIComponent(`Example App:${anon.body.userId}`));
  });

  it('replaces an unverified authenticator, refuses a second verified one (409)', async () => {
    const { cookie } = await user();
    const first = await request(app).post('/v1/account/mfa/authenticators/totp').set('Cookie', cookie);
    const second = await request(app).post('/v1/account/mfa/authenticators/totp').set('Cookie', cookie);
    expect(second.body.secret).not.toBe(first.body.secret);
    expectError(await request(app).put('/v1/account/mfa/authenticators/totp').set('Cookie', cookie).send({ otp: totp(first.body.secret) }), 401, 'user_invalid_token');
    const ok = await request(app).put('/v1/account/mfa/authenticators/totp').set('Cookie', cookie).send({ otp: totp(second.body.secret) });
    expect(ok.status).toBe(200);
    expect(ok.body.$id).toBeDefined();
    expect((await currentSession(cookie)).body.factors).toEqual(['password', 'totp']);
    expectError(await request(app).post('/v1/account/mfa/authenticators/totp').set('Cookie', cookie), 409, 'user_authenticator_already_verified');
    expectError(await request(app).put('/v1/account/mfa/authenticators/totp').set('Cookie', cookie).send({ otp: totp(second.body.secret) }), 409, 'user_authenticator_already_verified');
  });

  it('PUT: 404 without an authenticator, 400 for a bad type or missing otp', async () => {
    const { cookie } = await user();
    expectError(await request(app).put('/v1/account/mfa/authenticators/totp').set('Cookie', cookie).send({ otp: '123456' }), 404, 'user_authenticator_not_found');
    expectError(await request(app).put('/v1/account/mfa/authenticators/totp').set('Cookie', cookie).send({}), 400, 'general_argument_invalid');
    expectError(await request(app).post('/v1/account/mfa/authenticators/sms').set('Cookie', cookie), 400, 'general_argument_invalid');
    expectError(await request(app).post('/v1/account/mfa/authenticators/totp'), 401, 'general_unauthorized_scope');
  });

  it('DELETE needs a recent challenge, then 204, then 404', async () => {
    const { cookie } = await user();
    const secret = await enrollTotp(cookie);
    expectError(await request(app).delete('/v1/account/mfa/authenticators/totp').set('Cookie', cookie), 401, 'user_challenge_required');
    const id = await createChallenge(cookie, 'totp');
    expect((await answer(cookie, id, totp(secret))).status).toBe(200);
    expect((await request(app).delete('/v1/account/mfa/authenticators/totp').set('Cookie', cookie)).status).toBe(204);
    expectError(await request(app).delete('/v1/account/mfa/authenticators/totp').set('Cookie', cookie), 404, 'user_authenticator_not_found');
    // A challenge stops being recent after 30 minutes.
    await later(31 * 60_000, async () => {
      expectError(await request(app).delete('/v1/account/mfa/authenticators/totp').set('Cookie', cookie), 401, 'user_challenge_required');
    });
  });
});

describe('POST /account/mfa/challenges', () => {
  it('emails a 6-digit code, stores only its keyed hash and returns the MFAChallenge model (also on the alias)', async () => {
    const { id, cookie } = await user();
    const res = await request(app).post('/v1/account/mfa/challenge').set('Cookie', cookie).send({ factor: 'email' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['$id', '$createdAt', 'userId', 'expire']);
    expect(res.body.userId).toBe(id);
    expect(new Date(res.body.expire).getTime() - new Date(res.body.$createdAt).getTime()).toBe(3_600_000);
    const code = codeIn(lastMail().text);
    expect(lastMail().to).toBe('ada@example.com');
    const stored = await storage.challenges.get(res.body.$id);
    expect(stored!.codeHash).toBe(new SecretHasher(SERVER_SECRET).hash(code));
  });

  it('texts a code for a verified phone', async () => {
    const { id, cookie } = await user();
    await storage.users.update(id, { phone: '+14155550100', phoneVerification: true });
    const challengeId = await createChallenge(cookie, 'phone');
    expect(texts[0]!.to).toBe('+14155550100');
    const res = await answer(cookie, challengeId, texts[0]!.message);
    expect(res.status).toBe(200);
    expect(res.body.factors).toEqual(['password', 'phone']);
  });

  it('refuses unknown factors and unusable email/phone', async () => {
    const { id, cookie } = await user('ada@example.com', { verified: false });
    const post = (factor: unknown) => request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor });
    expectError(await post('sms'), 400, 'general_argument_invalid');
    expectError(await post(undefined), 400, 'general_argument_invalid');
    expectError(await post('email'), 400, 'user_email_not_verified');
    expectError(await post('phone'), 400, 'user_phone_not_found');
    await storage.users.update(id, { phone: '+14155550100' });
    expectError(await post('phone'), 400, 'user_phone_not_verified');
    const anon = cookieOf(await request(app).post('/v1/account/sessions/anonymous'));
    expectError(await request(app).post('/v1/account/mfa/challenges').set('Cookie', anon).send({ factor: 'email' }), 400, 'user_email_not_found');
    expectError(await request(app).post('/v1/account/mfa/challenges').send({ factor: 'totp' }), 401, 'general_unauthorized_scope');
  });

  it('503 when no mailer / SMS provider is configured', async () => {
    await router.close();
    setUp({ mailer: undefined, sms: undefined });
    const { cookie } = await user();
    expectError(await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor: 'email' }), 503, 'general_smtp_disabled');
    expectError(await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor: 'phone' }), 503, 'general_phone_disabled');
  });

  it('is rate limited to 10 per hour per user', async () => {
    await router.close();
    setUp({ rateLimits: true });
    const { cookie } = await user();
    for (let i = 0; i < 10; i++) expect((await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor: 'totp' })).status).toBe(201);
    expectError(await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor: 'totp' }), 429, 'general_rate_limit_exceeded');
  });
});

describe('PUT /account/mfa/challenges', () => {
  it('completes an email challenge: factors += email, mfaUpdatedAt set, Session returned; the code is single-use', async () => {
    const { cookie } = await user();
    const id = await createChallenge(cookie, 'email');
    const code = codeIn(lastMail().text);
    const res = await request(app).put('/v1/account/mfa/challenge').set('Cookie', cookie).send({ challengeId: id, otp: code });
    expect(res.status).toBe(200);
    expect(res.body.factors).toEqual(['password', 'email']);
    expect(res.body.current).toBe(true);
    expect(Date.now() - new Date(res.body.mfaUpdatedAt).getTime()).toBeLessThan(10_000);
    expectError(await answer(cookie, id, code), 401, 'user_invalid_token');
    // A second email challenge does not count the factor twice.
    expect((await emailChallenge(cookie)).body.factors).toEqual(['password', 'email']);
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookie);
    expect(logs.body.logs.map((l: { event: string }) => l.event)).toEqual(expect.arrayContaining(['challenge.create', 'challenges.update']));
  });

  it('401 user_invalid_token for a wrong code, an unknown id, another user\'s challenge or an expired one', async () => {
    const ada = await user();
    const bob = await user('bob@example.com');
    const id = await createChallenge(ada.cookie, 'email');
    const code = codeIn(lastMail().text);
    expectError(await answer(ada.cookie, id, code === '000000' ? '111111' : '000000'), 401, 'user_invalid_token');
    expectError(await answer(ada.cookie, 'nope', code), 401, 'user_invalid_token');
    expectError(await answer(bob.cookie, id, code), 401, 'user_invalid_token');
    await later(3_600_001, async () => {
      expectError(await answer(ada.cookie, id, code), 401, 'user_invalid_token');
    });
    expect((await answer(ada.cookie, id, code)).status).toBe(200);
    expectError(await request(app).put('/v1/account/mfa/challenges').set('Cookie', ada.cookie).send({ challengeId: id }), 400, 'general_argument_invalid');
  });

  it('TOTP challenge: the current code passes; without a verified authenticator it is 401', async () => {
    const { cookie } = await user();
    let id = await createChallenge(cookie, 'totp');
    expectError(await answer(cookie, id, '123456'), 401, 'user_invalid_token');
    const secret = await enrollTotp(cookie);
    id = await createChallenge(cookie, 'totp');
    expectError(await answer(cookie, id, 'abcdef'), 401, 'user_invalid_token');
    const res = await answer(cookie, id, totp(secret));
    expect(res.status).toBe(200);
    expect(res.body.factors).toEqual(['password', 'totp']);
  });

  it('TOTP accepts the previous/next 30 s step (clock drift), not older codes', async () => {
    const { cookie } = await user();
    const secret = await enrollTotp(cookie);
    const at = (offsetSeconds: number) => speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + offsetSeconds });
    const current = totp(secret);
    const stale = at(-90);
    if (stale !== current && stale !== at(-30) && stale !== at(30)) {
      expectError(await answer(cookie, await createChallenge(cookie, 'totp'), stale), 401, 'user_invalid_token');
    }
    expect((await answer(cookie, await createChallenge(cookie, 'totp'), at(-30))).status).toBe(200);
  });

  it('accepts the SDK 16 spelling `recoverycode`', async () => {
    const { cookie } = await user();
    const codes: string[] = (await request(app).post('/v1/account/mfa/recovery-codes').set('Cookie', cookie)).body.recoveryCodes;
    const id = await createChallenge(cookie, 'recoverycode');
    expect((await answer(cookie, id, codes[0]!)).body.factors).toEqual(['password', 'recoveryCode']);
  });

  it('a failing SMS provider is 500 general_server_error', async () => {
    await router.close();
    setUp({ sms: async () => Promise.reject(new Error('gateway down')) });
    const { id, cookie } = await user();
    await storage.users.update(id, { phone: '+14155550100', phoneVerification: true });
    expectError(await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor: 'phone' }), 500, 'general_server_error');
  });

  it('concurrent answers to one challenge: exactly one succeeds', async () => {
    const { cookie } = await user();
    const id = await createChallenge(cookie, 'email');
    const code = codeIn(lastMail().text);
    const results = await Promise.all(Array.from({ length: 8 }, () => answer(cookie, id, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 401, 'user_invalid_token');
  });
});

describe('recovery codes', () => {
  it('POST: 6 × 10 hex, stored hashed+encrypted, 409 the second time', async () => {
    const { id, cookie } = await user();
    const res = await request(app).post('/v1/account/mfa/recovery-codes').set('Cookie', cookie);
    expect(res.status).toBe(201);
    expect(res.body.recoveryCodes).toHaveLength(6);
    for (const code of res.body.recoveryCodes) expect(code).toMatch(/^[0-9a-f]{10}$/);
    const stored = await storage.recoveryCodes.list(id);
    expect(stored).toHaveLength(6);
    for (const code of res.body.recoveryCodes) expect(stored.join()).not.toContain(code);
    expectError(await request(app).post('/v1/account/mfa/recovery-codes').set('Cookie', cookie), 409, 'user_recovery_codes_already_exists');
  });

  it('GET/PATCH need a recent challenge; a recovery code works once; GET shows the unused ones; PATCH regenerates', async () => {
    const { cookie } = await user();
    const codes: string[] = (await request(app).post('/v1/account/mfa/recovery-codes').set('Cookie', cookie)).body.recoveryCodes;
    expectError(await request(app).get('/v1/account/mfa/recovery-codes').set('Cookie', cookie), 401, 'user_challenge_required');
    expectError(await request(app).patch('/v1/account/mfa/recovery-codes').set('Cookie', cookie), 401, 'user_challenge_required');
    const id = await createChallenge(cookie, 'recoveryCode');
    expectError(await answer(cookie, id, 'ffffffffff'), 401, 'user_invalid_token');
    const done = await answer(cookie, id, codes[2]!);
    expect(done.status).toBe(200);
    expect(done.body.factors).toEqual(['password', 'recoveryCode']);
    // The used code is gone.
    const again = await createChallenge(cookie, 'recoveryCode');
    expectError(await answer(cookie, again, codes[2]!), 401, 'user_invalid_token');
    const listed = await request(app).get('/v1/account/mfa/recovery-codes').set('Cookie', cookie);
    expect(listed.status).toBe(200);
    expect([...listed.body.recoveryCodes].sort()).toEqual(codes.filter((_, i) => i !== 2).sort());
    const renewed = await request(app).patch('/v1/account/mfa/recovery-codes').set('Cookie', cookie);
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(6);
    expect(renewed.body.recoveryCodes.some((c: string) => codes.includes(c))).toBe(false);
  });

  it('GET/PATCH: 404 when the user has none', async () => {
    const { cookie } = await user();
    expect((await emailChallenge(cookie)).status).toBe(200);
    expectError(await request(app).get('/v1/account/mfa/recovery-codes').set('Cookie', cookie), 404, 'user_recovery_codes_not_found');
    expectError(await request(app).patch('/v1/account/mfa/recovery-codes').set('Cookie', cookie), 404, 'user_recovery_codes_not_found');
  });
});

describe('the MFA gate', () => {
  /** Expects `cookie` to be a session that owes a factor, then completes it with TOTP. */
  async function expectGatedUntilTotp(cookie: string, secret: string) {
    expectError(await getAccount(cookie), 401, 'user_more_factors_required');
    expectError(await request(app).get('/v1/account/sessions').set('Cookie', cookie), 401, 'user_more_factors_required');
    expectError(await request(app).patch('/v1/account/mfa').set('Cookie', cookie).send({ mfa: false }), 401, 'user_more_factors_required');
    expectError(await request(app).get('/me').set('Cookie', cookie), 401, 'user_more_factors_required');
    expect((await request(app).get('/whoami').set('Cookie', cookie)).body).toEqual({ account: null });
    expect((await request(app).get('/v1/account/mfa/factors').set('Cookie', cookie)).status).toBe(200);
    const id = await createChallenge(cookie, 'totp');
    expect((await answer(cookie, id, totp(secret))).status).toBe(200);
    expect((await getAccount(cookie)).status).toBe(200);
    expect((await request(app).get('/me').set('Cookie', cookie)).status).toBe(200);
  }

  async function mfaUserWithTotp(email = 'ada@example.com') {
    const u = await user(email);
    const secret = await enrollTotp(u.cookie);
    await enableMfa(u.cookie);
    return { ...u, secret };
  }

  it('email/password sign-in: gated until a second factor, email challenge counts', async () => {
    const { cookie: first } = await user();
    await enableMfa(first);
    const cookie = await signIn(app);
    expectError(await getAccount(cookie), 401, 'user_more_factors_required');
    expect((await emailChallenge(cookie)).status).toBe(200);
    expect((await getAccount(cookie)).status).toBe(200);
  });

  it('email/password sign-in with TOTP', async () => {
    const { secret } = await mfaUserWithTotp();
    await expectGatedUntilTotp(await signIn(app), secret);
  });

  it('email OTP sign-in (POST /account/sessions/token): the email factor cannot count twice', async () => {
    const { id, secret } = await mfaUserWithTotp();
    await request(app).post('/v1/account/tokens/email').send({ userId: id, email: 'ada@example.com' }).expect(201);
    const session = await request(app).post('/v1/account/sessions/token').send({ userId: id, secret: codeIn(lastMail().text) });
    expect(session.status).toBe(201);
    expect(session.body.factors).toEqual(['email']);
    const cookie = cookieOf(session);
    const challengeId = await createChallenge(cookie, 'email');
    expect((await answer(cookie, challengeId, codeIn(lastMail().text))).body.factors).toEqual(['email']);
    await expectGatedUntilTotp(cookie, secret);
  });

  it('magic URL sign-in', async () => {
    const { id, secret } = await mfaUserWithTotp();
    await request(app).post('/v1/account/tokens/magic-url').send({ userId: id, email: 'ada@example.com', url: 'http://localhost/cb' }).expect(201);
    const link = new URL(/https?:\/\/\S+/.exec(lastMail().text)![0]);
    const session = await request(app).post('/v1/account/sessions/token').send({ userId: id, secret: link.searchParams.get('secret') });
    expect(session.status).toBe(201);
    await expectGatedUntilTotp(cookieOf(session), secret);
  });

  it('phone sign-in', async () => {
    const token = await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone: '+14155550199' });
    const first = cookieOf(await request(app).post('/v1/account/sessions/token').send({ userId: token.body.userId, secret: texts[0]!.message }));
    const secret = await enrollTotp(first);
    await enableMfa(first);
    expect((await currentSession(first)).body.factors).toEqual(['phone', 'totp']);
    await request(app).post('/v1/account/tokens/phone').send({ userId: token.body.userId, phone: '+14155550199' }).expect(201);
    const session = await request(app).post('/v1/account/sessions/token').send({ userId: token.body.userId, secret: texts[1]!.message });
    expect(session.body.factors).toEqual(['phone']);
    await expectGatedUntilTotp(cookieOf(session), secret);
  });

  it('anonymous account upgraded with an email and password', async () => {
    const anon = cookieOf(await request(app).post('/v1/account/sessions/anonymous'));
    await request(app).patch('/v1/account/email').set('Cookie', anon).send({ email: 'anon@example.com', password: PASSWORD }).expect(200);
    const secret = await enrollTotp(anon);
    await enableMfa(anon);
    expect((await getAccount(anon)).status).toBe(200);
    await expectGatedUntilTotp(await signIn(app, 'anon@example.com'), secret);
  });

  it('lets an incomplete session sign out (DELETE /account/sessions/:id is exempt) but not delete all sessions', async () => {
    await mfaUserWithTotp();
    const cookie = await signIn(app);
    expectError(await request(app).delete('/v1/account/sessions').set('Cookie', cookie), 401, 'user_more_factors_required');
    expect((await request(app).delete('/v1/account/sessions/current').set('Cookie', cookie)).status).toBe(204);
  });

  it('does not gate JWTs, nor users without MFA or without a second factor', async () => {
    const { id } = await mfaUserWithTotp();
    const session = await request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD });
    const jwt = signJwt(jwtKey(SERVER_SECRET), { userId: id, sessionId: session.body.$id }, 60, new Date());
    expect((await request(app).get('/v1/account').set('X-Appwrite-JWT', jwt)).status).toBe(200);
    expectError(await getAccount(cookieOf(session)), 401, 'user_more_factors_required');
    // Verified email but MFA off: not gated.
    const bob = await user('bob@example.com');
    expect((await getAccount(await signIn(app, 'bob@example.com'))).status).toBe(200);
    // MFA on but nothing verified: one factor is enough.
    const carol = await user('carol@example.com', { verified: false });
    await enableMfa(carol.cookie);
    expect((await getAccount(await signIn(app, 'carol@example.com'))).status).toBe(200);
    expect(bob.id).toBeDefined();
  });
});

describe('the failed-code budget', () => {
  it(`allows ${MFA_FAILURE_LIMIT} wrong codes per account per hour across factors, then 429 even for a right code`, async () => {
    const { cookie } = await user();
    const created = await request(app).post('/v1/account/mfa/authenticators/totp').set('Cookie', cookie);
    const secret = created.body.secret as string;
    const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
    const put = (otp: string) => request(app).put('/v1/account/mfa/authenticators/totp').set('Cookie', cookie).send({ otp });
    // Half on TOTP enrolment, half on an email challenge: one shared counter.
    for (let i = 0; i < 5; i++) expectError(await put(wrong(totp(secret))), 401, 'user_invalid_token');
    const id = await createChallenge(cookie, 'email');
    const code = codeIn(lastMail().text);
    for (let i = 0; i < 4; i++) expectError(await answer(cookie, id, wrong(code)), 401, 'user_invalid_token');
    // A success gives its attempt back.
    expect((await put(totp(secret))).status).toBe(200);
    expectError(await answer(cookie, id, wrong(code)), 401, 'user_invalid_token');
    expectError(await answer(cookie, id, code), 429, 'general_rate_limit_exceeded');
    // Another account is not affected; the next window starts afresh.
    const bob = await user('bob@example.com');
    expect((await emailChallenge(bob.cookie)).status).toBe(200);
    await later(3_600_000, async () => {
      expect((await answer(cookie, id, code)).status).toBe(401); // expired by then, but no longer 429
    });
  });
});

describe('the custom factor (mfa.onCustomChallenge, accounts.getMfaChallengeCode)', () => {
  type Delivered = { userId: string; challengeId: string; code: string; expire: Date };
  let delivered: Delivered[];
  beforeEach(async () => {
    await router.close();
    delivered = [];
    setUp({ mfa: { onCustomChallenge: ({ user: account, challengeId, code, expire }) => void delivered.push({ userId: account.id, challengeId, code, expire }) } });
  });

  it('stores a code, sends no mail or SMS, hands it to the host and reads it back; PUT verifies it once', async () => {
    const { id, cookie } = await user();
    const challengeId = await createChallenge(cookie, 'custom');
    expect([mails.length, texts.length]).toEqual([0, 0]);
    expect(delivered).toEqual([{ userId: id, challengeId, code: expect.stringMatching(/^\d{6}$/), expire: expect.any(Date) }]);
    const { code } = delivered[0]!;
    // At rest: the keyed hash answers it, the sealed copy gives it back to the host; no plain code.
    const stored = (await storage.challenges.get(challengeId))!;
    expect(stored.codeHash).toBe(new SecretHasher(SERVER_SECRET).hash(code));
    expect(stored.code).toMatch(/^v1\./);
    expect(stored.code).not.toContain(code);
    expect(await router.getMfaChallengeCode(id, challengeId)).toMatchObject({ user: { id }, challengeId, code });
    expect(await router.getMfaChallengeCode('someone-else', challengeId)).toBeNull();
    expect(await router.getMfaChallengeCode(id, 'missing')).toBeNull();

    expectError(await answer(cookie, challengeId, code === '000000' ? '111111' : '000000'), 401, 'user_invalid_token');
    const session = await answer(cookie, challengeId, code);
    expect(session.status).toBe(200);
    expect(session.body.factors).toEqual(['password', 'custom']);
    expectError(await answer(cookie, challengeId, code), 401, 'user_invalid_token');
    expect(await router.getMfaChallengeCode(id, challengeId)).toBeNull();
    expect((await request(app).get('/v1/account/mfa/factors').set('Cookie', cookie)).body.custom).toBe(true);
  });

  it('completes the second factor of an MFA sign-in', async () => {
    const { cookie } = await user();
    await enableMfa(cookie);
    const second = await signIn(app, 'ada@example.com');
    expectError(await getAccount(second), 401, 'user_more_factors_required');
    const challengeId = await createChallenge(second, 'custom');
    expect((await answer(second, challengeId, delivered.at(-1)!.code)).status).toBe(200);
    expect((await getAccount(second)).status).toBe(200);
  });

  it('a getter alone serves hosts without a callback; the code of another type of challenge is never read back', async () => {
    await router.close();
    setUp({ mfa: { factors: { custom: true } } });
    const { id, cookie } = await user();
    const challengeId = await createChallenge(cookie, 'custom');
    const read = await router.getMfaChallengeCode(id, challengeId);
    expect(read?.code).toMatch(/^\d{6}$/);
    expect((await answer(cookie, challengeId, read!.code)).status).toBe(200);
    const emailId = await createChallenge(cookie, 'email');
    expect(await router.getMfaChallengeCode(id, emailId)).toBeNull();
  });

  it('an expired custom challenge is not read back', async () => {
    const { id, cookie } = await user();
    const challengeId = await createChallenge(cookie, 'custom');
    await later(3_600_001, async () => {
      expect(await router.getMfaChallengeCode(id, challengeId)).toBeNull();
    });
  });

  it('a callback that throws fails the request with 500 and leaves no challenge behind', async () => {
    await router.close();
    const logged: string[] = [];
    setUp({ logger: { error: (message) => void logged.push(message), warn: () => undefined }, mfa: { onCustomChallenge: async () => Promise.reject(new Error('channel down')) } });
    const { cookie } = await user();
    const res = await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor: 'custom' });
    expectError(res, 500, 'general_server_error');
    expect(logged).toEqual(['account-router: mfa.onCustomChallenge failed']);
  });
});

describe('the mfa.factors option', () => {
  it('custom is off by default: 501 user_auth_method_unsupported, and false in the factors list', async () => {
    const { cookie } = await user();
    const res = await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor: 'custom' });
    expectError(res, 501, 'user_auth_method_unsupported');
    expect((await request(app).get('/v1/account/mfa/factors').set('Cookie', cookie)).body.custom).toBe(false);
  });

  it('a factor switched off is refused, reads false, does not count towards the gate; recovery codes stay', async () => {
    await router.close();
    setUp({ mfa: { factors: { email: false, totp: false } } });
    const { cookie } = await user();
    await enrollTotp(cookie);
    const codes: string[] = (await request(app).post('/v1/account/mfa/recovery-codes').set('Cookie', cookie)).body.recoveryCodes;
    for (const factor of ['email', 'totp']) {
      expectError(await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor }), 501, 'user_auth_method_unsupported');
    }
    expect((await request(app).get('/v1/account/mfa/factors').set('Cookie', cookie)).body).toEqual({ totp: false, phone: false, email: false, recoveryCode: true, custom: false });
    // The only second factors this user has are switched off: MFA cannot lock them out.
    await enableMfa(cookie);
    expect((await getAccount(await signIn(app, 'ada@example.com'))).status).toBe(200);
    // Recovery codes are always allowed, in both spellings.
    for (const factor of ['recoveryCode', 'recoverycode']) expect((await request(app).post('/v1/account/mfa/challenges').set('Cookie', cookie).send({ factor })).status).toBe(201);
    expect(codes).toHaveLength(6);
  });

  it('switching a factor off retires the challenges already sent (PUT is 501)', async () => {
    const shared = storage;
    const { cookie } = await user();
    const challengeId = await createChallenge(cookie, 'email');
    const code = codeIn(lastMail().text);
    const other = testInstance({ storage: shared, secret: SERVER_SECRET, mfa: { factors: { email: false } } });
    const res = await request(other.app).put('/v1/account/mfa/challenges').set('Cookie', cookie).send({ challengeId, otp: code });
    expectError(res, 501, 'user_auth_method_unsupported');
    expect((await answer(cookie, challengeId, code)).status).toBe(200);
  });

  it.each([
    [{ factors: { email: 'no' } }, 'mfa.factors.email'],
    [{ factors: 'all' }, 'mfa.factors'],
    [{ onCustomChallenge: 'webhook' }, 'mfa.onCustomChallenge'],
  ])('bad options throw a TypeError naming the option (%j)', (mfa, name) => {
    expect(() => testInstance({ mfa: mfa as never })).toThrow(new RegExp(`option \`${name.replace(/\./g, '\\.')}\``));
  });
});
