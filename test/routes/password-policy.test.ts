// The password policies (spec §9.2): strength, common passwords, personal data and history, on
// every route that sets a password, over HTTP on a real SQLite database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { createAccountRouter, type AccountRouter, type MailMessage, type PasswordOptions, type StorageAdapter } from '../../lib';
import { cookieOf, expectError, signedIn, signIn, testInstance, testRouter } from '../helpers/test-instance';
import { linkIn } from '../helpers/smtp';

let router: AccountRouter;
let app: express.Express;
let storage: StorageAdapter;
let mails: MailMessage[];

function setUp(password: PasswordOptions) {
  ({ router, app, storage, mails } = testInstance({ password: { bcryptCost: 4, ...password } }));
}
afterEach(() => router.close());

const STRONG = 'Correct-Horse-7';

/** POST /account with `password`: the route under test, its answer unchecked. */
function createAccount(password: string, extra: Record<string, unknown> = {}) {
  return request(app).post('/v1/account').send({ userId: 'unique()', email: 'ada@example.com', password, name: 'Ada', ...extra });
}

/** Ada, signed up with `password` and signed in. */
const signedInWith = (password: string) => signedIn(app, 'ada@example.com', { password, name: 'Ada' });

function changePassword(cookie: string, password: string, oldPassword: string) {
  return request(app).patch('/v1/account/password').set('Cookie', cookie).send({ password, oldPassword });
}

async function recoveryLink(): Promise<{ userId: string; secret: string }> {
  expect((await request(app).post('/v1/account/recovery').send({ email: 'ada@example.com', url: 'http://localhost/reset' })).status).toBe(201);
  const link = linkIn(mails[mails.length - 1]!.text);
  return { userId: link.searchParams.get('userId')!, secret: link.searchParams.get('secret')! };
}

function recover(link: { userId: string; secret: string }, password: string) {
  return request(app).put('/v1/account/recovery').send({ ...link, password });
}

/** An anonymous account setting its first password along with its email. */
async function anonymousSetsPassword(email: string, password: string) {
  const anonymous = await request(app).post('/v1/account/sessions/anonymous');
  const cookie = cookieOf(anonymous);
  return request(app).patch('/v1/account/email').set('Cookie', cookie).send({ email, password });
}

describe('by default', () => {
  it('accepts common, personal and reused passwords of 8 bytes or more, and remembers no hashes', async () => {
    setUp({});
    const { id, cookie } = await signedInWith('password1');
    expect((await changePassword(cookie, 'ada@example.com', 'password1')).status).toBe(200);
    expect((await changePassword(cookie, 'ada@example.com', 'ada@example.com')).status).toBe(200);
    expect(await storage.passwordHistory.list(id)).toEqual([]);
  });
});

describe('strength (minLength, uppercase, lowercase, number, symbols)', () => {
  beforeEach(() => setUp({ minLength: 12, uppercase: true, lowercase: true, number: true, symbols: true }));

  it('refuses a weak password at sign-up with a 400 that states the whole rule', async () => {
    for (const weak of ['Short-7a', 'correct-horse-7', 'CORRECT-HORSE-7', 'Correct-Horse-x', 'CorrectHorse77']) {
      const res = await createAccount(weak);
      expectError(res, 400, 'general_argument_invalid');
      expect(res.body.message).toBe(
        'Invalid `password` param: Password must be at least 12 characters long and contain an uppercase letter, a lowercase letter, a number and a symbol.',
      );
    }
    expect((await createAccount(STRONG)).status).toBe(201);
  });

  it('counts letters of any script and measures length in bytes', async () => {
    expect((await createAccount('ÄÖÜäöü-7', { email: 'unicode@example.com' })).status).toBe(201);
  });

  it('is checked on a password change before the old password, and on recovery before the link is used', async () => {
    const { cookie } = await signedInWith(STRONG);
    expectError(await changePassword(cookie, 'too weak', 'wrong old password'), 400, 'general_argument_invalid');
    const link = await recoveryLink();
    expectError(await recover(link, 'too weak password'), 400, 'general_argument_invalid');
    expect((await recover(link, 'Another-Horse-8')).status).toBe(200);
  });

  it('is checked when a passwordless account sets its first password', async () => {
    expectError(await anonymousSetsPassword('anon@example.com', 'too weak password'), 400, 'general_argument_invalid');
    expect((await anonymousSetsPassword('anon@example.com', STRONG)).status).toBe(200);
  });
});

describe('dictionary', () => {
  beforeEach(() => setUp({ dictionary: true }));

  it('refuses one of the 10,000 most common passwords, verbatim, on every route that sets one', async () => {
    const refused = await createAccount('iloveyou1');
    expectError(refused, 400, 'general_argument_invalid');
    expect(refused.body.message).toBe('Invalid `password` param: Password must not be one of the commonly used passwords.');
    expect((await createAccount('ILoveYou1')).status).toBe(201);
    const cookie = await signIn(app, 'ada@example.com', 'ILoveYou1');
    expectError(await changePassword(cookie, 'password1', 'ILoveYou1'), 400, 'general_argument_invalid');
    expectError(await recover(await recoveryLink(), 'qwertyuiop'), 400, 'general_argument_invalid');
    expectError(await anonymousSetsPassword('anon@example.com', 'password1'), 400, 'general_argument_invalid');
  });
});

