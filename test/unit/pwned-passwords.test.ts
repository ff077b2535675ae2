// createPwnedPasswordCheck against a local range server (node:http on 127.0.0.1, never the real
// API): hits, misses, padding, what the server gets to see, and every way the check fails open.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPwnedPasswordCheck, type PwnedPasswordsOptions } from '../../lib/core/pwned-passwords';
import type { Logger } from '../../lib/options';

// Distinctive, so that finding it in a log line means the password leaked there.
const PASSWORD = 'Tr0ub4dor&3-sesame';
const HASH = createHash('sha1').update(PASSWORD).digest('hex').toUpperCase();
const PREFIX = HASH.slice(0, 5);
const SUFFIX = HASH.slice(5);

/** Other suffixes of the prefix, as the real API lists them. */
const NEIGHBOURS = ['003D68EB55068C33ACE09247EE4C639306B:3', '012C192B2F16F82EA0EB9EF18D9D539B0DD:1', 'FFF86E0B3A6F27BA4F3F4D6B8F4B0FE5AD1:12'];

type Behaviour = { kind: 'body'; body: string } | { kind: 'status'; status: number } | { kind: 'hang' };

let server: Server;
let baseUrl: string;
let behaviour: Behaviour;
const seen: { url: string; method: string; headers: IncomingHttpHeaders; body: string }[] = [];
const held = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      if (behaviour.kind === 'hang') return void held.add(res);
      if (behaviour.kind === 'status') return void res.writeHead(behaviour.status).end('server error');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(behaviour.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
  behaviour = { kind: 'body', body: '' };
});

function recordingLogger() {
  const warnings: [string, Record<string, unknown> | undefined][] = [];
  const logger: Logger = { warn: (message, meta) => void warnings.push([message, meta]), error: (message, meta) => void warnings.push([message, meta]) };
  return { logger, warnings };
}

function check(options: Partial<PwnedPasswordsOptions> = {}) {
  const log = recordingLogger();
  return { ...log, check: createPwnedPasswordCheck({ checker: baseUrl, logger: log.logger, ...options }) };
}

const range = (...lines: string[]) => lines.join('\r\n');

/** A warning was logged, once, naming the reason, and nothing logged holds the password or its hash. */
function expectWarned(warnings: [string, Record<string, unknown> | undefined][], reason: string) {
  expect(warnings).toHaveLength(1);
  expect(warnings[0]![1]).toMatchObject({ reason });
  const logged = JSON.stringify(warnings);
  expect(logged).not.toContain(PASSWORD);
  expect(logged.toUpperCase()).not.toContain(HASH);
  expect(logged.toUpperCase()).not.toContain(SUFFIX);
}

describe('checkPwnedPassword with a range server', () => {
  it('checkPwnedPassword reports a listed password as breached', async () => {
    behaviour = { kind: 'body', body: range(NEIGHBOURS[0]!, `${SUFFIX}:9545824`, ...NEIGHBOURS.slice(1)) };
    const { check: run, warnings } = check();
    await expect(run(PASSWORD)).resolves.toBe(true);
    expect(warnings).toEqual([]);
  });

  it('checkPwnedPassword sends only the 5-character prefix, with Add-Padding, by GET without a body', async () => {
    behaviour = { kind: 'body', body: range(...NEIGHBOURS) };
    await check().check(PASSWORD);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('GET');
    expect(request!.url).toBe(`/range/${PREFIX}`);
    expect(request!.url).toMatch(/^\/range\/[0-9A-F]{5}$/);
    expect(request!.headers['add-padding']).toBe('true');
    expect(request!.body).toBe('');
    const everything = JSON.stringify(request).toUpperCase();
    expect(everything).not.toContain(SUFFIX);
    expect(everything).not.toContain(PASSWORD.toUpperCase());
  });

  it('checkPwnedPassword reports an unlisted password as not breached', async () => {
    behaviour = { kind: 'body', body: range(...NEIGHBOURS) };
    await expect(check().check(PASSWORD)).resolves.toBe(false);
  });

  it('checkPwnedPassword ignores padding entries (count 0), even for the password’s own suffix', async () => {
    behaviour = { kind: 'body', body: range(...NEIGHBOURS, `${SUFFIX}:0`, '0000000000000000000000000000000000A:0') };
    await expect(check().check(PASSWORD)).resolves.toBe(false);
  });

  it('checkPwnedPassword accepts lower-case suffixes, LF line ends, a trailing newline and an empty range', async () => {
    behaviour = { kind: 'body', body: [...NEIGHBOURS, `${SUFFIX.toLowerCase()}:2`].join('\n') + '\n' };
    await expect(check().check(PASSWORD)).resolves.toBe(true);
    behaviour = { kind: 'body', body: '' };
    await expect(check().check(PASSWORD)).resolves.toBe(false);
  });

  it('checkPwnedPassword asks <base>/range/<prefix> for a base URL with a path and a trailing slash', async () => {
    behaviour = { kind: 'body', body: range(`${SUFFIX}:1`) };
    await expect(check({ checker: `${baseUrl}/mirror/pwned/` }).check(PASSWORD)).resolves.toBe(true);
    expect(seen[0]!.url).toBe(`/mirror/pwned/range/${PREFIX}`);
  });

  it('checkPwnedPassword hashes the password as UTF-8', async () => {
    const unicode = 'pässwörd-日本';
    const hash = createHash('sha1').update(Buffer.from(unicode, 'utf8')).digest('hex').toUpperCase();
    behaviour = { kind: 'body', body: range(`${hash.slice(5)}:4`) };
    await expect(check().check(unicode)).resolves.toBe(true);
    expect(seen[0]!.url).toBe(`/range/${hash.slice(0, 5)}`);
  });
});

