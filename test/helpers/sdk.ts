// The official `appwrite` web SDK, run in Node as a browser would run it. The SDK calls the global
// fetch; Node's fetch keeps no cookies, so two ways of keeping the session are offered:
//  - 'cookies': a per-client cookie jar around fetch (what a browser does with HttpOnly cookies);
//  - 'fallback': a window.localStorage shim, so the SDK keeps the X-Fallback-Cookies value itself
//    (what the web SDK does when third-party cookies are blocked).
// Both the 1.6-era SDK (`appwrite`, 16) and today's (`appwrite28`) keep custom headers in
// `client.headers`, which is how a client names its jar.
import { Account, Client } from 'appwrite';
import { Account as Account28, Client as Client28 } from 'appwrite28';

const CLIENT_HEADER = 'x-test-cookie-jar';
const jars = new Map<string, Map<string, string>>();
let nextJar = 0;
const realFetch = globalThis.fetch;

function installCookieFetch(): void {
  if ((globalThis.fetch as { cookieJarFetch?: boolean }).cookieJarFetch) return;
  const jarFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const jar = jars.get(headers.get(CLIENT_HEADER) ?? '');
    headers.delete(CLIENT_HEADER);
    if (jar && jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await realFetch(input, { ...init, headers });
    if (jar) {
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq).trim();
        const expires = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='));
        if (expires && new Date(expires.slice(8)).getTime() <= Date.now()) jar.delete(name);
        else jar.set(name, pair!.slice(eq + 1).trim());
      }
    }
    return response;
  };
  globalThis.fetch = Object.assign(jarFetch, { cookieJarFetch: true }) as typeof fetch;
}

export interface SdkUser {
  client: Client;
  account: Account;
  /** The cookies this client holds (cookies mode). */
  cookies: Map<string, string>;
}

/** A cookie jar of its own for the client whose custom `headers` these are (the fetch wrapper reads its id from them). */
function withJar(headers: Record<string, string>): Map<string, string> {
  installCookieFetch();
  const id = String(nextJar++);
  const cookies = new Map<string, string>();
  jars.set(id, cookies);
  headers[CLIENT_HEADER] = id;
  return cookies;
}

/** A web-SDK client whose session lives in its own cookie jar. */
export function cookieClient(endpoint: string, projectId = 'default'): SdkUser {
  const client = new Client().setEndpoint(endpoint).setProject(projectId);
  const cookies = withJar(client.headers as Record<string, string>);
  return { client, account: new Account(client), cookies };
}

export interface Sdk28User {
  client: Client28;
  account: Account28;
  /** The cookies this client holds. */
  cookies: Map<string, string>;
}

/** A client of today's web SDK (appwrite@28, response format 2.3.0) whose session lives in its own cookie jar. */
export function cookieClient28(endpoint: string, projectId = 'default'): Sdk28User {
  const client = new Client28().setEndpoint(endpoint).setProject(projectId);
  const cookies = withJar(client.headers as unknown as Record<string, string>);
  return { client, account: new Account28(client), cookies };
}

/**
 * A web-SDK client that keeps its session the way the SDK does without cookies: in
 * `window.localStorage.cookieFallback`. One per test file (the shim is global).
 */
export function fallbackClient(endpoint: string, projectId = 'default'): SdkUser & { storage: Map<string, string> } {
  const storage = new Map<string, string>();
  (globalThis as { window?: unknown }).window = {
    localStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    },
    console: { warn: () => undefined, log: () => undefined, error: () => undefined },
  };
  const client = new Client().setEndpoint(endpoint).setProject(projectId);
  return { client, account: new Account(client), cookies: new Map(), storage };
}

let counter = 0;
/** A unique email for a test. */
export function uniqueEmail(): string {
  return `user${Date.now().toString(36)}${counter++}@example.com`;
}
