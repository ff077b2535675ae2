// Message templates: one per kind of message, built in for every locale in `locales/`,
// overridable per locale, kind and field through the `templates` option. A message is rendered
// from raw values (`MessageValues`); lifetimes, dates and country names are formatted here, in
// the language of the template each field comes from, so no caller builds wording.
import { countryName } from '../client-info';
import { formatDateTime, formatDuration } from './format';
import { compileTranslation, type CompleteTemplates } from './layout';
import { localeFallbacks, normalizeLocale } from './locale';
import { TRANSLATIONS } from './locales';
import { escapeHtml, fill, type TemplateValues } from './placeholders';

/** Mails the router sends. */
export type MailKind =
  | 'emailVerification'
  | 'recovery'
  | 'magicUrl'
  | 'emailOtp'
  | 'emailVerificationOtp'
  | 'recoveryOtp'
  | 'mfaChallenge'
  | 'sessionAlert';
/** Text messages the router sends. */
export type SmsKind = 'phoneOtp' | 'phoneVerification' | 'mfaChallengeSms';
export type MessageKind = MailKind | SmsKind;

export const MAIL_KINDS: readonly MailKind[] = ['emailVerification', 'recovery', 'magicUrl', 'emailOtp', 'emailVerificationOtp', 'recoveryOtp', 'mfaChallenge', 'sessionAlert'];
export const SMS_KINDS: readonly SmsKind[] = ['phoneOtp', 'phoneVerification', 'mfaChallengeSms'];

export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

export interface SmsTemplate {
  message: string;
}

/** The templates of one locale; every field of every kind may be left out (it falls back). */
export type LocaleTemplates = { [K in MailKind]?: Partial<MailTemplate> } & { [K in SmsKind]?: Partial<SmsTemplate> };

/**
 * Overrides by locale (`en`, `fr`, `pt-br`, …; case-insensitive), then kind, then field. Each
 * field falls back on its own: to the other locales that can stand for the message's locale
 * (`fr-ca` → `fr`), then to the default locale, then to English, the override before the
 * built-in at every step. An override may also add a locale that is not built in.
 *
 * Fields are templates: `{{name}}` inserts a variable (HTML-escaped in `html`), and
 * `{{#name}}…{{/name}}` keeps its content only when the variable is set. Variables are those of
 * `TemplateVariables`, already formatted in the language of the template they fill.
 *
 * @example
 * const templates: MessageTemplates = {
 *   // French sign-in codes get this subject; their text and HTML stay the built-in French ones.
 *   fr: { emailOtp: { subject: 'Votre code {{project}}' } },
 *   // fr-CA requests get this HTML; their subject is the `fr` override above, their text built in.
 *   'fr-CA': { emailOtp: { html: '<p>Votre code : <b>{{code}}</b></p>' } },
 *   // Adds Swedish for phone codes; other Swedish messages use the default locale, then English.
 *   sv: { phoneOtp: { message: '{{code}} är din kod till {{project}}' } },
 * };
 */
export type MessageTemplates = Record<string, LocaleTemplates>;

/** The variables a template can use, as strings ready to insert (`MessageValues` says what fills each). */
export type TemplateVariables = Partial<
  Record<'project' | 'user' | 'ip' | 'link' | 'code' | 'phrase' | 'expire' | 'validity' | 'time' | 'device' | 'country', string>
>;

/**
 * Raw values of one message; the renderer formats them in the message's language. Every message
 * has `user` (the user's name, may be empty) and `ip` (the requester's address); the project
 * name is the Messenger's.
 *
 * | value | fills | e.g. (fr) |
 * | --- | --- | --- |
 * | `link` | `{{link}}` | the caller's URL with `userId`, `secret`, `expire` |
 * | `code` | `{{code}}` | `004211` |
 * | `phrase` | `{{phrase}}`, `{{#phrase}}` | `Brave otter` |
 * | `validityMs` | `{{validity}}` | `15 minutes`, `1 heure`, `7 jours` |
 * | `expire` | `{{expire}}` | `5 mars 2025 à 14:07:09 UTC` |
 * | `time` | `{{time}}` | `5 mars 2025 à 14:07:09 UTC` |
 * | `device` | `{{device}}` | `Chrome`; empty → `Inconnu` |
 * | `countryCode` | `{{country}}` | `de` → `Allemagne`; `--` → `Région inconnue` |
 */
export interface MessageValues {
  user: string;
  ip: string;
  link?: string;
  code?: string;
  phrase?: string;
  validityMs?: number;
  expire?: Date;
  time?: Date;
  device?: string;
  /** ISO 3166-1 alpha-2, lower case, or `--`, as `countryCode()` gives. */
  countryCode?: string;
}

/** Where rendering looks beyond the built-ins. */
export interface RenderSettings {
  /** The `templates` option. @default {} */
  templates?: MessageTemplates;
  /** Tried after the message's locale, before English. @default 'en' */
  defaultLocale?: string;
}

