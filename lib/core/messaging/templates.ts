// Message templates: one per kind of message, English built in, overridable per locale and per
// field through the `templates` option. Placeholders are `{{name}}`; `{{#name}}…{{/name}}` keeps
// its content only when `name` is non-empty. Values are HTML-escaped in HTML bodies.

/** Mails the router sends. */
export type MailKind = 'emailVerification' | 'recovery' | 'magicUrl' | 'emailOtp' | 'mfaChallenge' | 'sessionAlert';
/** Text messages the router sends. */
export type SmsKind = 'phoneOtp' | 'phoneVerification' | 'mfaChallengeSms';
export type MessageKind = MailKind | SmsKind;

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
 * Overrides by locale (`en`, `fr`, `pt-br`, …), then by kind. A field missing for the request's
 * locale falls back to its language (`pt-br` → `pt`), then to English, the override before the
 * built-in at each step.
 */
export type MessageTemplates = Record<string, LocaleTemplates>;

/**
 * What a template may use. Every message has `project`, `user` (the user's name, may be empty)
 * and `ip` (the requester's address); link messages add `link`, `expire` (ISO date) and
 * `validity` (e.g. `1 hour`); code messages add `code`; sign-in messages may add `phrase`; the
 * session alert adds `time` (UTC), `device` and `country`.
 */
export type MessageVariables = Partial<
  Record<'project' | 'user' | 'ip' | 'link' | 'code' | 'phrase' | 'expire' | 'validity' | 'time' | 'device' | 'country', string>
>;

function page(title: string, body: string): string {
  // No 6-digit numbers anywhere in the markup (no #rrggbb colours): clients grep codes with \b\d{6}\b.
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #222; line-height: 1.5; max-width: 36rem; margin: 0 auto; padding: 24px">
${body}
<p style="color: #777; font-size: 13px">{{project}}</p>
</body></html>`;
}

const GREETING = 'Hello{{#user}} {{user}}{{/user}},';
const HTML_GREETING = '<p>Hello{{#user}} {{user}}{{/user}},</p>';
const PHRASE_TEXT = '{{#phrase}}\nSecurity phrase: {{phrase}}\nOnly continue if it matches the phrase shown where you asked to sign in.\n{{/phrase}}';
const PHRASE_HTML = '{{#phrase}}<p>Security phrase: <strong>{{phrase}}</strong><br>Only continue if it matches the phrase shown where you asked to sign in.</p>{{/phrase}}';
const BUTTON = '<p><a href="{{link}}" style="display: inline-block; padding: 10px 18px; background: #2a5bd7; color: #fff; border-radius: 6px; text-decoration: none">';
const LINK_FALLBACK = '<p style="font-size: 13px; color: #555">Or open this link: <a href="{{link}}">{{link}}</a></p>';

const ENGLISH: Required<{ [K in MailKind]: MailTemplate } & { [K in SmsKind]: SmsTemplate }> = {
  emailVerification: {
    subject: 'Account Verification for {{project}}',
    text: `${GREETING}

Follow this link to verify your email address:
{{link}}

The link expires in {{validity}}. If you didn't ask to verify this address, you can ignore this message.

{{project}}`,
    html: page(
      'Account Verification for {{project}}',
      `${HTML_GREETING}
<p>Follow this link to verify your email address.</p>
${BUTTON}Verify email address</a></p>
${LINK_FALLBACK}
<p>The link expires in {{validity}}. If you didn't ask to verify this address, you can ignore this message.</p>`,
    ),
  },
  recovery: {
    subject: 'Password Reset for {{project}}',
    text: `${GREETING}

Follow this link to reset your {{project}} password:
{{link}}

The link expires in {{validity}}. If you didn't ask to reset your password, you can ignore this message.

{{project}}`,
    html: page(
      'Password Reset for {{project}}',
      `${HTML_GREETING}
<p>Follow this link to reset your {{project}} password.</p>
${BUTTON}Reset password</a></p>
${LINK_FALLBACK}
<p>The link expires in {{validity}}. If you didn't ask to reset your password, you can ignore this message.</p>`,
    ),
  },
  magicUrl: {
    subject: '{{project}} Login',
    text: `${GREETING}

Follow this link to sign in to {{project}}:
{{link}}

The link expires in {{validity}}.
${PHRASE_TEXT}
This sign-in was requested from {{ip}}. If it wasn't you, you can ignore this message.

{{project}}`,
    html: page(
      '{{project}} Login',
      `${HTML_GREETING}
<p>Follow this link to sign in to {{project}}.</p>
${BUTTON}Sign in</a></p>
${LINK_FALLBACK}
<p>The link expires in {{validity}}.</p>
${PHRASE_HTML}
<p>This sign-in was requested from {{ip}}. If it wasn't you, you can ignore this message.</p>`,
    ),
  },
  emailOtp: {
    subject: 'OTP for {{project}} Login',
    text: `${GREETING}

Enter this code to sign in to {{project}}:

{{code}}

The code expires in {{validity}}.
${PHRASE_TEXT}
This sign-in was requested from {{ip}}. If it wasn't you, you can ignore this message.

{{project}}`,
    html: page(
      'OTP for {{project}} Login',
      `${HTML_GREETING}
<p>Enter this code to sign in to {{project}}:</p>
<p style="font-size: 28px; font-weight: bold; letter-spacing: 4px">{{code}}</p>
<p>The code expires in {{validity}}.</p>
${PHRASE_HTML}
<p>This sign-in was requested from {{ip}}. If it wasn't you, you can ignore this message.</p>`,
    ),
  },
  mfaChallenge: {
    subject: 'Verification Code for {{project}}',
    text: `${GREETING}

Enter this code to confirm it's you:

{{code}}

The code expires in {{validity}}. If you didn't try to sign in, change your password.

{{project}}`,
    html: page(
      'Verification Code for {{project}}',
      `${HTML_GREETING}
<p>Enter this code to confirm it's you:</p>
<p style="font-size: 28px; font-weight: bold; letter-spacing: 4px">{{code}}</p>
<p>The code expires in {{validity}}. If you didn't try to sign in, change your password.</p>`,
    ),
  },
  sessionAlert: {
    subject: 'Security alert: new session on your {{project}} account',
    text: `${GREETING}

There is a new sign-in to your {{project}} account.

Time: {{time}}
Device: {{device}}
IP address: {{ip}}
Country: {{country}}

If this was you, there is nothing to do. If it wasn't, change your password and sign out of your other sessions.

{{project}}`,
    html: page(
      'Security alert: new session on your {{project}} account',
      `${HTML_GREETING}
<p>There is a new sign-in to your {{project}} account.</p>
<p>Time: {{time}}<br>Device: {{device}}<br>IP address: {{ip}}<br>Country: {{country}}</p>
<p>If this was you, there is nothing to do. If it wasn't, change your password and sign out of your other sessions.</p>`,
    ),
  },
  // Appwrite's texts are the bare code (Appendix B); SMS autofill on phones reads it as is.
  phoneOtp: { message: '{{code}}' },
  phoneVerification: { message: '{{code}}' },
  mfaChallengeSms: { message: '{{code}}' },
};

