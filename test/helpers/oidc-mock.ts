// A real OpenID Connect provider for the OAuth2 tests: npm `oauth2-mock-server` (an ES module, so it
// runs in a child process, see child-module.ts) on 127.0.0.1:<random port>.
import { startChildModule } from './child-module';

const CHILD = `
import { OAuth2Server } from 'oauth2-mock-server';
import { createInterface } from 'node:readline';
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
let profile = { sub: 'johndoe', email: 'john@example.com', email_verified: true, name: 'John Doe' };
let deny = false, tokenError = false, lastTokenRequest = null, lastAuthorize = null;
server.service.on('beforeAuthorizeRedirect', (redirect, req) => {
  lastAuthorize = Object.fromEntries(new URL(req.url, 'http://x').searchParams);
  if (deny) { deny = false; redirect.url.searchParams.delete('code'); redirect.url.searchParams.set('error', 'access_denied'); }
});
server.service.on('beforeTokenSigning', (token) => { Object.assign(token.payload, profile); });
server.service.on('beforeResponse', (response, req) => {
  lastTokenRequest = { ...req.body, authorization: req.headers.authorization ?? null };
  if (tokenError) { tokenError = false; response.statusCode = 400; response.body = { error: 'invalid_grant' }; }
});
server.service.on('beforeUserinfo', (response, req) => {
  response.body = req.headers.authorization ? { ...profile } : { error: 'invalid_token' };
  if (!req.headers.authorization) response.statusCode = 401;
});
await server.start(0, '127.0.0.1');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
out({ ready: true, issuer: server.issuer.url });
for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line);
  if (msg.cmd === 'profile') profile = msg.profile;
  if (msg.cmd === 'deny') deny = true;
  if (msg.cmd === 'tokenError') tokenError = true;
  if (msg.cmd === 'stop') { await server.stop(); out({ id: msg.id }); process.exit(0); }
  out({ id: msg.id, lastTokenRequest, lastAuthorize });
}
`;

export interface OidcMock {
  issuer: string;
  /** The claims userinfo (and the id_token) report from now on. */
  setProfile(profile: Record<string, unknown>): Promise<void>;
  /** The next authorization answers error=access_denied. */
  denyNext(): Promise<void>;
  /** The next token request fails with 400 invalid_grant. */
  failNextToken(): Promise<void>;
  lastTokenRequest(): Promise<Record<string, string> | null>;
  lastAuthorize(): Promise<Record<string, string> | null>;
  stop(): Promise<void>;
}

export async function startOidcMock(): Promise<OidcMock> {
  const child = await startChildModule(CHILD, 'oauth2-mock-server');
  const send = child.send;
  return {
    issuer: child.ready.issuer as string,
    setProfile: async (profile) => void (await send({ cmd: 'profile', profile })),
    denyNext: async () => void (await send({ cmd: 'deny' })),
    failNextToken: async () => void (await send({ cmd: 'tokenError' })),
    lastTokenRequest: async () => (await send({ cmd: 'query' })).lastTokenRequest as Record<string, string> | null,
    lastAuthorize: async () => (await send({ cmd: 'query' })).lastAuthorize as Record<string, string> | null,
    stop: child.stop,
  };
}

/** A browser: follows nothing by itself, keeps cookies per host. */
export class Browser {
  readonly cookies = new Map<string, string>();

  async get(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (test browser)', ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { method: init.method ?? 'GET', body: init.body, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const expires = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='));
      if (expires && new Date(expires.slice(8)).getTime() <= Date.now()) this.cookies.delete(pair!.slice(0, eq).trim());
      else this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return response;
  }

  /** Follows redirects (manually, each hop recorded) until `stopAt` matches or a non-redirect answer. */
  async follow(url: string, stopAt: (url: string) => boolean): Promise<{ hops: { url: string; status: number }[]; final: string; response: Response }> {
    const hops: { url: string; status: number }[] = [];
    let current = url;
    for (let i = 0; i < 10; i++) {
      const response = await this.get(current);
      hops.push({ url: current, status: response.status });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { hops, final: current, response };
      current = new URL(location, current).toString();
      if (stopAt(current)) return { hops, final: current, response };
    }
    throw new Error('too many redirects');
  }
}
