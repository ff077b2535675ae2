// Deeply nested JSON gets a 4xx, never a 500: JSON parameters are bounded at MAX_JSON_DEPTH levels
// (400 naming the parameter), every walk over user JSON is iterative or runs after that bound, and
// the account works afterwards. 5,000 levels already overflowed the old recursive walk.
import express from 'express';
import request from 'supertest';
import { ROUTES } from '../../lib/routes';
import { MAX_JSON_DEPTH, validateParams } from '../../lib/params';
import { AccountError, type AccountRouter, type AccountRouterOptions } from '../../lib';
import { expectError, signedIn, testRouter } from '../helpers/test-instance';

/** `depth` levels of arrays or of objects around a 1, as JSON text (built without recursion). */
function nested(shape: 'array' | 'object', depth: number): string {
  return shape === 'array' ? '['.repeat(depth) + '1' + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const CASES = [5_000, 100_000].flatMap((depth) => (['array', 'object'] as const).map((shape) => [depth, shape] as const));
/** Room for 100,000 levels of objects (600 KB), so the depth is what gets refused, not the size. */
const ROOMY = { bodyLimitBytes: 4 * 1024 * 1024 };

let router: AccountRouter;
function setUp(options: AccountRouterOptions = {}, host = express()): express.Express {
  router = testRouter(options);
  return host.use('/v1', router);
}
afterEach(() => router.close());

const patchPrefs = (app: express.Express, cookie: string, prefsJson: string) =>
  request(app).patch('/v1/account/prefs').set('Cookie', cookie).set('Content-Type', 'application/json').send(`{"prefs":${prefsJson}}`);

async function expectAccountIntact(app: express.Express, cookie: string, prefs: Record<string, unknown>): Promise<void> {
  const account = await request(app).get('/v1/account').set('Cookie', cookie);
  expect(account.status).toBe(200);
  expect(account.body.prefs).toEqual(prefs);
  const update = await request(app).patch('/v1/account/prefs').set('Cookie', cookie).send({ prefs: { theme: 'dark' } });
  expect([update.status, update.body.prefs]).toEqual([200, { theme: 'dark' }]);
}

describe('updatePrefs (PATCH /account/prefs)', () => {
  it.each(CASES)('answers prefs %d levels deep (%s) with 400 naming prefs, and the account still works', async (depth, shape) => {
    const app = setUp(ROOMY);
    const { cookie } = await signedIn(app);
    expect((await request(app).patch('/v1/account/prefs').set('Cookie', cookie).send({ prefs: { theme: 'light' } })).status).toBe(200);
    const res = await patchPrefs(app, cookie, `{"deep":${nested(shape, depth)}}`);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.body.message).toBe(`Invalid \`prefs\` param: Value must be a valid object nested no more than ${MAX_JSON_DEPTH} levels deep.`);
    await expectAccountIntact(app, cookie, { theme: 'light' });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}`, async () => {
    const app = setUp();
    const { cookie } = await signedIn(app);
    const levels = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
    const deepest = await patchPrefs(app, cookie, levels(MAX_JSON_DEPTH));
    expect(deepest.status).toBe(200);
    expect(JSON.stringify(deepest.body.prefs)).toBe(levels(MAX_JSON_DEPTH));
    expectError(await patchPrefs(app, cookie, levels(MAX_JSON_DEPTH + 1)), 400, 'general_argument_invalid');
  });

  it('answers a 100,000-level body over the default size limit with 413', async () => {
    const app = setUp();
    const { cookie } = await signedIn(app);
    expectError(await patchPrefs(app, cookie, nested('object', 100_000)), 413, 'general_payload_too_large');
    await expectAccountIntact(app, cookie, {});
  });

  it.each([5_000, 100_000])('refuses form-encoded prefs with %d levels of brackets', async (depth) => {
    const app = setUp(ROOMY);
    const { cookie } = await signedIn(app);
    const res = await request(app).patch('/v1/account/prefs').set('Cookie', cookie).type('form').send(`prefs${'[a]'.repeat(depth)}=1`);
    expectError(res, 400, 'general_argument_invalid');
    await expectAccountIntact(app, cookie, {});
  });

  it.each(CASES)("refuses prefs %d levels deep (%s) parsed by the host's express.json()", async (depth, shape) => {
    const app = setUp({}, express().use(express.json({ limit: '4mb' })));
    const { cookie } = await signedIn(app);
    expectError(await patchPrefs(app, cookie, `{"deep":${nested(shape, depth)}}`), 400, 'general_argument_invalid');
    await expectAccountIntact(app, cookie, {});
  });

  it("answers deep brackets parsed by the host's extended urlencoded parser without a 5xx", async () => {
    const app = setUp({}, express().use(express.urlencoded({ extended: true })));
    const { cookie } = await signedIn(app);
    const res = await request(app).patch('/v1/account/prefs').set('Cookie', cookie).type('form').send(`prefs${'[a]'.repeat(5_000)}=1`);
    expect(res.status).toBeLessThan(500);
    await expectAccountIntact(app, cookie, res.status === 200 ? res.body.prefs : {});
  });
});

describe('every route', () => {
  const writeRoutes = ROUTES.filter((route) => route.method !== 'get');

  it.each(CASES)('answers each parameter %d levels deep (%s) with a 4xx', async (depth, shape) => {
    const app = setUp(ROOMY);
    const { cookie } = await signedIn(app);
    const deep = nested(shape, depth);
    for (const route of writeRoutes) {
      const path = `/v1${route.path.replace(/:[A-Za-z]+/g, 'x')}`;
      for (const name of Object.keys(route.params)) {
        let req = request(app)[route.method](path).set('Content-Type', 'application/json');
        if (route.scope === 'user') req = req.set('Cookie', cookie);
        const res = await req.send(`{"${name}":${deep}}`);
        expect([route.sdk, name, res.status >= 400 && res.status < 500]).toEqual([route.sdk, name, true]);
      }
    }
    await expectAccountIntact(app, cookie, {});
  });

  it('has no parameter rule that accepts, or trips over, 100,000 levels', () => {
    const ctx = { allowedHosts: ['localhost'] };
    for (const shape of ['array', 'object'] as const) {
      const deep = JSON.parse(nested(shape, 100_000)) as unknown;
      for (const route of ROUTES) {
        for (const [name, rule] of Object.entries(route.params)) {
          let outcome: unknown;
          try {
            validateParams({ [name]: rule }, { [name]: deep }, ctx);
          } catch (error) {
            outcome = error;
          }
          expect([route.sdk, name, outcome instanceof AccountError && outcome.code === 400]).toEqual([route.sdk, name, true]);
        }
      }
    }
  });

  it('counts a rate-limited request whose keyed parameter is 100,000 levels deep, then refuses it', async () => {
    const app = setUp({ ...ROOMY, rateLimits: true });
    const res = await request(app).post('/v1/account/sessions/email').set('Content-Type', 'application/json').send(`{"email":${nested('array', 100_000)},"password":"password123"}`);
    expectError(res, 400, 'general_argument_invalid');
    expect(res.headers['x-ratelimit-remaining']).toBe('9');
  });
});

describe('JSON in request headers', () => {
  it('treats a deeply nested X-Fallback-Cookies or X-Appwrite-JWT as no credential', async () => {
    const app = setUp();
    const fallback = await request(app).get('/v1/account').set('X-Fallback-Cookies', nested('array', 5_000));
    expectError(fallback, 401, 'general_unauthorized_scope');
    const segment = (json: string) => Buffer.from(json).toString('base64url');
    const jwt = `${segment(nested('object', 1_500))}.${segment(nested('array', 1_500))}.${'A'.repeat(43)}`;
    expectError(await request(app).get('/v1/account').set('X-Appwrite-JWT', jwt), 401, 'user_jwt_invalid');
  });
});
