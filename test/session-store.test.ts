// accounts.sessionStore() under express-session itself, over HTTP (supertest agents are the
// browsers), on SQLite and PostgreSQL: data across requests, expiry, rolling touches, all/length/
// clear, the store contract express-session's README sets out, and sign-out coherence: whichever
// way the account session ends, the host session tied to it is gone.
import { EventEmitter } from 'node:events';
import express from 'express';
import session, { Store } from 'express-session';
import request from 'supertest';
import { createSqliteAdapter } from '../adapters/sqlite';
import type { StorageAdapter } from '../adapters/types';
import type { AccountRouter, ExpressSessionStore, SessionStoreOptions } from '../lib';
import { createTestAdapter, describePostgres, destroyTestAdapter } from './helpers/postgres';
import { PASSWORD, later, signUp, testRouter } from './helpers/test-instance';

declare module 'express-session' {
  interface SessionData {
    cart?: string[];
    accountSessionId?: string;
  }
}

const HOUR = 3_600_000;

interface Host {
  accounts: AccountRouter;
  store: ExpressSessionStore;
  app: express.Express;
  /** Resolves the next request to /slow that is waiting; see that route. */
  release(): void;
  /** Settles when a request to /slow has loaded its session and is waiting. */
  slowEntered: Promise<void>;
}

interface HostOptions {
  store?: SessionStoreOptions;
  session?: Partial<session.SessionOptions>;
  /** Mount express-session in front of the router, so API requests load and save it too. */
  sessionFirst?: boolean;
  /** Mount `accounts.authenticate` after express-session (the store then reads req.account). */
  authenticate?: boolean;
  logger?: { error: jest.Mock; warn: jest.Mock };
}

/** `s:<sid>.<signature>` → sid. */
function sidOf(res: request.Response): string {
  const cookie = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith('connect.sid='));
  if (!cookie) throw new Error('no connect.sid cookie in the response');
  return decodeURIComponent(cookie.split(';')[0]!.slice('connect.sid='.length)).replace(/^s:/, '').replace(/\.[^.]*$/, '');
}

function hostCookie(res: request.Response): string {
  return (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('connect.sid='))!.split(';')[0]!;
}

const call = <T>(fn: (cb: (error: unknown, value?: T) => void) => void): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));

