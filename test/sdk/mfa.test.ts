// MFA and push targets driven by the official `appwrite` web SDK (16.x): enrol TOTP (codes
// computed with speakeasy from the returned secret), recovery codes, turn MFA on, then sign in
// again and complete email / TOTP / recovery-code challenges — email codes read from a real SMTP
// server (createSmtpMailer → smtp-server).
import { AuthenticationFactor, AuthenticatorType, ID } from 'appwrite';
import speakeasy from 'speakeasy';
import { cookieClient, uniqueEmail, type SdkUser } from '../helpers/sdk';
import { rejection, startDeliveringTestServer, type DeliveringTestServer } from '../helpers/test-instance';
import { codeIn, linkIn, type TestSmtpServer } from '../helpers/smtp';

jest.mock('cross-fetch', () => ({ fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) }));

let smtp: TestSmtpServer;
let server: DeliveringTestServer;
beforeAll(async () => {
  server = await startDeliveringTestServer({}, { testUser: { password: PASSWORD, name: 'Ada Lovelace' } });
  smtp = server.smtp;
});
afterAll(() => server.close());

const PASSWORD = 'correct horse battery';
const totp = (secret: string) => speakeasy.totp({ secret, encoding: 'base32' });

/** A user with a verified email (through the SDK and the mail), TOTP, recovery codes and MFA on. */
async function mfaUser(): Promise<{ email: string; secret: string; recoveryCodes: string[]; first: SdkUser }> {
  const first = await server.signedIn();
  const { email } = first;
  await first.account.createVerification('http://localhost:5173/verify');
  const link = linkIn((await smtp.waitForMail(email)).text);
  await first.account.updateVerification(link.searchParams.get('userId')!, link.searchParams.get('secret')!);

  const { secret, uri } = await first.account.createMfaAuthenticator(AuthenticatorType.Totp);
  expect(uri).toBe(`otpauth://totp/${encodeURIComponent(`Example:${email}`)}?issuer=Example&secret=${secret}`);
  const confirmed = await first.account.updateMfaAuthenticator(AuthenticatorType.Totp, totp(secret));
  expect(confirmed.email).toBe(email);
  const { recoveryCodes } = await first.account.createMfaRecoveryCodes();
  expect(recoveryCodes).toHaveLength(6);
  const user = await first.account.updateMFA(true);
  expect(user.mfa).toBe(true);
  // The enabling session already holds every factor it verified: it keeps working.
  expect(await first.account.get()).toMatchObject({ email, mfa: true });
  return { email, secret, recoveryCodes, first };
}

describe('MFA with the web SDK', () => {
  it('a new sign-in owes a factor until an emailed challenge is completed', async () => {
    const { email } = await mfaUser();
    const { account } = await server.signIn(email);
    const blocked = await rejection(account.get());
    expect([blocked.code, blocked.type]).toEqual([401, 'user_more_factors_required']);
    expect(await account.listMfaFactors()).toEqual({ totp: true, phone: false, email: true, recoveryCode: true });

    const challenge = await account.createMfaChallenge(AuthenticationFactor.Email);
    expect(Object.keys(challenge)).toEqual(['$id', '$createdAt', 'userId', 'expire']);
    const mail = await smtp.waitForMail(email);
    expect(mail.subject).toBe('Verification Code for Example');
    const wrong = await rejection(account.updateMfaChallenge(challenge.$id, codeIn(mail.text) === '000000' ? '111111' : '000000'));
    expect([wrong.code, wrong.type]).toEqual([401, 'user_invalid_token']);
    const session = (await account.updateMfaChallenge(challenge.$id, codeIn(mail.text))) as { factors: string[]; mfaUpdatedAt: string };
    expect(session.factors).toEqual(['password', 'email']);
    expect(session.mfaUpdatedAt).not.toBe('');
    expect(await account.get()).toMatchObject({ email, mfa: true });
  });

  it('TOTP and recovery-code challenges; recovery codes are readable and renewable right after a challenge', async () => {
    const { email, secret, recoveryCodes } = await mfaUser();
    const byTotp = await server.signIn(email);
    const t = await byTotp.account.createMfaChallenge(AuthenticationFactor.Totp);
    await byTotp.account.updateMfaChallenge(t.$id, totp(secret));
    expect((await byTotp.account.get()).email).toBe(email);

    const byCode = await server.signIn(email);
    const r = await byCode.account.createMfaChallenge(AuthenticationFactor.Recoverycode);
    await byCode.account.updateMfaChallenge(r.$id, recoveryCodes[0]!);
    const remaining = await byCode.account.getMfaRecoveryCodes();
    expect([...remaining.recoveryCodes].sort()).toEqual(recoveryCodes.slice(1).sort());
    const renewed = await byCode.account.updateMfaRecoveryCodes();
    expect(renewed.recoveryCodes).toHaveLength(6);

    // A used recovery code does not work twice.
    const again = await server.signIn(email);
    const r2 = await again.account.createMfaChallenge(AuthenticationFactor.Recoverycode);
    const reused = await rejection(again.account.updateMfaChallenge(r2.$id, recoveryCodes[0]!));
    expect(reused.type).toBe('user_invalid_token');
  });

  it('removing the authenticator needs a recent challenge; signing out is always allowed', async () => {
    const { email, secret, first } = await mfaUser();
    const stale = await rejection(first.account.deleteMfaAuthenticator(AuthenticatorType.Totp));
    expect([stale.code, stale.type]).toEqual([401, 'user_challenge_required']);
    const c = await first.account.createMfaChallenge(AuthenticationFactor.Totp);
    await first.account.updateMfaChallenge(c.$id, totp(secret));
    await first.account.deleteMfaAuthenticator(AuthenticatorType.Totp);
    expect((await first.account.listMfaFactors()).totp).toBe(false);

    const pending = await server.signIn(email);
    await pending.account.deleteSession('current');
    expect(pending.cookies.has('a_session_default')).toBe(false);
  });
});

describe('push targets with the web SDK', () => {
  it('createPushTarget → updatePushTarget → deletePushTarget', async () => {
    const user = cookieClient(server.endpoint);
    const email = uniqueEmail();
    await user.account.create(ID.unique(), email, PASSWORD);
    await user.account.createEmailPasswordSession(email, PASSWORD);
    const target = await user.account.createPushTarget(ID.unique(), 'fcm-token-1');
    expect(target).toMatchObject({ providerType: 'push', identifier: 'fcm-token-1', expired: false, providerId: null });
    expect((await user.account.get()).targets.map((t) => t.$id)).toContain(target.$id);
    const updated = await user.account.updatePushTarget(target.$id, 'fcm-token-2');
    expect(updated.identifier).toBe('fcm-token-2');
    await user.account.deletePushTarget(target.$id);
    const gone = await rejection(user.account.deletePushTarget(target.$id));
    expect([gone.code, gone.type]).toEqual([404, 'user_target_not_found']);
  });
});
