// X-Appwrite-Response-Format: each SDK generation gets the models it was built for. The 2.x
// fields (MfaFactors.custom from 2.0.0; User.passwordPwned and Identity.providerIdToken from
// 2.3.0) reach only the SDKs that know them, and an SDK newer than the newest format served hears
// so in X-Appwrite-Warning, as Appwrite tells it.
import request from 'supertest';
import { formatVersion, formatWarning, NEWEST_FORMAT } from '../../lib/models';
import { signedIn, testInstance, type TestInstance } from '../helpers/test-instance';

let t: TestInstance;
beforeAll(() => {
  t = testInstance();
});
afterAll(() => t.close());

const FORMATS = [
  { format: '1.4.0', passwordPwned: false, custom: false, factors: false },
  { format: '1.6.0', passwordPwned: false, custom: false, factors: true },
  { format: '1.9.5', passwordPwned: false, custom: false, factors: true },
  { format: '2.0.0', passwordPwned: false, custom: true, factors: true },
  { format: '2.3.0', passwordPwned: true, custom: true, factors: true },
];

describe.each(FORMATS)('format $format', ({ format, passwordPwned, custom, factors }) => {
  it('serves the Account, MfaFactors and Session shapes of that generation, without a warning', async () => {
    const { cookie } = await signedIn(t.app, `format-${format}@example.com`);
    const account = await request(t.app).get('/v1/account').set('Cookie', cookie).set('X-Appwrite-Response-Format', format);
    expect('passwordPwned' in account.body).toBe(passwordPwned);
    expect(account.headers['x-appwrite-warning']).toBeUndefined();
    const list = await request(t.app).get('/v1/account/mfa/factors').set('Cookie', cookie).set('X-Appwrite-Response-Format', format);
    expect('custom' in list.body).toBe(custom);
    const session = await request(t.app).get('/v1/account/sessions/current').set('Cookie', cookie).set('X-Appwrite-Response-Format', format);
    expect('factors' in session.body).toBe(factors);
  });
});

it('formatVersion reads 2.0.0 and 2.3.0 (and two-part versions); no header means the newest', () => {
  expect(formatVersion('2.0.0')).toBe(20000);
  expect(formatVersion('2.3.0')).toBe(20300);
  expect(formatVersion('2.3')).toBe(20300);
  expect(formatVersion(undefined)).toBe(Number.MAX_SAFE_INTEGER);
  expect(formatVersion('latest')).toBe(Number.MAX_SAFE_INTEGER);
  expect(formatVersion('2.3.0')).toBeGreaterThan(formatVersion('1.9.5'));
});

it('warns an SDK built for a newer format than the router serves, on answers and errors alike', async () => {
  expect(NEWEST_FORMAT).toBe('2.3.0');
  expect(formatWarning('2.3.0')).toBeUndefined();
  expect(formatWarning(undefined)).toBeUndefined();
  const res = await request(t.app).get('/v1/account').set('X-Appwrite-Response-Format', '2.4.0');
  expect(res.status).toBe(401);
  expect(res.headers['x-appwrite-warning']).toBe(formatWarning('2.4.0'));
  expect(res.headers['x-appwrite-warning']).toMatch(/format 2\.4\.0.* up to 2\.3\.0/);
  // Only the parsed version is repeated, never what the client sent.
  const odd = await request(t.app).get('/v1/account').set('X-Appwrite-Response-Format', '3.0.0-beta<script>');
  expect(odd.headers['x-appwrite-warning']).toBe(formatWarning('3.0.0'));
});
