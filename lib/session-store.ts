// accounts.sessionStore(): an express-session Store on the router's storage adapter, so a host app
// keeps its own session data next to the accounts (table `host_sessions`, pruned by the router's
// timer). With `tie` a host session ends with the account session it was saved under, however
// that ends: the database deletes it with the account session. express-session is an optional
// peer dependency, loaded when the first store is made, never by importing account-router.

import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { SessionData } from 'express-session';
import type { HostSessionRecord, StorageAdapter } from '../adapters/types';
import { AccountError } from './errors';
import type { Logger } from './options';

/** Options of `accounts.sessionStore()`. */
export interface SessionStoreOptions {
  /**
   * Ties each host session to the account session its request is signed in with (as
   * `accounts.authenticate` sees it) the first time the host session is saved signed in. A tied
   * session ends with that account session, whatever ends it: signing out on this device or on
   * all, a password change that signs out the other sessions, blocking or deleting the account,
   * the account session expiring, or any code that deletes account sessions. The store keeps the
   * tie in `req.session.accountSessionId` (read-only; the name is reserved while `tie` is on).
   * `false` makes a plain store, for host sessions that must outlive sign-out.
   * @default true — signing out leaves nothing of the signed-in visit behind in the host's session.
   */
  tie?: boolean;
  /**
   * How long a session whose cookie has no expiry (express-session's default browser-session
   * cookie, `cookie.maxAge` unset) is kept after it was last saved or touched, in ms (≥ 1000).
   * A cookie with an expiry sets the session's own.
   * @default 86400000 (one day, as connect-pg-simple and connect-redis keep such sessions)
   */
  defaultMaxAgeMs?: number;
}

/**
 * A session's data as express-session hands it to a store and gets it back: what `req.session`
 * holds, as JSON (a `Date` comes back as its ISO string; express-session revives `cookie.expires`).
 */
export interface StoredSessionData {
  /**
   * express-session's `Cookie` (its JSON, `expires` as a string, when read back). Typed `any`: this
   * type must convert to express-session's own, which account-router's types cannot name without
   * requiring @types/express-session of every user.
   */
  cookie: any;
  /** With `tie`, the account session this host session is tied to; set by the store. */
  accountSessionId?: string;
}

type Done = (error?: unknown) => void;

/**
 * An express-session `Store` (an instance of express-session's own `Store` class, so its
 * `regenerate`, `load` and `createSession` helpers are there) on the router's storage. Every method
 * answers through its callback, on a later turn of the event loop; without a callback, failures go
 * to the router's `logger`.
 */
export interface ExpressSessionStore extends EventEmitter {
  /** The session's data, or null when there is none, it has expired or (tied) its account session has ended. */
  get(sid: string, callback: (error: unknown, session?: StoredSessionData | null) => void): void;
  /**
   * Saves the session (insert or replace), expiring at `cookie.expires` or after `defaultMaxAgeMs`.
   * A tied session whose account session has ended is not written (it stays ended).
   */
  set(sid: string, session: StoredSessionData, callback?: Done): void;
  /** Moves a live session's expiry to its cookie's (rolling sessions); never revives an ended one. */
  touch(sid: string, session: StoredSessionData, callback?: Done): void;
  destroy(sid: string, callback?: Done): void;
  /** Every live session's data, by sid, each with its sid as `id` (loads them all at once). */
  all(callback: (error: unknown, sessions?: (StoredSessionData & { id: string })[]) => void): void;
  /** How many sessions are live. */
  length(callback: (error: unknown, length?: number) => void): void;
  /** Deletes every host session. */
  clear(callback?: Done): void;
  /** express-session's own: destroys the request's session and generates a new one (untied until it is saved). */
  regenerate(req: IncomingMessage, callback: Done): void;
  /** express-session's own: `get`, then the data as a `Session` object. */
  load(sid: string, callback: (error: unknown, session?: StoredSessionData) => void): void;
  /** express-session's own: a `Session` on `req` from stored data (typed loosely so that this type needs no express-session types). */
  createSession(req: IncomingMessage, session: StoredSessionData): any;
}

/** What a store needs from the router that makes it. */
export interface SessionStoreContext {
  /** The router's adapter, whose `hostSessions` hold the rows. */
  storage: StorageAdapter;
  /** The router's `ready()`: storage migrated, so the table exists. */
  ready(): Promise<void>;
  now(): Date;
  logger: Logger;
  /** The id of the account session the request is signed in with, as `authenticate` resolves it, or null. */
  signedIn(req: IncomingMessage): Promise<string | null>;
}

/** Where a tied session's account session id is kept in `req.session`. */
const TIED_TO = 'accountSessionId';

function check(condition: boolean, option: string, expected: string): void {
  if (!condition) throw new TypeError(`sessionStore: option \`${option}\` must be ${expected}.`);
}

