// "Sign in with" the example app, in headless Chromium: a guest is sent to the demo page to sign
// up, comes back to the built-in consent page (reached by role and name, as assistive technology
// would), allows; the remembered consent skips the page; prompt=consent and Deny answer
// access_denied; the demo page's Connected apps section lists the app and revokes it.
import fs from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { configFromEnv, createExampleApp } from '../../example-app/app';
import { describeIf } from '../helpers/describe-if';

const CHROMIUM = '/usr/bin/chromium';
const describeWithChromium = describeIf(fs.existsSync(CHROMIUM), `install ${CHROMIUM} to run it (bash scripts/install-chromium.sh)`);

describeWithChromium('the consent page in headless Chromium', () => {
  jest.setTimeout(60000);
  let server: Server;
  let base: string;
  let browser: Browser;
  let clientId: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // The example app's issuer is its public URL, built from the port: listen first, then build the app.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    const { app, accounts } = createExampleApp(configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_RATE_LIMITS: 'off', PORT: String(port) }), () => undefined);
    // The third-party app's callback, on the same server for the test's convenience.
    app.get('/client-callback', (req, res) => void res.type('text').send(`code=${req.query.code ?? ''} error=${req.query.error ?? ''}`));
    server.on('request', app);
    close = () => accounts.close();
    const { client } = await accounts.admin.oauthClients.create({ name: 'Notes', redirectUris: [`${base}/client-callback`], confidential: false });
    clientId = client.id;
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await close?.();
  });

  function authorizeUrl(extra: Record<string, string> = {}): string {
    const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const url = new URL(`${base}/v1/oauth2/authorize`);
    const params = { response_type: 'code', client_id: clientId, redirect_uri: `${base}/client-callback`, scope: 'openid email', state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256', ...extra };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.href;
  }

  async function callbackText(page: Page): Promise<string> {
    await page.waitForURL(/\/client-callback/);
    return (await page.textContent('body')) ?? '';
  }

  it('sign up on the way, allow, then remembered; prompt=consent and Deny; revoke under Connected apps', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizeUrl());
    // A guest: the demo page (loginUrl '/') with returnTo.
    await page.locator('#signed-out').waitFor();
    await page.fill('#signup-form [name=email]', `ada${Date.now()}@example.com`);
    await page.fill('#signup-form [name=password]', 'correct horse battery');
    await page.click('#signup-form button');
    await page.getByRole('heading', { name: 'Allow Notes to use your account?' }).waitFor();
    expect(await page.getByRole('listitem').allTextContents()).toEqual(['Sign you in with your account openid', 'See your email address email']);
    await page.getByRole('button', { name: 'Allow' }).click();
    expect(await callbackText(page)).toMatch(/^code=\S{20,} error=$/);

    await page.goto(authorizeUrl());
    expect(await callbackText(page)).toMatch(/^code=\S{20,} error=$/);

    await page.goto(authorizeUrl({ prompt: 'consent' }));
    await page.getByRole('button', { name: 'Deny' }).click();
    expect(await callbackText(page)).toBe('code= error=access_denied');

    await page.goto(`${base}/`);
    const row = page.locator('#consents tr', { hasText: clientId });
    await row.waitFor();
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.waitFor({ state: 'detached' });
    await page.goto(authorizeUrl());
    await page.getByRole('heading', { name: 'Allow Notes to use your account?' }).waitFor();
    await context.close();
  });
});
