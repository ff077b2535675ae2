// Rate-limit counters in Redis (rate-limit-redis), for deployments that would rather not write a
// database row per limited request. Every instance given the same Redis counts together, exactly
// as they do with the default counters in the storage adapter.
import type { Options as LimiterOptions } from 'express-rate-limit';
import type { RedisReply } from 'rate-limit-redis';
import type { RateLimitStoreFactory } from './rate-limit';

/**
 * The one method the store needs: node-redis (v4/v5) clients have it as they are. For ioredis pass
 * `{ sendCommand: (args) => redis.call(args[0], ...args.slice(1)) }`.
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisRateLimitStoreOptions {
  /** Prepended to every key, so several apps can share one Redis. @default 'account-router:' */
  prefix?: string;
}

/**
 * Rate-limit counters in Redis: pass the result as `rateLimits: { store }`. The client must be
 * connected, or connecting (node-redis queues commands until it is), when the router is created;
 * closing it is the caller's business.
 *
 * ```ts
 * const redis = createClient({ url: process.env.ACCOUNT_REDIS_URL });
 * await redis.connect();
 * createAccountRouter({ storage, rateLimits: { store: createRedisRateLimitStore(redis) } });
 * ```
 */
export function createRedisRateLimitStore(
  client: RedisCommandClient,
  options: RedisRateLimitStoreOptions = {},
): RateLimitStoreFactory {
  // rate-limit-redis loads only when a Redis store is asked for.
  const { RedisStore } = require('rate-limit-redis') as typeof import('rate-limit-redis');
  /**
   * A RedisStore that recovers from a failed start: rate-limit-redis loads its Lua script once, in
   * `init`, and a load that failed (Redis unreachable while the app started) would otherwise fail
   * every later request. Here the next request loads it again.
   */
  class RecoveringRedisStore extends RedisStore {
    private loaded = false;

    override async init(options: LimiterOptions): Promise<void> {
      await super.init(options);
      this.loaded = true;
    }

    override async increment(key: string) {
      if (!this.loaded) {
        this.incrementScriptSha = this.loadIncrementScript();
        await this.incrementScriptSha;
        this.loaded = true;
      }
      return super.increment(key);
    }
  }

  const base = options.prefix ?? 'account-router:';
  const sendCommand = (...args: string[]) => client.sendCommand(args) as Promise<RedisReply>;
  return (prefix) => new RecoveringRedisStore({ sendCommand, prefix: base + prefix });
}