function loadExpressSession(): typeof import('express-session') {
  try {
    return require('express-session') as typeof import('express-session');
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === 'MODULE_NOT_FOUND' && String(message).includes("'express-session'")) {
      throw new Error('accounts.sessionStore() needs the express-session package: npm install express-session', { cause: error });
    }
    throw error;
  }
}

/** Builds the store for `accounts.sessionStore(options)`; throws TypeError for bad options. */
export function createSessionStore(context: SessionStoreContext, options: SessionStoreOptions = {}): ExpressSessionStore {
  const tie = options.tie ?? true;
  const defaultMaxAgeMs = options.defaultMaxAgeMs ?? 86_400_000;
  check(typeof tie === 'boolean', 'tie', 'a boolean');
  check(Number.isSafeInteger(defaultMaxAgeMs) && defaultMaxAgeMs >= 1000, 'defaultMaxAgeMs', 'an integer of at least 1000');
  const { Store } = loadExpressSession();
  const { storage, ready, now, logger } = context;

  /**
   * Runs `work` once storage is ready and answers on a later turn, outside the promise chain: a
   * callback that throws then surfaces as the host's own exception, never as a second answer.
   */
  function answer<T>(callback: ((error: unknown, value?: T) => void) | undefined, work: () => Promise<T>): void {
    ready()
      .then(work)
      .then(
        (value) => callback && setImmediate(callback, null, value),
        (error: unknown) => {
          if (callback) setImmediate(callback, error);
          else logger.error('account-router: session store failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
        },
      );
  }

  function toData(row: HostSessionRecord): SessionData {
    const data = JSON.parse(row.data) as SessionData & StoredSessionData;
    if (tie && row.accountSessionId !== null) data[TIED_TO] = row.accountSessionId;
    return data;
  }

  function expiry(session: StoredSessionData): Date {
    const expires = (session.cookie as { expires?: Date | string | null } | undefined)?.expires;
    const at = expires ? new Date(expires) : null;
    return at && !Number.isNaN(at.getTime()) ? at : new Date(now().getTime() + defaultMaxAgeMs);
  }

  /**
   * The account session a session being saved is tied to: the one it carries (loaded with it, so a
   * save racing a sign-out names the ended session and is refused), else, for a session not yet
   * tied, the one its request is signed in with. express-session's Session keeps its request as a
   * non-enumerable `req` (Session#save reaches the store through it); plain objects have none.
   */
  async function tiedTo(session: StoredSessionData): Promise<string | null> {
    const carried = session[TIED_TO];
    if (typeof carried === 'string') return carried;
    const req = (session as { req?: IncomingMessage }).req;
    if (!req) return null;
    if (req.account !== undefined) return req.account?.session.id ?? null;
    return context.signedIn(req).catch((error: unknown) => {
      // Credentials the router refuses (a bad JWT, a JWT next to a cookie) mean nobody is signed in.
      if (error instanceof AccountError) return null;
      throw error;
    });
  }

  async function toRecord(sid: string, session: StoredSessionData): Promise<HostSessionRecord> {
    if (!tie) return { id: sid, data: JSON.stringify(session), expire: expiry(session), accountSessionId: null };
    const { [TIED_TO]: _tied, ...data } = session;
    return { id: sid, data: JSON.stringify(data), expire: expiry(session), accountSessionId: await tiedTo(session) };
  }

  // Typed with express-session's own types, which its Store class declares; ExpressSessionStore
  // says the same without them, so that account-router's types do not need @types/express-session.
  class AccountRouterSessionStore extends Store {
    override get(sid: string, callback: (error: unknown, session?: SessionData | null) => void): void {
      answer(callback, async () => {
        const row = await storage.hostSessions.get(sid, now());
        return row ? toData(row) : null;
      });
    }

    override set(sid: string, session: SessionData, callback?: Done): void {
      answer(callback, async () => {
        await storage.hostSessions.set(await toRecord(sid, session), now());
      });
    }

    override touch(sid: string, session: SessionData, callback?: Done): void {
      answer(callback, async () => {
        await storage.hostSessions.touch(sid, expiry(session), now());
      });
    }

    override destroy(sid: string, callback?: Done): void {
      answer(callback, async () => {
        await storage.hostSessions.destroy(sid);
      });
    }

    override all(callback: (error: unknown, sessions?: SessionData[]) => void): void {
      answer(callback, async () => (await storage.hostSessions.all(now())).map((row) => ({ ...toData(row), id: row.id })));
    }

    override length(callback: (error: unknown, length?: number) => void): void {
      answer(callback, () => storage.hostSessions.length(now()));
    }

    override clear(callback?: Done): void {
      answer(callback, async () => {
        await storage.hostSessions.clear();
      });
    }
  }

  return new AccountRouterSessionStore() as unknown as ExpressSessionStore;
}
