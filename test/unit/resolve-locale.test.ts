// Which locale a request's messages use: Appwrite's `locale` parameter and X-Appwrite-Locale
// first, Accept-Language only when neither is sent, matching by language and script.
import { acceptedRanges, localeFallbacks, localeResolver, modelLocaleResolver, normalizeLocale, type LocaleSettings, type LocaleSources } from '../../lib/core/messaging/locale';

const BUILT_IN = ['en', 'es', 'pt-br', 'fr', 'de', 'it', 'nl', 'pl', 'tr', 'ru', 'uk', 'ja', 'zh-cn', 'zh-tw', 'ko', 'ar', 'he', 'hi', 'id', 'vi'];
const settings = { available: BUILT_IN };
/** The locale a resolver built for `resolverSettings` gives one request. */
const resolveLocale = (sources: LocaleSources, resolverSettings: LocaleSettings) => localeResolver(resolverSettings)(sources);

describe('localeResolver', () => {
  it('takes the locale parameter before X-Appwrite-Locale, as Appwrite', () => {
    expect(resolveLocale({ param: 'de', header: 'fr' }, settings)).toBe('de');
    expect(resolveLocale({ header: 'fr' }, settings)).toBe('fr');
    expect(resolveLocale({ param: '', header: 'fr' }, settings)).toBe('fr');
    expect(resolveLocale({}, settings)).toBe('en');
  });

  it('reads codes case-insensitively, with _ as -', () => {
    expect(resolveLocale({ header: 'pt-BR' }, settings)).toBe('pt-br');
    expect(resolveLocale({ header: 'PT_br' }, settings)).toBe('pt-br');
    expect(resolveLocale({ header: ' ZH-TW ' }, settings)).toBe('zh-tw');
  });

  it('falls back from a regional code to its language, then to the default locale', () => {
    expect(resolveLocale({ header: 'ar-AE' }, settings)).toBe('ar');
    expect(resolveLocale({ header: 'fr-CA' }, settings)).toBe('fr');
    expect(resolveLocale({ header: 'sv' }, settings)).toBe('en');
    expect(resolveLocale({ header: 'sv' }, { ...settings, defaultLocale: 'de' })).toBe('de');
    expect(resolveLocale({ header: 'sv-SE' }, { ...settings, defaultLocale: 'fr-CH' })).toBe('fr');
    expect(resolveLocale({ header: 'sv' }, { ...settings, defaultLocale: 'xx' })).toBe('en');
  });

  it('maps Chinese by script: Simplified to zh-cn, Traditional to zh-tw', () => {
    for (const code of ['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-CN', 'zh-SG', 'zh-Hans-HK']) expect([code, resolveLocale({ header: code }, settings)]).toEqual([code, 'zh-cn']);
    for (const code of ['zh-TW', 'zh-Hant', 'zh-Hant-TW', 'zh-HK', 'zh-MO', 'zh-Hant-CN']) expect([code, resolveLocale({ header: code }, settings)]).toEqual([code, 'zh-tw']);
  });

  it('uses a sibling in the same script when the language has no locale of its own (pt-PT → pt-br)', () => {
    expect(resolveLocale({ header: 'pt' }, settings)).toBe('pt-br');
    expect(resolveLocale({ header: 'pt-PT' }, settings)).toBe('pt-br');
    expect(resolveLocale({ header: 'pt-PT' }, { available: [...BUILT_IN, 'pt-pt'] })).toBe('pt-pt');
    // Serbian in Latin script is not served by a Cyrillic `sr`.
    expect(resolveLocale({ header: 'sr-Latn' }, { available: ['en', 'sr'] })).toBe('en');
    expect(resolveLocale({ header: 'sr-Cyrl-RS' }, { available: ['en', 'sr'] })).toBe('sr');
  });

  it('reads deprecated language codes as their current ones (iw → he, in → id)', () => {
    expect(resolveLocale({ header: 'iw' }, settings)).toBe('he');
    expect(resolveLocale({ header: 'in-ID' }, settings)).toBe('id');
  });

  it('gives the default for a code sent but matching nothing, without reading Accept-Language', () => {
    expect(resolveLocale({ header: 'xx', acceptLanguage: 'fr' }, settings)).toBe('en');
    expect(resolveLocale({ header: '../../etc/passwd', acceptLanguage: 'fr' }, settings)).toBe('en');
    expect(resolveLocale({ param: ['fr'], acceptLanguage: 'de' }, settings)).toBe('en');
    expect(resolveLocale({ header: 'x'.repeat(10_000) }, settings)).toBe('en');
  });

  it('reads Accept-Language only when neither the parameter nor the header is sent', () => {
    expect(resolveLocale({ acceptLanguage: 'fr-CH,fr;q=0.9' }, settings)).toBe('fr');
    expect(resolveLocale({ acceptLanguage: 'fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5' }, settings)).toBe('fr');
    expect(resolveLocale({ header: 'de', acceptLanguage: 'fr' }, settings)).toBe('de');
    expect(resolveLocale({ header: '', acceptLanguage: 'fr' }, settings)).toBe('fr');
  });

  it('orders Accept-Language by q-value, header order on ties, and skips what it cannot serve', () => {
    expect(resolveLocale({ acceptLanguage: 'de;q=0.5, ja;q=0.8' }, settings)).toBe('ja');
    expect(resolveLocale({ acceptLanguage: 'ko, ja' }, settings)).toBe('ko');
    expect(resolveLocale({ acceptLanguage: 'sv, nb;q=0.9, da;q=0.8, nl;q=0.1' }, settings)).toBe('nl');
    expect(resolveLocale({ acceptLanguage: 'sv' }, settings)).toBe('en');
  });

  it('excludes q=0, gives the default for *, and ignores malformed ranges', () => {
    expect(resolveLocale({ acceptLanguage: 'fr;q=0, de;q=0.1' }, settings)).toBe('de');
    expect(resolveLocale({ acceptLanguage: 'fr;q=0.000' }, settings)).toBe('en');
    expect(resolveLocale({ acceptLanguage: '*' }, { ...settings, defaultLocale: 'es' })).toBe('es');
    expect(resolveLocale({ acceptLanguage: 'sv, *;q=0.5, fr;q=0.4' }, settings)).toBe('en');
    expect(resolveLocale({ acceptLanguage: 'fr;q=2, de;q=abc, ;;, <script>, it' }, settings)).toBe('it');
    expect(resolveLocale({ acceptLanguage: 42 }, settings)).toBe('en');
  });

  it('reads a bounded part of a long Accept-Language', () => {
    const padding = Array.from({ length: 500 }, () => 'sv;q=0.9').join(',');
    expect(resolveLocale({ acceptLanguage: `${padding},fr` }, settings)).toBe('en');
    expect(acceptedRanges(`${padding},fr`).length).toBeLessThanOrEqual(24);
    expect(acceptedRanges(`fr,${'a'.repeat(5000)}`)).toEqual(['fr']);
    expect(acceptedRanges('x'.repeat(5000))).toEqual([]);
  });

  it('resolves to locales the templates option adds', () => {
    expect(resolveLocale({ header: 'sv-SE' }, { available: [...BUILT_IN, 'sv'] })).toBe('sv');
    expect(resolveLocale({ header: 'fr-CA' }, { available: [...BUILT_IN, 'FR-ca'] })).toBe('fr-ca');
  });
});

