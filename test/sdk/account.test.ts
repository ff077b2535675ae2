// Account self-service, anonymous sessions, JWTs and the security log through the official SDKs:
// `appwrite` 16 (1.6-era); test/sdk/legacy-sdk.test.ts covers the 1.4-era SDK.
import { ID, Query } from 'appwrite';
import { cookieClient, uniqueEmail } from '../helpers/sdk';
import { PASSWORD, rejection, startTestServer, type TestServer } from '../helpers/test-instance';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());


it('account.updateName, updateEmail, updatePhone and updatePassword change the account', async () => {
  const { account } = await server.signedIn();
  expect((await account.updateName('Ada')).name).toBe('Ada');
  const newEmail = uniqueEmail();
  expect(await account.updateEmail(newEmail, PASSWORD)).toMatchObject({ email: newEmail, emailVerification: false });
  expect((await account.updatePhone('+14155550100', PASSWORD)).phone).toBe('+14155550100');
  expect(await rejection(account.updatePassword('new password 1', 'wrong password'))).toMatchObject({ code: 401, type: 'user_invalid_credentials' });
  await account.updatePassword('new password 1', PASSWORD);
  const fresh = cookieClient(server.endpoint);
  await fresh.account.createEmailPasswordSession(newEmail, 'new password 1');
  expect((await fresh.account.get()).name).toBe('Ada');
});

it('account.updateStatus blocks the account', async () => {
  const { account, email } = await server.signedIn();
  expect((await account.updateStatus()).status).toBe(false);
  const again = cookieClient(server.endpoint);
  expect(await rejection(again.account.createEmailPasswordSession(email, PASSWORD))).toMatchObject({ code: 401, type: 'user_blocked' });
});

it('account.createAnonymousSession, then updateEmail upgrades it to a full account', async () => {
  const { account } = cookieClient(server.endpoint);
  const session = await account.createAnonymousSession();
  expect(session.provider).toBe('anonymous');
  const email = uniqueEmail();
  const upgraded = await account.updateEmail(email, PASSWORD);
  expect(upgraded.$id).toBe(session.userId);
  const other = cookieClient(server.endpoint);
  expect((await other.account.createEmailPasswordSession(email, PASSWORD)).userId).toBe(session.userId);
});

it('account.createJWT gives a token another client uses with setJWT', async () => {
  const { account, email } = await server.signedIn();
  const { jwt } = await account.createJWT();
  const { client, account: byJwt } = cookieClient(server.endpoint);
  client.setJWT(jwt);
  expect((await byJwt.get()).email).toBe(email);
  await account.deleteSession('current');
  expect(await rejection(byJwt.get())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
});

it('account.listLogs pages through the security log with Query.limit/offset', async () => {
  const { account } = await server.signedIn();
  await account.updateName('Logged');
  const all = await account.listLogs();
  expect(all.logs.map((l) => l.event)).toEqual(['user.update', 'session.create', 'user.create']);
  const page = await account.listLogs([Query.limit(1), Query.offset(1)]);
  expect(page.logs.map((l) => l.event)).toEqual(['session.create']);
});

it('account.create and updatePassword report the password policies as AppwriteExceptions', async () => {
  const strict = await startTestServer({ password: { bcryptCost: 4, dictionary: true, history: 3, personalData: true } });
  try {
    const { account } = cookieClient(strict.endpoint);
    const email = uniqueEmail();
    expect(await rejection(account.create(ID.unique(), email, 'password1'))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect(await rejection(account.create(ID.unique(), email, `${email} is mine`))).toMatchObject({ code: 400, type: 'password_personal_data' });
    const first = 'a long passphrase';
    await account.create(ID.unique(), email, first);
    await account.createEmailPasswordSession(email, first);
    expect(await rejection(account.updatePassword(first, first))).toMatchObject({ code: 400, type: 'password_recently_used' });
    await account.updatePassword('another long passphrase', first);
  } finally {
    await strict.close();
  }
});
