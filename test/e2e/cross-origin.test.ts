// A front end on another origin than the API, as most are: headless Debian Chromium loads a page
// that uses the official web SDK's browser build (appwrite@28) from one origin and calls the router
// on another. Sign-up, sign-in, get, prefs, JWT, sign-out and both OAuth2 flows (against the local
// OIDC issuer), with the session carried
//  - by X-Fallback-Cookies across sites over http (the Lax cookie is not sent): the example app as
//    `npm start` runs it, page on http://localhost, API on http://127.0.0.1;
//  - by the cookie on the same site (http://localhost → http://localhost:<other port>);
//  - by the cookie across sites with `cookie.sameSite: 'none'` over HTTPS (a self-signed certificate
//    the browser trusts, third-party cookies allowed as Chrome's default profile does), the fallback
//    header switched off so nothing else can carry it.
// And login CSRF from a page on an unlisted site (evil.test, mapped to loopback in the browser).
// Without /usr/bin/chromium jest reports this suite as skipped.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { configFromEnv, createExampleApp } from '../../example-app/app';
import type { AccountRouter } from '../../lib';
import { startOidcMock, type OidcMock } from '../helpers/oidc-mock';
import { testRouter } from '../helpers/test-instance';
import { selfSignedCertificate } from '../helpers/tls';
import { describeIf } from '../helpers/describe-if';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'correct horse battery';
const OIDC_PROFILE = { sub: 'oidc-user-1', email: 'john@example.com', email_verified: true, name: 'John Doe' };

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type TlsOptions = { key: string; cert: string };

/** What the API saw of one request: enough to tell which way the session travelled. */
interface Seen {
  method: string;
  path: string;
  origin: string | undefined;
  cookie: boolean;
  fallback: boolean;
  status?: number;
}

