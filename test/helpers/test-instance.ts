// One test instance of account-router, in the spirit of better-auth's getTestInstance(): the router
// on in-memory SQLite with fast bcrypt, as a supertest app (`testInstance`) or on a real port for
// the official SDKs (`startTestServer`), and the shortcuts every route, security and SDK test
// shares: sign a user up and in, read the session cookie, check an Appwrite error body, move the
// clock. Tests import these instead of keeping copies of their own.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { AppwriteException, ID } from 'appwrite';
import {
  createAccountRouter,
  createSmtpMailer,
  createWebhookSms,
  type AccountRouter,
  type AccountRouterOptions,
  type MailMessage,
  type SmsMessage,
  type StorageAdapter,
} from '../../lib';
import { API_VERSION } from '../../lib/errors';
import { createSqliteAdapter } from '../../adapters/sqlite';
import { cookieClient, uniqueEmail, type SdkUser } from './sdk';
import { startSmsServer, startSmtpServer, type TestSmsServer, type TestSmtpServer } from './smtp';

/** The password of every test user unless a test says otherwise. */
export const PASSWORD = 'password123';

/** Fast bcrypt (cost 4), an in-memory SQLite, no rate limits and a silent logger, unless the test says otherwise. */
export function testRouter(options: AccountRouterOptions = {}): AccountRouter {
  return createAccountRouter({
    storage: createSqliteAdapter({ filename: ':memory:' }),
    password: { bcryptCost: 4 },
    rateLimits: false,
    logger: { error: () => undefined, warn: () => undefined },
    ...options,
  });
}

export interface TestInstance {
  router: AccountRouter;
  /** An Express app with the router at `/v1`, for supertest. */
  app: express.Express;
  storage: StorageAdapter;
  /** What the in-memory mailer received, oldest first (unless `options.mailer` replaced it). */
  mails: MailMessage[];
  /** What the in-memory SMS provider received (unless `options.sms` replaced it). */
  texts: SmsMessage[];
  close(): Promise<void>;
}

/** A router as `testRouter` makes it, with its storage at hand and mail and SMS kept in memory. */
export function testInstance(options: AccountRouterOptions = {}): TestInstance {
  const mails: MailMessage[] = [];
  const texts: SmsMessage[] = [];
  const storage = options.storage ?? createSqliteAdapter({ filename: ':memory:' });
  const router = testRouter({
    mailer: async (message) => void mails.push(message),
    sms: async (message) => void texts.push(message),
    ...options,
    storage,
  });
  return { router, app: express().use('/v1', router), storage, mails, texts, close: () => router.close() };
}

/** What `TestServer.signedIn` signs up with unless told otherwise. */
export interface TestUser {
  password?: string;
  name?: string;
}

export interface TestServer {
  /** Base URL of the mount point, e.g. http://127.0.0.1:1234/v1: the SDK's endpoint. */
  endpoint: string;
  origin: string;
  router: AccountRouter;
  app: express.Express;
  /** A new user (unique email) signed up and in through the web SDK, its session in a cookie jar. */
  signedIn(user?: TestUser): Promise<SdkUser & { email: string; password: string }>;
  /** An existing user signed in through the web SDK, in a cookie jar of its own. */
  signIn(email: string, password?: string): Promise<SdkUser>;
  close(): Promise<void>;
}

/**
 * The router on a real port (an Express app with it at `/v1` and `/me` behind `requireAccount`),
 * for the SDKs. `testUser` sets the password and name `signedIn` uses by default.
 */
export async function startTestServer(options: AccountRouterOptions = {}, config: { testUser?: TestUser } = {}): Promise<TestServer> {
  const router = testRouter(options);
  const app = express();
  app.use('/v1', router);
  app.get('/me', router.requireAccount, (req, res) => {
    res.json({ id: req.account!.user.id, via: req.account!.via });
  });
  await router.ready();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoint = `${origin}/v1`;
  const defaults = { password: PASSWORD, ...config.testUser };
  return {
    endpoint,
    origin,
    router,
    app,
    async signedIn(user = {}) {
      const { password, name } = { ...defaults, ...user };
      const client = cookieClient(endpoint);
      const email = uniqueEmail();
      await client.account.create(ID.unique(), email, password, name);
      await client.account.createEmailPasswordSession(email, password);
      return { ...client, email, password };
    },
    async signIn(email, password = defaults.password) {
      const client = cookieClient(endpoint);
      await client.account.createEmailPasswordSession(email, password);
      return client;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await router.close();
    },
  };
}

