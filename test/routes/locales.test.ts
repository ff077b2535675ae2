// The request's locale, resolved once by the router: which language a route's messages use (the
// `locale` parameter, X-Appwrite-Locale, Accept-Language, `defaultLocale`) and which language
// the country names of sessions and logs use (Appwrite's sources only).
import request from 'supertest';
import type { AccountRouterOptions } from '../../lib';
import { codeIn } from '../helpers/smtp';
import { PASSWORD, cookieOf, signUp, testInstance, type TestInstance } from '../helpers/test-instance';

// 2003::/19 is Deutsche Telekom's: the bundled data places it in Germany.
const GERMANY = { 'X-Forwarded-For': '2003::1' };

let instance: TestInstance;
function setUp(options: AccountRouterOptions = {}): TestInstance {
  return (instance = testInstance(options));
}
afterEach(() => instance.close());

/** A sign-in code requested with these headers and body extras: the mail it sends. */
async function emailCode(headers: Record<string, string> = {}, extra: Record<string, unknown> = {}, query = '') {
  const res = await request(instance.app).post(`/v1/account/tokens/email${query}`).set(headers).send({ userId: 'unique()', email: 'ada@example.com', ...extra });
  expect(res.status).toBe(201);
  return instance.mails[instance.mails.length - 1]!;
}