async function listen(listener: Listener, tls?: TlsOptions): Promise<{ server: http.Server; port: number }> {
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Wraps an API listener so the test can see which credentials each request carried. */
function recording(seen: Seen[], listener: () => Listener): Listener {
  return (req, res) => {
    const fallback = req.headers['x-fallback-cookies'];
    const entry: Seen = {
      method: req.method!,
      path: req.url!.split('?')[0]!,
      origin: req.headers.origin,
      cookie: /\ba_session_/.test(req.headers.cookie ?? ''),
      fallback: typeof fallback === 'string' && fallback.includes('a_session_'),
    };
    seen.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    listener()(req, res);
  };
}

/** GET from the test process (a server-side caller: no browser credentials), trusting `ca` for https. */
function getJson(url: string, headers: Record<string, string>, ca?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    get(url, { headers, ca }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

const SDK_JS = fs.readFileSync(path.join(path.dirname(require.resolve('appwrite28')), '../iife/sdk.js'));

/** The front end: one page (any path) running the web SDK against `endpoint`, with named steps. */
function frontEnd(endpoint: string): Listener {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>front end</title>
<script src="/sdk.js"></script>
<script>
const client = new Appwrite.Client().setEndpoint(${JSON.stringify(endpoint)}).setProject('default');
const account = new Appwrite.Account(client);
const steps = {
  signUp: ({ email, password }) => account.create({ userId: Appwrite.ID.unique(), email, password, name: 'Ada' }),
  signIn: ({ email, password }) => account.createEmailPasswordSession({ email, password }),
  get: () => account.get(),
  updatePrefs: (prefs) => account.updatePrefs({ prefs }),
  getPrefs: () => account.getPrefs(),
  createJWT: () => account.createJWT(),
  signOut: () => account.deleteSession({ sessionId: 'current' }),
  createOAuth2Session: ({ success, failure }) => void account.createOAuth2Session({ provider: 'oidc', success, failure }),
  createOAuth2Token: ({ success, failure }) => void account.createOAuth2Token({ provider: 'oidc', success, failure }),
  createSessionFromUrl: () => {
    const query = new URLSearchParams(location.search);
    return account.createSession({ userId: query.get('userId'), secret: query.get('secret') });
  },
  cookieFallback: () => localStorage.getItem('cookieFallback'),
};
window.run = async (step, arg) => {
  try { return { ok: true, value: await steps[step](arg) }; }
  catch (e) { return { ok: false, error: { message: e.message, code: e.code, type: e.type } }; }
};
</script></head><body><p>front end</p></body></html>`;
  return (req, res) => {
    if (req.url === '/sdk.js') {
      res.setHeader('Content-Type', 'text/javascript');
      return void res.end(SDK_JS);
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(html);
  };
}

const describeWithChromium = describeIf(fs.existsSync(CHROMIUM), `install ${CHROMIUM} to run it (bash scripts/install-chromium.sh)`);

describeWithChromium('the web SDK on another origin in headless Chromium', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  type Browser = import('playwright-core').Browser;
  type BrowserContext = import('playwright-core').BrowserContext;
  type Page = import('playwright-core').Page;
  type StepResult = { ok: true; value: unknown } | { ok: false; error: { message: string; code: number; type: string } };

  jest.setTimeout(120_000);
  const servers: http.Server[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let oidc: OidcMock;
  let browser: Browser;

  async function serve(listener: Listener, tls?: TlsOptions): Promise<number> {
    const { server, port } = await listen(listener, tls);
    servers.push(server);
    return port;
  }

  /** The example app as `npm start` runs it (defaults, OIDC from the environment), behind a recorder. */
  async function exampleApi(seen: Seen[], publicHost: string): Promise<string> {
    let app: Listener | undefined;
    const port = await serve(recording(seen, () => app!));
    const config = configFromEnv({
      ACCOUNT_DATABASE: ':memory:',
      PORT: String(port),
      ACCOUNT_PUBLIC_URL: `http://${publicHost}:${port}/v1`,
      ACCOUNT_OAUTH_OIDC_CLIENT_ID: 'front-end',
      ACCOUNT_OAUTH_OIDC_CLIENT_SECRET: 'front-end-secret',
      ACCOUNT_OAUTH_OIDC_ISSUER: oidc.issuer,
    });
    const example = createExampleApp(config, () => undefined);
    await example.accounts.ready();
    cleanups.push(() => example.accounts.close());
    app = example.app as unknown as Listener;
    return config.publicUrl;
  }

  beforeAll(async () => {
    oidc = await startOidcMock();
    await oidc.setProfile(OIDC_PROFILE);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // evil.test is an unlisted site on this machine's loopback, for the CSRF page.
      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP evil.test 127.0.0.1'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    for (const cleanup of cleanups) await cleanup();
    await oidc?.stop();
  });

  async function run(page: Page, step: string, arg?: unknown): Promise<unknown> {
    const result = (await page.evaluate(([s, a]) => (globalThis as unknown as { run(s: string, a: unknown): Promise<StepResult> }).run(s as string, a), [step, arg] as const)) as StepResult;
    if (!result.ok) throw new Error(`${step}: ${result.error.code} ${result.error.type}: ${result.error.message}`);
    return result.value;
  }

  async function runError(page: Page, step: string): Promise<{ code: number; type: string }> {
    const result = (await page.evaluate((s) => (globalThis as unknown as { run(s: string): Promise<StepResult> }).run(s), step)) as StepResult;
    if (result.ok) throw new Error(`${step} succeeded`);
    return result.error;
  }

  /** The whole account flow a front end goes through; returns the requests made while signed in. */
  async function accountFlow(page: Page, api: string, seen: Seen[], email: string, options: { ca?: string; whileSignedIn?: () => Promise<void> } = {}): Promise<Seen[]> {
    expect(await run(page, 'signUp', { email, password: PASSWORD })).toMatchObject({ email, name: 'Ada' });
    expect(await run(page, 'signIn', { email, password: PASSWORD })).toMatchObject({ provider: 'email', current: true });
    const signedInFrom = seen.length;
    expect(await run(page, 'get')).toMatchObject({ email });
    await run(page, 'updatePrefs', { theme: 'dark' });
    expect(await run(page, 'getPrefs')).toEqual({ theme: 'dark' });
    const { jwt } = (await run(page, 'createJWT')) as { jwt: string };
    const signedIn = seen.slice(signedInFrom).filter((r) => r.method !== 'OPTIONS');
    // The JWT is for the front end's own backend: it works there without the browser's credentials.
    expect(await getJson(`${api}/account`, { 'X-Appwrite-Project': 'default', 'X-Appwrite-JWT': jwt }, options.ca)).toMatchObject({ email });
    await options.whileSignedIn?.();
    await run(page, 'signOut');
    // The 401 is readable: CORS is on errors too.
    await expect(runError(page, 'get')).resolves.toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    // Every SDK call was preflighted and the preflights passed.
    expect(seen.filter((r) => r.method === 'OPTIONS').every((r) => r.status === 204)).toBe(true);
    expect(seen.some((r) => r.method === 'OPTIONS')).toBe(true);
    return signedIn;
  }

  /** createOAuth2Session: the page leaves for the provider and comes back signed in. */
  async function oauth2RedirectFlow(page: Page, pageOrigin: string): Promise<void> {
    await run(page, 'createOAuth2Session', { success: `${pageOrigin}/signed-in`, failure: `${pageOrigin}/failed` });
    await page.waitForURL(`${pageOrigin}/signed-in`);
    expect(await run(page, 'get')).toMatchObject({ email: OIDC_PROFILE.email, name: OIDC_PROFILE.name });
    await run(page, 'signOut');
  }

  /** createOAuth2Token → the success URL carries userId and secret → createSession. */
  async function oauth2TokenFlow(page: Page, pageOrigin: string): Promise<void> {
    await run(page, 'createOAuth2Token', { success: `${pageOrigin}/token`, failure: `${pageOrigin}/failed` });
    await page.waitForURL(`${pageOrigin}/token?**`);
    expect(await run(page, 'createSessionFromUrl')).toMatchObject({ provider: 'oidc', current: true });
    expect(await run(page, 'get')).toMatchObject({ email: OIDC_PROFILE.email });
    await run(page, 'signOut');
  }

  async function open(context: BrowserContext, url: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }

  /** The example app reached as http://<apiHost>, and a front-end page on http://localhost:<other port>. */
  async function exampleFrontEnd(apiHost: string) {
    const seen: Seen[] = [];
    const api = await exampleApi(seen, apiHost);
    const pageOrigin = `http://localhost:${await serve(frontEnd(api))}`;
    const context = await browser.newContext();
    return { seen, api, pageOrigin, context, page: await open(context, pageOrigin + '/') };
  }

  it('another site over http (npm start defaults): the session travels in X-Fallback-Cookies', async () => {
    const { seen, api, pageOrigin, context, page } = await exampleFrontEnd('127.0.0.1');

    const signedIn = await accountFlow(page, api, seen, 'ada@example.com');
    expect(signedIn.length).toBeGreaterThan(0);
    for (const request of signedIn) expect(request).toMatchObject({ origin: pageOrigin, cookie: false, fallback: true });
    expect(await run(page, 'cookieFallback')).toBe('[]');

    // The token flow works across sites; the redirect flow would need the cookie (see the HTTPS case).
    await oauth2TokenFlow(page, pageOrigin);
    await context.close();
  });

  it('the same site on another port: the session travels in the cookie, no fallback header', async () => {
    const { seen, api, pageOrigin, context, page } = await exampleFrontEnd('localhost');

    const signedIn = await accountFlow(page, api, seen, 'ada@example.com');
    for (const request of signedIn) expect(request).toMatchObject({ origin: pageOrigin, cookie: true, fallback: false });
    expect(await run(page, 'cookieFallback')).toBeNull();

    await oauth2RedirectFlow(page, pageOrigin);
    await oauth2TokenFlow(page, pageOrigin);
    expect(await run(page, 'cookieFallback')).toBeNull();
    await context.close();
  });

  it("another site over HTTPS with cookie.sameSite 'none': the cookie carries the session, both OAuth2 flows sign in", async () => {
    const tls = selfSignedCertificate();
    const seen: Seen[] = [];
    let router: AccountRouter | undefined;
    const apiPort = await serve(
      recording(seen, () => express().use('/v1', router!) as unknown as Listener),
      tls,
    );
    router = testRouter({
      cookie: { sameSite: 'none', fallbackHeader: false },
      oauth2: { oidc: { clientId: 'front-end', clientSecret: 'front-end-secret', issuer: oidc.issuer } },
    });
    cleanups.push(() => router!.close());
    const api = `https://127.0.0.1:${apiPort}/v1`;
    const pageOrigin = `https://localhost:${await serve(frontEnd(api), tls)}`;

    // A profile of its own: trusts the test's certificate and, like Chrome's default profile,
    // allows third-party cookies (Playwright's incognito-like contexts block them).
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'account-router-chromium-'));
    fs.mkdirSync(path.join(profile, 'Default'));
    fs.writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0 } }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${tls.spkiHash}`],
    });
    try {
      const page = await open(context, pageOrigin + '/');
      const signedIn = await accountFlow(page, api, seen, 'ada@example.com', {
        ca: tls.cert,
        whileSignedIn: async () => {
          const cookies = await context.cookies(api);
          expect(cookies.find((c) => c.name === 'a_session_default')).toMatchObject({ sameSite: 'None', secure: true, httpOnly: true });
        },
      });
      for (const request of signedIn) expect(request).toMatchObject({ origin: pageOrigin, cookie: true, fallback: false });
      expect(await run(page, 'cookieFallback')).toBeNull();

      await oauth2RedirectFlow(page, pageOrigin);
      await oauth2TokenFlow(page, pageOrigin);
      expect(await run(page, 'cookieFallback')).toBeNull();
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });

  it('login CSRF: a form on an unlisted site is refused and signs nobody in; the same form on a listed site signs in', async () => {
    const seen: Seen[] = [];
    const api = await exampleApi(seen, '127.0.0.1');
    const signUp = await fetch(`${api}/account`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Appwrite-Project': 'default' },
      body: JSON.stringify({ userId: 'unique()', email: 'attacker@example.com', password: PASSWORD }),
    });
    expect(signUp.status).toBe(201);
    // The attacker's page posts the attacker's credentials, so the victim would work in the attacker's account.
    const attackForm = `<!doctype html><form method="post" action="${api}/account/sessions/email?project=default">
