// Email and SMS: the provider interfaces a host app implements, and the Messenger that knows the
// locales messages exist in, renders a template for the request's locale and hands it to the
// provider. Routes never talk to a provider directly, so a missing provider (503) and a failing
// one (500) answer the same everywhere.
import { AccountError } from '../../errors';
import type { Logger } from '../../options';
import { localeResolver, type LocaleSources } from './locale';
import { availableLocales, localizeMail, localizeSms, type MailKind, type MailTemplate, type MessageTemplates, type MessageValues, type SmsKind } from './templates';

export * from './templates';
export * from './providers';
export * from './locale';
export * from './format';
export { escapeHtml, fill } from './placeholders';

/** One rendered email. `toName` is the user's name when known (verification, recovery). */
export interface MailMessage {
  to: string;
  toName?: string;
  subject: string;
  text: string;
  html: string;
}

/** Delivers email. Resolve when the message is accepted; reject to make the request fail cleanly. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface SmsMessage {
  /** E.164 phone number. */
  to: string;
  message: string;
}

/** Delivers text messages. Resolve when accepted; reject to make the request fail cleanly. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/** The `mailer` option: a Mailer, or just its send function. */
export type MailerOption = Mailer | ((message: MailMessage) => Promise<void>);
/** The `sms` option: an SmsSender, or just its send function. */
export type SmsOption = SmsSender | ((message: SmsMessage) => Promise<void>);

/** Accepts the object or the bare function; anything else is a TypeError naming the option. */
export function normalizeProvider<T extends { send(message: never): Promise<void> }>(value: unknown, option: string): T | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'function') return { send: value } as unknown as T;
  if (typeof value === 'object' && typeof (value as { send?: unknown }).send === 'function') return value as T;
  throw new TypeError(`createAccountRouter: option \`${option}\` must be an object with a send(message) method, or that function.`);
}

export interface MessengerConfig {
  projectName: string;
  mailer: Mailer | null;
  sms: SmsSender | null;
  templates: MessageTemplates;
  logger: Logger;
  /** The locale of requests that name none usable, tried after the request's own, before English. @default 'en' */
  defaultLocale?: string;
}

/** What a message needs besides its kind: the request's locale and the raw values. */
export interface MessageRequest {
  /** The request's locale, as `localeOf` resolved it (`RequestInfo.locale`); any code works (see `localeFallbacks`). */
  locale: string | undefined;
  values: MessageValues;
}

export type MailRequest = MessageRequest & {
  to: string;
  /** The user's name, for the To header, when known. */
  toName?: string;
};

export type SmsRequest = MessageRequest & { to: string };

/** Renders and delivers the router's messages; one per router. */
export class Messenger {
  private readonly resolveLocale: (sources: LocaleSources) => string;

  constructor(private readonly config: MessengerConfig) {
    this.resolveLocale = localeResolver({ available: availableLocales(config.templates), defaultLocale: config.defaultLocale });
  }

  /**
   * The locale of a request's messages: one of the built-in locales or those the `templates`
   * option adds, chosen from what the request sends (see `localeResolver`), else the default.
   */
  localeOf(sources: LocaleSources): string {
    return this.resolveLocale(sources);
  }

  get canMail(): boolean {
    return this.config.mailer !== null;
  }

  /** 503 general_smtp_disabled when no mailer is configured; call before creating anything. */
  requireMail(): void {
    if (!this.config.mailer) throw new AccountError('general_smtp_disabled');
  }

  /** 503 general_phone_disabled when no SMS provider is configured. */
  requireSms(): void {
    if (!this.config.sms) throw new AccountError('general_phone_disabled');
  }

  /** The mail as it would be sent (also what tests and previews use). */
  renderMail(kind: MailKind, request: MessageRequest): MailTemplate {
    const { templates, projectName: project, defaultLocale } = this.config;
    return localizeMail(kind, request.locale, { ...request.values, project }, { templates, defaultLocale });
  }

  /** The text message as it would be sent. */
  renderSms(kind: SmsKind, request: MessageRequest): string {
    const { templates, projectName: project, defaultLocale } = this.config;
    return localizeSms(kind, request.locale, { ...request.values, project }, { templates, defaultLocale });
  }

  /** Sends a mail; a provider failure becomes 500 general_server_error (logged without the content). */
  async sendMail(kind: MailKind, request: MailRequest): Promise<void> {
    this.requireMail();
    const content = this.renderMail(kind, request);
    try {
      await this.config.mailer!.send({ to: request.to, ...(request.toName ? { toName: request.toName } : {}), ...content });
    } catch (error) {
      this.report('email', kind, error);
      throw new AccountError('general_server_error', 'The email could not be delivered. Please try again later.', { cause: error });
    }
  }

  /** Sends a text message; a provider failure becomes 500 general_server_error. */
  async sendSms(kind: SmsKind, request: SmsRequest): Promise<void> {
    this.requireSms();
    const message = this.renderSms(kind, request);
    try {
      await this.config.sms!.send({ to: request.to, message });
    } catch (error) {
      this.report('sms', kind, error);
      throw new AccountError('general_server_error', 'The text message could not be delivered. Please try again later.', { cause: error });
    }
  }

  private report(channel: string, kind: string, error: unknown): void {
    // The message itself carries a secret: only the provider's error is logged.
    this.config.logger.error(`account-router: ${channel} delivery failed`, {
      kind,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}