export interface DeliveringTestServer extends TestServer {
  /** Where the router's mail arrives, over SMTP. */
  smtp: TestSmtpServer;
  /** Where the router's SMS arrive, through the webhook provider. */
  sms: TestSmsServer;
}

/**
 * `startTestServer` for project `Example` with real delivery: mail from
 * `"Example" <no-reply@example.com>` through createSmtpMailer to a local smtp-server, SMS through
 * createWebhookSms to a local gateway. `close()` stops them all.
 */
export async function startDeliveringTestServer(options: AccountRouterOptions = {}, config: { testUser?: TestUser } = {}): Promise<DeliveringTestServer> {
  const [smtp, sms] = await Promise.all([startSmtpServer(), startSmsServer()]);
  const mailer = createSmtpMailer({ url: smtp.url, from: '"Example" <no-reply@example.com>' });
  const server = await startTestServer({ projectName: 'Example', mailer, sms: createWebhookSms({ url: `${sms.url}/sms` }), ...options }, config);
  return {
    ...server,
    smtp,
    sms,
    async close() {
      await server.close();
      mailer.close();
      await Promise.all([smtp.close(), sms.close()]);
    },
  };
}

/** Signs a user up (201 expected) and returns the Account. */
export async function signUp(app: express.Express, email = 'ada@example.com', extra: Record<string, unknown> = {}) {
  const res = await request(app).post('/v1/account').send({ userId: 'unique()', email, password: PASSWORD, ...extra });
  expect(res.status).toBe(201);
  return res.body as { $id: string; email: string };
}

/** Signs in by email and password (201 expected) and returns the response with its `name=value` cookie pair. */
export async function signInResponse(
  app: express.Express,
  email = 'ada@example.com',
  password = PASSWORD,
  headers: Record<string, string> = {},
): Promise<{ res: request.Response; cookie: string }> {
  const res = await request(app).post('/v1/account/sessions/email').set(headers).send({ email, password });
  expect(res.status).toBe(201);
  return { res, cookie: cookieOf(res) };
}

/** Signs in and returns the `name=value` cookie pair. */
export async function signIn(app: express.Express, email = 'ada@example.com', password = PASSWORD): Promise<string> {
  return (await signInResponse(app, email, password)).cookie;
}

/** A new user signed in: its id, its session's id and the cookie pair. `extra` goes into the sign-up (`name`, `password`). */
export async function signedIn(app: express.Express, email = 'ada@example.com', extra: { password?: string; name?: string } = {}) {
  const user = await signUp(app, email, extra);
  const { res, cookie } = await signInResponse(app, email, extra.password ?? PASSWORD);
  return { id: user.$id, sessionId: res.body.$id as string, cookie };
}

/** The `name=value` pair of the first cookie a response sets (the session cookie). */
export function cookieOf(res: request.Response): string {
  return res.headers['set-cookie']![0]!.split(';')[0]!;
}

/** An Appwrite error answer: the status, a JSON body of exactly `{message, code, type, version}`, with this type. */
export function expectError(res: request.Response, code: number, type: string): void {
  expect({ status: res.status, code: res.body.code, type: res.body.type }).toEqual({ status: code, code, type });
  expect(Object.keys(res.body)).toEqual(['message', 'code', 'type', 'version']);
  expect(res.body.version).toBe(API_VERSION);
  expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
}

/**
 * The AppwriteException an SDK call rejects with (failing the test when it resolves); pass another
 * SDK's class (appwrite28's) for its calls.
 */
export async function rejection<E extends Error = AppwriteException>(
  promise: Promise<unknown>,
  exception: abstract new (...args: never[]) => E = AppwriteException as never,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(exception);
    return error as E;
  }
  throw new Error('expected the SDK call to fail');
}

/** Runs `fn` with the clock moved forward by `ms` (only Date is faked; timers stay real). */
export async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({
    now: Date.now() + ms,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
  try {
    return await fn();
  } finally {
    jest.useRealTimers();
  }
}
