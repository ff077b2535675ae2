// Built-in translations: every message in every locale renders whole (no placeholder left, lang
// and dir set, the code findable), every locale has English's keys and variables, values are
// formatted in the message's language, and host overrides fall back per field.
import {
  BUILT_IN_LOCALES,
  MAIL_KINDS,
  Messenger,
  SMS_KINDS,
  availableLocales,
  formatDateTime,
  formatDuration,
  localizeMail,
  localizeSms,
  type MailKind,
  type MessageValues,
} from '../../lib/core/messaging';
import { TRANSLATIONS } from '../../lib/core/messaging/locales';
import { codeIn } from '../helpers/smtp';

const CODE = '482913';
const LINK = 'https://app.example.com/verify?userId=u1&secret=s3cr3t';
const EXPIRE = new Date(Date.UTC(2025, 2, 5, 14, 7, 9));
const values: MessageValues & { project: string } = {
  project: 'Acme',
  user: 'Ada',
  ip: '203.0.113.9',
  link: LINK,
  code: CODE,
  phrase: 'Brave otter',
  validityMs: 15 * 60_000,
  expire: EXPIRE,
  time: EXPIRE,
  device: 'Chrome',
  countryCode: 'de',
};

const CODE_KINDS: readonly MailKind[] = ['emailOtp', 'emailVerificationOtp', 'recoveryOtp', 'mfaChallenge'];
const LINK_KINDS: readonly MailKind[] = ['emailVerification', 'recovery', 'magicUrl'];
const RTL = new Set(['ar', 'he']);

