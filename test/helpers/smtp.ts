// Real messaging endpoints for tests: an in-process SMTP server (smtp-server) whose mails are
// parsed with mailparser, and a fake SMS gateway (node:http) that understands both the JSON
// webhook and Twilio's form-encoded Messages API. Both listen on 127.0.0.1 on a free port.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  /** Envelope recipients, lower-cased. */
  to: string[];
  /** The display name of the first To address ('' when none). */
  toName: string;
  from: string;
  subject: string;
  text: string;
  html: string;
}

/** Hands out messages in arrival order to whoever waits for their recipient. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  constructor(private readonly label: string) {}

  /** Every message received so far, taken or not. */
  readonly all: T[] = [];

  push(item: T): void {
    this.all.push(item);
    const waiter = this.waiters.findIndex((w) => w.match(item));
    if (waiter >= 0) this.waiters.splice(waiter, 1)[0]!.resolve(item);
    else this.items.push(item);
  }

  /** The oldest untaken message matching, waiting for it up to `timeoutMs`. */
  take(match: (item: T) => boolean, what: string, timeoutMs: number): Promise<T> {
    const index = this.items.findIndex(match);
    if (index >= 0) return Promise.resolve(this.items.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${this.label} for ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Untaken messages matching (without taking them). */
  pending(match: (item: T) => boolean): T[] {
    return this.items.filter(match);
  }
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, for createSmtpMailer. */
  url: string;
  /** Every mail received, in order. */
  mails: ReceivedMail[];
  /** The next mail to `to` not yet taken by an earlier call (waits for it). */
  waitForMail(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** Mails to `to` not taken yet. */
  pendingMail(to: string): ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const inbox = new Inbox<ReceivedMail>('mail');
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const firstTo = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
          inbox.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            toName: firstTo?.value[0]?.name ?? '',
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  const forRecipient = (to: string) => (mail: ReceivedMail) => mail.to.includes(to.toLowerCase());
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails: inbox.all,
    waitForMail: (to, timeoutMs = 5000) => inbox.take(forRecipient(to), to, timeoutMs),
    pendingMail: (to) => inbox.pending(forRecipient(to)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedSms {
  path: string;
  headers: IncomingMessage['headers'];
  /** Recipient: `to` of a webhook call, `To` of a Twilio call. */
  to: string;
  /** Text: `message` of a webhook call, `Body` of a Twilio call. */
  message: string;
  /** The request body as parsed (JSON or form fields). */
  body: Record<string, string>;
}

export interface TestSmsServer {
  /** Base URL, e.g. `http://127.0.0.1:1234` (webhook URL and Twilio baseUrl). */
  url: string;
  received: ReceivedSms[];
  waitForSms(to: string, timeoutMs?: number): Promise<ReceivedSms>;
  pendingSms(to: string): ReceivedSms[];
  /** Makes the gateway answer every request with this status (and a Twilio-style error body); null = 201. */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export async function startSmsServer(): Promise<TestSmsServer> {
  const inbox = new Inbox<ReceivedSms>('SMS');
  let failure: number | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failure !== null) {
        res.writeHead(failure, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 21211, message: 'Invalid number', status: failure }));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const body: Record<string, string> = (req.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(text) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(text));
      inbox.push({ path: req.url ?? '/', headers: req.headers, to: body.to ?? body.To ?? '', message: body.message ?? body.Body ?? '', body });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: 'SM0000', status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const forRecipient = (to: string) => (sms: ReceivedSms) => sms.to === to;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: inbox.all,
    waitForSms: (to, timeoutMs = 5000) => inbox.take(forRecipient(to), to, timeoutMs),
    pendingSms: (to) => inbox.pending(forRecipient(to)),
    failWith: (status) => void (failure = status),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The first http(s) link of a message's text. */
export function linkIn(text: string): URL {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return new URL(match[0]);
}

/** The 6-digit code of a message, as client tests find it (`\b\d{6}\b`). */
export function codeIn(text: string): string {
  const match = /\b\d{6}\b/.exec(text);
  if (!match) throw new Error(`no 6-digit code in: ${text}`);
  return match[0];
}
