// Built-in delivery providers: SMTP mail over nodemailer, SMS over a JSON webhook or Twilio's
// REST API. Each is a small object with one async `send`; a host app can pass its own instead.
import type * as Nodemailer from 'nodemailer';
import type { MailMessage, Mailer, SmsMessage, SmsSender } from './index';

export interface SmtpMailerOptions {
  /** A nodemailer SMTP URL: `smtp://user:pass@host:587`, `smtps://host:465`, `smtp://127.0.0.1:2525`. */
  url: string;
  /** Sender: `no-reply@example.com` or `"Example" <no-reply@example.com>`. */
  from: string;
}

/** A mailer that delivers over SMTP with nodemailer (one pooled-free transport per mailer). */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer & { close(): void } {
  if (!options || typeof options.url !== 'string' || !/^smtps?:\/\//i.test(options.url)) {
    throw new TypeError('createSmtpMailer: option `url` must be an smtp:// or smtps:// URL.');
  }
  if (typeof options.from !== 'string' || !options.from.includes('@')) {
    throw new TypeError('createSmtpMailer: option `from` must be an email address.');
  }
  // nodemailer loads only when an SMTP mailer is made.
  const { createTransport } = require('nodemailer') as typeof Nodemailer;
  const transport = createTransport(options.url);
  return {
    async send(message: MailMessage): Promise<void> {
      await transport.sendMail({
        from: options.from,
        // An address object: nodemailer encodes the name, so quotes or newlines in it cannot
        // break out of the header.
        to: message.toName ? { name: message.toName, address: message.to } : message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
    close(): void {
      transport.close();
    },
  };
}

export interface WebhookSmsOptions {
  /** Receives `POST {"to": "+14155550100", "message": "123456"}` as JSON; any 2xx counts as sent. */
  url: string;
  /** Extra request headers, e.g. `{ authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  /** Give up after this many milliseconds. @default 10000 */
  timeoutMs?: number;
}

/** SMS handed to your own HTTP endpoint, which relays it to whatever gateway you use. */
export function createWebhookSms(options: WebhookSmsOptions): SmsSender {
  if (!options || typeof options.url !== 'string' || !/^https?:\/\//i.test(options.url)) {
    throw new TypeError('createWebhookSms: option `url` must be an http:// or https:// URL.');
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async send(sms: SmsMessage): Promise<void> {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify({ to: sms.to, message: sms.message }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Drain the body so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`SMS webhook answered HTTP ${response.status}`);
    },
  };
}

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio phone number (E.164) or alphanumeric sender id. */
  from: string;
  /** @default 'https://api.twilio.com' — override to point tests at a local fake. */
  baseUrl?: string;
  /** @default 10000 */
  timeoutMs?: number;
}

/** SMS through Twilio's Messages API: form-encoded To/From/Body with basic auth. */
export function createTwilioSms(options: TwilioSmsOptions): SmsSender {
  for (const name of ['accountSid', 'authToken', 'from'] as const) {
    if (!options || typeof options[name] !== 'string' || !options[name]) throw new TypeError(`createTwilioSms: option \`${name}\` must be a non-empty string.`);
  }
  const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async send(sms: SmsMessage): Promise<void> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ To: sms.to, From: options.from, Body: sms.message }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text().catch(() => '');
      if (!response.ok) {
        // Twilio's error body names a code (e.g. 21211 invalid number); the message body is never echoed.
        let code = '';
        try {
          code = String((JSON.parse(text) as { code?: unknown }).code ?? '');
        } catch {
          // not JSON
        }
        throw new Error(`Twilio answered HTTP ${response.status}${code ? ` (error ${code})` : ''}`);
      }
    },
  };
}
