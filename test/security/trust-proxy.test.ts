// X-Forwarded-* headers count only when the peer sending them is a trusted proxy: the host app's
// own `trust proxy` setting in Express, nobody in Connect and node:http, or the `trustProxy`
// option. The client is the right-most untrusted address, so a client's own X-Forwarded-For
// entry never wins behind a proxy that appends to it.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import connect from 'connect';
import express from 'express';
import express4 from 'express4';
import request from 'supertest';
import { createAccountRouter, type AccountRouter, type AccountRouterOptions } from '../../lib';
import { expectError, PASSWORD, signUp, testRouter } from '../helpers/test-instance';

const routers: AccountRouter[] = [];
function router(options: AccountRouterOptions = {}): AccountRouter {
  const created = testRouter(options);
  routers.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
});

/** Signs ada in with the given headers; the session's ip and country as the router recorded them. */
async function sessionFrom(app: express.Express, headers: Record<string, string>): Promise<{ ip: string; countryCode: string; cookie: string[] }> {
  const res = await request(app).post('/v1/account/sessions/email').set(headers).send({ email: 'ada@example.com', password: PASSWORD });
  expect(res.status).toBe(201);
  return { ip: res.body.ip, countryCode: res.body.countryCode, cookie: res.headers['set-cookie'] as unknown as string[] };
}

describe('a client talking straight to the server', () => {
  it('cannot choose its rate-limit key with X-Forwarded-For', async () => {
    const app = express().use('/v1', router({ rateLimits: true }));
    const signUpFrom = (i: number) =>
      request(app).post('/v1/account').set('X-Forwarded-For', `203.0.113.${i}`).send({ userId: 'unique()', email: `u${i}@example.com`, password: PASSWORD });
    for (let i = 0; i < 10; i++) expect((await signUpFrom(i)).status).toBe(201);
    expectError(await signUpFrom(10), 429, 'general_rate_limit_exceeded');
  });

  it('cannot write its IP, country or scheme into the session and the security log', async () => {
    const app = express().use('/v1', router());
    await signUp(app);
    const session = await sessionFrom(app, { 'X-Forwarded-For': '8.8.8.8', 'X-Forwarded-Proto': 'https' });
    expect(session).toMatchObject({ ip: '127.0.0.1', countryCode: '--' });
    expect(session.cookie[0]).not.toMatch(/Secure/);
    const cookie = session.cookie[0]!.split(';')[0]!;
    const logs = await request(app).get('/v1/account/logs').set('Cookie', cookie).set('X-Forwarded-For', '8.8.8.8');
    expect(logs.body.logs.map((log: { ip: string; countryCode: string }) => [log.ip, log.countryCode])).toEqual([
      ['127.0.0.1', '--'],
      ['127.0.0.1', '--'],
    ]);
  });
});

describe('behind a configured proxy', () => {
  it('trustProxy: 1 takes the address the proxy appended, not the one the client wrote', async () => {
    const app = express().use('/v1', router({ trustProxy: 1 }));
    await signUp(app);
    expect(await sessionFrom(app, { 'X-Forwarded-For': '2003::1, 8.8.8.8' })).toMatchObject({ ip: '8.8.8.8', countryCode: 'us' });
  });

  it('trustProxy: 1 keys rate limits by that address, whatever the client prepends', async () => {
    const app = express().use('/v1', router({ trustProxy: 1, rateLimits: true }));
    const signUpVia = (i: number, client: string) =>
      request(app).post('/v1/account').set('X-Forwarded-For', `10.0.0.${i}, ${client}`).send({ userId: 'unique()', email: `u${i}@example.com`, password: PASSWORD });
    for (let i = 0; i < 10; i++) expect((await signUpVia(i, '203.0.113.5')).status).toBe(201);
    expectError(await signUpVia(10, '203.0.113.5'), 429, 'general_rate_limit_exceeded');
    expect((await signUpVia(11, '203.0.113.6')).status).toBe(201);
  });

  it('a CIDR list skips every trusted hop, from the right', async () => {
    const app = express().use('/v1', router({ trustProxy: ['127.0.0.0/8', '10.0.0.0/8'] }));
    await signUp(app);
    expect(await sessionFrom(app, { 'X-Forwarded-For': '2003::1, 8.8.8.8, 10.1.2.3' })).toMatchObject({ ip: '8.8.8.8', countryCode: 'us' });
    // The same list as a comma string, as ACCOUNT_TRUST_PROXY gives it.
    const fromString = express().use('/v1', router({ trustProxy: '127.0.0.1, 10.0.0.0/8' }));
    await signUp(fromString);
    expect(await sessionFrom(fromString, { 'X-Forwarded-For': '8.8.8.8, 10.1.2.3' })).toMatchObject({ ip: '8.8.8.8' });
  });

  it('a peer outside the list is the client, whatever it forwards', async () => {
    const app = express().use('/v1', router({ trustProxy: '10.0.0.0/8' }));
    await signUp(app);
    const session = await sessionFrom(app, { 'X-Forwarded-For': '8.8.8.8', 'X-Forwarded-Proto': 'https' });
    expect(session).toMatchObject({ ip: '127.0.0.1' });
    expect(session.cookie[0]).not.toMatch(/Secure/);
  });

  it('X-Forwarded-Proto from a trusted proxy makes the cookie Secure', async () => {
    const app = express().use('/v1', router({ trustProxy: 'loopback' }));
    await signUp(app);
    const session = await sessionFrom(app, { 'X-Forwarded-Proto': 'https' });
    expect(session.cookie[0]).toMatch(/; Secure; HttpOnly; SameSite=Lax$/);
  });
});

