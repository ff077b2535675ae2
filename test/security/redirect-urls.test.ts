// Redirect URLs: every parameter that names one (recovery, magic URL and verification links, the
// OAuth2 success and failure pages) refuses the known tricks, and neither a spoofed Host nor an
// X-Forwarded-Host changes what is checked or where mailed links and OAuth2 callbacks point.
import express from 'express';
import request from 'supertest';
import type { AccountRouter, AccountRouterOptions, MailMessage } from '../../lib';
import { expectError, signIn, signUp, testRouter } from '../helpers/test-instance';
import { ALLOWED_HOSTS, REDIRECT_ATTACKS } from '../helpers/redirect-attacks';
import { linkIn } from '../helpers/smtp';

let router: AccountRouter;
let app: express.Express;
let mails: MailMessage[];
let cookie: string;
async function setUp(options: AccountRouterOptions = {}): Promise<void> {
  mails = [];
  router = testRouter({
    allowedHosts: ALLOWED_HOSTS,
    mailer: async (message) => void mails.push(message),
    oauth2: { github: { clientId: 'gh-client', clientSecret: 'gh-secret' } },
    ...options,
  });
  app = express().use('/v1', router);
  await signUp(app);
  cookie = await signIn(app);
}
afterEach(() => router.close());

const SPOOFS: Record<string, string>[] = [{}, { Host: 'evil.example' }, { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' }];

/** Each route that takes a redirect URL, as a request carrying `url` and `headers`. */
const SENDERS: Record<string, (url: string, headers: Record<string, string>) => request.Test> = {
  createRecovery: (url, headers) => request(app).post('/v1/account/recovery').set(headers).send({ email: 'ada@example.com', url }),
  createMagicURLToken: (url, headers) => request(app).post('/v1/account/tokens/magic-url').set(headers).send({ userId: 'unique()', email: 'ada@example.com', url }),
  createEmailVerification: (url, headers) => request(app).post('/v1/account/verifications/email').set(headers).set('Cookie', cookie).send({ url }),
  'createOAuth2Session success': (url, headers) => request(app).get('/v1/account/sessions/oauth2/github').set(headers).query({ success: url }),
  'createOAuth2Token failure': (url, headers) => request(app).get('/v1/account/tokens/oauth2/github').set(headers).query({ failure: url }),
};

describe.each(Object.entries(SENDERS))('%s', (_route, send) => {
  it.each(SPOOFS)('refuses every known trick, with headers %p', async (headers) => {
    await setUp({ trustProxy: 'loopback' });
    for (const attack of REDIRECT_ATTACKS) {
      const res = await send(attack, headers);
      expect([attack, res.status, res.body.type]).toEqual([attack, 400, 'general_argument_invalid']);
    }
    expect(mails).toEqual([]);
  });
});

describe('mailed links', () => {
  it.each(SPOOFS)('point where the url parameter says, whatever the headers %p', async (headers) => {
    await setUp({ trustProxy: 'loopback' });
    for (const route of ['createRecovery', 'createMagicURLToken', 'createEmailVerification']) {
      expect((await SENDERS[route]!('https://deep.a.apps.example.org/done', headers)).status).toBe(201);
    }
    expect(mails.map((mail) => linkIn(mail.text).origin)).toEqual(Array(3).fill('https://deep.a.apps.example.org'));
  });
});

describe('OAuth2 callbacks', () => {
  const start = (headers: Record<string, string>) => request(app).get('/v1/account/sessions/oauth2/github').set(headers).query({ success: 'http://localhost/ok' });
  const redirectUri = (res: request.Response) => new URL(res.headers.location!).searchParams.get('redirect_uri');
  const callbackHop = (headers: Record<string, string>) => request(app).get('/v1/account/sessions/oauth2/callback/github/default').set(headers).query({ code: 'c', state: 's' });

  it("ignore a direct client's X-Forwarded-Host and X-Forwarded-Proto", async () => {
    await setUp();
    const headers = { Host: 'api.example.com', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' };
    expect(redirectUri(await start(headers))).toBe('http://api.example.com/v1/account/sessions/oauth2/callback/github/default');
    expect((await callbackHop(headers)).headers.location).toMatch(/^http:\/\/api\.example\.com\/v1\/account\/sessions\/oauth2\/github\/redirect\?/);
  });

  it('follow X-Forwarded-Host and X-Forwarded-Proto from a trusted proxy', async () => {
    await setUp({ trustProxy: 'loopback' });
    const headers = { Host: 'backend:3000', 'X-Forwarded-Host': 'api.example.com', 'X-Forwarded-Proto': 'https' };
    expect(redirectUri(await start(headers))).toBe('https://api.example.com/v1/account/sessions/oauth2/callback/github/default');
  });

  it('with oauth2.publicUrl, depend on no request header at all', async () => {
    await setUp({ trustProxy: 'loopback', oauth2: { publicUrl: 'https://api.example.com/v1', github: { clientId: 'gh-client', clientSecret: 'gh-secret' } } });
    for (const headers of SPOOFS) {
      expect(redirectUri(await start(headers))).toBe('https://api.example.com/v1/account/sessions/oauth2/callback/github/default');
      expect((await callbackHop(headers)).headers.location).toMatch(/^https:\/\/api\.example\.com\/v1\/account\/sessions\/oauth2\/github\/redirect\?/);
    }
  });
});

it('a refused redirect URL is answered before any mail is sent', async () => {
  await setUp();
  expectError(await SENDERS.createRecovery!('https://evil.example/', { Host: 'evil.example' }), 400, 'general_argument_invalid');
  expect(mails).toEqual([]);
});
