// The shape of one language's message wording. Locale files (`locales/<code>.ts`) hold only
// these strings; the shared layout (`layout.ts`) turns them into the subject, text and HTML of
// every mail, so no locale repeats markup and a translator never touches HTML.
//
// Placeholders are the template variables (`{{project}}`, `{{validity}}`, …) and sections
// (`{{#user}}…{{/user}}`); every string uses exactly the ones its English counterpart uses,
// which test/unit/message-locales.test.ts checks. Durations, dates and country names arrive
// already formatted in the message's language, so wording must read right with the value in
// its plain (nominative) form: "Срок действия ссылки — {{validity}}" rather than a
// construction that would need the number declined.

/** A mail that carries a link: the instruction, the button's label, what follows. */
export interface LinkMailWording {
  subject: string;
  /** The instruction above the button (and, in the text part, above the bare link). */
  lead: string;
  button: string;
  /** Lifetime of the link and what to do if the mail was not expected. */
  after: string;
}

/** A mail that carries a 6-digit code. */
export interface CodeMailWording {
  subject: string;
  /** The instruction above the code. */
  lead: string;
  /** Lifetime of the code and what to do if the mail was not expected. */
  after: string;
}

/** The new-session alert: a sentence, four labelled facts, advice. */
export interface AlertMailWording {
  subject: string;
  lead: string;
  time: string;
  device: string;
  ip: string;
  country: string;
  after: string;
}

/** Everything one language says. Every key is required: the parity test compares each locale with English. */
export interface Translation {
  /** Writing direction of the language; the HTML layout sets `dir` from it. */
  direction: 'ltr' | 'rtl';
  common: {
    /** First line of every mail; `{{#user}}…{{/user}}` keeps the name only when there is one. */
    greeting: string;
    /** Before the link spelled out under the button, for mail clients that hide buttons. */
    openLink: string;
    /** The security phrase of a sign-in request; its value is set in bold in HTML. */
    phrase: string;
    /** Why the phrase is there: compare it with the one on the sign-in screen. */
    phraseHint: string;
    /** Last paragraph of sign-in mails: where the request came from. */
    requestedFrom: string;
    /** Stands in for a device the user agent does not name. */
    unknown: string;
  };
  emailVerification: LinkMailWording;
  recovery: LinkMailWording;
  magicUrl: LinkMailWording;
  emailOtp: CodeMailWording;
  emailVerificationOtp: CodeMailWording;
  recoveryOtp: CodeMailWording;
  mfaChallenge: CodeMailWording;
  sessionAlert: AlertMailWording;
  /**
   * Text messages. English is the bare code, as Appwrite sends it in every language; other
   * languages put the code first, then one short sentence that names what it is for and warns
   * against passing it on (see `templates.ts`). No other variables, so the length is known: one
   * SMS segment (70 UCS-2 or 160 GSM-7 characters) whatever the project is called.
   */
  phoneOtp: string;
  phoneVerification: string;
  mfaChallengeSms: string;
}
