// Messages and country names in the caller's language, driven by the official web SDKs (16.x, and
// 28.x, the newest) after `client.setLocale()`: mail over real SMTP (createSmtpMailer →
// smtp-server), SMS through the webhook provider, sessions from a forwarded address behind a
// proxy on loopback that the router is told to trust. The mails received for one language per
// script family are kept in test/sdk/artifacts/locale-mails.txt.
import fs from 'node:fs';
import path from 'node:path';
import { ID } from 'appwrite';
import { Account as Account28, Client as Client28 } from 'appwrite28';
import { cookieClient, uniqueEmail, type SdkUser } from '../helpers/sdk';
import { startDeliveringTestServer, type DeliveringTestServer } from '../helpers/test-instance';
import { codeIn, linkIn, type ReceivedMail, type TestSmsServer, type TestSmtpServer } from '../helpers/smtp';

const ARTIFACTS = path.join(__dirname, 'artifacts');
const PASSWORD = 'correct horse battery';

let smtp: TestSmtpServer;
let sms: TestSmsServer;
let server: DeliveringTestServer;
beforeAll(async () => {
  server = await startDeliveringTestServer({ trustProxy: 'loopback' });
  ({ smtp, sms } = server);
});
afterAll(() => server.close());

/** A web-SDK client in `locale` that signs up and in (from `forwardedFor`, when given, through the trusted proxy). */
async function signedUpIn(locale: string | null, name: string, forwardedFor?: string): Promise<SdkUser & { email: string }> {
  const user = cookieClient(server.endpoint);
  if (locale) user.client.setLocale(locale);
  if (forwardedFor) (user.client.headers as Record<string, string>)['X-Forwarded-For'] = forwardedFor;
  const email = uniqueEmail();
  await user.account.create(ID.unique(), email, PASSWORD, name);
  await user.account.createEmailPasswordSession(email, PASSWORD);
  return { ...user, email };
}

/** The verification mail `user` asks for, as received over SMTP. */
async function verificationMail(user: SdkUser & { email: string }): Promise<ReceivedMail> {
  await user.account.createVerification('http://localhost:5173/verify');
  return smtp.waitForMail(user.email);
}

describe('account.createVerification after client.setLocale()', () => {
  it('de: a German verification mail over SMTP, its lifetime in German, its link working', async () => {
    const user = await signedUpIn('de', 'Ada Lovelace');
    const mail = await verificationMail(user);
    expect(mail.subject).toBe('Kontobestätigung für Example');
    expect(mail.text).toMatch(/^Hallo Ada Lovelace,\n\nBestätigen Sie Ihre E-Mail-Adresse über diesen Link:\nhttp:\/\/localhost:5173\/verify\?/);
    expect(mail.text).toContain('Der Link ist 7 Tage gültig.');
    expect(mail.html).toMatch(/^<!doctype html>\n<html lang="de" dir="ltr">/);
    const link = linkIn(mail.text);
    await user.account.updateVerification(link.searchParams.get('userId')!, link.searchParams.get('secret')!);
    expect((await user.account.get()).emailVerification).toBe(true);
  });

  it('without setLocale: English, as the SDK in Node sends Accept-Language: *', async () => {
    const mail = await verificationMail(await signedUpIn(null, 'Ada'));
    expect(mail.subject).toBe('Account Verification for Example');
    expect(mail.text).toContain('7 days');
  });

  // One language per script family, in the script's own letters; `dir` and `lang` on the HTML.
  const FAMILIES = [
    { family: 'Latin', locale: 'fr', script: /\p{Script=Latin}/u, name: 'Amélie', lifetime: '7\u00a0jours', dir: 'ltr' },
    { family: 'Cyrillic', locale: 'ru', script: /\p{Script=Cyrillic}/u, name: 'Анна', lifetime: '7 дней', dir: 'ltr' },
    { family: 'CJK', locale: 'ja', script: /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}/u, name: '花子', lifetime: '7 日', dir: 'ltr' },
    { family: 'Arabic', locale: 'ar', script: /\p{Script=Arabic}/u, name: 'ليلى', lifetime: '7 أيام', dir: 'rtl' },
    { family: 'Devanagari', locale: 'hi', script: /\p{Script=Devanagari}/u, name: 'प्रिया', lifetime: '7 दिन', dir: 'ltr' },
  ] as const;

  it('one language per script family: Latin, Cyrillic, CJK, Arabic (right to left), Devanagari', async () => {
    const received: string[] = [];
    for (const { family, locale, script, name, lifetime, dir } of FAMILIES) {
      const mail = await verificationMail(await signedUpIn(locale, name));
      expect([locale, script.test(mail.subject), mail.text.includes(name), mail.text.includes(lifetime)]).toEqual([locale, true, true, true]);
      expect(mail.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${locale}" dir="${dir}">`));
      expect(linkIn(mail.text).searchParams.get('secret')).toMatch(/^[0-9a-f]{256}$/);
      received.push(`── ${family} (${locale}) ──\nSubject: ${mail.subject}\n\n${mail.text.trimEnd()}\n`);
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'locale-mails.txt'), received.join('\n'));
  });
});