/** Placeholders of a string, each once, sorted. */
const placeholders = (text: string) => [...new Set(text.match(/\{\{[#/]?\w+\}\}/g) ?? [])].sort();

/** Where `candidate` differs from `reference`: missing or extra keys, other placeholders. */
function parityProblems(reference: unknown, candidate: unknown, path = ''): string[] {
  if (typeof reference === 'string') {
    if (typeof candidate !== 'string') return [`${path}: not a string`];
    const [want, got] = [placeholders(reference), placeholders(candidate)];
    return want.join() === got.join() ? [] : [`${path}: ${got.join(' ') || 'no variables'} instead of ${want.join(' ')}`];
  }
  if (typeof candidate !== 'object' || candidate === null) return [`${path}: missing`];
  const [want, got] = [Object.keys(reference as object), Object.keys(candidate)];
  return [
    ...want.filter((key) => !got.includes(key)).map((key) => `${path ? `${path}.` : ''}${key}: missing`),
    ...got.filter((key) => !want.includes(key)).map((key) => `${path ? `${path}.` : ''}${key}: extra`),
    ...want.filter((key) => got.includes(key)).flatMap((key) => parityProblems((reference as never)[key], (candidate as never)[key], path ? `${path}.${key}` : key)),
  ];
}

/** One SMS segment: 160 characters of the GSM 03.38 basic set, else 70 UTF-16 units. */
function fitsOneSegment(message: string): boolean {
  const gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  return [...message].every((c) => gsm.includes(c)) ? message.length <= 160 : message.length <= 70;
}

describe('built-in locales', () => {
  it('are the 20 of issue 20, English first', () => {
    expect(BUILT_IN_LOCALES).toEqual(['en', 'es', 'pt-br', 'fr', 'de', 'it', 'nl', 'pl', 'tr', 'ru', 'uk', 'ja', 'zh-cn', 'zh-tw', 'ko', 'ar', 'he', 'hi', 'id', 'vi']);
  });

  it.each(BUILT_IN_LOCALES.filter((l) => l !== 'en'))('%s has every key of English with the same {{variables}}', (locale) => {
    expect(parityProblems(TRANSLATIONS.en, TRANSLATIONS[locale])).toEqual([]);
    expect(TRANSLATIONS[locale]!.direction).toBe(RTL.has(locale) ? 'rtl' : 'ltr');
  });

  it('the parity check catches a missing key, an extra key and a changed variable', () => {
    const en = TRANSLATIONS.en;
    const broken = {
      ...en,
      extra: 'x',
      common: { ...en.common, greeting: 'Hi {{name}},' },
      recovery: { subject: en.recovery.subject, lead: en.recovery.lead, button: en.recovery.button },
      emailOtp: { ...en.emailOtp, after: 'Soon.' },
    };
    expect(parityProblems(en, broken)).toEqual([
      'extra: extra',
      'common.greeting: {{name}} instead of {{#user}} {{/user}} {{user}}',
      'recovery.after: missing',
      'emailOtp.after: no variables instead of {{validity}}',
    ]);
  });

  describe.each(BUILT_IN_LOCALES)('%s', (locale) => {
    const lang = Intl.getCanonicalLocales(locale)[0]!;

    it.each(MAIL_KINDS)('renders %s whole, with lang, dir and the values in its language', (kind) => {
      const mail = localizeMail(kind, locale, values);
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part).not.toMatch(/\{\{|\}\}/);
        expect(part.trim()).not.toBe('');
      }
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}" dir="${RTL.has(locale) ? 'rtl' : 'ltr'}">`));
      expect(mail.text).toContain('Acme');
      expect(mail.text).toContain('Ada');
      if (CODE_KINDS.includes(kind)) {
        expect(codeIn(mail.text)).toBe(CODE);
        expect(codeIn(mail.html)).toBe(CODE);
      }
      if (LINK_KINDS.includes(kind)) {
        expect(mail.text).toContain(LINK);
        expect(mail.html).toContain(`href="${LINK.replace('&', '&amp;')}"`);
      }
      if (kind === 'sessionAlert') {
        expect(mail.text).toContain(formatDateTime(EXPIRE, locale));
        expect(mail.text).toContain(new Intl.DisplayNames([locale], { type: 'region' }).of('DE'));
        expect(mail.text).toContain('Chrome');
        expect(mail.text).toContain('203.0.113.9');
      } else {
        expect(mail.text).toContain(formatDuration(15 * 60_000, locale));
      }
      if (kind === 'magicUrl' || kind === 'emailOtp') {
        expect(mail.text).toContain('Brave otter');
        expect(mail.html).toContain('<strong>Brave otter</strong>');
        expect(mail.text).toContain('203.0.113.9');
      }
      if (locale !== 'en') expect(mail.text).not.toBe(localizeMail(kind, 'en', values).text);
    });

    it('puts no other 6-digit number in any mail (clients find codes with \\b\\d{6}\\b)', () => {
      for (const kind of MAIL_KINDS) {
        const mail = localizeMail(kind, locale, values);
        expect(`${mail.subject}\n${mail.text}\n${mail.html}`.replaceAll(CODE, '')).not.toMatch(/\b\d{6}\b/);
      }
    });

    it('leaves out the name and the security phrase cleanly when there are none', () => {
      const mail = localizeMail('emailOtp', locale, { ...values, user: '', phrase: undefined });
      expect(mail.text).not.toMatch(/\n{3}/);
      expect(mail.text).not.toContain('Brave otter');
      expect(mail.html).not.toContain('<strong>');
      expect(mail.text.split('\n')[0]).not.toMatch(/[ ,]{2}|^[,،:]/);
    });

    it.each(SMS_KINDS)('texts %s with the code first, in one SMS segment', (kind) => {
      const message = localizeSms(kind, locale, values);
      expect(message.startsWith(CODE)).toBe(true);
      expect(codeIn(message)).toBe(CODE);
      expect(message).not.toMatch(/\{\{/);
      expect(fitsOneSegment(message)).toBe(true);
      if (locale === 'en') expect(message).toBe(CODE);
      else expect(message.length).toBeGreaterThan(CODE.length + 10);
    });
  });
});

describe('values in the message language', () => {
  it('formats lifetimes with Intl units, in the largest whole unit', () => {
    expect(formatDuration(15 * 60_000, 'de')).toBe('15 Minuten');
    expect(formatDuration(3_600_000, 'de')).toBe('1 Stunde');
    expect(formatDuration(7 * 86_400_000, 'de')).toBe('7 Tage');
    expect(formatDuration(3_600_000, 'fr')).toBe('1\u00a0heure'); // French sets a no-break space before the unit
    expect(formatDuration(90_000, 'en')).toBe('90 seconds');
    expect(formatDuration(100_500, 'en')).toBe('2 minutes');
    expect(formatDuration(15 * 60_000, 'ru')).toBe('15 минут');
    expect(formatDuration(3_600_000, 'xx')).toBe('1 hour');
    expect(() => formatDuration(0, 'en')).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN, 'en')).toThrow(RangeError);
  });

  it('formats instants in UTC, saying so', () => {
    expect(formatDateTime(EXPIRE, 'fr')).toBe('5 mars 2025 à 14:07:09 UTC');
    expect(formatDateTime(EXPIRE, 'en')).toBe('March 5, 2025 at 2:07:09 PM UTC');
    expect(formatDateTime(EXPIRE, 'ja')).toBe('2025年3月5日 14:07:09 UTC');
    expect(formatDateTime(EXPIRE, '../x')).toBe('March 5, 2025 at 2:07:09 PM UTC');
  });

  it('names the country and an unknown device in the language of the mail', () => {
    const ja = localizeMail('sessionAlert', 'ja', { ...values, countryCode: 'de' });
    expect(ja.text).toContain('国・地域：ドイツ');
    const fr = localizeMail('sessionAlert', 'fr', { ...values, device: '', countryCode: '--' });
    expect(fr.text).toContain('Appareil : Inconnu');
    expect(fr.text).toContain('Pays : Région inconnue');
    const en = localizeMail('sessionAlert', 'en', { ...values, device: '', countryCode: '--' });
    expect(en.text).toContain('Device: Unknown\nIP address: 203.0.113.9\nCountry: Unknown');
  });

  it('sets Arabic and Hebrew mails right to left, links and codes left to right', () => {
    const ar = localizeMail('magicUrl', 'ar', values);
    expect(ar.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar.html).toContain(`dir="ltr">${LINK.replace('&', '&amp;')}</a>`);
    expect(ar.text).toContain('تنتهي صلاحية الرابط بعد 15 دقيقة.');
    expect(localizeMail('mfaChallenge', 'he', values).html).toContain(`dir="ltr">${CODE}</p>`);
    expect(localizeMail('emailOtp', 'zh-TW', values).html).toContain('<html lang="zh-TW" dir="ltr">');
  });

  it('HTML-escapes values in the HTML part only, in every locale', () => {
    const mail = localizeMail('emailOtp', 'de', { ...values, user: '<b>Ada & "Bob"</b> {{code}}' });
    expect(mail.html).toContain('Hallo &lt;b&gt;Ada &amp; &quot;Bob&quot;&lt;/b&gt; {{code}},');
    expect(mail.text).toContain('Hallo <b>Ada & "Bob"</b> {{code}},');
  });
});

describe('host overrides', () => {
  it('fall back per field to the built-in locale, then the default locale, then English', () => {
    const templates = { fr: { emailOtp: { subject: 'Votre code {{project}}' } }, 'FR-ca': { emailOtp: { html: '<p>{{code}}</p>' } } };
    const fr = localizeMail('emailOtp', 'fr', values, { templates });
    expect(fr.subject).toBe('Votre code Acme');
    expect(fr.text).toContain('Saisissez ce code pour vous connecter à Acme :');
    expect(fr.html).toContain('<html lang="fr"');
    const frCa = localizeMail('emailOtp', 'fr-CA', values, { templates });
    expect(frCa).toEqual({ subject: 'Votre code Acme', text: fr.text, html: `<p>${CODE}</p>` });
    expect(localizeMail('emailOtp', 'de', values, { templates }).subject).toBe('Anmeldecode für Acme');
  });

  it('may add a locale; its missing fields come from the default locale, then English', () => {
    const templates = { sv: { emailOtp: { subject: 'Din kod till {{project}} gäller i {{validity}}' } } };
    const sv = localizeMail('emailOtp', 'sv-SE', values, { templates });
    // Each field's values are formatted in the language of the template it comes from.
    expect(sv.subject).toBe('Din kod till Acme gäller i 15 minuter');
    expect(sv.text).toContain('The code expires in 15 minutes.');
    expect(localizeMail('emailOtp', 'sv', values, { templates, defaultLocale: 'de' }).text).toContain('Der Code ist 15 Minuten gültig.');
    expect(availableLocales(templates)).toEqual([...BUILT_IN_LOCALES, 'sv']);
    const phone = { sv: { phoneOtp: { message: '{{code}} är din kod till {{project}}' } } };
    expect(localizeSms('phoneOtp', 'sv', values, { templates: phone })).toBe(`${CODE} är din kod till Acme`);
    expect(localizeSms('phoneVerification', 'sv', values, { templates: phone, defaultLocale: 'fr' })).toMatch(/^482913 est votre code/);
  });

  it('an English override does not shadow a built-in translation', () => {
    const templates = { en: { recovery: { subject: 'Reset your {{project}} password' } } };
    expect(localizeMail('recovery', 'es', values, { templates }).subject).toBe('Restablecimiento de tu contraseña de Acme');
    expect(localizeMail('recovery', 'en', values, { templates }).subject).toBe('Reset your Acme password');
    expect(localizeSms('phoneOtp', 'nl', values, { templates: { nl: { phoneOtp: { message: 'Code: {{code}}' } } } })).toBe(`Code: ${CODE}`);
  });
});

describe('Messenger', () => {
  it('renders `values` in the request locale, then the default locale', async () => {
    const sent: { subject: string; text: string }[] = [];
    const messenger = new Messenger({ projectName: 'Acme', mailer: { send: async (m) => void sent.push(m) }, sms: null, templates: {}, logger: console, defaultLocale: 'es' });
    await messenger.sendMail('recovery', { to: 'a@example.com', locale: 'de', values: { user: 'Ada', ip: '203.0.113.9', link: LINK, validityMs: 3_600_000 } });
    await messenger.sendMail('recovery', { to: 'a@example.com', locale: 'sv', values: { user: 'Ada', ip: '203.0.113.9', link: LINK, validityMs: 3_600_000 } });
    expect(sent.map((m) => m.subject)).toEqual(['Passwort zurücksetzen für Acme', 'Restablecimiento de tu contraseña de Acme']);
    expect(sent[0]!.text).toContain('Der Link ist 1 Stunde gültig.');
  });
});
