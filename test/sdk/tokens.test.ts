// Token sign-in, verification and recovery driven by the official `appwrite` web SDK (16.x, and
// the 1.4-era 13.x), with mail delivered over real SMTP (createSmtpMailer → smtp-server) and SMS
// through the webhook provider to a local HTTP server — the code or link is read from there.
import { ID } from 'appwrite';
import { Account as Account13, Client as Client13 } from 'appwrite13';
import { cookieClient, uniqueEmail } from '../helpers/sdk';
import { rejection, startDeliveringTestServer, type DeliveringTestServer } from '../helpers/test-instance';
import { codeIn, linkIn, type TestSmsServer, type TestSmtpServer } from '../helpers/smtp';

jest.mock('cross-fetch', () => ({ fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) }));

let smtp: TestSmtpServer;
let sms: TestSmsServer;
let server: DeliveringTestServer;
beforeAll(async () => {
  server = await startDeliveringTestServer({}, { testUser: { password: PASSWORD, name: 'Ada Lovelace' } });
  ({ smtp, sms } = server);
});
afterAll(() => server.close());

const PASSWORD = 'correct horse battery';
let phones = 0;
/** A phone number no other test uses. */
function uniquePhone(): string {
  return `+1415${String(Date.now() % 1_000_000).padStart(6, '0')}${phones++ % 10}`;
}

describe('email OTP: account.createEmailToken → mail → account.createSession', () => {
  it('signs a new user in with the code from the mail; the email counts as verified', async () => {
    const { account, cookies } = cookieClient(server.endpoint);
    const email = uniqueEmail();
    const token = await account.createEmailToken(ID.unique(), email);
    expect(token).toMatchObject({ secret: '', phrase: '' });
    const mail = await smtp.waitForMail(email);
    expect(mail.subject).toBe('OTP for Example Login');
    expect(mail.from).toBe('"Example" <no-reply@example.com>');
    const session = await account.createSession(token.userId, codeIn(mail.text));
    expect(session).toMatchObject({ userId: token.userId, provider: 'token', factors: ['email'], current: true });
    expect(cookies.has('a_session_default')).toBe(true);
    expect(await account.get()).toMatchObject({ $id: token.userId, email, emailVerification: true });
  });

  it('prints the security phrase in the mail and refuses a wrong code with 401 user_invalid_token', async () => {
    const { account } = cookieClient(server.endpoint);
    const email = uniqueEmail();
    const token = await account.createEmailToken(ID.unique(), email, true);
    expect(token.phrase).toMatch(/^[A-Z][a-z]+ [a-z]+$/);
    const mail = await smtp.waitForMail(email);
    expect(mail.text).toContain(token.phrase);
    expect(mail.html).toContain(token.phrase);
    const code = codeIn(mail.text);
    const error = await rejection(account.createSession(token.userId, code === '000000' ? '111111' : '000000'));
    expect([error.code, error.type]).toEqual([401, 'user_invalid_token']);
  });
});

describe('magic URL: account.createMagicURLToken → mail → the link', () => {
  it('account.createSession with the userId and secret of the link', async () => {
    const { account } = cookieClient(server.endpoint);
    const email = uniqueEmail();
    const token = await account.createMagicURLToken(ID.unique(), email, 'http://localhost:5173/auth/magic');
    const mail = await smtp.waitForMail(email);
    expect(mail.subject).toBe('Example Login');
    const link = linkIn(mail.text);
    expect(link.origin + link.pathname).toBe('http://localhost:5173/auth/magic');
    expect(link.searchParams.get('project')).toBe('default');
    expect(link.searchParams.get('expire')).toBe(token.expire);
    const session = await account.createSession(link.searchParams.get('userId')!, link.searchParams.get('secret')!);
    expect(session).toMatchObject({ provider: 'magic-url', factors: ['email'] });
    expect((await account.get()).emailVerification).toBe(true);
  });

  it('the deprecated account.updateMagicURLSession works too, once', async () => {
    const { account } = cookieClient(server.endpoint);
    const email = uniqueEmail();
    await account.createMagicURLToken(ID.unique(), email, 'http://localhost/magic');
    const link = linkIn((await smtp.waitForMail(email)).text);
    const [userId, secret] = [link.searchParams.get('userId')!, link.searchParams.get('secret')!];
    expect((await account.updateMagicURLSession(userId, secret)).provider).toBe('magic-url');
    const replay = await rejection(cookieClient(server.endpoint).account.createSession(userId, secret));
    expect([replay.code, replay.type]).toEqual([401, 'user_invalid_token']);
  });

  it('refuses a redirect URL outside allowedHosts with 400 general_argument_invalid', async () => {
    const { account } = cookieClient(server.endpoint);
    const error = await rejection(account.createMagicURLToken(ID.unique(), uniqueEmail(), 'https://evil.example/magic'));
    expect([error.code, error.type]).toEqual([400, 'general_argument_invalid']);
  });
});

