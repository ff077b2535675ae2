// Sign-up, sign-in, the account, sessions and prefs, driven by the official `appwrite` web SDK
// over a real port, with the session kept in a cookie jar as a browser keeps it.
import { ID } from 'appwrite';
import { cookieClient, uniqueEmail } from '../helpers/sdk';
import { rejection, startTestServer, type TestServer } from '../helpers/test-instance';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { testUser: { password: 'correct horse battery', name: 'Ada Lovelace' } });
});
afterAll(() => server.close());


describe('account.create', () => {
  it('creates an account and returns the Account model without starting a session', async () => {
    const { account } = cookieClient(server.endpoint);
    const email = uniqueEmail();
    const user = await account.create(ID.unique(), email, 'password123', 'Grace');
    expect(user).toMatchObject({ email, name: 'Grace', status: true, emailVerification: false, labels: [], prefs: {}, mfa: false });
    expect(user.$id).toMatch(/^[0-9a-f]{20}$/);
    expect(user.registration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    expect(user.targets).toEqual([expect.objectContaining({ providerType: 'email', identifier: email })]);
    expect((await rejection(account.get())).type).toBe('general_unauthorized_scope');
  });

  it('accepts a custom id and refuses the same id or email again with 409 user_already_exists', async () => {
    const { account } = cookieClient(server.endpoint);
    const email = uniqueEmail();
    const id = `custom-${Date.now()}`;
    expect((await account.create(id, email, 'password123')).$id).toBe(id);
    const sameId = await rejection(account.create(id, uniqueEmail(), 'password123'));
    expect([sameId.code, sameId.type]).toEqual([409, 'user_already_exists']);
    const sameEmail = await rejection(account.create(ID.unique(), email.toUpperCase(), 'password123'));
    expect([sameEmail.code, sameEmail.type]).toEqual([409, 'user_already_exists']);
  });

  it('names the bad parameter in a 400 general_argument_invalid', async () => {
    const { account } = cookieClient(server.endpoint);
    const shortPassword = await rejection(account.create(ID.unique(), uniqueEmail(), 'short'));
    expect([shortPassword.code, shortPassword.type]).toEqual([400, 'general_argument_invalid']);
    expect(shortPassword.message).toMatch(/^Invalid `password` param: /);
    const badEmail = await rejection(account.create(ID.unique(), 'not-an-email', 'password123'));
    expect(badEmail.message).toMatch(/^Invalid `email` param: /);
  });
});

describe('account.createEmailPasswordSession', () => {
  it('signs in, sets the HttpOnly session cookie and marks the session current', async () => {
    const user = cookieClient(server.endpoint);
    const email = uniqueEmail();
    await user.account.create(ID.unique(), email, 'password123');
    const session = await user.account.createEmailPasswordSession(email, 'password123');
    expect(session).toMatchObject({ provider: 'email', providerUid: email, current: true, factors: ['password'], secret: '', mfaUpdatedAt: '' });
    expect(user.cookies.has('a_session_default')).toBe(true);
    expect((await user.account.get()).email).toBe(email);
  });

  it('answers an unknown email and a wrong password with the same 401 user_invalid_credentials', async () => {
    const { account, email } = await server.signedIn();
    const guest = cookieClient(server.endpoint);
    const wrongPassword = await rejection(guest.account.createEmailPasswordSession(email, 'wrong password'));
    const unknownEmail = await rejection(guest.account.createEmailPasswordSession(uniqueEmail(), 'wrong password'));
    for (const error of [wrongPassword, unknownEmail]) {
      expect([error.code, error.type, error.message]).toEqual([401, 'user_invalid_credentials', wrongPassword.message]);
    }
    expect((await account.get()).email).toBe(email);
  });

  it('refuses a second sign-in from a signed-in client with 401 user_session_already_exists', async () => {
    const { account, email, password } = await server.signedIn();
    const error = await rejection(account.createEmailPasswordSession(email, password));
    expect([error.code, error.type]).toEqual([401, 'user_session_already_exists']);
  });
});

describe('sessions', () => {
  it('account.listSessions and getSession("current") show the calling session', async () => {
    const { account } = await server.signedIn();
    const list = await account.listSessions();
    expect(list.total).toBe(1);
    expect(list.sessions[0]!.current).toBe(true);
    const current = await account.getSession('current');
    expect(current.$id).toBe(list.sessions[0]!.$id);
    expect(current.ip).toBe('127.0.0.1');
  });

  it('account.updateSession extends the expiry', async () => {
    const { account } = await server.signedIn();
    const before = await account.getSession('current');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const after = await account.updateSession('current');
    expect(new Date(after.expire).getTime()).toBeGreaterThan(new Date(before.expire).getTime());
  });

  it('account.deleteSession ends another device without signing this one out', async () => {
    const first = await server.signedIn();
    const second = cookieClient(server.endpoint);
    const other = await second.account.createEmailPasswordSession(first.email, first.password);
    expect((await first.account.listSessions()).total).toBe(2);
    await first.account.deleteSession(other.$id);
    expect((await rejection(second.account.get())).type).toBe('general_unauthorized_scope');
    expect((await first.account.listSessions()).total).toBe(1);
  });

  it('account.deleteSession("current") signs out and clears the cookie', async () => {
    const user = await server.signedIn();
    await user.account.deleteSession('current');
    expect(user.cookies.has('a_session_default')).toBe(false);
    const error = await rejection(user.account.get());
    expect([error.code, error.type]).toEqual([401, 'general_unauthorized_scope']);
  });

  it('account.deleteSessions ends every session of the user', async () => {
    const first = await server.signedIn();
    const second = cookieClient(server.endpoint);
    await second.account.createEmailPasswordSession(first.email, first.password);
    await first.account.deleteSessions();
    expect((await rejection(first.account.get())).type).toBe('general_unauthorized_scope');
    expect((await rejection(second.account.get())).type).toBe('general_unauthorized_scope');
  });

  it('account.getSession of an unknown or foreign id is 404 user_session_not_found', async () => {
    const a = await server.signedIn();
    const b = await server.signedIn();
    const foreign = await b.account.getSession('current');
    for (const id of ['nonexistent', foreign.$id]) {
      const error = await rejection(a.account.getSession(id));
      expect([error.code, error.type]).toEqual([404, 'user_session_not_found']);
    }
  });
});

describe('prefs', () => {
  it('account.updatePrefs replaces the object and account.getPrefs reads it back', async () => {
    const { account } = await server.signedIn();
    expect(await account.getPrefs()).toEqual({});
    await account.updatePrefs({ theme: 'dark', nested: { a: [1, 2] } });
    const updated = await account.updatePrefs({ language: 'ada' });
    expect(updated.prefs).toEqual({ language: 'ada' });
    expect(await account.getPrefs()).toEqual({ language: 'ada' });
  });

  it('account.updatePrefs refuses more than 64 kB with 400 general_argument_invalid', async () => {
    const { account } = await server.signedIn();
    const error = await rejection(account.updatePrefs({ big: 'x'.repeat(70_000) }));
    expect([error.code, error.type]).toEqual([400, 'general_argument_invalid']);
    expect(error.message).toMatch(/^Invalid `prefs` param: /);
  });
});
