// fetchTextBounded, the outbound GET of the ID-token and breached-password checks, against a
// node:http server on 127.0.0.1: redirects refused, size caps with and without Content-Length,
// and a deadline that holds even for a fetch that ignores its abort signal.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchTextBounded, OutboundFetchError } from '../../lib/core/bounded-fetch';

let server: Server;
let base: string;
const held = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/ok':
        return void res.end('hello');
      case '/redirect':
        return void res.writeHead(302, { location: '/ok' }).end();
      case '/declared-large':
        return void res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
      case '/streamed-large':
        res.writeHead(200);
        res.write('x'.repeat(600));
        return void setTimeout(() => res.end('x'.repeat(600)), 20);
      case '/slow-body':
        res.writeHead(200);
        res.write('partial');
        return void held.add(res);
      default:
        return void res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const options = { timeoutMs: 1000, maxBytes: 1000 };

async function failureKind(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundFetchError);
  return (error as OutboundFetchError).kind;
}

describe('fetchTextBounded', () => {
  it('fetchTextBounded returns the body of a 200', async () => {
    await expect(fetchTextBounded(`${base}/ok`, options)).resolves.toBe('hello');
  });

  it('fetchTextBounded refuses to follow a redirect', async () => {
    expect(await failureKind(fetchTextBounded(`${base}/redirect`, options))).toBe('network');
  });

  it('fetchTextBounded reports a non-2xx status', async () => {
    expect(await failureKind(fetchTextBounded(`${base}/missing`, options))).toBe('status');
  });

  it('fetchTextBounded refuses a body over the cap, declared or streamed', async () => {
    expect(await failureKind(fetchTextBounded(`${base}/declared-large`, options))).toBe('too_large');
    expect(await failureKind(fetchTextBounded(`${base}/streamed-large`, options))).toBe('too_large');
  });

  it('fetchTextBounded times out on a body that stops half-way', async () => {
    expect(await failureKind(fetchTextBounded(`${base}/slow-body`, { ...options, timeoutMs: 200 }))).toBe('timeout');
  });

  it('fetchTextBounded times out even when the fetch ignores its abort signal', async () => {
    const deaf: typeof fetch = () => new Promise<Response>(() => undefined);
    expect(await failureKind(fetchTextBounded(`${base}/ok`, { ...options, timeoutMs: 100, fetch: deaf }))).toBe('timeout');
  });
});