describe('phone: account.createPhoneToken → SMS webhook → account.createSession', () => {
  it('signs in with the texted code; the phone counts as verified', async () => {
    const { account } = cookieClient(server.endpoint);
    const phone = uniquePhone();
    const token = await account.createPhoneToken(ID.unique(), phone);
    const text = await sms.waitForSms(phone);
    expect(text.path).toBe('/sms');
    expect(text.message).toMatch(/^\d{6}$/);
    const session = await account.createSession(token.userId, text.message);
    expect(session).toMatchObject({ provider: 'phone', factors: ['phone'] });
    expect(await account.get()).toMatchObject({ phone, phoneVerification: true, email: '' });
  });

  it('the deprecated account.updatePhoneSession works too', async () => {
    const { account } = cookieClient(server.endpoint);
    const phone = uniquePhone();
    const token = await account.createPhoneToken(ID.unique(), phone);
    const session = await account.updatePhoneSession(token.userId, (await sms.waitForSms(phone)).message);
    expect(session.provider).toBe('phone');
  });
});

describe('verification', () => {
  it('account.createVerification → mail → account.updateVerification marks the email verified', async () => {
    const user = await server.signedIn();
    const token = await user.account.createVerification('http://localhost:5173/verify');
    const mail = await smtp.waitForMail(user.email);
    expect(mail).toMatchObject({ subject: 'Account Verification for Example', toName: 'Ada Lovelace' });
    expect(Math.abs(new Date(token.expire).getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(10_000);
    const link = linkIn(mail.text);
    // Confirmed from another browser, without a session, as a link opened elsewhere would be.
    const confirmed = await cookieClient(server.endpoint).account.updateVerification(link.searchParams.get('userId')!, link.searchParams.get('secret')!);
    expect(confirmed).toMatchObject({ $id: token.$id, secret: '' });
    expect((await user.account.get()).emailVerification).toBe(true);
    const again = await rejection(user.account.createVerification('http://localhost:5173/verify'));
    expect([again.code, again.type]).toEqual([409, 'user_email_already_verified']);
  });

  it('account.createPhoneVerification → SMS → account.updatePhoneVerification after account.updatePhone', async () => {
    const user = await server.signedIn();
    const phone = uniquePhone();
    await user.account.updatePhone(phone, PASSWORD);
    const token = await user.account.createPhoneVerification();
    const text = await sms.waitForSms(phone);
    await user.account.updatePhoneVerification(token.userId, text.message);
    expect(await user.account.get()).toMatchObject({ phone, phoneVerification: true });
  });
});

describe('recovery', () => {
  it('account.createRecovery → mail → account.updateRecovery sets the new password and signs out everywhere', async () => {
    const user = await server.signedIn();
    const guest = cookieClient(server.endpoint);
    await guest.account.createRecovery(user.email, 'http://localhost:5173/reset');
    const mail = await smtp.waitForMail(user.email);
    expect(mail.subject).toBe('Password Reset for Example');
    const link = linkIn(mail.text);
    await guest.account.updateRecovery(link.searchParams.get('userId')!, link.searchParams.get('secret')!, 'my new password');
    expect((await rejection(user.account.get())).type).toBe('general_unauthorized_scope');
    const old = await rejection(guest.account.createEmailPasswordSession(user.email, PASSWORD));
    expect(old.type).toBe('user_invalid_credentials');
    await guest.account.createEmailPasswordSession(user.email, 'my new password');
    expect((await guest.account.get()).emailVerification).toBe(true);
  });

  it('account.createRecovery for an unknown email is 404 user_not_found', async () => {
    const error = await rejection(cookieClient(server.endpoint).account.createRecovery(uniqueEmail(), 'http://localhost/reset'));
    expect([error.code, error.type]).toEqual([404, 'user_not_found']);
  });
});

describe('the 1.4-era SDK (appwrite 13)', () => {
  function client13(): Account13 {
    const jar = cookieClient(server.endpoint);
    const client = new Client13().setEndpoint(server.endpoint).setProject('default');
    Object.assign(client.headers, { 'x-test-cookie-jar': (jar.client.headers as Record<string, string>)['x-test-cookie-jar'] });
    return new Account13(client);
  }

  it('createMagicURLSession → mail → updateMagicURLSession', async () => {
    const account = client13();
    const email = uniqueEmail();
    const token = await account.createMagicURLSession(ID.unique(), email, 'http://localhost/magic');
    expect(token).not.toHaveProperty('phrase');
    const link = linkIn((await smtp.waitForMail(email)).text);
    const session = await account.updateMagicURLSession(link.searchParams.get('userId')!, link.searchParams.get('secret')!);
    expect(session.provider).toBe('magic-url');
    expect(session).not.toHaveProperty('factors');
    expect((await account.get()).email).toBe(email);
  });

  it('createPhoneSession → SMS → updatePhoneSession', async () => {
    const account = client13();
    const phone = uniquePhone();
    const token = await account.createPhoneSession(ID.unique(), phone);
    const session = await account.updatePhoneSession(token.userId, (await sms.waitForSms(phone)).message);
    expect(session.provider).toBe('phone');
  });

  it('updateRecovery(userId, secret, password, passwordAgain) checks that both passwords match', async () => {
    const account = client13();
    const email = uniqueEmail();
    await account.create(ID.unique(), email, PASSWORD);
    await account.createRecovery(email, 'http://localhost/reset');
    const link = linkIn((await smtp.waitForMail(email)).text);
    const [userId, secret] = [link.searchParams.get('userId')!, link.searchParams.get('secret')!];
    await expect(account.updateRecovery(userId, secret, 'my new password', 'my other password')).rejects.toMatchObject({ code: 400, type: 'user_password_mismatch' });
    await account.updateRecovery(userId, secret, 'my new password', 'my new password');
    expect((await account.createEmailSession(email, 'my new password')).provider).toBe('email');
  });
});
