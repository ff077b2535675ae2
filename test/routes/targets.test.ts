// Push targets over HTTP (supertest): POST /account/targets/push, PUT and DELETE
// /account/targets/:targetId/push, and how they appear in the Account model.
import express from 'express';
import request from 'supertest';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { expectError, signedIn, testRouter } from '../helpers/test-instance';
import type { AccountRouter, StorageAdapter } from '../../lib';

const PIXEL_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
let router: AccountRouter;
let app: express.Express;
let storage: StorageAdapter;

beforeEach(() => {
  storage = createSqliteAdapter({ filename: ':memory:' });
  router = testRouter({ storage });
  app = express().use('/v1', router);
});
afterEach(() => router.close());

const create = (cookie: string, body: Record<string, unknown>, ua = PIXEL_UA) =>
  request(app).post('/v1/account/targets/push').set('Cookie', cookie).set('User-Agent', ua).send(body);

describe('POST /account/targets/push', () => {
  it('creates a push target named after the device, bound to the session, listed on the account', async () => {
    const { cookie, id: userId, sessionId } = await signedIn(app);
    const res = await create(cookie, { targetId: 'phone-1', identifier: 'fcm-token-1', providerId: 'fcm' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['$id', '$createdAt', '$updatedAt', 'name', 'userId', 'providerId', 'providerType', 'identifier', 'expired']);
    expect(res.body).toMatchObject({ $id: 'phone-1', userId, providerId: 'fcm', providerType: 'push', identifier: 'fcm-token-1', expired: false });
    expect(res.body.name).toMatch(/^Google Pixel 8$/);
    expect((await storage.targets.get('phone-1'))!.sessionId).toBe(sessionId);
    const account = await request(app).get('/v1/account').set('Cookie', cookie);
    expect(account.body.targets.map((t: { $id: string }) => t.$id)).toContain('phone-1');
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookie);
    expect(logs.body.logs[0].event).toBe('target.create');
  });

  it('unique() generates an id; no providerId → null; an unknown device gives a blank name', async () => {
    const { cookie } = await signedIn(app);
    const res = await create(cookie, { targetId: 'unique()', identifier: 'token' }, 'curl/8.0');
    expect(res.status).toBe(201);
    expect(res.body.$id).toMatch(/^[0-9a-f]{20}$/);
    expect(res.body.providerId).toBeNull();
    expect(res.body.name).toBe('');
  });

  it('409 user_target_already_exists for a used id', async () => {
    const { cookie } = await signedIn(app);
    await create(cookie, { targetId: 't1', identifier: 'a' }).expect(201);
    expectError(await create(cookie, { targetId: 't1', identifier: 'b' }), 409, 'user_target_already_exists');
  });

  it('validates its parameters and needs a user', async () => {
    const { cookie } = await signedIn(app);
    expectError(await create(cookie, { identifier: 'a' }), 400, 'general_argument_invalid');
    expectError(await create(cookie, { targetId: '-bad', identifier: 'a' }), 400, 'general_argument_invalid');
    expectError(await create(cookie, { targetId: 't', identifier: '' }), 400, 'general_argument_invalid');
    expectError(await create(cookie, { targetId: 't', identifier: 'x'.repeat(256) }), 400, 'general_argument_invalid');
    expectError(await create(cookie, { targetId: 't', identifier: 'a', providerId: 'bad id!' }), 400, 'general_argument_invalid');
    expectError(await request(app).post('/v1/account/targets/push').send({ targetId: 't', identifier: 'a' }), 401, 'general_unauthorized_scope');
  });
});

describe('PUT /account/targets/:targetId/push', () => {
  it('updates the identifier, clears expired and refreshes the name', async () => {
    const { cookie } = await signedIn(app);
    await create(cookie, { targetId: 't1', identifier: 'old' }, 'curl/8.0').expect(201);
    await storage.targets.update('t1', { expired: true });
    const res = await request(app).put('/v1/account/targets/t1/push').set('Cookie', cookie).set('User-Agent', PIXEL_UA).send({ identifier: 'new' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ $id: 't1', identifier: 'new', expired: false, name: 'Google Pixel 8' });
  });

  it('404 for unknown targets, another user\'s, and the email target; 400 without identifier', async () => {
    const ada = await signedIn(app);
    const bob = await signedIn(app, 'bob@example.com');
    await create(ada.cookie, { targetId: 't1', identifier: 'a' }).expect(201);
    const put = (cookie: string, id: string, body: Record<string, unknown> = { identifier: 'x' }) =>
      request(app).put(`/v1/account/targets/${id}/push`).set('Cookie', cookie).send(body);
    expectError(await put(ada.cookie, 'nope'), 404, 'user_target_not_found');
    expectError(await put(bob.cookie, 't1'), 404, 'user_target_not_found');
    const emailTarget = (await storage.users.get(ada.id))!.targets.find((t) => t.providerType === 'email');
    if (emailTarget) expectError(await put(ada.cookie, emailTarget.id), 404, 'user_target_not_found');
    expectError(await put(ada.cookie, 't1', {}), 400, 'general_argument_invalid');
    expectError(await request(app).put('/v1/account/targets/t1/push').send({ identifier: 'x' }), 401, 'general_unauthorized_scope');
  });
});

describe('DELETE /account/targets/:targetId/push', () => {
  it('deletes the caller\'s target (204), then 404; another user\'s is 404', async () => {
    const ada = await signedIn(app);
    const bob = await signedIn(app, 'bob@example.com');
    await create(ada.cookie, { targetId: 't1', identifier: 'a' }).expect(201);
    expectError(await request(app).delete('/v1/account/targets/t1/push').set('Cookie', bob.cookie), 404, 'user_target_not_found');
    expect((await request(app).delete('/v1/account/targets/t1/push').set('Cookie', ada.cookie)).status).toBe(204);
    expectError(await request(app).delete('/v1/account/targets/t1/push').set('Cookie', ada.cookie), 404, 'user_target_not_found');
    expect(await storage.targets.get('t1')).toBeNull();
  });
});