const compiledTranslations = new Map<string, CompleteTemplates>();
/**
 * A built-in locale's templates, compiled at its first message: compiled, the twenty locales hold
 * close to a megabyte of live heap, which a process that never mails in most of them would carry
 * (and the heap limit V8 grows from the live size multiplies it under load).
 */
function builtIn(code: string): CompleteTemplates | undefined {
  const translation = TRANSLATIONS[code];
  if (!translation) return undefined;
  let compiled = compiledTranslations.get(code);
  if (!compiled) compiledTranslations.set(code, (compiled = compileTranslation(code, translation)));
  return compiled;
}

/** The locales built in, lower case: `en`, `es`, `pt-br`, … */
export const BUILT_IN_LOCALES: readonly string[] = Object.freeze(Object.keys(TRANSLATIONS));

/** Override keys normalised (`pt-BR` → `pt-br`); keys that are not language tags are never reached. */
function overridesByLocale(templates: MessageTemplates | undefined): Map<string, LocaleTemplates> {
  const byLocale = new Map<string, LocaleTemplates>();
  for (const [key, value] of Object.entries(templates ?? {})) {
    const code = normalizeLocale(key);
    if (code && !byLocale.has(code) && value && typeof value === 'object') byLocale.set(code, value);
  }
  return byLocale;
}

/** The locales a request may resolve to: the built-in ones and those the `templates` option adds. */
export function availableLocales(templates?: MessageTemplates): string[] {
  return [...new Set([...BUILT_IN_LOCALES, ...overridesByLocale(templates).keys()])];
}

type Field = 'subject' | 'text' | 'html' | 'message';

/** Finds each field of a message along a locale chain, and knows which locale it came from. */
function fieldFinder(chain: readonly string[], overrides: Map<string, LocaleTemplates>) {
  return (kind: MessageKind, field: Field): { template: string; locale: string } => {
    for (const locale of chain) {
      for (const source of [overrides.get(locale), builtIn(locale)]) {
        const value = (source?.[kind] as Record<string, unknown> | undefined)?.[field];
        if (typeof value === 'string') return { template: value, locale };
      }
    }
    return { template: '', locale: 'en' };
  };
}

/** The built-in wording nearest to `locale` (for the word "unknown"). */
function translationFor(locale: string) {
  return TRANSLATIONS[localeFallbacks(locale, BUILT_IN_LOCALES)[0]!] ?? TRANSLATIONS.en!;
}

/** The one place values become words: every template variable, formatted for `locale`. */
function templateVariables(values: MessageValues & { project: string }, locale: string): TemplateVariables {
  return {
    project: values.project,
    user: values.user,
    ip: values.ip,
    link: values.link,
    code: values.code,
    phrase: values.phrase,
    validity: values.validityMs === undefined ? undefined : formatDuration(values.validityMs, locale),
    expire: values.expire && formatDateTime(values.expire, locale),
    time: values.time && formatDateTime(values.time, locale),
    device: values.device === undefined ? undefined : values.device || translationFor(locale).common.unknown,
    country: values.countryCode === undefined ? undefined : countryName(values.countryCode, locale),
  };
}

/** Header values stay on one line whatever the template or the data hold. */
const oneLine = (subject: string) => subject.replace(/[\r\n]+/g, ' ').trim();

function renderer(settings: RenderSettings, locale: string | undefined, variablesFor: (locale: string) => TemplateValues) {
  const overrides = overridesByLocale(settings.templates);
  const available = [...BUILT_IN_LOCALES, ...overrides.keys()];
  const find = fieldFinder(localeFallbacks(locale, available, settings.defaultLocale), overrides);
  const variables = new Map<string, TemplateValues>();
  return (kind: MessageKind, field: Field, escape?: (value: string) => string): string => {
    const { template, locale: found } = find(kind, field);
    if (!variables.has(found)) variables.set(found, variablesFor(found));
    return fill(template, variables.get(found)!, escape);
  };
}

/**
 * The mail of `kind` for a request in `locale` (any code; see `localeFallbacks`). Each field is
 * the first found along the locale chain, its values formatted in that field's language.
 */
export function localizeMail(kind: MailKind, locale: string | undefined, values: MessageValues & { project: string }, settings: RenderSettings = {}): MailTemplate {
  const render = renderer(settings, locale, (found) => templateVariables(values, found));
  return { subject: oneLine(render(kind, 'subject')), text: render(kind, 'text'), html: render(kind, 'html', escapeHtml) };
}

/**
 * The text message of `kind` for a request in `locale`. English is the bare code, as Appwrite
 * sends it and phones offer it for autofill; other languages put the code first, then a short
 * sentence saying what it is for and not to pass it on (`123456 est votre code de connexion…`),
 * so `\b\d{6}\b` still finds it first and autofill still reads it.
 */
export function localizeSms(kind: SmsKind, locale: string | undefined, values: MessageValues & { project: string }, settings: RenderSettings = {}): string {
  return renderer(settings, locale, (found) => templateVariables(values, found))(kind, 'message');
}