describe('localeResolver, built once', () => {
  it('answers request after request', () => {
    const resolve = localeResolver({ available: [...BUILT_IN, 'sv'], defaultLocale: 'FR' });
    expect(resolve({ header: 'sv-SE' })).toBe('sv');
    expect(resolve({ acceptLanguage: 'fr-CH,fr;q=0.9' })).toBe('fr');
    expect(resolve({ param: 'de', header: 'ja', acceptLanguage: 'fr' })).toBe('de');
    expect(resolve({ header: 'xx' })).toBe('fr');
    expect(resolve({})).toBe('fr');
  });

  it('keeps answering the same after a stream of distinct codes', () => {
    const resolve = localeResolver(settings);
    const resolveModel = modelLocaleResolver('en');
    for (let i = 0; i < 600; i++) {
      expect(resolve({ header: `de-v${String(i).padStart(5, '0')}` })).toBe('de');
      expect(resolve({ acceptLanguage: `sv, ko-v${String(i).padStart(5, '0')};q=0.5` })).toBe('ko');
      expect(resolveModel({ header: `ja-v${String(i).padStart(5, '0')}` })).toBe(`ja-v${String(i).padStart(5, '0')}`);
    }
    expect([resolve({ header: 'fr-CH' }), resolve({ acceptLanguage: 'sv, ko-v00000;q=0.5' }), resolveModel({ header: 'xx' })]).toEqual(['fr', 'ko', 'en']);
  });
});

