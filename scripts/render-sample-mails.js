#!/usr/bin/env node
// Renders every built-in message in every built-in locale with sample values, for reading the
// translations as users get them: `node scripts/render-sample-mails.js [kind] [locale…]`.
// Writes dist/sample-mails/<locale>/<kind>.{txt,html} (dist/ is not committed) and prints the
// text part of `kind` (default `emailOtp`) for the locales named (default one per script:
// Latin, Cyrillic, CJK, Arabic, Devanagari).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
execFileSync(process.execPath, [path.join(__dirname, 'build.js'), '--if-changed'], { stdio: 'inherit' });
const { BUILT_IN_LOCALES, MAIL_KINDS, SMS_KINDS, localizeMail, localizeSms } = require(path.join(ROOT, 'dist/lib/core/messaging'));

const [kind = 'emailOtp', ...shown] = process.argv.slice(2);
const locales = shown.length > 0 ? shown : ['fr', 'ru', 'ja', 'ar', 'hi'];

const values = {
  project: 'Acme',
  user: 'Ada',
  ip: '203.0.113.9',
  link: 'https://app.example.com/verify?userId=6651f0c2&secret=3f9a2c&expire=2025-03-05T14%3A07%3A09.000Z',
  code: '482913',
  phrase: 'Brave otter',
  validityMs: 15 * 60_000,
  expire: new Date(Date.UTC(2025, 2, 5, 14, 7, 9)),
  time: new Date(Date.UTC(2025, 2, 5, 13, 52, 9)),
  device: 'Chrome',
  countryCode: 'de',
};

const out = path.join(ROOT, 'dist', 'sample-mails');
for (const locale of BUILT_IN_LOCALES) {
  fs.mkdirSync(path.join(out, locale), { recursive: true });
  for (const mailKind of MAIL_KINDS) {
    const mail = localizeMail(mailKind, locale, values);
    fs.writeFileSync(path.join(out, locale, `${mailKind}.txt`), `Subject: ${mail.subject}\n\n${mail.text}\n`);
    fs.writeFileSync(path.join(out, locale, `${mailKind}.html`), mail.html);
  }
  for (const smsKind of SMS_KINDS) fs.writeFileSync(path.join(out, locale, `${smsKind}.txt`), `${localizeSms(smsKind, locale, values)}\n`);
}

for (const locale of locales) {
  const file = path.join(out, locale, `${kind}.txt`);
  if (!fs.existsSync(file)) throw new Error(`no sample for ${locale}/${kind}`);
  process.stdout.write(`===== ${locale} · ${kind} =====\n${fs.readFileSync(file, 'utf8')}\n`);
}
process.stdout.write(`All samples: ${path.relative(ROOT, out)}/<locale>/<kind>.{txt,html}\n`);