const BUILT_IN: MessageTemplates = { en: ENGLISH };

export const MAIL_KINDS: readonly MailKind[] = ['emailVerification', 'recovery', 'magicUrl', 'emailOtp', 'mfaChallenge', 'sessionAlert'];
export const SMS_KINDS: readonly SmsKind[] = ['phoneOtp', 'phoneVerification', 'mfaChallengeSms'];

/** `pt-BR` → [`pt-br`, `pt`, `en`], without duplicates; missing or malformed → [`en`]. */
export function localeChain(locale: string | undefined, fallback = 'en'): string[] {
  const chain: string[] = [];
  const normalized = (locale ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(normalized)) {
    chain.push(normalized);
    const language = normalized.split('-')[0]!;
    if (language !== normalized) chain.push(language);
  }
  for (const l of [fallback, 'en']) if (!chain.includes(l)) chain.push(l);
  return chain;
}

/** One field of one kind for a locale chain: the override before the built-in, locale by locale. */
function pick(overrides: MessageTemplates, chain: readonly string[], kind: MessageKind, field: string): string {
  for (const locale of chain) {
    for (const source of [overrides, BUILT_IN]) {
      const value = (source[locale]?.[kind] as Record<string, unknown> | undefined)?.[field];
      if (typeof value === 'string') return value;
    }
  }
  return '';
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Fills a template. Sections go first, then values; inserted values are never scanned again, so
 * a user named `{{code}}` stays literally that.
 */
export function fill(template: string, vars: MessageVariables, escape: (value: string) => string = (v) => v): string {
  const values = vars as Record<string, string | undefined>;
  return template
    .replace(/\{\{#(\w+)\}\}([\s\S]*?)\{\{\/\1\}\}/g, (_, name: string, inner: string) => (values[name] ? inner : ''))
    .replace(/\{\{(\w+)\}\}/g, (_, name: string) => escape(values[name] ?? ''));
}

export function renderMail(overrides: MessageTemplates, kind: MailKind, locale: string | undefined, vars: MessageVariables, fallbackLocale = 'en'): MailTemplate {
  const chain = localeChain(locale, fallbackLocale);
  return {
    // Header values stay on one line whatever the template or the data hold.
    subject: fill(pick(overrides, chain, kind, 'subject'), vars).replace(/[\r\n]+/g, ' ').trim(),
    text: fill(pick(overrides, chain, kind, 'text'), vars),
    html: fill(pick(overrides, chain, kind, 'html'), vars, escapeHtml),
  };
}

export function renderSms(overrides: MessageTemplates, kind: SmsKind, locale: string | undefined, vars: MessageVariables, fallbackLocale = 'en'): string {
  return fill(pick(overrides, localeChain(locale, fallbackLocale), kind, 'message'), vars);
}

/** English wording of a lifetime, as the built-in templates print it: `15 minutes`, `1 hour`, `7 days`. */
export function describeDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
