// PATCH /account/{name,email,phone,password,status} and DELETE /account.
import express from 'express';
import request from 'supertest';
import { expectError, PASSWORD, signIn, signUp, testRouter } from '../helpers/test-instance';
import type { AccountRouter } from '../../lib';

let router: AccountRouter;
let app: express.Express;
let cookie: string;
beforeEach(async () => {
  router = testRouter();
  app = express().use('/v1', router);
  await signUp(app);
  cookie = await signIn(app);
});
afterEach(() => router.close());

const patch = (path: string, body: object, c = cookie) => request(app).patch(`/v1/account/${path}`).set('Cookie', c).send(body);

describe('updateName (PATCH /account/name)', () => {
  it('renames the account', async () => {
    const res = await patch('name', { name: 'Ada Byron 🧮' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Ada Byron 🧮');
  });

  it.each([[{}], [{ name: '' }], [{ name: 'x'.repeat(129) }], [{ name: 42 }], [{ name: 'a\u0000b' }]])('refuses %j with 400', async (body) => {
    expectError(await patch('name', body), 400, 'general_argument_invalid');
  });
});

describe('updateEmail (PATCH /account/email)', () => {
  it('changes the email and its target, resets emailVerification, frees the old address', async () => {
    const res = await patch('email', { email: 'Lovelace@Example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: 'lovelace@example.com', emailVerification: false });
    expect(res.body.targets).toEqual([expect.objectContaining({ providerType: 'email', identifier: 'lovelace@example.com' })]);
    await signUp(app, 'ada@example.com');
    expect((await request(app).post('/v1/account/sessions/email').send({ email: 'lovelace@example.com', password: PASSWORD })).status).toBe(201);
  });

  it('refuses a wrong password with 401 user_invalid_credentials', async () => {
    expectError(await patch('email', { email: 'new@example.com', password: 'wrong password' }), 401, 'user_invalid_credentials');
  });

  it("refuses another account's email with 409 user_target_already_exists and changes nothing", async () => {
    await signUp(app, 'taken@example.com');
    expectError(await patch('email', { email: 'taken@example.com', password: PASSWORD }), 409, 'user_target_already_exists');
    expect((await request(app).get('/v1/account').set('Cookie', cookie)).body.email).toBe('ada@example.com');
  });

  it.each([[{ password: PASSWORD }], [{ email: 'new@example.com' }], [{ email: 'bad', password: PASSWORD }], [{ email: 'new@example.com', password: 'short' }]])(
    'refuses %j with 400',
    async (body) => {
      expectError(await patch('email', body), 400, 'general_argument_invalid');
    },
  );
});

describe('updatePhone (PATCH /account/phone)', () => {
  it('sets the phone and an sms target, phoneVerification false', async () => {
    const res = await patch('phone', { phone: '+14155550123', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ phone: '+14155550123', phoneVerification: false });
    expect(res.body.targets.map((t: { providerType: string }) => t.providerType).sort()).toEqual(['email', 'sms']);
  });

  it("refuses another account's phone with 409 and a wrong password with 401", async () => {
    await patch('phone', { phone: '+14155550123', password: PASSWORD });
    await signUp(app, 'bob@example.com');
    const bob = await signIn(app, 'bob@example.com');
    expectError(await patch('phone', { phone: '+14155550123', password: PASSWORD }, bob), 409, 'user_target_already_exists');
    expectError(await patch('phone', { phone: '+14155550199', password: 'wrong password' }, bob), 401, 'user_invalid_credentials');
  });

  it.each(['14155550123', '+0123456789', '+1234', '+1234567890123456', 'phone'])('refuses the phone %s with 400', async (phone) => {
    expectError(await patch('phone', { phone, password: PASSWORD }), 400, 'general_argument_invalid');
  });
});

describe('updatePassword (PATCH /account/password)', () => {
  it('needs the old password, then signs out the other sessions but keeps this one', async () => {
    const other = await signIn(app);
    expectError(await patch('password', { password: 'new password 1' }), 401, 'user_invalid_credentials');
    expectError(await patch('password', { password: 'new password 1', oldPassword: 'wrong one' }), 401, 'user_invalid_credentials');
    const res = await patch('password', { password: 'new password 1', oldPassword: PASSWORD });
    expect(res.status).toBe(200);
    expect(new Date(res.body.passwordUpdate).getTime()).toBeGreaterThan(0);
    expect((await request(app).get('/v1/account').set('Cookie', cookie)).status).toBe(200);
    expectError(await request(app).get('/v1/account').set('Cookie', other), 401, 'general_unauthorized_scope');
    expectError(await request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD }), 401, 'user_invalid_credentials');
    expect((await request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: 'new password 1' })).status).toBe(201);
  });

  it('refuses a short new password with 400', async () => {
    expectError(await patch('password', { password: 'short', oldPassword: PASSWORD }), 400, 'general_argument_invalid');
  });
});

describe('updateStatus (PATCH /account/status)', () => {
  it('blocks the account: cookies cleared, every session refused, sign-in refused with 401 user_blocked', async () => {
    const other = await signIn(app);
    const res = await patch('status', {});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(false);
    expect(res.headers['x-fallback-cookies']).toBe('[]');
    expect(res.headers['set-cookie']![0]).toMatch(/^a_session_default=deleted; Expires=/);
    for (const c of [cookie, other]) expectError(await request(app).get('/v1/account').set('Cookie', c), 401, 'user_blocked');
    expectError(await request(app).delete('/v1/account/sessions/current').set('Cookie', other), 401, 'user_blocked');
    expectError(await request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD }), 401, 'user_blocked');
  });
});

describe('delete (DELETE /account)', () => {
  it('deletes the account and its sessions; the email can no longer sign in but can sign up again', async () => {
    const res = await request(app).delete('/v1/account').set('Cookie', cookie).send({});
    expect(res.status).toBe(204);
    expectError(await request(app).get('/v1/account').set('Cookie', cookie), 401, 'general_unauthorized_scope');
    expectError(await request(app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD }), 401, 'user_invalid_credentials');
    await signUp(app, 'ada@example.com');
  });

  it('answers guests with 401', async () => {
    expectError(await request(app).delete('/v1/account'), 401, 'general_unauthorized_scope');
  });
});
