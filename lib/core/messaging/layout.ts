// The one layout of every built-in message: it turns a language's wording (`Translation`) into
// the subject, text and HTML templates of each mail, so markup lives here only. The results are
// templates still holding `{{variables}}`, filled per message by `templates.ts`.
import { escapeHtml } from './placeholders';
import type { MailKind, MailTemplate, SmsKind, SmsTemplate } from './templates';
import type { AlertMailWording, CodeMailWording, LinkMailWording, Translation } from './translation';

/** Every template of one built-in locale. */
export type CompleteTemplates = { readonly [K in MailKind]: MailTemplate } & { readonly [K in SmsKind]: SmsTemplate };

/** A paragraph of a mail, in both parts; `when` keeps it only if that variable is non-empty. */
interface Block {
  text: string;
  html: string;
  when?: string;
}

// No 6-digit numbers anywhere in the markup (no #rrggbb colours): clients grep codes with \b\d{6}\b.
const BODY_STYLE = "font-family: -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #222; line-height: 1.5; max-width: 36rem; margin: 0 auto; padding: 24px";
const BUTTON_STYLE = 'display: inline-block; padding: 10px 18px; background: #2a5bd7; color: #fff; border-radius: 6px; text-decoration: none';
const CODE_STYLE = 'font-size: 28px; font-weight: bold; letter-spacing: 4px';
const SMALL_STYLE = 'font-size: 13px; color: #555';
const FOOTER_STYLE = 'color: #777; font-size: 13px';

const paragraph = (wording: string): Block => ({ text: wording, html: `<p>${escapeHtml(wording)}</p>` });

function linkBlock(t: Translation, mail: LinkMailWording): Block {
  return {
    text: `${mail.lead}\n{{link}}`,
    html: [
      `<p>${escapeHtml(mail.lead)}</p>`,
      `<p><a href="{{link}}" style="${BUTTON_STYLE}">${escapeHtml(mail.button)}</a></p>`,
      // Links read left to right whatever the language; dir keeps their punctuation in place.
      `<p style="${SMALL_STYLE}">${escapeHtml(t.common.openLink)} <a href="{{link}}" dir="ltr">{{link}}</a></p>`,
    ].join('\n'),
  };
}

const CODE_BLOCK: Block = { text: '{{code}}', html: `<p style="${CODE_STYLE}" dir="ltr">{{code}}</p>` };

const phraseHtml = (t: Translation) => escapeHtml(t.common.phrase).replace('{{phrase}}', '<strong>{{phrase}}</strong>');

/** The security phrase and where the request came from, for sign-in mails. */
function signInBlocks(t: Translation): Block[] {
  return [
    { when: 'phrase', text: `${t.common.phrase}\n${t.common.phraseHint}`, html: `<p>${phraseHtml(t)}<br>${escapeHtml(t.common.phraseHint)}</p>` },
    paragraph(t.common.requestedFrom),
  ];
}

/** The security phrase alone (its hint speaks of signing in), for the code mails that may carry one. */
const phraseBlock = (t: Translation): Block => ({ when: 'phrase', text: t.common.phrase, html: `<p>${phraseHtml(t)}</p>` });

function alertBlock(mail: AlertMailWording): Block {
  const lines = [mail.time, mail.device, mail.ip, mail.country];
  return { text: lines.join('\n'), html: `<p>${lines.map(escapeHtml).join('<br>')}</p>` };
}

function compose(language: { lang: string; dir: string }, t: Translation, subject: string, body: Block[]): MailTemplate {
  const blocks = [paragraph(t.common.greeting), ...body, { text: '{{project}}', html: `<p style="${FOOTER_STYLE}">{{project}}</p>` }];
  let text = '';
  for (const block of blocks) {
    // An optional block carries its own separator, so leaving it out leaves no blank lines.
    const piece = (text ? '\n\n' : '') + block.text;
    text += block.when ? `{{#${block.when}}}${piece}{{/${block.when}}}` : piece;
  }
  const html = blocks.map((block) => (block.when ? `{{#${block.when}}}${block.html}{{/${block.when}}}` : block.html)).join('\n');
  return {
    subject,
    text,
    html: `<!doctype html>
<html lang="${language.lang}" dir="${language.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="${BODY_STYLE}">
${html}
</body></html>`,
  };
}

/** The templates of one built-in locale (`code` as in `locales/`, e.g. `pt-br`) from its wording. */
export function compileTranslation(code: string, t: Translation): CompleteTemplates {
  const language = { lang: Intl.getCanonicalLocales(code)[0]!, dir: t.direction };
  const linkMail = (mail: LinkMailWording, extra: Block[] = []) => compose(language, t, mail.subject, [linkBlock(t, mail), paragraph(mail.after), ...extra]);
  const codeMail = (mail: CodeMailWording, extra: Block[] = []) => compose(language, t, mail.subject, [paragraph(mail.lead), CODE_BLOCK, paragraph(mail.after), ...extra]);
  return {
    emailVerification: linkMail(t.emailVerification),
    recovery: linkMail(t.recovery),
    magicUrl: linkMail(t.magicUrl, signInBlocks(t)),
    emailOtp: codeMail(t.emailOtp, signInBlocks(t)),
    emailVerificationOtp: codeMail(t.emailVerificationOtp, [phraseBlock(t)]),
    recoveryOtp: codeMail(t.recoveryOtp, [phraseBlock(t)]),
    mfaChallenge: codeMail(t.mfaChallenge),
    sessionAlert: compose(language, t, t.sessionAlert.subject, [paragraph(t.sessionAlert.lead), alertBlock(t.sessionAlert), paragraph(t.sessionAlert.after)]),
    phoneOtp: { message: t.phoneOtp },
    phoneVerification: { message: t.phoneVerification },
    mfaChallengeSms: { message: t.mfaChallengeSms },
  };
}
