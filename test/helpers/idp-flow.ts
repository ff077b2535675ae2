// The authorization-code flow with PKCE, done by hand over fetch (no client library), for the tests
// that need tokens quickly or need to bend one step: the consent routes, MCP and the attack tests.
import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { AccountRouter } from '../../lib';
import { browse } from './openid-rp';

export interface FlowOptions {
  clientId: string;
  redirectUri: string;
  /** Confidential clients authenticate with HTTP Basic. */
  secret?: string;
  scope?: string;
  resource?: string;
  decision?: 'approve' | 'deny';
  extra?: Record<string, string>;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(issuer: string, options: FlowOptions, challenge: string, state = randomBytes(8).toString('hex')): string {
  const url = new URL(`${issuer}/oauth2/authorize`);
  const params: Record<string, string | undefined> = {
    response_type: 'code', client_id: options.clientId, redirect_uri: options.redirectUri, scope: options.scope ?? 'openid',
    state, code_challenge: challenge, code_challenge_method: 'S256', resource: options.resource, ...options.extra,
  };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/** POSTs a form to the token endpoint (HTTP Basic when `secret` is given) and returns status and JSON. */
export async function tokenRequest(issuer: string, form: Record<string, string | undefined>, auth?: { clientId: string; secret?: string }) {
  const body = new URLSearchParams(Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth?.secret) headers.authorization = 'Basic ' + Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.secret)}`).toString('base64');
  else if (auth) body.set('client_id', auth.clientId);
  const res = await fetch(`${issuer}/oauth2/token`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** The browser's part: the code (and state) the server sent back, or the error. */
export async function authorizationCode(issuer: string, cookie: string, options: FlowOptions) {
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(issuer, options, challenge);
  const browser = await browse(url, cookie, options.decision);
  const back = new URL(browser.location, issuer);
  return { verifier, code: back.searchParams.get('code'), error: back.searchParams.get('error'), consentShown: browser.consentShown, location: browser.location };
}

/** The whole flow: authorize (approving the consent page when shown) and exchange the code. */
export async function tokensFor(issuer: string, cookie: string, options: FlowOptions) {
  const { verifier, code } = await authorizationCode(issuer, cookie, options);
  if (!code) throw new Error('no code');
  const answer = await tokenRequest(
    issuer,
    { grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, code_verifier: verifier, resource: options.resource },
    { clientId: options.clientId, secret: options.secret },
  );
  if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
  return answer.body as { access_token: string; refresh_token?: string; id_token?: string; scope: string };
}

/** A resource server of the host on its own port: `GET /api` requires an access token issued for `/api`. */
export async function startProtectedApi(router: AccountRouter): Promise<{ origin: string; close(): Promise<void> }> {
  const app = express();
  app.get('/api', router.requireAccessToken({ resource: '/api' }), (req, res) => void res.json({ userId: req.accessToken!.userId }));
  const listening: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    origin: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => listening.close(() => resolve())),
  };
}