describe('personalData', () => {
  beforeEach(() => setUp({ personalData: true }));

  it('refuses a sign-up password containing the id, the email, its local part or the name, in any case', async () => {
    for (const [password, extra] of [
      ['my id is custom-id-42', { userId: 'custom-id-42' }],
      ['x ADA@EXAMPLE.COM x', {}],
      ['ada-the-great', { email: 'ada@example.com', name: 'Lovelace' }],
      ['i am LOVELACE!', { email: 'someone@example.com', name: 'Lovelace' }],
    ] as const) {
      expectError(await createAccount(password, extra), 400, 'password_personal_data');
    }
    expect(await storage.users.count()).toBe(0);
    expect((await createAccount('nothing personal here')).status).toBe(201);
  });

  it('refuses a new password containing the phone, with or without +', async () => {
    const { cookie } = await signedInWith('nothing personal here');
    expect((await request(app).patch('/v1/account/phone').set('Cookie', cookie).send({ phone: '+14155550100', password: 'nothing personal here' })).status).toBe(200);
    expectError(await changePassword(cookie, 'call 14155550100', 'nothing personal here'), 400, 'password_personal_data');
    expectError(await changePassword(cookie, 'call +14155550100', 'nothing personal here'), 400, 'password_personal_data');
  });

  it('on recovery, refuses a password with personal data without using up the link', async () => {
    await signedInWith('nothing personal here');
    const link = await recoveryLink();
    expectError(await recover(link, 'ada@example.com again'), 400, 'password_personal_data');
    expect((await recover(link, 'still nothing personal')).status).toBe(200);
  });

  it('checks the first password of a passwordless account against its new email', async () => {
    expectError(await anonymousSetsPassword('grace@example.com', 'grace-hopper-1906'), 400, 'password_personal_data');
    expect((await anonymousSetsPassword('grace@example.com', 'cobol compiler 1959')).status).toBe(200);
  });
});

describe('history', () => {
  beforeEach(() => setUp({ history: 2 }));

  it('refuses the current and the remembered passwords, and forgets the older ones', async () => {
    const { id, cookie } = await signedInWith('first password');
    expectError(await changePassword(cookie, 'first password', 'first password'), 400, 'password_recently_used');
    expect((await changePassword(cookie, 'second password', 'first password')).status).toBe(200);
    expectError(await changePassword(cookie, 'first password', 'second password'), 400, 'password_recently_used');
    expect((await changePassword(cookie, 'third password', 'second password')).status).toBe(200);
    expect(await storage.passwordHistory.list(id)).toHaveLength(2);
    expect((await changePassword(cookie, 'first password', 'third password')).status).toBe(200);
  });

  it('on recovery, refuses a recent password without using up the link', async () => {
    await signedInWith('first password');
    const link = await recoveryLink();
    expectError(await recover(link, 'first password'), 400, 'password_recently_used');
    expect((await recover(link, 'second password')).status).toBe(200);
    expectError(await recover(link, 'third password'), 401, 'user_invalid_token');
  });

  it('tells nobody without a valid link whether a password was used', async () => {
    const { id } = await signedInWith('first password');
    expectError(await recover({ userId: id, secret: 'f'.repeat(256) }, 'first password'), 401, 'user_invalid_token');
  });

  it('checks the current password of an account created before the policy was on', async () => {
    await router.close();
    const filename = path.join(mkdtempSync(path.join(tmpdir(), 'password-history-')), 'account.sqlite');
    const withPolicy = (history: number) => {
      storage = createSqliteAdapter({ filename });
      router = testRouter({ storage, password: { bcryptCost: 4, history } });
      app = express().use('/v1', router);
    };
    withPolicy(0);
    const { id, cookie } = await signedInWith('first password');
    await router.close();
    withPolicy(5);
    expectError(await changePassword(cookie, 'first password', 'first password'), 400, 'password_recently_used');
    expect((await changePassword(cookie, 'second password', 'first password')).status).toBe(200);
    expect(await storage.passwordHistory.list(id)).toHaveLength(1);
  });
});

describe('options', () => {
  it.each([
    [{ minLength: 7 }, 'password.minLength'],
    [{ minLength: 257 }, 'password.minLength'],
    [{ history: 21 }, 'password.history'],
    [{ history: -1 }, 'password.history'],
    [{ uppercase: 'yes' }, 'password.uppercase'],
    [{ dictionary: 1 }, 'password.dictionary'],
  ])('refuses %j', (password, option) => {
    expect(() => createAccountRouter({ storage: createSqliteAdapter({ filename: ':memory:' }), password: password as PasswordOptions })).toThrow(
      new TypeError(`createAccountRouter: option \`${option}\` must be ${option === 'password.minLength' ? 'an integer from 8 to 256' : option === 'password.history' ? 'an integer from 0 to 20' : 'a boolean'}.`),
    );
  });
});
