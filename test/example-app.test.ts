// The example app as `npm start` builds it: configured from the environment, landing page at /,
// the API at /v1, and the host app's own route behind requireAccount.
import request from 'supertest';
import { configFromEnv, createExampleApp, startupSummary } from '../example-app/app';
import { startIdTokenIssuer } from './helpers/id-token-issuer';

it('serves the landing page, the API and a protected host route from the environment config', async () => {
  const config = configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_PROJECT_ID: 'demo', PORT: '4000' });
  expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:4000/v1', allowedHosts: ['localhost', '127.0.0.1'], platforms: [] });
  expect(configFromEnv({ ACCOUNT_PLATFORMS: 'com.example.app, appwrite-ios://com.example.ios' }).platforms).toEqual(['com.example.app', 'appwrite-ios://com.example.ios']);
  const { app, accounts } = createExampleApp(config);
  const landing = await request(app).get('/');
  expect(landing.status).toBe(200);
  expect(landing.text).toContain("setProject('demo')");
  const signUp = await request(app).post('/v1/account').set('X-Appwrite-Project', 'demo').send({ userId: 'unique()', email: 'demo@example.com', password: 'password123' });
  expect(signUp.status).toBe(201);
  const signIn = await request(app).post('/v1/account/sessions/email').set('X-Appwrite-Project', 'demo').send({ email: 'demo@example.com', password: 'password123' });
  const cookie = signIn.headers['set-cookie']![0]!.split(';')[0]!;
  expect(cookie.startsWith('a_session_demo=')).toBe(true);
  expect((await request(app).get('/me')).status).toBe(401);
  expect((await request(app).get('/me').set('Cookie', cookie)).body).toEqual({ id: signUp.body.$id, email: 'demo@example.com' });
  // A front end on Vite's http://localhost:5173 works with the defaults.
  const preflight = await request(app).options('/v1/account').set({ Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' });
  expect([preflight.status, preflight.headers['access-control-allow-origin']]).toEqual([204, 'http://localhost:5173']);
  await accounts.close();
});

it('reads ACCOUNT_TRUST_PROXY: unset or false trusts no proxy, digits are a hop count, else an address list', async () => {
  expect(configFromEnv({}).trustProxy).toBe(false);
  expect(configFromEnv({ ACCOUNT_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  expect(configFromEnv({ ACCOUNT_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  expect(configFromEnv({ ACCOUNT_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
  const sessionIpVia = async (trustProxy: string | undefined) => {
    const { app, accounts } = createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_TRUST_PROXY: trustProxy }), () => undefined);
    await request(app).post('/v1/account').send({ userId: 'unique()', email: 'ip@example.com', password: 'password123' });
    const res = await request(app).post('/v1/account/sessions/email').set('X-Forwarded-For', '8.8.8.8').send({ email: 'ip@example.com', password: 'password123' });
    await accounts.close();
    return res.body.ip;
  };
  expect(await sessionIpVia(undefined)).toBe('127.0.0.1');
  expect(await sessionIpVia('loopback')).toBe('8.8.8.8');
  expect(() => createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_TRUST_PROXY: 'true' }), () => undefined)).toThrow(/`trustProxy`/);
});

it('reads ACCOUNT_API_KEY as a static key with every scope, and refuses a short one at start', async () => {
  const key = 'example-api-key-0123456789abcdef0123456789';
  const { app, accounts } = createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_API_KEY: key }), () => undefined);
  await request(app).post('/v1/account').send({ userId: 'unique()', email: 'key@example.com', password: 'password123' });
  const res = await request(app).post('/v1/account/sessions/email').set('X-Appwrite-Key', key).send({ email: 'key@example.com', password: 'password123' });
  expect(res.status).toBe(201);
  expect(res.body.secret).not.toBe('');
  const flag = await request(app).patch(`/v1/users/${res.body.userId}/impersonator`).set('X-Appwrite-Key', key).send({ impersonator: true });
  expect([flag.status, flag.body.impersonator]).toEqual([200, true]);
  expect((await request(app).get('/v1/account').set('X-Appwrite-Key', 'wrong')).status).toBe(401);
  await accounts.close();
  expect(() => createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_API_KEY: 'short' }), () => undefined)).toThrow(/ACCOUNT_API_KEY must be at least 32 characters/);
});

describe('native sign-in from ACCOUNT_OAUTH_<PROVIDER>_NATIVE_CLIENT_IDS and _ISSUER', () => {
  it('reads them into idTokens, never into the browser flow’s provider settings', () => {
    const config = configFromEnv({
      ACCOUNT_OAUTH_GOOGLE_CLIENT_ID: 'web-client',
      ACCOUNT_OAUTH_GOOGLE_CLIENT_SECRET: 'secret',
      ACCOUNT_OAUTH_GOOGLE_NATIVE_CLIENT_IDS: 'web-client, android-client ,',
      ACCOUNT_OAUTH_GOOGLE_ISSUER: 'http://127.0.0.1:9000',
      ACCOUNT_OAUTH_APPLE_NATIVE_CLIENT_IDS: 'com.example.app',
      ACCOUNT_OAUTH_OIDC_CLIENT_ID: 'o',
      ACCOUNT_OAUTH_OIDC_CLIENT_SECRET: 'os',
      ACCOUNT_OAUTH_OIDC_ISSUER: 'http://localhost:8080',
    });
    expect(config.idTokens).toEqual({ google: { clientIds: ['web-client', 'android-client'], issuer: 'http://127.0.0.1:9000' }, apple: { clientIds: ['com.example.app'] } });
    // The browser flow keeps its own settings; the OIDC provider's issuer is still its own.
    expect(config.oauth2).toEqual({ google: { clientId: 'web-client', clientSecret: 'secret' }, oidc: { clientId: 'o', clientSecret: 'os', issuer: 'http://localhost:8080' } });
    expect(configFromEnv({ ACCOUNT_OAUTH_GOOGLE_ISSUER: 'http://127.0.0.1:9000' }).idTokens).toEqual({});
    expect(startupSummary(config)).toContain('OAuth2 providers: google, oidc; ID-token sign-in: google, apple');
  });

  it('signs in with a token of the issuer the variables name', async () => {
    const issuer = await startIdTokenIssuer();
    const { app, accounts } = createExampleApp(
      configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_OAUTH_GOOGLE_NATIVE_CLIENT_IDS: 'android-client', ACCOUNT_OAUTH_GOOGLE_ISSUER: issuer.issuer }),
      () => undefined,
    );
    try {
      const idToken = await issuer.token({ claims: { aud: 'android-client', sub: 'g-1', email: 'native@example.com', email_verified: true } });
      const res = await request(app).post('/v1/account/sessions/id-token').send({ provider: 'google', idToken });
      expect([res.status, res.body.provider]).toEqual([201, 'google']);
      expect((await request(app).post('/v1/account/sessions/id-token').send({ provider: 'apple', idToken })).body.type).toBe('project_provider_disabled');
    } finally {
      await accounts.close();
      await issuer.stop();
    }
  });
});

it('reads ACCOUNT_DEFAULT_LOCALE: the language of messages when the request names none', async () => {
  expect(configFromEnv({}).defaultLocale).toBeUndefined();
  const lines: string[] = [];
  const { app, accounts } = createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_DEFAULT_LOCALE: 'fr' }), (line) => lines.push(line));
  expect((await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'fr@example.com' })).status).toBe(201);
  expect(lines.join('\n')).toContain('Code de connexion à account-router');
  await accounts.close();
  expect(() => createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_DEFAULT_LOCALE: 'xx' }), () => undefined)).toThrow(/`defaultLocale`/);
});
