// Development outbox: in development mode (no ACCOUNT_SMTP_URL / ACCOUNT_SMS_WEBHOOK_URL) and with
// ACCOUNT_DEV_OUTBOX=on, the example app keeps the messages it would have sent in memory and serves
// them at /outbox (HTML, newest first) and /outbox.json. Mounted by the example app only.
import express from 'express';

export interface OutboxEntry {
  id: number;
  at: string;
  kind: 'mail' | 'sms';
  to: string;
  subject: string;
  text: string;
}

export interface Outbox {
  add(entry: Omit<OutboxEntry, 'id' | 'at'>): void;
  /** Newest first. */
  list(): OutboxEntry[];
  router: express.Router;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Keeps at most `limit` messages (the oldest are dropped). */
export function createOutbox(limit = 200): Outbox {
  const entries: OutboxEntry[] = [];
  let next = 1;
  const list = () => entries.slice().reverse();
  const router = express.Router();
  router.get('/outbox.json', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(list());
  });
  router.get('/outbox', (_req, res) => {
    const items = list()
      .map((e) => {
        const body = escapeHtml(e.text).replace(/(https?:\/\/[^\s<]+)/g, (url) => `<a href="${url}">${url}</a>`);
        return `<li><p><strong>${e.kind}</strong> to ${escapeHtml(e.to)} · ${escapeHtml(e.subject)} <small>${e.at}</small></p><pre>${body}</pre></li>`;
      })
      .join('\n');
    res.set('Cache-Control', 'no-store').type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dev outbox</title><link rel="stylesheet" href="/style.css"></head>
<body><main><h1>Dev outbox</h1><p>Messages the app would have sent (development mode, newest first). <a href="/">Back to the demo</a> · <a href="/outbox.json">JSON</a></p>
${items ? `<ol class="outbox">${items}</ol>` : '<p>No messages yet.</p>'}</main></body></html>`);
  });
  return {
    add(entry) {
      entries.push({ id: next++, at: new Date().toISOString(), ...entry });
      if (entries.length > limit) entries.shift();
    },
    list,
    router,
  };
}
