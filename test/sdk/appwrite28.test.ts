// Today's web SDK, appwrite@28 (response format 2.3.0), driven in Node with object parameters on a
// real port, each client with its own cookie jar: the common flows (sign-up, sign-in, prefs, JWT,
// verification, recovery, MFA with recovery codes, push targets, identities) and everything the
// 2.x generation added: ID-token sign-in against a real local issuer, verification and recovery
// by code, the custom MFA factor, breached passwords, and the 2.3.0 models.
import { createHash } from 'node:crypto';
import { AppwriteException, AuthenticationFactor, AuthenticatorType, ID, IdTokenProvider } from 'appwrite28';
import speakeasy from 'speakeasy';
import type { MailMessage } from '../../lib';
import { cookieClient28, uniqueEmail, type Sdk28User } from '../helpers/sdk';
import { rejection as rejected, startTestServer, type TestServer } from '../helpers/test-instance';
import { codeIn, linkIn } from '../helpers/smtp';
import { startIdTokenIssuer, type IdTokenIssuer } from '../helpers/id-token-issuer';
import { startRangeServer, type RangeServer } from '../helpers/range-server';

const PASSWORD = 'correct horse battery';
const GOOGLE_CLIENT = 'web-client.apps.googleusercontent.com';
const APPLE_CLIENT = 'com.example.app';
const BREACHED = 'password1234';

let issuer: IdTokenIssuer;
let range: RangeServer;
let server: TestServer;
const mails: MailMessage[] = [];
const customCodes = new Map<string, string>();

beforeAll(async () => {
  [issuer, range] = await Promise.all([startIdTokenIssuer(), startRangeServer()]);
  range.breach(BREACHED);
  server = await startTestServer({
    projectName: 'Example',
    mailer: async (message) => void mails.push(message),
    idTokens: { google: { clientIds: [GOOGLE_CLIENT], issuer: issuer.issuer }, apple: { clientIds: [APPLE_CLIENT], issuer: issuer.issuer } },
    mfa: { onCustomChallenge: ({ challengeId, code }) => void customCodes.set(challengeId, code) },
    password: { bcryptCost: 4, pwned: { checker: range.url, signIn: 'flag' } },
  });
});
afterAll(async () => {
  await server.close();
  await Promise.all([issuer.stop(), range.close()]);
});

const client = (): Sdk28User => cookieClient28(server.endpoint);
const mailTo = (email: string) => [...mails].reverse().find((mail) => mail.to === email)!;
const totp = (secret: string) => speakeasy.totp({ secret, encoding: 'base32' });
const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** The AppwriteException of appwrite@28 an SDK call rejects with. */
const rejection = (promise: Promise<unknown>) => rejected(promise, AppwriteException);

/** A new user signed up and signed in with object parameters. */
async function signedIn(name = 'Ada Lovelace'): Promise<Sdk28User & { email: string; userId: string }> {
  const user = client();
  const email = uniqueEmail();
  const created = await user.account.create({ userId: ID.unique(), email, password: PASSWORD, name });
  await user.account.createEmailPasswordSession({ email, password: PASSWORD });
  return { ...user, email, userId: created.$id };
}