<input name="email" value="attacker@example.com"><input name="password" value="${PASSWORD}"></form>
<script>document.forms[0].submit()</script>`;
    const pagePort = await serve((req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(req.url === '/' ? attackForm : '<!doctype html><p>no form</p>');
    });

    const victim = await browser.newContext();
    const evil = await victim.newPage();
    const refused = evil.waitForResponse((r) => r.url().startsWith(`${api}/account/sessions/email`));
    await evil.goto(`http://evil.test:${pagePort}/`);
    const response = await refused;
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { type: string }).type).toBe('general_unknown_origin');
    // A script on that site cannot get around it: JSON is preflighted and refused, a no-cors post is checked.
    await evil.goto(`http://evil.test:${pagePort}/script`);
    const fetched = await evil.evaluate(async (url) => {
      const json = await fetch(url, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then(() => 'sent', () => 'blocked');
      await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'email=attacker%40example.com&password=x' });
      return json;
    }, `${api}/account/sessions/email?project=default`);
    expect(fetched).toBe('blocked');
    const fromEvil = seen.filter((r) => r.origin === `http://evil.test:${pagePort}`);
    expect(fromEvil.map((r) => [r.method, r.status])).toEqual([['POST', 403], ['OPTIONS', 204], ['POST', 403]]);
    expect((await victim.cookies(api)).filter((c) => c.name.startsWith('a_session_'))).toEqual([]);
    await victim.close();

    // The same form served from a listed origin signs in (it is the app's own login form).
    const friendly = await browser.newContext();
    const page = await friendly.newPage();
    const accepted = page.waitForResponse((r) => r.url().startsWith(`${api}/account/sessions/email`));
    await page.goto(`http://localhost:${pagePort}/`);
    expect((await accepted).status()).toBe(201);
    expect((await friendly.cookies(api)).map((c) => c.name)).toContain('a_session_default');
    await friendly.close();
  });
});
