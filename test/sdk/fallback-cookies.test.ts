// The web SDK without cookies: it keeps the X-Fallback-Cookies value in localStorage and sends it
// back on every call, as it does in a browser that blocks third-party cookies.
import { ID } from 'appwrite';
import { fallbackClient, uniqueEmail } from '../helpers/sdk';
import { startTestServer, type TestServer } from '../helpers/test-instance';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('signs in, reads the account and signs out with only the localStorage fallback', async () => {
  const { account, storage } = fallbackClient(server.endpoint);
  const email = uniqueEmail();
  await account.create(ID.unique(), email, 'password123');
  await account.createEmailPasswordSession(email, 'password123');
  expect(JSON.parse(storage.get('cookieFallback')!)).toHaveProperty('a_session_default');
  expect((await account.get()).email).toBe(email);
  expect((await account.listSessions()).sessions[0]!.current).toBe(true);
  await account.deleteSession('current');
  expect(storage.get('cookieFallback')).toBe('[]');
  await expect(account.get()).rejects.toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
});
