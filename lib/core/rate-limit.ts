// Rate limits: one express-rate-limit instance per route and key, built when the router is
// created. Counters live in the storage adapter by default, so every process (and, with a shared
// database, every machine) counts together.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options as LimiterOptions, RateLimitRequestHandler, Store } from 'express-rate-limit';
import type { CounterStore } from '../../adapters/types';
import { AccountError } from '../errors';
import { acceptedValue, type ParamContext } from '../params';
import type { AnyRoute, RateLimitKeyPart } from '../route';

/** express-rate-limit loads only when limits are on. */
function loadRateLimit(): typeof import('express-rate-limit').rateLimit {
  return (require('express-rate-limit') as typeof import('express-rate-limit')).rateLimit;
}

/** Builds the counter store for one limiter; `prefix` separates routes and keys. */
export type RateLimitStoreFactory = (prefix: string) => Store;

/** An express-rate-limit store over the adapter's atomic counters, on the router's clock. */
export class AdapterCounterStore implements Store {
  private windowMs = 60_000;
  readonly localKeys = false;

  constructor(
    private readonly counters: CounterStore,
    readonly prefix: string,
    private readonly now: () => Date,
  ) {}

  init(options: LimiterOptions): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string) {
    const { count, resetAt } = await this.counters.hit(this.prefix + key, this.windowMs, this.now());
    return { totalHits: count, resetTime: resetAt };
  }

  async decrement(key: string): Promise<void> {
    await this.counters.decrement(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.counters.reset(this.prefix + key);
  }
}

/** What a limiter's key is built from, for one request. */
export interface RateLimitSubject {
  ip: string;
  userId: string | undefined;
  /** The raw input (query, body, path); `param:` parts go through the route's own rules. */
  params: Record<string, unknown>;
}

const SUBJECT = Symbol('rate-limit-subject');
const INFO = 'accountRouterRateLimit';
type LimitedRequest = IncomingMessage & { [SUBJECT]?: RateLimitSubject; [INFO]?: { limit: number; remaining: number; resetTime?: Date } };

function keyOf(route: AnyRoute, parts: readonly RateLimitKeyPart[], subject: RateLimitSubject, ctx: ParamContext): string {
  return parts
    .map((part) => {
      // Appwrite's {url} also holds the Host header, which a client that reaches us directly
      // chooses freely: every made-up host would be a fresh budget. One router is one project,
      // so the route's path alone names it.
      if (part === 'url') return `url:${route.path}`;
      if (part === 'ip') return `ip:${subject.ip}`;
      if (part === 'user') return `user:${subject.userId ?? ''}`;
      const name = part.slice(6);
      const value = acceptedValue(route.params[name]!, subject.params[name], ctx);
      // An absent parameter keeps its placeholder, as Appwrite's key templates do, and so does one
      // the rule refuses: such a request never reaches a lookup, so it guesses nothing, yet it is
      // counted (Appwrite counts malformed requests too) in one bucket per route, so inventing
      // ever new malformed spellings buys no fresh budget and leaves no counter row per spelling.
      // Once that bucket is spent, malformed requests are answered 429 instead of 400.
      return `${name}:${value === undefined || value === '' ? `{param-${name}}` : String(value)}`;
    })
    .join(',');
}

interface Limiter {
  middleware: RateLimitRequestHandler;
  store: Store;
  key(subject: RateLimitSubject): string;
}

/** The limiters of one route; `check` counts a request against all of them. */
export class RouteLimiter {
  private readonly limiters: Limiter[];

  constructor(route: AnyRoute, storeFor: RateLimitStoreFactory, paramContext: ParamContext) {
    const rule = route.rateLimit!;
    for (const part of rule.keys.flat()) {
      if (part.startsWith('param:') && !route.params[part.slice(6)]) throw new Error(`${route.sdk}: rate-limit key ${part} names no parameter of the route`);
    }
    this.limiters = rule.keys.map((parts) => {
      const key = (subject: RateLimitSubject) => keyOf(route, parts, subject, paramContext);
      const store = storeFor(`rl:${route.method}:${route.path}:${parts.join('+')}:`);
      const middleware = loadRateLimit()({
        windowMs: rule.windowMs,
        limit: rule.limit,
        legacyHeaders: false,
        standardHeaders: false,
        requestPropertyName: INFO,
        store,
        keyGenerator: (req) => key((req as LimitedRequest)[SUBJECT]!),
        handler: (_req, _res, next) => next(new AccountError('general_rate_limit_exceeded')),
        validate: false,
      });
      return { middleware, store, key };
    });
  }

  /**
   * Counts the request against every key of the route, then sets the X-RateLimit-* headers of the
   * key with the fewest requests left. Rejects with 429 when any key is exhausted.
   */
  async check(req: IncomingMessage, res: ServerResponse, subject: RateLimitSubject): Promise<void> {
    const limited = req as LimitedRequest;
    limited[SUBJECT] = subject;
    let tightest: { limit: number; remaining: number; resetTime?: Date } | undefined;
    let refusal: unknown;
    for (const { middleware } of this.limiters) {
      await new Promise<void>((resolve) => {
        middleware(limited as never, res as never, (error?: unknown) => {
          refusal ??= error;
          resolve();
        });
      });
      const info = limited[INFO];
      if (info && (!tightest || info.remaining < tightest.remaining)) tightest = info;
      if (refusal) break;
    }
    if (tightest) {
      res.setHeader('X-RateLimit-Limit', String(tightest.limit));
      res.setHeader('X-RateLimit-Remaining', String(tightest.remaining));
      if (tightest.resetTime) res.setHeader('X-RateLimit-Reset', String(Math.ceil(tightest.resetTime.getTime() / 1000)));
    }
    if (refusal) throw refusal;
  }

  /** A successful sign-in forgives the failures before it. */
  async reset(subject: RateLimitSubject): Promise<void> {
    await Promise.all(this.limiters.map(({ store, key }) => store.resetKey(key(subject))));
  }
}
