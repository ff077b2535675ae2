// The Users API's refusals over HTTP (supertest, an API key from router.admin.apiKeys): queries on
// unknown attributes, bad labels, taken emails and phones, unknown users and targets, bad hashes
// and hash options, bad target identifiers; the User model's hash fields; and the security log
// entries the admin changes write.
import request from 'supertest';
import { expectError, PASSWORD, testInstance, type TestInstance } from '../helpers/test-instance';

let t: TestInstance;
let key: string;
beforeAll(async () => {
  t = testInstance();
  key = (await t.router.admin.apiKeys.create({ name: 'route tests', scopes: ['users.read', 'users.write', 'sessions.write'] })).secret;
});
afterAll(() => t.close());

const as = (method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string) =>
  request(t.app)[method](`/v1${path}`).set('X-Appwrite-Project', 'default').set('X-Appwrite-Key', key);

let serial = 0;
async function newUser(fields: Record<string, unknown> = {}): Promise<{ $id: string; email: string }> {
  const res = await as('post', '/users').send({ userId: 'unique()', email: `u${serial++}-${Date.now()}@example.com`, password: PASSWORD, ...fields });
  expect(res.status).toBe(201);
  return res.body;
}

describe('list', () => {
  it('refuses a query on an unknown attribute with 400 general_query_invalid', async () => {
    const res = await as('get', '/users').query({ 'queries[]': JSON.stringify({ method: 'equal', attribute: 'password', values: ['x'] }) });
    expectError(res, 400, 'general_query_invalid');
    expect(res.body.message).toBe('Invalid query: Attribute not found in schema: password');
  });

  it('refuses an unknown cursor with 400 general_cursor_not_found', async () => {
    expectError(await as('get', '/users').query({ 'queries[]': JSON.stringify({ method: 'cursorAfter', values: ['nobody'] }) }), 400, 'general_cursor_not_found');
  });

  it('refuses callers without a key: 401 general_unauthorized_scope', async () => {
    expectError(await request(t.app).get('/v1/users'), 401, 'general_unauthorized_scope');
  });
});

describe('create and the hashed imports', () => {
  it('a taken email is 409 user_already_exists; a weak password 400', async () => {
    const user = await newUser();
    expectError(await as('post', '/users').send({ userId: 'unique()', email: user.email }), 409, 'user_already_exists');
    expectError(await as('post', '/users').send({ userId: 'unique()', email: 'short@example.com', password: 'short' }), 400, 'general_argument_invalid');
  });

  it('bad hashes and hash options are 400 general_argument_invalid naming the problem', async () => {
    const email = () => `h${serial++}-${Date.now()}@example.com`;
    const md5 = await as('post', '/users/md5').send({ userId: 'unique()', email: email(), password: 'xyz' });
    expectError(md5, 400, 'general_argument_invalid');
    expect(md5.body.message).toBe('Invalid `password` param: password must be 32 hex digits');
    const scrypt = await as('post', '/users/scrypt').send({ userId: 'unique()', email: email(), password: 'ab'.repeat(64), passwordSalt: 's', passwordCpu: 12 });
    expectError(scrypt, 400, 'general_argument_invalid');
    expect(scrypt.body.message).toContain('costCpu must be a power of two');
    expectError(await as('post', '/users/sha').send({ userId: 'unique()', email: email(), password: 'ab', passwordVersion: 'sha0' }), 400, 'general_argument_invalid');
    expectError(await as('post', '/users/scrypt-modified').send({ userId: 'unique()', email: email(), password: 'AAAA', passwordSalt: 'not base64!', passwordSaltSeparator: 'Bw==', passwordSignerKey: 'AAAA' }), 400, 'general_argument_invalid');
  });

  it('the User model shows the imported hash as it was given, with its algorithm and options', async () => {
    const res = await as('post', '/users/sha').send({ userId: 'unique()', email: `sha${Date.now()}@example.com`, password: 'ab'.repeat(32), passwordVersion: 'sha256' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ password: 'ab'.repeat(32), hash: 'sha', hashOptions: { version: 'sha256' } });
    expect(Object.keys(res.body).slice(0, 7)).toEqual(['$id', '$createdAt', '$updatedAt', 'name', 'password', 'hash', 'hashOptions']);
  });
});

