// The breached-password policy (password.pwned) over HTTP, against a local range server: new
// passwords on every route that sets one, the sign-in check that flags (`flag`) or stops (`block`)
// an account, the gate that keeps a flagged account out until recovery, and failing open.
import express from 'express';
import request from 'supertest';
import type { AccountRouter, AccountRouterOptions, MailMessage, StorageAdapter } from '../../lib';
import { cookieOf, expectError, signIn, testInstance } from '../helpers/test-instance';
import { linkIn } from '../helpers/smtp';
import { startRangeServer, type RangeServer } from '../helpers/range-server';

const BREACHED = 'password-from-a-breach';
const CLEAN = 'a fresh unbreached passphrase';

let range: RangeServer;
beforeAll(async () => {
  range = await startRangeServer();
  range.breach(BREACHED);
});
afterAll(() => range.close());

let router: AccountRouter;
let app: express.Express;
let storage: StorageAdapter;
let mails: MailMessage[];
let warnings: string[];

function setUp(pwned: NonNullable<AccountRouterOptions['password']>['pwned'], extra: AccountRouterOptions = {}) {
  warnings = [];
  const logger = { error: () => undefined, warn: (message: string) => void warnings.push(message) };
  ({ router, app, storage, mails } = testInstance({ password: { bcryptCost: 4, pwned }, logger, ...extra }));
  app.get('/me', router.requireAccount, (req, res) => void res.json({ id: req.account!.user.id }));
}
afterEach(() => router.close());
beforeEach(() => {
  range.setUp(true);
  range.asked.length = 0;
});

const signUp = (email: string, password: string) => request(app).post('/v1/account').send({ userId: 'unique()', email, password });
const account = (cookie: string) => request(app).get('/v1/account').set('Cookie', cookie);

async function recover(email: string, password: string) {
  expect((await request(app).post('/v1/account/recovery').send({ email, url: 'http://localhost/reset' })).status).toBe(201);
  const link = linkIn(mails.at(-1)!.text);
  const params = { userId: link.searchParams.get('userId')!, secret: link.searchParams.get('secret')! };
  return { params, res: await request(app).put('/v1/account/recovery').send({ ...params, password }) };
}

describe('off (the default)', () => {
  it('asks nobody and leaves passwordPwned null', async () => {
    setUp(undefined);
    const res = await signUp('ada@example.com', BREACHED);
    expect([res.status, res.body.passwordPwned]).toEqual([201, null]);
    expect(range.asked).toEqual([]);
  });
});

describe('new passwords', () => {
  beforeEach(() => setUp({ checker: range.url }));

  it('sign-up: a breached password is 400 password_pwned and creates nothing; a clean one is checked false', async () => {
    expectError(await signUp('ada@example.com', BREACHED), 400, 'password_pwned');
    expect(await storage.users.getByEmail('ada@example.com')).toBeNull();
    const ok = await signUp('ada@example.com', CLEAN);
    expect([ok.status, ok.body.passwordPwned]).toEqual([201, false]);
    // Only 5 hex characters of each SHA-1 left the process.
    expect(range.asked).toHaveLength(2);
    for (const prefix of range.asked) expect(prefix).toMatch(/^[0-9A-F]{5}$/);
  });

  it('password change: refused when breached, recorded when clean', async () => {
    await signUp('ada@example.com', CLEAN);
    const cookie = await signIn(app, 'ada@example.com', CLEAN);
    expectError(await request(app).patch('/v1/account/password').set('Cookie', cookie).send({ password: BREACHED, oldPassword: CLEAN }), 400, 'password_pwned');
    const res = await request(app).patch('/v1/account/password').set('Cookie', cookie).send({ password: 'another clean passphrase', oldPassword: CLEAN });
    expect([res.status, res.body.passwordPwned]).toEqual([200, false]);
  });

  it('recovery by link: refused when breached and the link stays usable; a clean one is set', async () => {
    await signUp('ada@example.com', CLEAN);
    const { params, res } = await recover('ada@example.com', BREACHED);
    expectError(res, 400, 'password_pwned');
    expect((await request(app).put('/v1/account/recovery').send({ ...params, password: 'another clean passphrase' })).status).toBe(200);
  });

  it('the first password of an anonymous account (PATCH /account/email) is checked too', async () => {
    const cookie = cookieOf(await request(app).post('/v1/account/sessions/anonymous'));
    expectError(await request(app).patch('/v1/account/email').set('Cookie', cookie).send({ email: 'anon@example.com', password: BREACHED }), 400, 'password_pwned');
    const res = await request(app).patch('/v1/account/email').set('Cookie', cookie).send({ email: 'anon@example.com', password: CLEAN });
    expect([res.status, res.body.passwordPwned]).toEqual([200, false]);
  });

  it('fails open: a range server that is down lets the password through unchecked (null) and warns', async () => {
    range.setUp(false);
    const res = await signUp('ada@example.com', BREACHED);
    expect([res.status, res.body.passwordPwned]).toEqual([201, null]);
    expect(warnings).toEqual(['Breached-password check skipped; the password was accepted unchecked.']);
  });

  it('a host function can be the checker', async () => {
    await router.close();
    setUp({ checker: async (candidate) => candidate === BREACHED });
    expectError(await signUp('ada@example.com', BREACHED), 400, 'password_pwned');
    expect((await signUp('ada@example.com', CLEAN)).status).toBe(201);
  });
});