describe('the common flows with appwrite@28', () => {
  it('sign-up, sign-in, the 2.3.0 Account, name, prefs, sessions and sign-out', async () => {
    const user = client();
    const email = uniqueEmail();
    const created = await user.account.create({ userId: ID.unique(), email, password: PASSWORD, name: 'Ada' });
    // Checked against the local range server at sign-up: not breached.
    expect(created).toMatchObject({ email, name: 'Ada', passwordPwned: false, emailVerification: false });
    const session = await user.account.createEmailPasswordSession({ email, password: PASSWORD });
    expect(session).toMatchObject({ provider: 'email', current: true, factors: ['password'] });
    expect(user.cookies.has('a_session_default')).toBe(true);
    await user.account.updateName({ name: 'Ada Lovelace' });
    await user.account.updatePrefs({ prefs: { theme: 'dark', nested: { a: 1 } } });
    expect(await user.account.getPrefs()).toEqual({ theme: 'dark', nested: { a: 1 } });
    const account = await user.account.get();
    expect(account).toMatchObject({ name: 'Ada Lovelace', prefs: { theme: 'dark' }, passwordPwned: false, impersonator: false });
    expect((await user.account.listSessions()).sessions.map((s) => s.$id)).toEqual([session.$id]);
    expect(await user.account.getSession({ sessionId: 'current' })).toMatchObject({ $id: session.$id });
    await user.account.deleteSession({ sessionId: 'current' });
    expect(user.cookies.has('a_session_default')).toBe(false);
    expect((await rejection(user.account.get())).type).toBe('general_unauthorized_scope');
  });

  it('createJWT({ duration }): another client uses it with setJWT; a JWT cannot mint a JWT (403)', async () => {
    const user = await signedIn();
    const { jwt } = await user.account.createJWT({ duration: 60 });
    const backend = client();
    backend.client.setJWT(jwt);
    expect((await backend.account.get()).$id).toBe(user.userId);
    const denied = await rejection(backend.account.createJWT());
    expect([denied.code, denied.type]).toEqual([403, 'user_jwt_creation_denied']);
  });

  it('email verification by link: createEmailVerification({ url }) and updateEmailVerification({ userId, secret })', async () => {
    const user = await signedIn();
    await user.account.createEmailVerification({ url: 'http://localhost:5173/verify' });
    const link = linkIn(mailTo(user.email).text);
    await client().account.updateEmailVerification({ userId: link.searchParams.get('userId')!, secret: link.searchParams.get('secret')! });
    expect((await user.account.get()).emailVerification).toBe(true);
  });

  it('recovery by link: createRecovery({ email, url }) and updateRecovery({ userId, secret, password }) end every session', async () => {
    const user = await signedIn();
    const guest = client();
    await guest.account.createRecovery({ email: user.email, url: 'http://localhost:5173/reset' });
    const link = linkIn(mailTo(user.email).text);
    await guest.account.updateRecovery({ userId: link.searchParams.get('userId')!, secret: link.searchParams.get('secret')!, password: 'a brand new password' });
    expect((await rejection(user.account.get())).type).toBe('general_unauthorized_scope');
    await guest.account.createEmailPasswordSession({ email: user.email, password: 'a brand new password' });
    expect((await guest.account.get()).emailVerification).toBe(true);
  });

  it('MFA with TOTP and recovery codes; AuthenticationFactor.Recoverycode is recorded as recoveryCode', async () => {
    const user = await signedIn();
    await user.account.createEmailVerification({ url: 'http://localhost:5173/verify' });
    const link = linkIn(mailTo(user.email).text);
    await user.account.updateEmailVerification({ userId: user.userId, secret: link.searchParams.get('secret')! });
    const { secret } = await user.account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    await user.account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: totp(secret) });
    const { recoveryCodes } = await user.account.createMFARecoveryCodes();
    expect(recoveryCodes).toHaveLength(6);
    expect((await user.account.updateMFA({ mfa: true })).mfa).toBe(true);

    const second = client();
    await second.account.createEmailPasswordSession({ email: user.email, password: PASSWORD });
    expect((await rejection(second.account.get())).type).toBe('user_more_factors_required');
    expect(await second.account.listMFAFactors()).toEqual({ totp: true, phone: false, email: true, recoveryCode: true, custom: true });
    const challenge = await second.account.createMFAChallenge({ factor: AuthenticationFactor.Recoverycode });
    const session = await second.account.updateMFAChallenge({ challengeId: challenge.$id, otp: recoveryCodes[0]! });
    expect(session.factors).toEqual(['password', 'recoveryCode']);
    expect((await second.account.getMFARecoveryCodes()).recoveryCodes).toHaveLength(5);

    const third = client();
    await third.account.createEmailPasswordSession({ email: user.email, password: PASSWORD });
    const byTotp = await third.account.createMFAChallenge({ factor: AuthenticationFactor.Totp });
    await third.account.updateMFAChallenge({ challengeId: byTotp.$id, otp: totp(secret) });
    expect((await third.account.get()).mfa).toBe(true);
  });

  it('push targets: createPushTarget, updatePushTarget, deletePushTarget', async () => {
    const user = await signedIn();
    const target = await user.account.createPushTarget({ targetId: ID.unique(), identifier: 'fcm-token-1' });
    expect(target).toMatchObject({ providerType: 'push', identifier: 'fcm-token-1', expired: false });
    expect((await user.account.updatePushTarget({ targetId: target.$id, identifier: 'fcm-token-2' })).identifier).toBe('fcm-token-2');
    await user.account.deletePushTarget({ targetId: target.$id });
    expect((await rejection(user.account.deletePushTarget({ targetId: target.$id }))).type).toBe('user_target_not_found');
  });
});

