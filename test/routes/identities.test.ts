// GET /account/identities and DELETE /account/identities/:identityId.
import request from 'supertest';
import { Query } from 'appwrite';
import type { IdentityRecord, StorageAdapter } from '../../adapters/types';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { expectError, signIn, signUp, startTestServer, type TestServer } from '../helpers/test-instance';

let server: TestServer;
let storage: StorageAdapter;
beforeAll(async () => {
  storage = createSqliteAdapter({ filename: ':memory:' });
  server = await startTestServer({ storage });
});
afterAll(() => server.close());

let n = 0;
async function identity(userId: string, provider = 'github', now = new Date()): Promise<IdentityRecord> {
  n++;
  return storage.identities.create({
    id: `identity${n}`,
    userId,
    createdAt: now,
    updatedAt: now,
    provider,
    providerUid: `uid-${n}`,
    providerEmail: `p${n}@example.com`,
    providerAccessToken: '',
    providerRefreshToken: '',
    providerAccessTokenExpiry: null,
    providerIdToken: '',
  });
}

test('lists the caller’s identities with limit/offset and total', async () => {
  const { app } = server;
  const ada = await signUp(app, 'ada-identities@example.com');
  const bob = await signUp(app, 'bob-identities@example.com');
  const cookie = await signIn(app, 'ada-identities@example.com');
  await identity(ada.$id, 'github');
  await identity(ada.$id, 'google');
  await identity(bob.$id, 'github');
  let res = await request(app).get('/v1/account/identities').set('cookie', cookie);
  expect(res.status).toBe(200);
  expect(res.body.total).toBe(2);
  expect(res.body.identities.map((i: { provider: string }) => i.provider).sort()).toEqual(['github', 'google']);
  expect(Object.keys(res.body.identities[0]).sort()).toEqual(
    ['$createdAt', '$id', '$updatedAt', 'provider', 'providerAccessToken', 'providerAccessTokenExpiry', 'providerEmail', 'providerRefreshToken', 'providerUid', 'userId', 'providerIdToken'].sort(),
  );
  // Browser-flow identities have no ID token; SDKs before appwrite@28 (format 2.3.0) never see the field.
  expect(res.body.identities[0].providerIdToken).toBe('');
  const older = await request(app).get('/v1/account/identities').set('cookie', cookie).set('X-Appwrite-Response-Format', '1.6.0');
  expect(older.body.identities[0]).not.toHaveProperty('providerIdToken');
  res = await request(app).get('/v1/account/identities').query({ 'queries[]': '{"method":"limit","values":[1]}' }).set('cookie', cookie);
  expect(res.body).toMatchObject({ total: 2 });
  expect(res.body.identities).toHaveLength(1);
  res = await request(app).get('/v1/account/identities').query({ 'queries[]': 'offset(2)' }).set('cookie', cookie);
  expect(res.body.identities).toHaveLength(0);
  res = await request(app).get('/v1/account/identities').query({ 'queries[]': 'bogus(1)' }).set('cookie', cookie);
  expectError(res, 400, 'general_query_invalid');
  res = await request(app).get('/v1/account/identities').query({ total: 'false' }).set('cookie', cookie);
  expect(res.body.total).toBe(0);
});

test('filters, orders and pages with the queries the SDKs build, JSON and ≤1.4 syntax', async () => {
  const { app } = server;
  const erin = await signUp(app, 'erin-identities@example.com');
  const cookie = await signIn(app, 'erin-identities@example.com');
  const day = (d: number) => new Date(Date.UTC(2024, 0, d));
  const github = await identity(erin.$id, 'github', day(1));
  const google = await identity(erin.$id, 'google', day(2));
  const gitlab = await identity(erin.$id, 'gitlab', day(3));
  const list = async (...queries: string[]) => {
    const res = await request(app).get('/v1/account/identities').query({ 'queries[]': queries }).set('cookie', cookie);
    expect(res.status).toBe(200);
    return { total: res.body.total as number, ids: (res.body.identities as { $id: string }[]).map((i) => i.$id) };
  };
  expect(await list(Query.equal('provider', 'google'))).toEqual({ total: 1, ids: [google.id] });
  expect(await list(Query.equal('provider', ['google', 'gitlab']), Query.orderAsc('provider'))).toEqual({ total: 2, ids: [gitlab.id, google.id] });
  expect(await list(Query.notEqual('provider', 'github'), Query.orderDesc('$createdAt'))).toEqual({ total: 2, ids: [gitlab.id, google.id] });
  expect(await list(Query.startsWith('provider', 'git'), Query.orderAsc('$createdAt'))).toEqual({ total: 2, ids: [github.id, gitlab.id] });
  expect(await list(Query.greaterThan('$createdAt', day(1).toISOString()))).toEqual({ total: 2, ids: [google.id, gitlab.id] });
  expect(await list(Query.between('$createdAt', day(2).toISOString(), day(3).toISOString()), Query.limit(1))).toEqual({ total: 2, ids: [google.id] });
  expect(await list(Query.isNull('providerAccessTokenExpiry'), Query.orderDesc('$createdAt'), Query.cursorAfter(gitlab.id), Query.limit(1))).toEqual({ total: 3, ids: [google.id] });
  expect(await list(Query.orderAsc('$createdAt'), Query.cursorBefore(gitlab.id), Query.limit(1))).toEqual({ total: 3, ids: [google.id] });
  expect(await list('equal("provider", ["github"])', 'limit(5)')).toEqual({ total: 1, ids: [github.id] });

  for (const bad of [Query.equal('providerAccessToken', 'x'), Query.startsWith('$createdAt', '2024'), Query.greaterThan('$createdAt', 'yesterday'), Query.search('provider', 'git'), '{"method":"equal","values":["x"]}']) {
    expectError(await request(app).get('/v1/account/identities').query({ 'queries[]': bad }).set('cookie', cookie), 400, 'general_query_invalid');
  }
  expectError(
    await request(app).get('/v1/account/identities').query({ 'queries[]': Query.cursorAfter('missing') }).set('cookie', cookie),
    400,
    'general_cursor_not_found',
  );
});

test('deletes only the caller’s identities', async () => {
  const { app } = server;
  const carol = await signUp(app, 'carol-identities@example.com');
  const dave = await signUp(app, 'dave-identities@example.com');
  const cookie = await signIn(app, 'carol-identities@example.com');
  const own = await identity(carol.$id);
  const foreign = await identity(dave.$id);
  expectError(await request(app).delete(`/v1/account/identities/${foreign.id}`).set('cookie', cookie), 404, 'user_identity_not_found');
  expectError(await request(app).delete('/v1/account/identities/unknown').set('cookie', cookie), 404, 'user_identity_not_found');
  const res = await request(app).delete(`/v1/account/identities/${own.id}`).set('cookie', cookie);
  expect(res.status).toBe(204);
  expect(await storage.identities.get(own.id)).toBeNull();
  expect(await storage.identities.get(foreign.id)).not.toBeNull();
  expectError(await request(app).delete(`/v1/account/identities/${own.id}`).set('cookie', cookie), 404, 'user_identity_not_found');
});

test('guests get 401', async () => {
  expectError(await request(server.app).get('/v1/account/identities'), 401, 'general_unauthorized_scope');
  expectError(await request(server.app).delete('/v1/account/identities/x'), 401, 'general_unauthorized_scope');
});
