// The 1.4-era SDK (`appwrite` 13, installed as `appwrite13`) against the older route names that
// are served as aliases. That SDK fetches through cross-fetch; it is pointed at the global fetch so
// the cookie jar of test/helpers/sdk.ts applies to it too.
import { ID } from 'appwrite';
import { Account as Account13, Client as Client13, Query as Query13 } from 'appwrite13';
import { cookieClient, uniqueEmail } from '../helpers/sdk';
import { startTestServer, type TestServer } from '../helpers/test-instance';

jest.mock('cross-fetch', () => ({ fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) }));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const PASSWORD = 'password123';

describe('the 1.4-era SDK (appwrite 13)', () => {
  function client13() {
    const user = cookieClient(server.endpoint);
    const client = new Client13().setEndpoint(server.endpoint).setProject('default');
    Object.assign(client.headers, { 'x-test-cookie-jar': (user.client.headers as Record<string, string>)['x-test-cookie-jar'] });
    return new Account13(client);
  }

  it('signs up, signs in with createEmailSession, mints a JWT at /account/jwt and reads logs with old-syntax queries', async () => {
    const account = client13();
    const email = uniqueEmail();
    await account.create(ID.unique(), email, PASSWORD);
    const session = await account.createEmailSession(email, PASSWORD);
    expect(session.current).toBe(true);
    expect((await account.get()).email).toBe(email);
    expect((await account.createJWT()).jwt.split('.')).toHaveLength(3);
    const logs = await account.listLogs([Query13.limit(1)]);
    expect(logs.total).toBe(2);
    expect(logs.logs).toHaveLength(1);
    await account.deleteSessions();
    await expect(account.get()).rejects.toMatchObject({ code: 401 });
  });

  it('deletes the account with DELETE /account (0.6 route, still served)', async () => {
    const account = client13();
    const email = uniqueEmail();
    await account.create(ID.unique(), email, PASSWORD);
    await account.createEmailSession(email, PASSWORD);
    const client = (account as unknown as { client: Client13 }).client;
    await client.call('delete', new URL(`${server.endpoint}/account`), { 'content-type': 'application/json' });
    await expect(client13().createEmailSession(email, PASSWORD)).rejects.toMatchObject({ code: 401, type: 'user_invalid_credentials' });
  });
});