/** The model locale a resolver with `defaultLocale` gives one request. */
const modelLocale = (sources: Pick<LocaleSources, 'param' | 'header'>, defaultLocale: string) => modelLocaleResolver(defaultLocale)(sources);

describe('modelLocaleResolver', () => {
  it('takes the locale parameter, else X-Appwrite-Locale, as Appwrite', () => {
    expect(modelLocale({ param: 'de', header: 'fr' }, 'en')).toBe('de');
    expect(modelLocale({ header: 'fr' }, 'en')).toBe('fr');
    expect(modelLocale({ param: '', header: 'ja' }, 'en')).toBe('ja');
    expect(modelLocale({}, 'en')).toBe('en');
    expect(modelLocale({}, 'pt-br')).toBe('pt-br');
  });

  it('keeps any code CLDR names countries in, lower-cased, not only the message locales', () => {
    expect(modelLocale({ header: 'sv' }, 'en')).toBe('sv');
    expect(modelLocale({ header: 'pt-PT' }, 'en')).toBe('pt-pt');
    expect(modelLocale({ header: 'zh_TW' }, 'en')).toBe('zh-tw');
  });

  it('gives the default for a code that names nothing, without falling through to the next source', () => {
    expect(modelLocale({ header: 'xx' }, 'fr')).toBe('fr');
    expect(modelLocale({ param: 'tlh', header: 'de' }, 'en')).toBe('en');
    expect(modelLocale({ header: '../../etc/passwd' }, 'en')).toBe('en');
    expect(modelLocale({ param: ['de'] }, 'en')).toBe('en');
    expect(modelLocale({ header: 'en-12' }, 'es')).toBe('es');
  });
});

describe('localeFallbacks', () => {
  it('lists every available locale that can stand in, best first, then the default, then English', () => {
    expect(localeFallbacks('fr-CA', ['en', 'fr', 'fr-ca', 'fr-be'])).toEqual(['fr-ca', 'fr', 'fr-be', 'en']);
    expect(localeFallbacks('zh-Hant-HK', BUILT_IN)).toEqual(['zh-tw', 'en']);
    expect(localeFallbacks('de-AT', BUILT_IN, 'fr')).toEqual(['de', 'fr', 'en']);
    expect(localeFallbacks(undefined, BUILT_IN, 'es')).toEqual(['es', 'en']);
  });
});

describe('normalizeLocale', () => {
  it('lower-cases, reads _ as -, and refuses what is not a language tag', () => {
    expect(normalizeLocale('pt_BR')).toBe('pt-br');
    expect(normalizeLocale('zh-Hant-TW')).toBe('zh-hant-tw');
    for (const bad of ['', 'e', 'english', '../x', 'en-', 'en--us', 'x-private', 'a'.repeat(40), 42, null]) expect(normalizeLocale(bad)).toBeNull();
  });
});