describe('what appwrite@28 added', () => {
  it('createIdTokenSession with a Google token: a new account, its identity with providerIdToken, deleteIdentity', async () => {
    const user = client();
    const email = uniqueEmail();
    const nonce = 'google-nonce';
    const idToken = await issuer.token({ claims: { aud: GOOGLE_CLIENT, sub: `google-${email}`, email, email_verified: true, name: 'Grace Hopper', nonce: sha256Hex(nonce) } });
    const session = await user.account.createIdTokenSession({ provider: IdTokenProvider.Google, idToken, nonce });
    expect(session).toMatchObject({ provider: 'google', providerUid: `google-${email}`, factors: ['email', 'oauth2'], current: true });
    expect(await user.account.get()).toMatchObject({ email, emailVerification: true, name: 'Grace Hopper' });
    const { identities } = await user.account.listIdentities();
    expect(identities).toEqual([expect.objectContaining({ provider: 'google', providerEmail: email, providerIdToken: idToken, providerRefreshToken: '' })]);
    await user.account.deleteIdentity({ identityId: identities[0]!.$id });
    expect((await user.account.listIdentities({ total: false })).identities).toEqual([]);
  });

  it('createIdTokenSession with an Apple token links to the signed-in account; someone else’s provider account is 409', async () => {
    const user = await signedIn();
    const nonce = 'apple-nonce';
    const appleToken = (sub: string, email: string) =>
      issuer.token({ kid: 'es-1', claims: { aud: APPLE_CLIENT, sub, email, email_verified: 'true', is_private_email: 'true', nonce: sha256Hex(nonce) } });
    const linked = await user.account.createIdTokenSession({ provider: IdTokenProvider.Apple, idToken: await appleToken(`apple-${user.email}`, `relay-${user.email}`), nonce, accessToken: 'apple-access', accessTokenExpiry: 600 });
    expect(linked).toMatchObject({ userId: user.userId, provider: 'apple', providerAccessToken: 'apple-access' });
    expect((await user.account.listIdentities()).identities.map((i) => i.provider)).toEqual(['apple']);

    const other = await signedIn();
    const taken = await rejection(other.account.createIdTokenSession({ provider: IdTokenProvider.Apple, idToken: await appleToken(`apple-${user.email}`, uniqueEmail()), nonce }));
    expect([taken.code, taken.type]).toEqual([409, 'user_already_exists']);
    const wrongNonce = await rejection(other.account.createIdTokenSession({ provider: IdTokenProvider.Apple, idToken: await appleToken('apple-x', uniqueEmail()), nonce: 'another' }));
    expect([wrongNonce.code, wrongNonce.type]).toEqual([401, 'user_oauth2_token_invalid']);
  });

  it('email verification by code: createEmailVerificationOTP({ phrase }) and updateEmailVerificationOTP({ userId, secret })', async () => {
    const user = await signedIn();
    const token = await user.account.createEmailVerificationOTP({ phrase: true });
    const mail = mailTo(user.email);
    expect(mail.subject).toBe('Account Verification Code for Example');
    expect(mail.text).toContain(token.phrase);
    const confirmed = await client().account.updateEmailVerificationOTP({ userId: user.userId, secret: codeIn(mail.text) });
    expect(confirmed.$id).toBe(token.$id);
    expect((await user.account.get()).emailVerification).toBe(true);
    expect((await rejection(user.account.createEmailVerificationOTP())).type).toBe('user_email_already_verified');
  });

  it('recovery by code: createRecoveryOTP({ email }) and updateRecoveryOTP({ userId, secret, password })', async () => {
    const user = await signedIn();
    const guest = client();
    const token = await guest.account.createRecoveryOTP({ email: user.email });
    const code = codeIn(mailTo(user.email).text);
    const wrong = await rejection(guest.account.updateRecoveryOTP({ userId: token.userId, secret: code === '000000' ? '111111' : '000000', password: 'new password here' }));
    expect(wrong.type).toBe('user_invalid_token');
    const breached = await rejection(guest.account.updateRecoveryOTP({ userId: token.userId, secret: code, password: BREACHED }));
    expect([breached.code, breached.type]).toEqual([400, 'password_pwned']);
    await guest.account.updateRecoveryOTP({ userId: token.userId, secret: code, password: 'new password here' });
    expect((await rejection(user.account.get())).type).toBe('general_unauthorized_scope');
    await guest.account.createEmailPasswordSession({ email: user.email, password: 'new password here' });
    expect(await guest.account.get()).toMatchObject({ emailVerification: true, passwordPwned: false });
  });

  it('the custom MFA factor: the code goes to the host, never by mail, and completes the sign-in', async () => {
    const user = await signedIn();
    await user.account.createEmailVerificationOTP();
    await user.account.updateEmailVerificationOTP({ userId: user.userId, secret: codeIn(mailTo(user.email).text) });
    await user.account.updateMFA({ mfa: true });
    const second = client();
    await second.account.createEmailPasswordSession({ email: user.email, password: PASSWORD });
    const sent = mails.length;
    const challenge = await second.account.createMFAChallenge({ factor: AuthenticationFactor.Custom });
    expect(mails).toHaveLength(sent);
    const code = customCodes.get(challenge.$id)!;
    expect((await server.router.getMfaChallengeCode(user.userId, challenge.$id))?.code).toBe(code);
    const session = await second.account.updateMFAChallenge({ challengeId: challenge.$id, otp: code });
    expect(session.factors).toEqual(['password', 'custom']);
    expect((await second.account.get()).$id).toBe(user.userId);
  });

  it('breached passwords: sign-up refuses one; a sign-in flags an account whose password was breached since', async () => {
    const user = client();
    const refused = await rejection(user.account.create({ userId: ID.unique(), email: uniqueEmail(), password: BREACHED }));
    expect([refused.code, refused.type]).toEqual([400, 'password_pwned']);
    const later = await signedIn();
    range.breach(PASSWORD);
    try {
      const again = client();
      await again.account.createEmailPasswordSession({ email: later.email, password: PASSWORD });
      expect((await again.account.get()).passwordPwned).toBe(true);
    } finally {
      range.forget(PASSWORD);
    }
  });

  it('block mode: a breached password is 412 at sign-in until recovery by code replaces it', async () => {
    const strict = await startTestServer({ mailer: async (message) => void mails.push(message), password: { bcryptCost: 4, pwned: { checker: range.url, signIn: 'block' } } });
    try {
      const user = cookieClient28(strict.endpoint);
      const email = uniqueEmail();
      await user.account.create({ userId: ID.unique(), email, password: 'soon to be breached' });
      range.breach('soon to be breached');
      const blocked = await rejection(user.account.createEmailPasswordSession({ email, password: 'soon to be breached' }));
      expect([blocked.code, blocked.type]).toEqual([412, 'user_password_reset_required']);
      const token = await user.account.createRecoveryOTP({ email });
      await user.account.updateRecoveryOTP({ userId: token.userId, secret: codeIn(mailTo(email).text), password: 'a fresh passphrase' });
      await user.account.createEmailPasswordSession({ email, password: 'a fresh passphrase' });
      expect((await user.account.get()).passwordPwned).toBe(false);
    } finally {
      await strict.close();
    }
  });

  it('speaks format 2.3.0: no X-Appwrite-Warning, so the SDK logs nothing; a newer SDK would hear one', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const user = await signedIn();
      await user.account.get();
      await user.account.listMFAFactors();
      expect(warn).not.toHaveBeenCalled();
      (user.client.headers as unknown as Record<string, string>)['X-Appwrite-Response-Format'] = '2.4.0';
      await user.account.get();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Warning: The SDK is built for Appwrite response format 2\.4\.0/));
    } finally {
      warn.mockRestore();
    }
  });
});
