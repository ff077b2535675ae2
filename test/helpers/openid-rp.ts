// A relying party nobody here wrote: panva's openid-client 6 (ESM-only, so it runs in a child Node,
// see child-module.ts), driven step by step — discovery, the authorization URL with PKCE, the code
// exchange with ID-token validation, userinfo, refresh, revocation and introspection — plus the
// browser's part of the flow (the consent page and its form) done here with the user's cookie.
import { startChildModule, type ChildModule } from './child-module';

const CHILD = `
import * as oidc from 'openid-client';
import { createInterface } from 'node:readline';
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
let config;
let pending;
out({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line);
  if (msg.cmd === 'stop') { out({ id: msg.id }); process.exit(0); }
  try {
    if (msg.cmd === 'discover') {
      config = await oidc.discovery(new URL(msg.issuer), msg.clientId, msg.secret, msg.secret ? undefined : oidc.None(), { execute: [oidc.allowInsecureRequests] });
      out({ id: msg.id, metadata: config.serverMetadata() });
    } else if (msg.cmd === 'start') {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const params = { redirect_uri: msg.redirectUri, scope: msg.scope, state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...msg.extra };
      pending = { verifier, state, nonce };
      out({ id: msg.id, url: oidc.buildAuthorizationUrl(config, params).href, verifier, state, nonce });
    } else if (msg.cmd === 'callback') {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(msg.url), { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: msg.idTokenExpected ?? true });
      out({ id: msg.id, tokens: { ...tokens }, claims: tokens.claims() ?? null });
    } else if (msg.cmd === 'userinfo') {
      out({ id: msg.id, userinfo: await oidc.fetchUserInfo(config, msg.accessToken, msg.sub) });
    } else if (msg.cmd === 'refresh') {
      const tokens = await oidc.refreshTokenGrant(config, msg.refreshToken);
      out({ id: msg.id, tokens: { ...tokens }, claims: tokens.claims() ?? null });
    } else if (msg.cmd === 'revoke') {
      await oidc.tokenRevocation(config, msg.token);
      out({ id: msg.id, revoked: true });
    } else if (msg.cmd === 'introspect') {
      out({ id: msg.id, introspection: await oidc.tokenIntrospection(config, msg.token) });
    }
  } catch (error) {
    out({ id: msg.id, error: { name: error.name, message: error.message, code: error.code ?? null, oauth: error.error ?? null, status: error.status ?? null } });
  }
}
`;

export interface RelyingParty {
  send(cmd: Record<string, unknown>): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

export async function startRelyingParty(): Promise<RelyingParty> {
  const child: ChildModule = await startChildModule(CHILD, 'openid-client');
  return { send: (cmd) => child.send(cmd) as Promise<Record<string, any>>, stop: () => child.stop() };
}

/** What the browser saw: the consent page's HTML and request handle when one was shown, and the final redirect. */
export interface BrowserResult {
  consentShown: boolean;
  /** Where the server finally sent the browser (the client's redirect URI, or a sign-in page). */
  location: string;
  status: number;
}

/**
 * The user's browser: opens the authorization URL with the session cookie and, on the consent
 * page, presses `decision` (the form posts from the server's own origin, as a browser would).
 */
export async function browse(url: string, cookie: string, decision: 'approve' | 'deny' = 'approve'): Promise<BrowserResult> {
  const first = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  if (first.status === 302 || first.status === 303) return { consentShown: false, location: first.headers.get('location')!, status: first.status };
  const html = await first.text();
  const handle = /name="request" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (first.status !== 200 || !handle || !action) return { consentShown: false, location: '', status: first.status };
  const decided = await fetch(action.replace(/&amp;/g, '&'), {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
    body: new URLSearchParams({ request: handle.replace(/&amp;/g, '&'), decision }).toString(),
    redirect: 'manual',
  });
  return { consentShown: true, location: decided.headers.get('location') ?? '', status: decided.status };
}
