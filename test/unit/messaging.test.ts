// Messaging: templates (placeholders, escaping, locales, overrides), the Messenger's error
// mapping, and the built-in providers against real local endpoints.
import { AccountError } from '../../lib';
import {
  createSmtpMailer,
  createTwilioSms,
  createWebhookSms,
  fill,
  formatDuration,
  BUILT_IN_LOCALES,
  localeFallbacks,
  localizeMail,
  localizeSms,
  Messenger,
  type MailKind,
  type MessageTemplates,
  type MessageValues,
  type MessengerConfig,
  type SmsKind,
} from '../../lib/core/messaging';
import { resolveOptions } from '../../lib/options';
import request from 'supertest';
import { configFromEnv, createExampleApp, startupSummary } from '../../example-app/app';
import { codeIn, linkIn, startSmsServer, startSmtpServer } from '../helpers/smtp';

const quiet = { error: () => undefined, warn: () => undefined };

/** A message of project Acme, as the Messenger renders it from raw values. */
const mail = (kind: MailKind, locale: string | undefined, values: Partial<MessageValues>, templates: MessageTemplates = {}) =>
  localizeMail(kind, locale, { project: 'Acme', user: '', ip: '', ...values }, { templates });
const sms = (kind: SmsKind, locale: string | undefined, values: Partial<MessageValues>, templates: MessageTemplates = {}) =>
  localizeSms(kind, locale, { project: 'Acme', user: '', ip: '', ...values }, { templates });

describe('templates', () => {
  it('renders the Appendix B subjects for each kind in English', () => {
    const values = { code: '012345', link: 'http://localhost/x?secret=abc', validityMs: 3_600_000 };
    expect(mail('emailVerification', undefined, values).subject).toBe('Account Verification for Acme');
    expect(mail('recovery', undefined, values).subject).toBe('Password Reset for Acme');
    expect(mail('magicUrl', undefined, values).subject).toBe('Acme Login');
    expect(mail('emailOtp', undefined, values).subject).toBe('OTP for Acme Login');
    expect(mail('mfaChallenge', undefined, values).subject).toBe('Verification Code for Acme');
    expect(sms('phoneOtp', undefined, values)).toBe('012345');
    expect(sms('phoneVerification', undefined, values)).toBe('012345');
  });

  it('puts the link or the code in both the text and the HTML part, and nothing else that looks like a code', () => {
    const link = 'http://localhost/verify?userId=u1&secret=abc';
    const verification = mail('emailVerification', 'en', { link, validityMs: 7 * 86_400_000 });
    expect(verification.text).toContain(link);
    expect(verification.text).toContain('expires in 7 days');
    expect(verification.html).toContain('href="http://localhost/verify?userId=u1&amp;secret=abc"');
    const otp = mail('emailOtp', 'en', { code: '004211', ip: '203.0.113.9', validityMs: 15 * 60_000 });
    expect(codeIn(otp.text)).toBe('004211');
    expect(codeIn(otp.html)).toBe('004211');
    expect(otp.text).toContain('expires in 15 minutes');
  });

  it('HTML-escapes values in the HTML part only, and never re-reads inserted values', () => {
    const otp = mail('emailOtp', 'en', { user: '<b>Ada & "Bob"</b> {{code}}', code: '123456', validityMs: 3_600_000 });
    expect(otp.html).toContain('Hello &lt;b&gt;Ada &amp; &quot;Bob&quot;&lt;/b&gt; {{code}},');
    expect(otp.html).not.toContain('<b>Ada');
    expect(otp.text).toContain('Hello <b>Ada & "Bob"</b> {{code}},');
  });

  it('keeps {{#name}} sections only when the value is set (the security phrase)', () => {
    const withPhrase = mail('magicUrl', 'en', { link: 'http://localhost/', phrase: 'Brave otter' });
    expect(withPhrase.text).toContain('Security phrase: Brave otter');
    expect(withPhrase.html).toContain('<strong>Brave otter</strong>');
    const without = mail('magicUrl', 'en', { link: 'http://localhost/' });
    expect(without.text).not.toContain('Security phrase');
    expect(without.text).toMatch(/^Hello,/);
    expect(fill('a{{#phrase}}[{{phrase}}]{{/phrase}}b', { phrase: 'y' })).toBe('a[y]b');
    expect(fill('a{{#phrase}}[{{phrase}}]{{/phrase}}b', {})).toBe('ab');
  });

  it('keeps subjects on one line whatever the template and values hold', () => {
    const recovery = mail('recovery', 'en', { user: 'Ada\r\nBcc: evil@example.com' }, { en: { recovery: { subject: 'Reset {{user}}' } } });
    expect(recovery.subject).toBe('Reset Ada Bcc: evil@example.com');
  });

  it('chooses the locale from X-Appwrite-Locale, falling back per field to the language and to English', () => {
    expect(localeFallbacks('pt-BR', ['en', 'pt', 'pt-br'])).toEqual(['pt-br', 'pt', 'en']);
    expect(localeFallbacks('fr_CA', ['en', 'fr', 'fr-ca'])).toEqual(['fr-ca', 'fr', 'en']);
    expect(localeFallbacks(undefined, ['en', 'fr'])).toEqual(['en']);
    expect(localeFallbacks('../../etc', ['en', 'fr'])).toEqual(['en']);
    const templates = {
      fr: { recovery: { subject: 'Réinitialisation du mot de passe pour {{project}}' }, phoneOtp: { message: 'Votre code : {{code}}' } },
      en: { emailOtp: { subject: 'Your {{project}} code' } },
    };
    const french = mail('recovery', 'fr-CA', { link: 'http://localhost/' }, templates);
    expect(french.subject).toBe('Réinitialisation du mot de passe pour Acme');
    expect(french.text).toContain('Suivez ce lien pour réinitialiser votre mot de passe Acme');
    expect(mail('recovery', 'de', {}, templates).subject).toBe('Passwort zurücksetzen für Acme');
    expect(mail('emailOtp', 'fr', {}, templates).subject).toBe('Code de connexion à Acme');
    expect(mail('emailOtp', 'sv', {}, templates).subject).toBe('Your Acme code');
    expect(sms('phoneOtp', 'fr', { code: '123456' }, templates)).toBe('Votre code : 123456');
    expect(sms('phoneOtp', 'en', { code: '123456' }, templates)).toBe('123456');
  });

  it('describes lifetimes in words', () => {
    expect([15 * 60_000, 3_600_000, 7 * 86_400_000, 90_000].map((ms) => formatDuration(ms, 'en'))).toEqual([
      '15 minutes',
      '1 hour',
      '7 days',
      '90 seconds',
    ]);
  });
});