describe("sign-in: 'flag'", () => {
  it('records what the check says of a password that verified, and changes nothing else', async () => {
    setUp({ checker: range.url, signIn: 'flag' });
    // Signed up before the breach was known: the sign-up check could not see it.
    const { $id: id } = (await request(app).post('/v1/account').send({ userId: 'unique()', email: 'flag@example.com', password: 'flagged-later-passphrase' })).body;
    range.breach('flagged-later-passphrase');
    const cookie = await signIn(app, 'flag@example.com', 'flagged-later-passphrase');
    expect((await account(cookie)).body.passwordPwned).toBe(true);
    expect((await storage.users.get(id))!.passwordPwned).toBe(true);
    // A wrong password is never sent to the checker.
    range.asked.length = 0;
    expectError(await request(app).post('/v1/account/sessions/email').send({ email: 'flag@example.com', password: 'not the password' }), 401, 'user_invalid_credentials');
    expect(range.asked).toEqual([]);
    // A check that cannot be made leaves the last answer standing.
    range.setUp(false);
    expect((await account(await signIn(app, 'flag@example.com', 'flagged-later-passphrase'))).body.passwordPwned).toBe(true);
  });
});

describe("sign-in: 'block'", () => {
  const email = 'block@example.com';
  let password = '';
  let n = 0;

  /** An account signed in before its password was known breached (the range server keeps what it learns, so each test has its own). */
  async function flaggedAccount(): Promise<{ id: string; oldCookie: string }> {
    password = `breached-after-signup-${++n}`;
    const { $id: id } = (await signUp(email, password)).body;
    const oldCookie = await signIn(app, email, password);
    range.breach(password);
    return { id, oldCookie };
  }

  beforeEach(() => setUp({ checker: range.url, signIn: 'block' }));

  it('a breached password is 412 user_password_reset_required at sign-in: no session, the account is flagged', async () => {
    const { id } = await flaggedAccount();
    const res = await request(app).post('/v1/account/sessions/email').send({ email, password });
    expectError(res, 412, 'user_password_reset_required');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await storage.sessions.listByUser(id)).toHaveLength(1);
    expect((await storage.users.get(id))!.passwordPwned).toBe(true);
  });

  it('the gate keeps every session and JWT of a flagged account out, the host routes too, but lets it sign out and recover', async () => {
    const { oldCookie } = await flaggedAccount();
    const jwt = (await request(app).post('/v1/account/jwts').set('Cookie', oldCookie)).body.jwt as string;
    expectError(await request(app).post('/v1/account/sessions/email').send({ email, password }), 412, 'user_password_reset_required');
    expectError(await account(oldCookie), 412, 'user_password_reset_required');
    expectError(await request(app).get('/v1/account').set('X-Appwrite-JWT', jwt), 412, 'user_password_reset_required');
    expectError(await request(app).get('/me').set('Cookie', oldCookie), 412, 'user_password_reset_required');
    // The breached password proves nothing, so it cannot change itself.
    expectError(await request(app).patch('/v1/account/password').set('Cookie', oldCookie).send({ password: CLEAN, oldPassword: password }), 412, 'user_password_reset_required');
    // Recovery is open to any caller, the cookie attached or not; it signs every session out.
    const { res } = await recover(email, CLEAN);
    expect(res.status).toBe(200);
    expectError(await account(oldCookie), 401, 'general_unauthorized_scope');
    const fresh = await signIn(app, email, CLEAN);
    expect((await account(fresh)).body.passwordPwned).toBe(false);
  });

  it('a flagged session may still sign out', async () => {
    const { oldCookie } = await flaggedAccount();
    expectError(await request(app).post('/v1/account/sessions/email').send({ email, password }), 412, 'user_password_reset_required');
    expect((await request(app).delete('/v1/account/sessions/current').set('Cookie', oldCookie)).status).toBe(204);
  });

  it('accounts not flagged, and flagged ones under `flag` mode, are not gated', async () => {
    const { id, oldCookie } = await flaggedAccount();
    expect((await account(oldCookie)).status).toBe(200);
    await storage.users.update(id, { passwordPwned: true });
    expectError(await account(oldCookie), 412, 'user_password_reset_required');
    const flagOnly = testInstance({ storage, password: { bcryptCost: 4, pwned: { checker: range.url, signIn: 'flag' } } });
    expect((await request(flagOnly.app).get('/v1/account').set('Cookie', oldCookie)).status).toBe(200);
  });
});

it.each([
  [{ signIn: 'sometimes' }, 'password.pwned.signIn'],
  [{ checker: 'ftp://example.com' }, 'password.pwned.checker'],
  [{ timeoutMs: -1 }, 'password.pwned.timeoutMs'],
  ['yes', 'password.pwned'],
])('bad password.pwned options throw a TypeError naming the option (%j)', (pwned, name) => {
  expect(() => testInstance({ password: { pwned: pwned as never } })).toThrow(new RegExp(`option \`${name.replace(/\./g, '\\.')}\``));
});
