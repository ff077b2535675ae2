// A real ID-token issuer for the native sign-in tests: oauth2-mock-server's issuer (discovery
// document, JWKS, signing) behind a node:http front on 127.0.0.1 that counts the key-set fetches and
// can make the JWKS endpoint fail, hang or answer too much. Starts with an RS256 key `rs-1` and an
// ES256 key `es-1`.
import { startChildModule } from './child-module';

const CHILD = `
import { OAuth2Server } from 'oauth2-mock-server';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
const mock = new OAuth2Server();
await mock.issuer.keys.generate('RS256', { kid: 'rs-1' });
await mock.issuer.keys.generate('ES256', { kid: 'es-1' });
const handler = mock.service.requestHandler;
const hits = { discovery: 0, jwks: 0 };
const held = new Set();
let jwksMode = 'up';
const front = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/.well-known/openid-configuration') hits.discovery++;
  if (path === '/jwks') {
    hits.jwks++;
    if (jwksMode === 'error') { res.statusCode = 503; res.end('unavailable'); return; }
    if (jwksMode === 'hang') { held.add(res); return; }
    if (jwksMode === 'garbage') { res.setHeader('content-type', 'text/html'); res.end('<html>keys</html>'); return; }
    if (jwksMode === 'huge') { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys: mock.issuer.keys.toJSON(), padding: 'x'.repeat(1 << 20) })); return; }
  }
  handler(req, res);
});
await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
mock.issuer.url = 'http://127.0.0.1:' + front.address().port;
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
out({ ready: true, issuer: mock.issuer.url });
for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line);
  if (msg.cmd === 'token') {
    const token = await mock.issuer.buildToken({
      kid: msg.kid,
      expiresIn: msg.expiresIn,
      scopesOrTransform: (header, payload) => {
        Object.assign(header, msg.header);
        Object.assign(payload, msg.claims);
        for (const name of msg.remove) delete payload[name];
      },
    });
    out({ id: msg.id, token });
  } else if (msg.cmd === 'addKey') {
    await mock.issuer.keys.generate(msg.alg, { kid: msg.kid });
    out({ id: msg.id });
  } else if (msg.cmd === 'jwks') {
    jwksMode = msg.mode;
    for (const res of held) res.destroy();
    held.clear();
    out({ id: msg.id });
  } else if (msg.cmd === 'hits') {
    out({ id: msg.id, hits });
  } else if (msg.cmd === 'stop') {
    for (const res of held) res.destroy();
    front.closeAllConnections();
    front.close();
    out({ id: msg.id });
    process.exit(0);
  }
}
`;

export type JwksMode = 'up' | 'error' | 'hang' | 'garbage' | 'huge';

export interface TokenRequest {
  /** Claims set on top of the mock's `iss`, `iat`, `exp`, `nbf`. */
  claims?: Record<string, unknown>;
  /** Claims removed after that (e.g. `exp`). */
  remove?: string[];
  /** Header fields besides `kid` and `alg`. */
  header?: Record<string, unknown>;
  /** The signing key. @default 'rs-1' */
  kid?: string;
  /** Seconds until `exp`. @default 3600 */
  expiresIn?: number;
}

export interface IdTokenIssuer {
  issuer: string;
  /** An ID token signed by the issuer's key `kid`. */
  token(request?: TokenRequest): Promise<string>;
  /** Adds a key to the issuer's key set (a rotation): its JWKS serves it from now on. */
  addKey(alg: 'RS256' | 'ES256', kid: string): Promise<void>;
  /** How the JWKS endpoint answers from now on; switching releases any request held by `hang`. */
  setJwks(mode: JwksMode): Promise<void>;
  /** Requests served so far. */
  hits(): Promise<{ discovery: number; jwks: number }>;
  stop(): Promise<void>;
}

export async function startIdTokenIssuer(): Promise<IdTokenIssuer> {
  const child = await startChildModule(CHILD, 'oauth2-mock-server (ID-token issuer)');
  return {
    issuer: child.ready.issuer as string,
    token: async (request = {}) =>
      (await child.send({ cmd: 'token', kid: request.kid ?? 'rs-1', expiresIn: request.expiresIn, claims: request.claims ?? {}, header: request.header ?? {}, remove: request.remove ?? [] })).token as string,
    addKey: async (alg, kid) => void (await child.send({ cmd: 'addKey', alg, kid })),
    setJwks: async (mode) => void (await child.send({ cmd: 'jwks', mode })),
    hits: async () => (await child.send({ cmd: 'hits' })).hits as { discovery: number; jwks: number },
    stop: child.stop,
  };
}
