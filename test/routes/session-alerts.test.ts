// The `sessionAlerts` option (spec §13): which new sessions mail the user, what the mail says, and
// that a failing mailer never costs the user the sign-in.
import express from 'express';
import request from 'supertest';
import type { AccountRouter, AccountRouterOptions, MailMessage } from '../../lib';
import { PASSWORD, signIn, signUp, testRouter } from '../helpers/test-instance';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

let router: AccountRouter;
let app: express.Express;
let mails: MailMessage[];

function setUp(options: AccountRouterOptions = {}) {
  mails = [];
  router = testRouter({ sessionAlerts: true, mailer: async (message) => void mails.push(message), ...options });
  app = express().use('/v1', router);
}
afterEach(() => router.close());

const alerts = () => mails.filter((mail) => mail.subject.startsWith('Security alert'));
/** Alerts are sent after the answer: wait for the expected count, then a little longer for strays. */
async function alertsSettled(expected: number): Promise<MailMessage[]> {
  for (let i = 0; i < 100 && alerts().length < expected; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return alerts();
}

test('mails a second email/password session with time, device, IP and country; not the only session', async () => {
  setUp();
  await signUp(app, 'ada@example.com');
  await signIn(app, 'ada@example.com');
  expect(await alertsSettled(0)).toEqual([]);
  const res = await request(app).post('/v1/account/sessions/email').set('user-agent', CHROME).send({ email: 'ada@example.com', password: PASSWORD });
  expect(res.status).toBe(201);
  const [alert] = await alertsSettled(1);
  expect(alert).toMatchObject({ to: 'ada@example.com', subject: 'Security alert: new session on your account-router account' });
  const time = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }).format(new Date(res.body.$createdAt));
  expect(alert!.text).toContain(`Time: ${time}`);
  expect(alert!.text).toContain('Device: Chrome');
  expect(alert!.text).toContain(`IP address: ${res.body.ip}`);
  expect(alert!.text).toContain(`Country: ${res.body.countryName}`);
  expect(alert!.html).toContain('Device: Chrome');
});

test('does not mail for email-code sign-ins (the code went to that inbox), does for token sign-ins of other kinds', async () => {
  setUp();
  await signUp(app, 'bob@example.com');
  await signIn(app, 'bob@example.com');
  const token = await request(app).post('/v1/account/tokens/email').send({ userId: 'unique()', email: 'bob@example.com' });
  const code = /\b(\d{6})\b/.exec(mails[mails.length - 1]!.text)![1]!;
  expect((await request(app).post('/v1/account/sessions/token').send({ userId: token.body.userId, secret: code })).status).toBe(201);
  expect(await alertsSettled(0)).toEqual([]);
});

test('is off by default, and a failing mailer leaves the sign-in standing', async () => {
  setUp({ sessionAlerts: undefined });
  await signUp(app, 'carol@example.com');
  await signIn(app, 'carol@example.com');
  await signIn(app, 'carol@example.com');
  expect(await alertsSettled(0)).toEqual([]);
  await router.close();

  const logged: unknown[] = [];
  router = testRouter({
    sessionAlerts: true,
    mailer: async () => Promise.reject(new Error('smtp down')),
    logger: { error: (...args: unknown[]) => void logged.push(args), warn: (...args: unknown[]) => void logged.push(args) },
  });
  app = express().use('/v1', router);
  await signUp(app, 'dave@example.com');
  await signIn(app, 'dave@example.com');
  const res = await request(app).post('/v1/account/sessions/email').send({ email: 'dave@example.com', password: PASSWORD });
  expect(res.status).toBe(201);
  for (let i = 0; i < 100 && logged.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(JSON.stringify(logged)).toContain('sessionAlert');
  expect(JSON.stringify(logged)).not.toContain('dave@example.com');
});

test('refuses a non-boolean sessionAlerts', () => {
  expect(() => testRouter({ sessionAlerts: 'yes' as never })).toThrow(/sessionAlerts/);
});