describe("the host's convention", () => {
  it("follows the Express app's own trust proxy setting (what req.ip says)", async () => {
    const app = express();
    app.set('trust proxy', 1);
    app.use('/v1', router());
    app.get('/ip', (req, res) => void res.json({ ip: req.ip }));
    await signUp(app);
    expect(await sessionFrom(app, { 'X-Forwarded-For': '2003::1, 8.8.8.8' })).toMatchObject({ ip: '8.8.8.8', countryCode: 'us' });
    expect((await request(app).get('/ip').set('X-Forwarded-For', '2003::1, 8.8.8.8')).body.ip).toBe('8.8.8.8');
  });

  it('follows it in Express 4 too, and an explicit trustProxy: false overrides the app', async () => {
    const app4 = express4();
    app4.set('trust proxy', 'loopback');
    app4.use('/v1', router() as never);
    await signUp(app4 as never);
    expect(await sessionFrom(app4 as never, { 'X-Forwarded-For': '8.8.8.8' })).toMatchObject({ ip: '8.8.8.8' });
    const app = express();
    app.set('trust proxy', true);
    app.use('/v1', router({ trustProxy: false }));
    await signUp(app);
    expect(await sessionFrom(app, { 'X-Forwarded-For': '8.8.8.8' })).toMatchObject({ ip: '127.0.0.1' });
  });

  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  const plain = (r: AccountRouter): Handler => (req, res) => {
    (req as { originalUrl?: string }).originalUrl = req.url;
    req.url = req.url!.slice(3);
    r(req as never, res as never, () => res.end());
  };
  const hosts: [string, (r: AccountRouter) => Handler][] = [
    ['plain node:http', plain],
    ['Connect', (r) => connect().use('/v1', r as never) as unknown as Handler],
  ];

  it.each(hosts)('%s trusts nobody by default, and what trustProxy says when set', async (_name, host) => {
    for (const [options, expected] of [[{}, '127.0.0.1'], [{ trustProxy: 1 }, '8.8.8.8']] as const) {
      const server = http.createServer(host(router(options)));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
        const post = (path: string, body: unknown) =>
          fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '8.8.8.8' }, body: JSON.stringify(body) });
        expect((await post('/account', { userId: 'unique()', email: 'ada@example.com', password: PASSWORD })).status).toBe(201);
        const session = (await (await post('/account/sessions/email', { email: 'ada@example.com', password: PASSWORD })).json()) as { ip: string };
        expect(session.ip).toBe(expected);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});

describe('trustProxy option', () => {
  it.each([['not-an-address'], [-1], [1.5], [''], [{}], [['10.0.0.0/8', 'nope']]])('refuses %p with a TypeError naming the option', (value) => {
    expect(() => createAccountRouter({ trustProxy: value as never })).toThrow(TypeError);
    expect(() => createAccountRouter({ trustProxy: value as never })).toThrow(/option `trustProxy`/);
  });

  it('takes a function of (address, hop)', async () => {
    const seen: [string, number][] = [];
    const app = express().use('/v1', router({ trustProxy: (address, hop) => (seen.push([address, hop]), hop < 2) }));
    await signUp(app);
    expect(await sessionFrom(app, { 'X-Forwarded-For': '1.1.1.1, 8.8.8.8, 10.0.0.1' })).toMatchObject({ ip: '8.8.8.8' });
    expect(seen).toContainEqual(['10.0.0.1', 1]);
  });
});
