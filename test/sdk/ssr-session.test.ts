// Server-side rendering, the Appwrite way: a backend with an API key signs the user in through
// node-appwrite@27.1 and gets the session secret in the answer (only key callers do), then serves
// the user with it — as node-appwrite's setSession, and as the a_session_<project> cookie that
// today's web SDK (appwrite@28) sends from the browser. On a real port.
import { Account, AppwriteException, Client } from 'node-appwrite';
import { cookieClient28 } from '../helpers/sdk';
import { PASSWORD, rejection, startTestServer, type TestServer } from '../helpers/test-instance';

const KEY = 'ssr-server-key-0123456789abcdef0123456789';
const USERS_ONLY_KEY = 'users-only-key-0123456789abcdef0123456789';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    apiKeys: [
      { secret: KEY, scopes: ['sessions.write', 'users.read', 'users.write'], name: 'SSR' },
      { secret: USERS_ONLY_KEY, scopes: ['users.read'] },
    ],
  });
});
afterAll(() => server.close());

const adminClient = (key = KEY) => new Client().setEndpoint(server.endpoint).setProject('default').setKey(key);
const sessionClient = (secret: string) => new Client().setEndpoint(server.endpoint).setProject('default').setSession(secret);

it('createEmailPasswordSession with a key returns the secret; setSession(secret) then serves the account', async () => {
  const admin = new Account(adminClient());
  await admin.create({ userId: 'ssr-user', email: 'ssr@example.com', password: PASSWORD, name: 'SSR' });
  const session = await admin.createEmailPasswordSession({ email: 'ssr@example.com', password: PASSWORD });
  expect(session.secret).not.toBe('');
  expect(session.userId).toBe('ssr-user');

  const account = new Account(sessionClient(session.secret));
  const me = await account.get();
  expect([me.$id, me.email, me.name]).toEqual(['ssr-user', 'ssr@example.com', 'SSR']);
  const current = await account.getSession({ sessionId: 'current' });
  expect(current.$id).toBe(session.$id);
  await account.deleteSession({ sessionId: 'current' });
  expect((await rejection(account.get(), AppwriteException)).type).toBe('general_unauthorized_scope');
});

it('the secret is the a_session_<project> cookie the web SDK then sends (appwrite@28)', async () => {
  const admin = new Account(adminClient());
  await admin.create({ userId: 'ssr-web', email: 'ssr-web@example.com', password: PASSWORD });
  const session = await admin.createEmailPasswordSession({ email: 'ssr-web@example.com', password: PASSWORD });
  const browser = cookieClient28(server.endpoint);
  // What the host sets after server-side sign-in: cookies.set('a_session_<project>', session.secret).
  browser.cookies.set('a_session_default', session.secret);
  expect((await browser.account.get()).$id).toBe('ssr-web');
  const sessions = await browser.account.listSessions();
  expect(sessions.sessions.find((s) => s.current)?.$id).toBe(session.$id);
  // Secrets are shown to keys only: the browser's own session list has none.
  expect(sessions.sessions.every((s) => s.secret === '')).toBe(true);
});

it('an anonymous session made by the server works the same way', async () => {
  const session = await new Account(adminClient()).createAnonymousSession();
  expect(session.secret).not.toBe('');
  const me = await new Account(sessionClient(session.secret)).get();
  expect(me.$id).toBe(session.userId);
});

it('a key without sessions.write, a wrong key and a wrong password get Appwrite\'s errors', async () => {
  await new Account(adminClient()).create({ userId: 'ssr-errors', email: 'ssr-errors@example.com', password: PASSWORD });
  const underScoped = await rejection(new Account(adminClient(USERS_ONLY_KEY)).createEmailPasswordSession({ email: 'ssr-errors@example.com', password: PASSWORD }), AppwriteException);
  expect([underScoped.code, underScoped.type]).toEqual([401, 'general_unauthorized_scope']);
  expect(underScoped.message).toMatch(/^app\.default@service\.127\.0\.0\.1 \(role: applications\) missing scopes \(\["sessions\.write"\]\)$/);
  const wrongKey = await rejection(new Account(adminClient('standard_wrong')).createEmailPasswordSession({ email: 'ssr-errors@example.com', password: PASSWORD }), AppwriteException);
  expect([wrongKey.code, wrongKey.type]).toEqual([401, 'user_unauthorized']);
  const wrongPassword = await rejection(new Account(adminClient()).createEmailPasswordSession({ email: 'ssr-errors@example.com', password: 'not the password' }), AppwriteException);
  expect([wrongPassword.code, wrongPassword.type]).toEqual([401, 'user_invalid_credentials']);
});