function defineTests(createStorage: () => Promise<StorageAdapter>, destroyStorage: (storage: StorageAdapter) => Promise<void>): void {
  let storage: StorageAdapter;
  const hosts: AccountRouter[] = [];

  beforeEach(async () => {
    storage = await createStorage();
  });

  afterEach(async () => {
    // Each router stops its prune timer; closing their shared adapter again is harmless.
    for (const accounts of hosts.splice(0)) await accounts.ready().finally(() => accounts.close());
    await destroyStorage(storage);
  });

  function host(options: HostOptions = {}): Host {
    const accounts = testRouter({ storage, ...(options.logger ? { logger: options.logger } : {}) });
    hosts.push(accounts);
    const store = accounts.sessionStore(options.store);
    const app = express();
    const sessions = session({ store, secret: 'host secret', resave: false, saveUninitialized: false, ...options.session });
    if (options.sessionFirst) app.use(sessions);
    app.use('/v1', accounts);
    if (!options.sessionFirst) app.use(sessions);
    if (options.authenticate) app.use(accounts.authenticate);
    app.use(express.json());
    app.post('/cart', (req, res) => {
      req.session.cart = [...(req.session.cart ?? []), String(req.body.item)];
      res.json({ cart: req.session.cart });
    });
    app.get('/cart', (req, res) => res.json({ cart: req.session.cart ?? [], tie: req.session.accountSessionId ?? null }));
    let release!: () => void;
    let entered!: () => void;
    const slowEntered = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A request that loads the session, waits, then writes it: what a slow request in flight during a sign-out does.
    app.post('/slow', async (req, res) => {
      entered();
      await gate;
      req.session.cart = [...(req.session.cart ?? []), 'late'];
      res.json({ cart: req.session.cart });
    });
    app.post('/regenerate', (req, res, next) => req.session.regenerate((error) => (error ? next(error) : res.json({ ok: true }))));
    return { accounts, store, app, release, slowEntered };
  }

  /** A browser signed in as `email`, and the id of its account session. */
  async function browser(app: express.Express, email: string): Promise<{ agent: request.Agent; accountSessionId: string }> {
    const agent = request.agent(app);
    const res = await agent.post('/v1/account/sessions/email').send({ email, password: PASSWORD });
    expect(res.status).toBe(201);
    return { agent, accountSessionId: res.body.$id as string };
  }

  async function cart(agent: request.Agent): Promise<{ cart: string[]; tie: string | null }> {
    const res = await agent.get('/cart');
    expect(res.status).toBe(200);
    return res.body as { cart: string[]; tie: string | null };
  }

  /** Two signed-in browsers of one user, each with a host session holding a cart item. */
  async function twoDevices(h: Host) {
    await signUp(h.app, 'ada@example.com');
    const phone = await browser(h.app, 'ada@example.com');
    const laptop = await browser(h.app, 'ada@example.com');
    await phone.agent.post('/cart').send({ item: 'phone item' }).expect(200);
    await laptop.agent.post('/cart').send({ item: 'laptop item' }).expect(200);
    expect(await cart(phone.agent)).toEqual({ cart: ['phone item'], tie: phone.accountSessionId });
    expect(await cart(laptop.agent)).toEqual({ cart: ['laptop item'], tie: laptop.accountSessionId });
    return { phone, laptop };
  }

  describe('data across requests', () => {
    it('keeps each browser\'s data across requests, untied for guests', async () => {
      const h = host();
      const first = request.agent(h.app);
      const second = request.agent(h.app);
      await first.post('/cart').send({ item: 'a' }).expect(200);
      await first.post('/cart').send({ item: 'b' }).expect(200);
      await second.post('/cart').send({ item: 'c' }).expect(200);
      expect(await cart(first)).toEqual({ cart: ['a', 'b'], tie: null });
      expect(await cart(second)).toEqual({ cart: ['c'], tie: null });
      expect(await call<number>((cb) => h.store.length(cb))).toBe(2);
    });

    it('saves nothing for a visit that stores nothing (saveUninitialized: false holds)', async () => {
      const h = host();
      await signUp(h.app, 'ada@example.com');
      const { agent } = await browser(h.app, 'ada@example.com');
      expect(await cart(agent)).toEqual({ cart: [], tie: null });
      expect(await call<number>((cb) => h.store.length(cb))).toBe(0);
    });

    it.each([
      ['resolving the caller itself', false],
      ['reading req.account from accounts.authenticate', true],
    ])('ties a session first saved signed in to that account session (%s)', async (_, authenticate) => {
      const h = host({ authenticate });
      await signUp(h.app, 'ada@example.com');
      const { agent, accountSessionId } = await browser(h.app, 'ada@example.com');
      await agent.post('/cart').send({ item: 'a' }).expect(200);
      expect(await cart(agent)).toEqual({ cart: ['a'], tie: accountSessionId });
    });

    it('ties a guest\'s session at its first save after signing in, keeping the guest data', async () => {
      const h = host();
      await signUp(h.app, 'ada@example.com');
      const agent = request.agent(h.app);
      await agent.post('/cart').send({ item: 'guest' }).expect(200);
      expect(await cart(agent)).toEqual({ cart: ['guest'], tie: null });
      const res = await agent.post('/v1/account/sessions/email').send({ email: 'ada@example.com', password: PASSWORD });
      await agent.post('/cart').send({ item: 'signed in' }).expect(200);
      expect(await cart(agent)).toEqual({ cart: ['guest', 'signed in'], tie: res.body.$id });
      await agent.delete('/v1/account/sessions/current').expect(204);
      expect(await cart(agent)).toEqual({ cart: [], tie: null });
    });

    it('ties a regenerated session again at its next save', async () => {
      const h = host();
      await signUp(h.app, 'ada@example.com');
      const { agent, accountSessionId } = await browser(h.app, 'ada@example.com');
      const before = await agent.post('/cart').send({ item: 'a' }).expect(200);
      const regenerated = await agent.post('/regenerate').expect(200);
      expect(sidOf(regenerated)).not.toBe(sidOf(before));
      expect(await call((cb) => h.store.get(sidOf(before), cb))).toBeNull();
      await agent.post('/cart').send({ item: 'b' }).expect(200);
      expect(await cart(agent)).toEqual({ cart: ['b'], tie: accountSessionId });
    });
  });

  describe('sign-out coherence: the tied host session ends with its account session', () => {
    it('signing out on this device (DELETE /account/sessions/current) ends its host session only', async () => {
      const h = host();
      const { phone, laptop } = await twoDevices(h);
      await phone.agent.delete('/v1/account/sessions/current').expect(204);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
      expect(await cart(laptop.agent)).toEqual({ cart: ['laptop item'], tie: laptop.accountSessionId });
      expect(await call<number>((cb) => h.store.length(cb))).toBe(1);
    });

    it('signing out another session by id (DELETE /account/sessions/:id) ends that device\'s host session', async () => {
      const h = host();
      const { phone, laptop } = await twoDevices(h);
      await laptop.agent.delete(`/v1/account/sessions/${phone.accountSessionId}`).expect(204);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
      expect(await cart(laptop.agent)).toEqual({ cart: ['laptop item'], tie: laptop.accountSessionId });
    });

    it('signing out on all devices (DELETE /account/sessions) ends every host session of the user', async () => {
      const h = host();
      const { phone, laptop } = await twoDevices(h);
      await signUp(h.app, 'bob@example.com');
      const bob = await browser(h.app, 'bob@example.com');
      await bob.agent.post('/cart').send({ item: 'bob item' }).expect(200);
      await laptop.agent.delete('/v1/account/sessions').expect(204);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
      expect(await cart(laptop.agent)).toEqual({ cart: [], tie: null });
      expect(await cart(bob.agent)).toEqual({ cart: ['bob item'], tie: bob.accountSessionId });
      expect(await call<number>((cb) => h.store.length(cb))).toBe(1);
    });

    it('a password change (PATCH /account/password) ends the other devices\' host sessions, keeping the caller\'s', async () => {
      const h = host();
      const { phone, laptop } = await twoDevices(h);
      await laptop.agent.patch('/v1/account/password').send({ password: 'a new password 1', oldPassword: PASSWORD }).expect(200);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
      expect(await cart(laptop.agent)).toEqual({ cart: ['laptop item'], tie: laptop.accountSessionId });
    });

    it('blocking the account (PATCH /account/status) ends every host session of the user', async () => {
      const h = host();
      const { phone, laptop } = await twoDevices(h);
      await phone.agent.patch('/v1/account/status').expect(200);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
      expect(await cart(laptop.agent)).toEqual({ cart: [], tie: null });
      expect(await call<number>((cb) => h.store.length(cb))).toBe(0);
    });

    it('deleting the account (DELETE /account) ends every host session of the user', async () => {
      const h = host();
      const { phone, laptop } = await twoDevices(h);
      await phone.agent.delete('/v1/account').expect(204);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
      expect(await cart(laptop.agent)).toEqual({ cart: [], tie: null });
      expect(await call<number>((cb) => h.store.length(cb))).toBe(0);
    });

    it('an account session that expires takes its host session with it', async () => {
      const h = host({ store: { defaultMaxAgeMs: 400 * 24 * HOUR } });
      const { phone } = await twoDevices(h);
      const yearAndADay = 366 * 24 * HOUR;
      await later(yearAndADay, async () => {
        expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
        expect(await call<number>((cb) => h.store.length(cb))).toBe(0);
      });
    });

    it('code that deletes account sessions directly (a later admin API) takes the host sessions along', async () => {
      const h = host();
      const { phone, laptop } = await twoDevices(h);
      await storage.sessions.delete(phone.accountSessionId);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
      expect(await cart(laptop.agent)).toEqual({ cart: ['laptop item'], tie: laptop.accountSessionId });
    });

    it('holds with express-session in front of the router, resaving and rolling on the sign-out request itself', async () => {
      const h = host({ sessionFirst: true, session: { resave: true, rolling: true } });
      const { phone } = await twoDevices(h);
      await phone.agent.delete('/v1/account/sessions/current').expect(204);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
    });

    it('a request that loaded the session before the sign-out and saves after it does not bring the data back', async () => {
      const h = host();
      const { phone } = await twoDevices(h);
      const slow = phone.agent.post('/slow').then((res) => res);
      await h.slowEntered;
      await phone.agent.delete('/v1/account/sessions/current').expect(204);
      h.release();
      expect((await slow).status).toBe(200);
      expect(await cart(phone.agent)).toEqual({ cart: [], tie: null });
      expect(await call<number>((cb) => h.store.length(cb))).toBe(1);
    });

    it('keeps host sessions through sign-out with tie: false', async () => {
      const h = host({ store: { tie: false } });
      await signUp(h.app, 'ada@example.com');
      const { agent } = await browser(h.app, 'ada@example.com');
      await agent.post('/cart').send({ item: 'kept' }).expect(200);
      await agent.delete('/v1/account/sessions/current').expect(204);
      expect(await cart(agent)).toEqual({ cart: ['kept'], tie: null });
    });
  });

  describe('expiry', () => {
    it('ends a session at its cookie\'s expiry', async () => {
      const h = host({ session: { cookie: { maxAge: HOUR } } });
      const res = await request(h.app).post('/cart').send({ item: 'a' }).expect(200);
      const cookie = hostCookie(res);
      const get = () => request(h.app).get('/cart').set('Cookie', cookie);
      await later(HOUR - 60_000, async () => expect((await get()).body.cart).toEqual(['a']));
      // That read touched the session: it now ends an hour after it, a minute before this one.
      await later(2 * HOUR, async () => expect((await get()).body.cart).toEqual([]));
    });

    it('keeps a session with a browser-session cookie for defaultMaxAgeMs after its last save or touch', async () => {
      const h = host({ store: { defaultMaxAgeMs: HOUR } });
      const agent = request.agent(h.app);
      await agent.post('/cart').send({ item: 'a' }).expect(200);
      await later(HOUR - 60_000, async () => expect((await cart(agent)).cart).toEqual(['a']));
      await later(2 * HOUR + 60_000, async () => expect((await cart(agent)).cart).toEqual([]));
    });

    it('moves the expiry on every request (touch), so an active rolling session lives on', async () => {
      const h = host({ session: { rolling: true, cookie: { maxAge: HOUR } } });
      const res = await request(h.app).post('/cart').send({ item: 'a' }).expect(200);
      const cookie = hostCookie(res);
      const get = () => request(h.app).get('/cart').set('Cookie', cookie);
      for (const minutes of [50, 100, 150]) {
        await later(minutes * 60_000, async () => expect((await get()).body.cart).toEqual(['a']));
      }
      await later(150 * 60_000 + HOUR, async () => expect((await get()).body.cart).toEqual([]));
    });

    it('deletes expired host sessions on the router\'s prune timer', async () => {
      const accounts = testRouter({ storage, pruneIntervalMs: 20 });
      hosts.push(accounts);
      await accounts.ready();
      const stale = { id: 'stale', data: '{"cookie":{}}', expire: new Date(Date.now() - 1), accountSessionId: null };
      expect(await storage.hostSessions.set(stale, new Date())).toBe(true);
      // Read as of the epoch, before the row expired: it is found for as long as it is stored.
      const stored = () => storage.hostSessions.get('stale', new Date(0));
      for (let i = 0; i < 200 && (await stored()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await stored()).toBeNull();
    });
  });

  describe('all, length and clear', () => {
    it('lists and counts the live sessions with their sids, and clear ends them all', async () => {
      const h = host({ session: { cookie: { maxAge: HOUR } } });
      await signUp(h.app, 'ada@example.com');
      const guest = request.agent(h.app);
      const guestRes = await guest.post('/cart').send({ item: 'guest' }).expect(200);
      const ada = await browser(h.app, 'ada@example.com');
      const adaRes = await ada.agent.post('/cart').send({ item: 'ada' }).expect(200);
      const all = await call<{ id: string; cart?: string[]; accountSessionId?: string }[]>((cb) => h.store.all(cb));
      const listed = all!.map((data) => ({ id: data.id, cart: data.cart, accountSessionId: data.accountSessionId }));
      expect(listed.sort((a, b) => String(a.cart).localeCompare(String(b.cart)))).toEqual([
        { id: sidOf(adaRes), cart: ['ada'], accountSessionId: ada.accountSessionId },
        { id: sidOf(guestRes), cart: ['guest'], accountSessionId: undefined },
      ]);
      expect(await call<number>((cb) => h.store.length(cb))).toBe(2);
      await later(2 * HOUR, async () => {
        expect(await call((cb) => h.store.all(cb))).toEqual([]);
        expect(await call<number>((cb) => h.store.length(cb))).toBe(0);
      });
      await call((cb) => h.store.clear(cb));
      expect(await cart(guest)).toEqual({ cart: [], tie: null });
      expect(await cart(ada.agent)).toEqual({ cart: [], tie: null });
      expect(await call<number>((cb) => h.store.length(cb))).toBe(0);
    });
  });

  describe('the store contract in express-session\'s README', () => {
    it('is an express-session Store (an EventEmitter) with the required, recommended and optional methods', () => {
      const { store } = host();
      expect(store).toBeInstanceOf(Store);
      expect(store).toBeInstanceOf(EventEmitter);
      for (const method of ['get', 'set', 'destroy', 'touch', 'all', 'length', 'clear', 'regenerate', 'load', 'createSession'] as const) {
        expect(typeof store[method]).toBe('function');
      }
    });

    it('answers get with null for an unknown sid, always on a later turn', async () => {
      const { store } = host();
      let answered = false;
      const result = new Promise((resolve) =>
        store.get('unknown', (error, value) => {
          answered = true;
          resolve([error, value]);
        }),
      );
      expect(answered).toBe(false);
      expect(await result).toEqual([null, null]);
    });

    it('round-trips the data as JSON: a Date becomes its ISO string, and load() revives cookie.expires', async () => {
      const { store } = host();
      const expires = new Date(Date.now() + HOUR);
      const data = { cookie: { originalMaxAge: HOUR, expires, httpOnly: true, path: '/' }, when: new Date(0), nested: { list: [1, 'two', null, true] }, text: 'Zoë 🚀' };
      await call((cb) => store.set('sid-1', data, cb));
      expect(await call((cb) => store.get('sid-1', cb))).toEqual({ ...data, cookie: { ...data.cookie, expires: expires.toISOString() }, when: '1970-01-01T00:00:00.000Z' });
      const loaded = (await call<{ cookie: { expires: Date } }>((cb) => store.load('sid-1', cb)))!;
      expect(loaded.cookie.expires).toBeInstanceOf(Date);
      expect(loaded.cookie.expires.getTime()).toBe(expires.getTime());
      await call((cb) => store.destroy('sid-1', cb));
      expect(await call((cb) => store.get('sid-1', cb))).toBeNull();
      expect(await call((cb) => store.load('sid-1', cb))).toBeUndefined();
    });

    it('touch moves the expiry to the cookie\'s, and never brings back a destroyed session', async () => {
      const { store } = host();
      await call((cb) => store.set('sid-1', { cookie: { expires: new Date(Date.now() + 60_000) } }, cb));
      await call((cb) => store.touch('sid-1', { cookie: { expires: new Date(Date.now() + 2 * HOUR) } }, cb));
      await later(HOUR, async () => expect(await call((cb) => store.get('sid-1', cb))).not.toBeNull());
      await call((cb) => store.destroy('sid-1', cb));
      await call((cb) => store.touch('sid-1', { cookie: { expires: new Date(Date.now() + 2 * HOUR) } }, cb));
      expect(await call((cb) => store.get('sid-1', cb))).toBeNull();
    });

    it('ties data written with set() directly only through accountSessionId, refusing an ended account session', async () => {
      const h = host();
      await signUp(h.app, 'ada@example.com');
      const { accountSessionId } = await browser(h.app, 'ada@example.com');
      const cookie = { expires: new Date(Date.now() + HOUR) };
      await call((cb) => h.store.set('plain', { cookie }, cb));
      await call((cb) => h.store.set('tied', { cookie, accountSessionId }, cb));
      await call((cb) => h.store.set('ended', { cookie, accountSessionId: 'no-such-session' }, cb));
      expect(await call((cb) => h.store.get('plain', cb))).toEqual({ cookie: { expires: cookie.expires.toISOString() } });
      expect(await call((cb) => h.store.get('tied', cb))).toEqual({ cookie: { expires: cookie.expires.toISOString() }, accountSessionId });
      expect(await call((cb) => h.store.get('ended', cb))).toBeNull();
      await storage.sessions.delete(accountSessionId);
      expect(await call((cb) => h.store.get('tied', cb))).toBeNull();
    });

    it('passes database failures to every method\'s callback, to express-session\'s next(), and to the logger without one', async () => {
      const logger = { error: jest.fn(), warn: jest.fn() };
      const h = host({ logger });
      const agent = request.agent(h.app);
      await agent.post('/cart').send({ item: 'a' }).expect(200);
      await h.accounts.ready();
      await storage.close();
      const cookie = { expires: new Date(Date.now() + HOUR) };
      const methods = {
        get: call((cb) => h.store.get('sid', cb)),
        set: call((cb) => h.store.set('sid', { cookie }, cb)),
        touch: call((cb) => h.store.touch('sid', { cookie }, cb)),
        destroy: call((cb) => h.store.destroy('sid', cb)),
        all: call((cb) => h.store.all(cb)),
        length: call((cb) => h.store.length(cb)),
        clear: call((cb) => h.store.clear(cb)),
      };
      const outcomes = await Promise.allSettled(Object.values(methods));
      // By shape: better-sqlite3's errors come from another realm than jest's Error.
      const failed = (outcome: PromiseSettledResult<unknown>) =>
        outcome.status === 'rejected' && typeof (outcome.reason as Error | undefined)?.message === 'string';
      expect(Object.fromEntries(Object.keys(methods).map((name, i) => [name, failed(outcomes[i]!)]))).toEqual(
        Object.fromEntries(Object.keys(methods).map((name) => [name, true])),
      );
      expect((await agent.get('/cart')).status).toBe(500);
      h.store.destroy('sid');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(logger.error).toHaveBeenCalledWith('account-router: session store failed', { error: expect.any(String) });
    });

    it('refuses bad options with a TypeError naming the option', () => {
      const { accounts } = host();
      expect(() => accounts.sessionStore({ tie: 'yes' as unknown as boolean })).toThrow(new TypeError('sessionStore: option `tie` must be a boolean.'));
      expect(() => accounts.sessionStore({ defaultMaxAgeMs: 10 })).toThrow(new TypeError('sessionStore: option `defaultMaxAgeMs` must be an integer of at least 1000.'));
    });
  });
}

describe('express-session on the SQLite adapter', () => {
  defineTests(
    async () => createSqliteAdapter({ filename: ':memory:' }),
    (storage) => storage.close(),
  );
});

describePostgres('express-session on the PostgreSQL adapter', () => {
  defineTests(() => createTestAdapter(), destroyTestAdapter);
});