describe('checkPwnedPassword fails open', () => {
  it('checkPwnedPassword gives null and warns when the server is too slow', async () => {
    behaviour = { kind: 'hang' };
    const { check: run, warnings } = check({ timeoutMs: 200 });
    await expect(run(PASSWORD)).resolves.toBeNull();
    expectWarned(warnings, 'timeout');
  });

  it('checkPwnedPassword gives null and warns on a server error', async () => {
    behaviour = { kind: 'status', status: 503 };
    const { check: run, warnings } = check();
    await expect(run(PASSWORD)).resolves.toBeNull();
    expectWarned(warnings, 'status');
  });

  it('checkPwnedPassword gives null and warns on a malformed answer', async () => {
    for (const body of ['<html>rate limited</html>', range(...NEIGHBOURS, 'not a line'), range(`${SUFFIX}:lots`), range(`${SUFFIX.slice(1)}:3`)]) {
      behaviour = { kind: 'body', body };
      const { check: run, warnings } = check();
      await expect(run(PASSWORD)).resolves.toBeNull();
      expectWarned(warnings, 'malformed');
    }
  });

  it('checkPwnedPassword gives null and warns on an answer over 1 MiB', async () => {
    behaviour = { kind: 'body', body: range(...Array.from({ length: 30_000 }, () => NEIGHBOURS[0]!)) };
    const { check: run, warnings } = check();
    await expect(run(PASSWORD)).resolves.toBeNull();
    expectWarned(warnings, 'too_large');
  });

  it('checkPwnedPassword gives null and warns when nothing listens', async () => {
    const { check: run, warnings } = check({ checker: 'http://127.0.0.1:9' });
    await expect(run(PASSWORD)).resolves.toBeNull();
    expectWarned(warnings, 'network');
  });
});

describe('checkPwnedPassword with a function', () => {
  it('checkPwnedPassword returns what the function answers, and asks no server', async () => {
    const asked: string[] = [];
    const { check: run } = check({ checker: async (password) => (asked.push(password), password === PASSWORD) });
    await expect(run(PASSWORD)).resolves.toBe(true);
    await expect(run('correct horse battery staple')).resolves.toBe(false);
    expect(asked).toEqual([PASSWORD, 'correct horse battery staple']);
    expect(seen).toEqual([]);
  });

  it('checkPwnedPassword gives null and warns, without the error message, when the function throws', async () => {
    const { check: run, warnings } = check({ checker: async (password) => Promise.reject(new Error(`cannot check ${password}`)) });
    await expect(run(PASSWORD)).resolves.toBeNull();
    expectWarned(warnings, 'error');
  });

  it('checkPwnedPassword gives null and warns when the function is slow or answers something else', async () => {
    const slow = check({ checker: () => new Promise<boolean>(() => undefined), timeoutMs: 100 });
    await expect(slow.check(PASSWORD)).resolves.toBeNull();
    expectWarned(slow.warnings, 'timeout');
    const odd = check({ checker: async () => 'yes' as unknown as boolean });
    await expect(odd.check(PASSWORD)).resolves.toBeNull();
    expectWarned(odd.warnings, 'invalid_answer');
  });
});

describe('createPwnedPasswordCheck options', () => {
  const { logger } = recordingLogger();
  it.each([
    [{ checker: 'ftp://example.com' }, '`password.pwned.checker`'],
    [{ checker: 'not a url' }, '`password.pwned.checker`'],
    [{ checker: 'https://example.com/?key=1' }, '`password.pwned.checker`'],
    [{ checker: 42 }, '`password.pwned.checker`'],
    [{ timeoutMs: 0 }, '`password.pwned.timeoutMs`'],
    [{ timeoutMs: 1.5 }, '`password.pwned.timeoutMs`'],
  ])('createPwnedPasswordCheck(%j) throws a TypeError naming %s', (options, name) => {
    const build = () => createPwnedPasswordCheck({ logger, ...(options as Partial<PwnedPasswordsOptions>) });
    expect(build).toThrow(TypeError);
    expect(build).toThrow(name);
  });

  it('createPwnedPasswordCheck asks the Pwned Passwords API by default', async () => {
    const asked: string[] = [];
    const fetchStub: typeof fetch = async (input) => (asked.push(String(input)), new Response(range(`${SUFFIX}:1`)));
    await expect(createPwnedPasswordCheck({ logger, fetch: fetchStub })(PASSWORD)).resolves.toBe(true);
    expect(asked).toEqual([`https://api.pwnedpasswords.com/range/${PREFIX}`]);
  });
});