describe('appwrite@28: account.createEmailToken after client.setLocale("ar")', () => {
  it('an Arabic sign-in code mail, right to left, whose code signs in', async () => {
    const client = new Client28().setEndpoint(server.endpoint).setProject('default').setLocale('ar');
    const account = new Account28(client);
    const email = uniqueEmail();
    const token = await account.createEmailToken({ userId: ID.unique(), email });
    const mail = await smtp.waitForMail(email);
    expect(mail.html).toMatch(/^<!doctype html>\n<html lang="ar" dir="rtl">/);
    expect(mail.subject).toMatch(/\p{Script=Arabic}/u);
    expect(mail.text).toContain('15 دقيقة');
    const session = await account.createSession({ userId: token.userId, secret: codeIn(mail.text) });
    expect(session).toMatchObject({ userId: token.userId, provider: 'token', factors: ['email'] });
  });
});

describe('account.createPhoneToken after client.setLocale()', () => {
  let phones = 0;
  it.each([
    ['ja', /^\d{6} はログイン用の確認コードです。/],
    ['hi', /^\d{6} आपका साइन-इन कोड है।/],
    ['en', /^\d{6}$/],
  ])('%s: the SMS starts with the code, which signs in', async (locale, shape) => {
    const { client, account } = cookieClient(server.endpoint);
    client.setLocale(locale);
    const phone = `+1415${String(Date.now() % 1_000_000).padStart(6, '0')}${phones++ % 10}`;
    const token = await account.createPhoneToken(ID.unique(), phone);
    const { message } = await sms.waitForSms(phone);
    expect(message).toMatch(shape);
    expect(await account.updatePhoneSession(token.userId, codeIn(message))).toMatchObject({ userId: token.userId, provider: 'phone' });
  });
});

describe('countryName after client.setLocale()', () => {
  // 2003::/19 is Deutsche Telekom's: the bundled data places it in Germany.
  it('account.listSessions and account.listLogs name the country in the locale; English by default', async () => {
    const user = await signedUpIn(null, 'Ada', '2003::1');
    const countries = async () => ({
      sessions: (await user.account.listSessions()).sessions.map((s) => [s.countryCode, s.countryName]),
      logs: [...new Set((await user.account.listLogs()).logs.map((l) => `${l.countryCode} ${l.countryName}`))],
    });
    expect(await countries()).toEqual({ sessions: [['de', 'Germany']], logs: ['de Germany'] });
    user.client.setLocale('fr');
    expect(await countries()).toEqual({ sessions: [['de', 'Allemagne']], logs: ['de Allemagne'] });
    user.client.setLocale('ja');
    expect(await countries()).toEqual({ sessions: [['de', 'ドイツ']], logs: ['de ドイツ'] });
    user.client.setLocale('ar');
    expect((await user.account.getSession('current')).countryName).toBe('ألمانيا');
  });
});