describe('Messenger', () => {
  const base: MessengerConfig = { projectName: 'Acme', mailer: null, sms: null, templates: {}, logger: quiet };

  it('answers 503 general_smtp_disabled / general_phone_disabled without a provider', async () => {
    const messenger = new Messenger(base);
    expect(messenger.canMail).toBe(false);
    await expect(messenger.sendMail('recovery', { to: 'a@example.com', locale: undefined, values: { user: '', ip: '' } })).rejects.toMatchObject({ code: 503, type: 'general_smtp_disabled' });
    await expect(messenger.sendSms('phoneOtp', { to: '+14155550100', locale: undefined, values: { user: '', ip: '' } })).rejects.toMatchObject({ code: 503, type: 'general_phone_disabled' });
  });

  it('turns a provider failure into 500 general_server_error and logs it without the message', async () => {
    const logged: unknown[] = [];
    const messenger = new Messenger({
      ...base,
      logger: { error: (...args: unknown[]) => logged.push(args), warn: () => undefined },
      mailer: { send: async () => Promise.reject(new Error('connection refused')) },
    });
    const error = await messenger.sendMail('emailOtp', { to: 'a@example.com', locale: undefined, values: { user: '', ip: '', code: '987654' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountError);
    expect(error).toMatchObject({ code: 500, type: 'general_server_error', message: 'The email could not be delivered. Please try again later.' });
    expect(JSON.stringify(logged)).toContain('connection refused');
    expect(JSON.stringify(logged)).not.toContain('987654');
  });

  it('resolves a request\'s locale among the built-in locales and those the templates add, else the default', () => {
    const messenger = new Messenger({ ...base, templates: { sv: { phoneOtp: { message: '{{code}} är din kod' } } }, defaultLocale: 'de' });
    expect(messenger.localeOf({ header: 'sv-SE' })).toBe('sv');
    expect(messenger.localeOf({ acceptLanguage: 'fr-CH,fr;q=0.9' })).toBe('fr');
    expect(messenger.localeOf({ header: 'xx' })).toBe('de');
    expect(new Messenger(base).localeOf({ header: 'sv' })).toBe('en');
  });

  it('passes the project name, recipient and name to the mailer', async () => {
    const sent: unknown[] = [];
    const messenger = new Messenger({ ...base, mailer: { send: async (m) => void sent.push(m) } });
    await messenger.sendMail('recovery', { to: 'a@example.com', toName: 'Ada', locale: undefined, values: { user: 'Ada', ip: '', link: 'http://localhost/' } });
    expect(sent).toEqual([expect.objectContaining({ to: 'a@example.com', toName: 'Ada', subject: 'Password Reset for Acme' })]);
  });
});

describe('options', () => {
  it('accepts a mailer object or a bare send function, and names a bad one', () => {
    const send = async () => undefined;
    expect(resolveOptions({ mailer: send }).mailer).toEqual({ send });
    expect(resolveOptions({ sms: { send } }).sms).toEqual({ send });
    expect(resolveOptions({}).mailer).toBeNull();
    expect(() => resolveOptions({ mailer: 'smtp://x' as never })).toThrow(/option `mailer`/);
    expect(() => resolveOptions({ sms: {} as never })).toThrow(/option `sms`/);
  });

  it('validates the verification lifetime, the default magic URL and the templates', () => {
    expect(resolveOptions({}).verification.emailLinkSeconds).toBe(604800);
    expect(resolveOptions({}).recovery.revealUnknownEmail).toBe(true);
    expect(() => resolveOptions({ verification: { emailLinkSeconds: 10 } })).toThrow(/verification.emailLinkSeconds/);
    expect(() => resolveOptions({ defaultMagicUrl: 'javascript:alert(1)' })).toThrow(/defaultMagicUrl/);
    expect(() => resolveOptions({ templates: [] as never })).toThrow(/templates/);
  });

  it('takes defaultLocale among the available locales, case-insensitively, and names a code that is not one', () => {
    expect(resolveOptions({}).defaultLocale).toBe('en');
    expect(resolveOptions({ defaultLocale: 'pt-BR' }).defaultLocale).toBe('pt-br');
    expect(resolveOptions({ defaultLocale: 'sv', templates: { SV: { phoneOtp: { message: '{{code}}' } } } }).defaultLocale).toBe('sv');
    for (const bad of ['sv', 'fr-CH', 'xx', '', 42]) {
      expect(() => resolveOptions({ defaultLocale: bad as never })).toThrow(new TypeError(`createAccountRouter: option \`defaultLocale\` must be one of the available locales (${BUILT_IN_LOCALES.join(', ')}).`));
    }
  });
});

describe('createSmtpMailer', () => {
  it('delivers text and HTML to a real SMTP server, with the display name encoded', async () => {
    const smtp = await startSmtpServer();
    const mailer = createSmtpMailer({ url: smtp.url, from: '"Acme" <no-reply@acme.test>' });
    try {
      await mailer.send({ to: 'ada@example.com', toName: 'Ada "The Countess" Lovelace', subject: 'Password Reset for Acme', text: 'Open http://localhost/r?secret=1', html: '<p>hi</p>' });
      const mail = await smtp.waitForMail('ada@example.com');
      expect(mail).toMatchObject({ to: ['ada@example.com'], toName: 'Ada "The Countess" Lovelace', from: '"Acme" <no-reply@acme.test>', subject: 'Password Reset for Acme', html: '<p>hi</p>' });
      expect(linkIn(mail.text).searchParams.get('secret')).toBe('1');
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('rejects when the server cannot be reached', async () => {
    const smtp = await startSmtpServer();
    const url = smtp.url;
    await smtp.close();
    const mailer = createSmtpMailer({ url, from: 'no-reply@acme.test' });
    await expect(mailer.send({ to: 'a@example.com', subject: 's', text: 't', html: 'h' })).rejects.toThrow();
  });

  it('names a bad option', () => {
    expect(() => createSmtpMailer({ url: 'http://x', from: 'a@b.c' })).toThrow(/`url`/);
    expect(() => createSmtpMailer({ url: 'smtp://x', from: 'nobody' })).toThrow(/`from`/);
  });
});

describe('createWebhookSms and createTwilioSms', () => {
  it('createWebhookSms POSTs {"to","message"} as JSON with the configured headers', async () => {
    const gateway = await startSmsServer();
    try {
      const sms = createWebhookSms({ url: `${gateway.url}/sms`, headers: { authorization: 'Bearer t0k' } });
      await sms.send({ to: '+14155550100', message: '123456' });
      const received = await gateway.waitForSms('+14155550100');
      expect(received).toMatchObject({ path: '/sms', body: { to: '+14155550100', message: '123456' } });
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers.authorization).toBe('Bearer t0k');
      gateway.failWith(502);
      await expect(sms.send({ to: '+14155550100', message: '1' })).rejects.toThrow('SMS webhook answered HTTP 502');
    } finally {
      await gateway.close();
    }
  });

  it('createTwilioSms posts form-encoded To/From/Body to the Messages API with basic auth', async () => {
    const gateway = await startSmsServer();
    try {
      const sms = createTwilioSms({ accountSid: 'AC123', authToken: 'secret-token', from: '+15005550006', baseUrl: gateway.url });
      await sms.send({ to: '+14155550100', message: '654321' });
      const received = await gateway.waitForSms('+14155550100');
      expect(received.path).toBe('/2010-04-01/Accounts/AC123/Messages.json');
      expect(received.body).toEqual({ To: '+14155550100', From: '+15005550006', Body: '654321' });
      expect(received.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(received.headers.authorization).toBe(`Basic ${Buffer.from('AC123:secret-token').toString('base64')}`);
      gateway.failWith(400);
      await expect(sms.send({ to: '+1', message: '1' })).rejects.toThrow('Twilio answered HTTP 400 (error 21211)');
    } finally {
      await gateway.close();
    }
    expect(() => createTwilioSms({ accountSid: '', authToken: 'x', from: '+1' })).toThrow(/`accountSid`/);
  });
});

describe('the example app', () => {
  it('prints mails and SMS to its log in development mode (the start-up summary says so)', async () => {
    const lines: string[] = [];
    const config = configFromEnv({ ACCOUNT_DATABASE: ':memory:' });
    expect(config).toMatchObject({ smtpUrl: undefined, mailFrom: 'no-reply@localhost', smsWebhookUrl: undefined });
    expect(startupSummary(config)).toEqual(expect.arrayContaining([expect.stringMatching(/^mail: development mode/), expect.stringMatching(/^SMS: development mode/)]));
    const { app, accounts } = createExampleApp(config, (line) => lines.push(line));
    expect((await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'dev@example.com' })).status).toBe(201);
    expect(lines[0]).toMatch(/^\[mail\] to dev@example.com · OTP for account-router Login\n/);
    expect(codeIn(lines[0]!)).toMatch(/^\d{6}$/);
    expect((await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone: '+14155550100' })).status).toBe(201);
    expect(lines[1]).toMatch(/^\[sms\] to \+14155550100: \d{6}$/);
    await accounts.close();
  });

  it('delivers over SMTP and the SMS webhook when ACCOUNT_SMTP_URL and ACCOUNT_SMS_WEBHOOK_URL are set', async () => {
    const [smtp, gateway] = await Promise.all([startSmtpServer(), startSmsServer()]);
    const lines: string[] = [];
    const config = configFromEnv({ ACCOUNT_DATABASE: ':memory:', ACCOUNT_SMTP_URL: smtp.url, ACCOUNT_MAIL_FROM: 'accounts@example.com', ACCOUNT_SMS_WEBHOOK_URL: `${gateway.url}/hook` });
    const { app, accounts } = createExampleApp(config, (line) => lines.push(line));
    try {
      expect(lines).toEqual([]);
      await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'prod@example.com' });
      expect((await smtp.waitForMail('prod@example.com')).from).toBe('accounts@example.com');
      await request(app).post('/v1/account/tokens/phone').send({ userId: 'unique()', phone: '+14155550100' });
      expect((await gateway.waitForSms('+14155550100')).path).toBe('/hook');
    } finally {
      await accounts.close();
      await Promise.all([smtp.close(), gateway.close()]);
    }
  });
});