describe("messages: the request's locale", () => {
  it('follows Accept-Language when neither the locale parameter nor X-Appwrite-Locale is sent', async () => {
    setUp();
    const mail = await emailCode({ 'Accept-Language': 'fr-CH,fr;q=0.9' });
    expect(mail.subject).toBe('Code de connexion à account-router');
    expect(mail.text).toContain('Le code expire dans 15 minutes.');
    expect(mail.html).toMatch(/^<!doctype html>\n<html lang="fr" dir="ltr">/);
    expect((await emailCode({ 'Accept-Language': 'sv;q=0.9, it;q=0.8' })).subject).toBe('Codice di accesso al tuo account account-router');
  });

  it('takes the locale parameter (body or query) before X-Appwrite-Locale, and X-Appwrite-Locale before Accept-Language', async () => {
    setUp();
    const both = { 'X-Appwrite-Locale': 'de', 'Accept-Language': 'fr' };
    expect((await emailCode(both)).subject).toBe('Anmeldecode für account-router');
    expect((await emailCode(both, { locale: 'it' })).subject).toBe('Codice di accesso al tuo account account-router');
    expect((await emailCode(both, {}, '?locale=es')).subject).toBe('Código para iniciar sesión en account-router');
  });

  it('reads codes case-insensitively and regional codes as their language', async () => {
    setUp();
    expect((await emailCode({ 'X-Appwrite-Locale': 'pt-BR' })).subject).toBe('Código de acesso à sua conta account-router');
    expect((await emailCode({ 'X-Appwrite-Locale': 'FR_ca' })).subject).toBe('Code de connexion à account-router');
  });

  it('gives defaultLocale (English unless set) for a locale that matches nothing, without falling through to Accept-Language', async () => {
    setUp();
    expect((await emailCode({ 'X-Appwrite-Locale': 'xx', 'Accept-Language': 'fr' })).subject).toBe('OTP for account-router Login');
    expect((await emailCode({ 'Accept-Language': 'fr' }, { locale: ['fr'] })).subject).toBe('OTP for account-router Login');
    await instance.close();
    setUp({ defaultLocale: 'de' });
    expect((await emailCode({ 'X-Appwrite-Locale': 'tlh' })).subject).toBe('Anmeldecode für account-router');
  });

  it('uses defaultLocale when the request sends nothing; a request that names a locale still gets its own', async () => {
    setUp({ defaultLocale: 'fr' });
    const mail = await emailCode();
    expect(mail.subject).toBe('Code de connexion à account-router');
    expect(mail.text).toContain('15 minutes');
    expect((await emailCode({ 'Accept-Language': '*' })).subject).toBe('Code de connexion à account-router');
    expect((await emailCode({ 'Accept-Language': 'ja' })).subject).toBe('account-router ログイン用コード');
  });

  it('resolves to a locale the templates option adds; its missing fields come from defaultLocale, then English', async () => {
    setUp({ defaultLocale: 'de', templates: { sv: { emailOtp: { subject: 'Din inloggningskod till {{project}}' } } } });
    const mail = await emailCode({ 'Accept-Language': 'sv-SE, en;q=0.5' });
    expect(mail.subject).toBe('Din inloggningskod till account-router');
    expect(mail.text).toContain('Der Code ist 15 Minuten gültig.');
  });

  it('texts a phone code in the locale: the code first, where clients find it, then the sentence', async () => {
    setUp();
    const res = await request(instance.app).post('/v1/account/tokens/phone').set('X-Appwrite-Locale', 'ru').send({ userId: 'unique()', phone: '+14155550100' });
    expect(res.status).toBe(201);
    const { message } = instance.texts[0]!;
    expect(message).toMatch(/^\d{6} — ваш код для входа\. /);
    const session = await request(instance.app).post('/v1/account/sessions/token').send({ userId: res.body.userId, secret: codeIn(message) });
    expect(session.status).toBe(201);
  });

  it('mails a right-to-left language with dir="rtl" and its lang', async () => {
    setUp();
    for (const locale of ['ar', 'he']) {
      const mail = await emailCode({ 'X-Appwrite-Locale': locale });
      expect(mail.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${locale}" dir="rtl">`));
      expect(mail.html).toMatch(/<p style="[^"]*" dir="ltr">\d{6}<\/p>/);
    }
  });
});

describe('models: countryName', () => {
  /** A user signed up and in from a German address, through a proxy on loopback the router trusts. */
  async function signedInFromGermany(headers: Record<string, string> = {}) {
    await request(instance.app).post('/v1/account').set(GERMANY).send({ userId: 'unique()', email: 'ada@example.com', password: PASSWORD }).expect(201);
    const res = await request(instance.app).post('/v1/account/sessions/email').set({ ...GERMANY, ...headers }).send({ email: 'ada@example.com', password: PASSWORD });
    expect([res.status, res.body.countryCode]).toEqual([201, 'de']);
    return { session: res.body as { countryName: string }, cookie: cookieOf(res) };
  }
  const sessions = (cookie: string, headers: Record<string, string> = {}, query = '') =>
    request(instance.app).get(`/v1/account/sessions${query}`).set('Cookie', cookie).set(headers).then((res) => res.body.sessions.map((s: { countryName: string }) => s.countryName));
  const logCountries = (cookie: string, headers: Record<string, string> = {}) =>
    request(instance.app).get('/v1/account/logs').set('Cookie', cookie).set(headers).then((res) => [...new Set(res.body.logs.map((l: { countryName: string }) => l.countryName))]);

  it('follows X-Appwrite-Locale, then the locale parameter, as Appwrite; English by default', async () => {
    setUp({ trustProxy: 'loopback' });
    const { session, cookie } = await signedInFromGermany({ 'X-Appwrite-Locale': 'ja' });
    expect(session.countryName).toBe('ドイツ');
    expect(await sessions(cookie)).toEqual(['Germany']);
    expect(await sessions(cookie, { 'X-Appwrite-Locale': 'fr' })).toEqual(['Allemagne']);
    expect(await sessions(cookie, { 'X-Appwrite-Locale': 'fr' }, '?locale=de')).toEqual(['Deutschland']);
    expect(await logCountries(cookie, { 'X-Appwrite-Locale': 'zh-TW' })).toEqual(['德國']);
    expect(await logCountries(cookie)).toEqual(['Germany']);
  });

  it('names countries in any language CLDR knows, not only the message locales; an unusable code gives defaultLocale', async () => {
    setUp({ trustProxy: 'loopback' });
    const { cookie } = await signedInFromGermany();
    expect(await sessions(cookie, { 'X-Appwrite-Locale': 'sv' })).toEqual(['Tyskland']);
    expect(await sessions(cookie, { 'X-Appwrite-Locale': 'xx' })).toEqual(['Germany']);
  });

  it('does not follow Accept-Language, as Appwrite: the app chooses the language of its data', async () => {
    setUp({ trustProxy: 'loopback' });
    const { cookie } = await signedInFromGermany();
    expect(await sessions(cookie, { 'Accept-Language': 'fr-CH,fr;q=0.9' })).toEqual(['Germany']);
    expect(await logCountries(cookie, { 'Accept-Language': 'fr' })).toEqual(['Germany']);
  });

  it('follows defaultLocale when the request sends no locale, as Appwrite follows _APP_LOCALE; the unknown region too', async () => {
    setUp({ trustProxy: 'loopback', defaultLocale: 'fr' });
    const { cookie } = await signedInFromGermany();
    expect(await sessions(cookie)).toEqual(['Allemagne']);
    expect(await sessions(cookie, { 'X-Appwrite-Locale': 'en' })).toEqual(['Germany']);
    // Without the forwarded address the session is from loopback: no country.
    const local = await request(instance.app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD });
    expect([local.body.countryCode, local.body.countryName]).toEqual(['--', 'Région inconnue']);
  });

  it('trusts the forwarded address only when a proxy is configured', async () => {
    setUp();
    await signUp(instance.app);
    const res = await request(instance.app).post('/v1/account/sessions/email').set(GERMANY).set('X-Appwrite-Locale', 'de').send({ email: 'ada@example.com', password: PASSWORD });
    expect([res.body.countryCode, res.body.countryName]).toEqual(['--', 'Unbekannte Region']);
  });
});

describe('the session alert', () => {
  it('is mailed in the locale of the request that signed in, the country named in it', async () => {
    setUp({ trustProxy: 'loopback', sessionAlerts: true });
    await signUp(instance.app);
    await request(instance.app).post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD });
    await request(instance.app).post('/v1/account/sessions/email').set({ ...GERMANY, 'X-Appwrite-Locale': 'de' }).send({ email: 'ada@example.com', password: PASSWORD });
    for (let i = 0; i < 100 && instance.mails.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const [alert] = instance.mails;
    expect(alert!.subject).toBe('Sicherheitshinweis: neue Anmeldung bei Ihrem Konto für account-router');
    expect(alert!.text).toContain('Land: Deutschland');
    expect(alert!.text).toContain('IP-Adresse: 2003::1');
  });
});
