// The example app's demo page (/) driven in headless Debian Chromium with playwright-core: the page
// uses the official appwrite web SDK (served at /appwrite.js) against /v1 on the same origin.
// Without /usr/bin/chromium (`bash scripts/install-chromium.sh` installs it) jest reports this suite
// as skipped.
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { configFromEnv, createExampleApp } from '../../example-app/app';
import { describeIf } from '../helpers/describe-if';

// The page's `document`, for the callbacks that run in the browser (the tests compile without the DOM lib).
declare const document: { cookie: string; getElementById(id: string): { textContent: string | null } | null };

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, 'artifacts');

const describeWithChromium = describeIf(fs.existsSync(CHROMIUM), `install ${CHROMIUM} to run it (bash scripts/install-chromium.sh)`);

describeWithChromium('the demo page in headless Chromium', () => {
  jest.setTimeout(60000);
  let server: Server;
  let close: () => Promise<void>;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const config = configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_RATE_LIMITS: 'off', ACCOUNT_DEV_OUTBOX: 'on', ACCOUNT_PROJECT_ID: 'e2e', PORT: '0' });
    const { app, accounts } = createExampleApp(config, () => undefined);
    await accounts.ready();
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => accounts.close();
    // Loaded only when the suite runs, not when jest merely registers it as skipped.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    // launch() gives Chromium a new empty profile directory of its own (no --user-data-dir allowed).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await close?.();
  });

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(base + '/');
    await page.locator('#signed-out').waitFor();
    return page;
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.fill('#signin-form [name=email]', email);
    await page.fill('#signin-form [name=password]', password);
    await page.click('#signin-form button');
  }

  it('signs up, signs in, edits name and prefs, manages sessions across two devices, signs out', async () => {
    const page = await openPage();
    const email = 'ada@example.com';
    // A failed sign-in shows its message in words, not JSON.
    await signIn(page, email, 'wrong password');
    await expectError(page);

    await page.fill('#signup-form [name=name]', 'Ada');
    await page.fill('#signup-form [name=email]', email);
    await page.fill('#signup-form [name=password]', 'correct horse battery');
    await page.click('#signup-form button');
    await page.locator('#signed-in').waitFor();
    await expect(page.textContent('#acct-email')).resolves.toBe(email);
    await expect(page.textContent('#acct-verified')).resolves.toBe('not verified');
    await expect(page.textContent('#cookie-note')).resolves.toBe('session cookie: HttpOnly — not readable by this page');
    expect(await page.evaluate(() => document.cookie)).not.toContain('a_session_');

    // Sign out and back in with the password.
    await page.click('#signout');
    await page.locator('#signed-out').waitFor();
    await signIn(page, email, 'correct horse battery');
    await page.locator('#signed-in').waitFor();

    // Name and prefs.
    await page.fill('#name-form [name=name]', 'Ada Lovelace');
    await page.click('#name-form button');
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'Name saved.');
    await page.fill('#prefs-form [name=prefs]', '{"theme": "dark"}');
    await page.click('#prefs-form button');
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'Preferences saved.');
    await page.reload();
    await page.locator('#signed-in').waitFor();
    await expect(page.inputValue('#name-form [name=name]')).resolves.toBe('Ada Lovelace');
    expect(JSON.parse(await page.inputValue('#prefs-form [name=prefs]'))).toEqual({ theme: 'dark' });
    // Invalid JSON is refused in words.
    await page.fill('#prefs-form [name=prefs]', '{nope');
    await page.click('#prefs-form button');
    await expect(page.locator('#error').textContent()).resolves.toBe('Preferences must be valid JSON.');

    // A second device (another browser context = another cookie jar).
    const other = await openPage();
    await signIn(other, email, 'correct horse battery');
    await other.locator('#signed-in').waitFor();
    await page.reload();
    await page.locator('#signed-in').waitFor();
    await expect(page.locator('#sessions tr')).toHaveCountEventually(2);
    await page.locator('#logs tr').first().waitFor();
    expect(await page.locator('#logs tr').count()).toBeGreaterThan(0);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'signed-in.png'), fullPage: true, type: 'png' });

    // Sign out the other device from this one.
    await page.locator('#sessions tr:not(.current) button').click();
    await expect(page.locator('#sessions tr')).toHaveCountEventually(1);
    await other.reload();
    await other.locator('#signed-out').waitFor();

    // Sign out this device.
    await page.locator('#sessions tr.current button').click();
    await page.locator('#signed-out').waitFor();
    await other.context().close();
    await page.context().close();
  });

  it('signs in with an email code read from the dev outbox', async () => {
    const page = await openPage();
    await expect(page.locator('#outbox-link').isVisible()).resolves.toBe(true);
    await page.fill('#otp-form [name=email]', 'otp@example.com');
    await page.click('#otp-form button');
    await page.locator('#otp-code-form').waitFor();
    const outbox = (await (await fetch(base + '/outbox.json')).json()) as Array<{ kind: string; to: string; text: string }>;
    const mail = outbox.find((m) => m.kind === 'mail' && m.to === 'otp@example.com');
    const code = /\b(\d{6})\b/.exec(mail!.text)![1]!;
    await page.fill('#otp-code-form [name=code]', code);
    await page.click('#otp-code-form button');
    await page.locator('#signed-in').waitFor();
    await expect(page.textContent('#acct-email')).resolves.toBe('otp@example.com');
    const html = await (await fetch(base + '/outbox')).text();
    expect(html).toContain(code);
    await page.context().close();
  });

  async function outboxLink(to: string, query: string): Promise<string> {
    const outbox = (await (await fetch(base + '/outbox.json')).json()) as Array<{ kind: string; to: string; text: string }>;
    const mail = outbox.find((m) => m.kind === 'mail' && m.to === to && m.text.includes(query));
    return /(http:\/\/\S+)/.exec(mail!.text)![1]!;
  }

  it('upgrades an anonymous account, verifies its email, recovers its password and signs in by magic link', async () => {
    const page = await openPage();
    await page.click('#anonymous');
    await page.locator('#upgrade-form').waitFor();
    await expect(page.textContent('#acct-email')).resolves.toBe('(anonymous — no email)');
    await page.fill('#upgrade-form [name=email]', 'anon@example.com');
    await page.fill('#upgrade-form [name=password]', 'first password 1');
    await page.click('#upgrade-form button');
    await page.waitForFunction(() => document.getElementById('acct-email')!.textContent === 'anon@example.com');

    // Email verification: link from the outbox → ?verify=1 → updateVerification.
    await page.click('#verify');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Verification link sent'));
    await page.goto(await outboxLink('anon@example.com', 'verify=1'));
    await page.waitForFunction(() => document.getElementById('acct-verified')!.textContent === 'verified');
    expect(page.url()).toBe(base + '/');
    await page.click('#signout');
    await page.locator('#signed-out').waitFor();

    // Password recovery: ?recovery=1 → new password → updateRecovery → sign in with it.
    await page.fill('#forgot-form [name=email]', 'anon@example.com');
    await page.click('#forgot-form button');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('recovery link'));
    await page.goto(await outboxLink('anon@example.com', 'recovery=1'));
    await page.locator('#recovery').waitFor();
    await page.fill('#recovery-form [name=password]', 'second password 2');
    await page.click('#recovery-form button');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Password changed'));
    await signIn(page, 'anon@example.com', 'second password 2');
    await page.locator('#signed-in').waitFor();
    await page.click('#signout');
    await page.locator('#signed-out').waitFor();

    // Magic URL: ?magic=1&userId&secret → createSession.
    await page.fill('#magic-form [name=email]', 'anon@example.com');
    await page.click('#magic-form button');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('A sign-in link'));
    await page.goto(await outboxLink('anon@example.com', 'magic=1'));
    await page.locator('#signed-in').waitFor();
    await expect(page.textContent('#acct-email')).resolves.toBe('anon@example.com');
    await page.context().close();
  });

  it('sets up TOTP two-step sign-in and answers the challenge with a recovery code', async () => {
    const page = await openPage();
    await page.fill('#signup-form [name=email]', 'mfa@example.com');
    await page.fill('#signup-form [name=password]', 'mfa password 123');
    await page.click('#signup-form button');
    await page.locator('#signed-in').waitFor();
    await page.click('#mfa-add');
    await page.locator('#mfa-setup').waitFor();
    const uri = (await page.textContent('#mfa-uri'))!;
    expect(uri.startsWith('otpauth://totp/')).toBe(true);
    // The QR code is drawn in the page from the same URI.
    expect(await page.locator('#mfa-qr svg rect, #mfa-qr svg path').count()).toBeGreaterThan(0);
    const secret = new URL(uri).searchParams.get('secret')!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const speakeasy = require('speakeasy') as typeof import('speakeasy');
    await page.fill('#mfa-confirm-form [name=code]', speakeasy.totp({ secret, encoding: 'base32' }));
    await page.click('#mfa-confirm-form button');
    await page.waitForFunction(() => document.getElementById('mfa-state')!.textContent === 'Two-step sign-in is on.');
    const codes = (await page.textContent('#mfa-codes-list'))!.split('\n');
    expect(codes).toHaveLength(6);
    await page.click('#signout');
    await page.locator('#signed-out').waitFor();

    await signIn(page, 'mfa@example.com', 'mfa password 123');
    await page.locator('#mfa-challenge').waitFor();
    await page.selectOption('#mfa-challenge-form [name=factor]', 'recoverycode');
    await page.fill('#mfa-challenge-form [name=code]', codes[0]!);
    await page.click('#mfa-challenge-form button[type=submit], #mfa-challenge-form button:not([type])');
    await page.locator('#signed-in').waitFor();
    await expect(page.textContent('#acct-email')).resolves.toBe('mfa@example.com');
    await page.context().close();
  });

  it('injects the enabled OAuth2 providers, and shows the outbox only when asked for', async () => {
    const env = { ACCOUNT_DATABASE: ':memory:', ACCOUNT_OAUTH_GITHUB_CLIENT_ID: 'id', ACCOUNT_OAUTH_GITHUB_CLIENT_SECRET: 'secret' };
    const { app, accounts } = createExampleApp(configFromEnv(env), () => undefined);
    const s = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const origin = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(origin + '/');
      await page.locator('#oauth button[data-provider=github]').waitFor();
      await expect(page.locator('#outbox-link').isVisible()).resolves.toBe(false);
      expect((await fetch(origin + '/outbox.json')).status).toBe(404);
      await context.close();
    } finally {
      await new Promise((resolve) => s.close(resolve));
      await accounts.close();
    }
  });

  async function expectError(page: Page) {
    const error = page.locator('#error');
    await error.waitFor();
    const text = (await error.textContent())!;
    expect(text.length).toBeGreaterThan(0);
    expect(text.trim().startsWith('{')).toBe(false);
  }
});

// A tiny poll for locator counts (playwright's own `expect` is not part of playwright-core).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveCountEventually(count: number): Promise<R>;
    }
  }
}
expect.extend({
  async toHaveCountEventually(locator: { count(): Promise<number> }, count: number) {
    let seen = -1;
    for (let i = 0; i < 50; i++) {
      seen = await locator.count();
      if (seen === count) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return { pass: seen === count, message: () => `expected ${count} elements, saw ${seen}` };
  },
});
