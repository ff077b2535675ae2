// The example app as `npm start` builds it: configured from the environment, landing page at /,
// the API at /v1, and the host app's own route behind requireAccount.
import request from 'supertest';
import { configFromEnv, createExampleApp } from '../example-app/app';

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

it('reads ACCOUNT_DEFAULT_LOCALE: the language of messages when the request names none', async () => {
  expect(configFromEnv({}).defaultLocale).toBeUndefined();
  const lines: string[] = [];
  const { app, accounts } = createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_DEFAULT_LOCALE: 'fr' }), (line) => lines.push(line));
  expect((await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'fr@example.com' })).status).toBe(201);
  expect(lines.join('\n')).toContain('Code de connexion à account-router');
  await accounts.close();
  expect(() => createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_DEFAULT_LOCALE: 'xx' }), () => undefined)).toThrow(/`defaultLocale`/);
});
