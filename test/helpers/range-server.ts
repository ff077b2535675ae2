// A local server with Have I Been Pwned's range API (GET /range/<5 hex>), on 127.0.0.1: it lists
// the SHA-1 suffixes of the passwords it is told are breached, with padding lines of count 0 as the
// real API adds them, and can be taken down (503) to test that checks fail open.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RangeServer {
  /** The checker URL to configure (`password.pwned.checker`). */
  url: string;
  /** Passwords the server reports as breached from now on. */
  breach(...passwords: string[]): void;
  /** Passwords it no longer reports. */
  forget(...passwords: string[]): void;
  /** `false` answers 503 to every request, as a server that is down. */
  setUp(up: boolean): void;
  /** The prefixes asked for, in order: all the server ever learns. */
  asked: string[];
  close(): Promise<void>;
}

const sha1 = (value: string) => createHash('sha1').update(value, 'utf8').digest('hex').toUpperCase();

export async function startRangeServer(): Promise<RangeServer> {
  const breached = new Set<string>();
  const asked: string[] = [];
  let up = true;
  const server: Server = createServer((req, res) => {
    const prefix = /^\/range\/([0-9A-F]{5})$/i.exec(req.url ?? '')?.[1]?.toUpperCase();
    if (prefix) asked.push(prefix);
    if (!up) return void res.writeHead(503).end('down');
    if (!prefix) return void res.writeHead(404).end();
    const lines = [...breached].filter((hash) => hash.startsWith(prefix)).map((hash) => `${hash.slice(5)}:42`);
    // Padding: made-up suffixes with a count of 0, never a match.
    lines.push('0000000000000000000000000000000000A:0', 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    breach: (...passwords) => passwords.forEach((password) => breached.add(sha1(password))),
    forget: (...passwords) => passwords.forEach((password) => breached.delete(sha1(password))),
    setUp: (value) => void (up = value),
    asked,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