describe('the User model', () => {
  it('shows the password hash and its options to API keys only, not to an impersonator’s session, nor recovery codes', async () => {
    const imported = await as('post', '/users/scrypt').send({ userId: 'unique()', email: `scrypt${Date.now()}@example.com`, password: 'ab'.repeat(64), passwordSalt: 'pepper', passwordCpu: 16 });
    expect(imported.body).toMatchObject({ hash: 'scrypt', hashOptions: { salt: 'pepper', costCpu: 16, costMemory: 14, costParallel: 1, length: 64 } });
    const impersonator = await newUser();
    await as('patch', `/users/${impersonator.$id}/impersonator`).send({ impersonator: true });
    const signIn = await request(t.app).post('/v1/account/sessions/email').send({ email: impersonator.email, password: PASSWORD });
    const cookie = signIn.headers['set-cookie'][0].split(';')[0];
    const seen = await request(t.app).get(`/v1/users/${imported.body.$id}`).set('Cookie', cookie);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ password: '', hash: 'scrypt', hashOptions: {} });
    expectError(await request(t.app).get(`/v1/users/${imported.body.$id}/mfa/recovery-codes`).set('Cookie', cookie), 401, 'general_unauthorized_scope');
  });
});

describe('changes', () => {
  it('an unknown user is 404 user_not_found', async () => {
    expectError(await as('get', '/users/nobody'), 404, 'user_not_found');
    expectError(await as('patch', '/users/nobody/name').send({ name: 'x' }), 404, 'user_not_found');
    expectError(await as('delete', '/users/nobody'), 404, 'user_not_found');
  });

  it('labels must be letters and digits, at most 36 each and 1,000 in all', async () => {
    const user = await newUser();
    for (const labels of [['with space'], ['a'.repeat(37)], [''], Array.from({ length: 1001 }, (_, i) => `l${i}`), 'admin']) {
      expectError(await as('put', `/users/${user.$id}/labels`).send({ labels }), 400, 'general_argument_invalid');
    }
    const ok = await as('put', `/users/${user.$id}/labels`).send({ labels: ['a'.repeat(36), 'B2'] });
    expect(ok.body.labels).toEqual(['a'.repeat(36), 'B2']);
  });

  it('a taken email is 409 user_target_already_exists, a taken phone 409 too, and nothing changes', async () => {
    const [a, b] = [await newUser({ phone: '+14155550101' }), await newUser()];
    expectError(await as('patch', `/users/${b.$id}/email`).send({ email: a.email }), 409, 'user_target_already_exists');
    expectError(await as('patch', `/users/${b.$id}/phone`).send({ number: '+14155550101' }), 409, 'user_target_already_exists');
    expect((await as('get', `/users/${b.$id}`)).body).toMatchObject({ email: b.email, phone: '' });
  });

  it('an empty email, phone or password clears it, and the target goes with it', async () => {
    const user = await newUser({ phone: '+14155550102' });
    const res = await as('patch', `/users/${user.$id}/phone`).send({ number: '' });
    expect(res.body.phone).toBe('');
    expect(res.body.targets.map((target: { providerType: string }) => target.providerType)).toEqual(['email']);
    expect((await as('patch', `/users/${user.$id}/password`).send({ password: '' })).body.password).toBe('');
  });

  it('writes a security-log entry under the changed user', async () => {
    const user = await newUser();
    await as('patch', `/users/${user.$id}/status`).send({ status: false });
    const logs = await as('get', `/users/${user.$id}/logs`);
    expect(logs.body.logs.map((entry: { event: string }) => entry.event)).toEqual(['user.update', 'user.create']);
  });
});

describe('targets, sessions, tokens', () => {
  it('identifiers are checked by type; another user’s target is 404', async () => {
    const [a, b] = [await newUser(), await newUser()];
    expectError(await as('post', `/users/${a.$id}/targets`).send({ targetId: 'unique()', providerType: 'sms', identifier: '12' }), 400, 'general_invalid_phone');
    const push = await as('post', `/users/${a.$id}/targets`).send({ targetId: 'unique()', providerType: 'push', identifier: 'tok' });
    expect(push.status).toBe(201);
    expectError(await as('get', `/users/${b.$id}/targets/${push.body.$id}`), 404, 'user_target_not_found');
    expectError(await as('post', `/users/${b.$id}/targets`).send({ targetId: push.body.$id, providerType: 'push', identifier: 'tok2' }), 409, 'user_target_already_exists');
  });

  it('token length and expiry are bounded as Appwrite bounds them', async () => {
    const user = await newUser();
    expectError(await as('post', `/users/${user.$id}/tokens`).send({ length: 3 }), 400, 'general_argument_invalid');
    expectError(await as('post', `/users/${user.$id}/tokens`).send({ expire: 59 }), 400, 'general_argument_invalid');
    const token = await as('post', `/users/${user.$id}/tokens`).send({});
    expect(token.body.secret).toMatch(/^[0-9a-f]{6}$/);
  });

  it('deleting another user’s session is 404 user_session_not_found', async () => {
    const [a, b] = [await newUser(), await newUser()];
    const session = await as('post', `/users/${a.$id}/sessions`);
    expectError(await as('delete', `/users/${b.$id}/sessions/${session.body.$id}`), 404, 'user_session_not_found');
  });
});
