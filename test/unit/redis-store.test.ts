// createRedisRateLimitStore: rate-limit counters in a real Redis, shared by several routers.
import express from 'express';
import request from 'supertest';
import { createRedisRateLimitStore, type AccountRouter } from '../../lib';
import { expectError, PASSWORD, testRouter } from '../helpers/test-instance';
import { connectRedis, describeRedis, newRedisPrefix, type TestRedisClient } from '../helpers/redis';

describeRedis('createRedisRateLimitStore', () => {
  let redis: TestRedisClient;
  let prefix: string;
  const routers: AccountRouter[] = [];

  function app(store = createRedisRateLimitStore(redis, { prefix })): express.Express {
    const router = testRouter({ rateLimits: { store } });
    routers.push(router);
    return express().use('/v1', router);
  }

  const signUp = (target: express.Express, i: number) =>
    request(target)
      .post('/v1/account')
      .send({ userId: 'unique()', email: `u${i}@example.com`, password: PASSWORD });

  beforeAll(async () => {
    redis = await connectRedis();
  });

  beforeEach(() => {
    prefix = newRedisPrefix();
  });

  afterEach(async () => {
    await Promise.all(routers.splice(0).map((router) => router.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(keys);
  });

  afterAll(async () => {
    await redis.close();
  });

  it('counts requests to two routers (each with its own database) together: the 11th sign-up is refused', async () => {
    const a = app();
    const b = app();
    for (let i = 0; i < 10; i++) {
      const res = await signUp(i % 2 ? b : a, i);
      expect(res.status).toBe(201);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(9 - i));
    }
    expectError(await signUp(a, 10), 429, 'general_rate_limit_exceeded');
    expectError(await signUp(b, 11), 429, 'general_rate_limit_exceeded');
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toEqual([`${prefix}rl:post:/account:url+ip:url:/account,ip:127.0.0.1`]);
    const ttl = await redis.pTTL(keys[0]);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('increments, takes back and resets one key', async () => {
    const store = createRedisRateLimitStore(redis, { prefix })('unit:');
    await store.init!({ windowMs: 60_000 } as never);
    expect((await store.increment('k')).totalHits).toBe(1);
    expect((await store.increment('k')).totalHits).toBe(2);
    await store.decrement('k');
    expect((await store.increment('k')).totalHits).toBe(2);
    await store.resetKey('k');
    const { totalHits, resetTime } = await store.increment('k');
    expect(totalHits).toBe(1);
    expect(resetTime!.getTime()).toBeGreaterThan(Date.now() + 55_000);
  });

  it('works once Redis becomes reachable after a failed start', async () => {
    // express-rate-limit logs the failed start; that is expected here.
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let connected = false;
    // A client that refuses every command until "connected", as one does while Redis is down.
    const flaky = {
      sendCommand: (args: string[]) => (connected ? redis.sendCommand(args) : Promise.reject(new Error('connection refused'))),
    };
    const target = app(createRedisRateLimitStore(flaky, { prefix }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    connected = true;
    const res = await signUp(target, 0);
    expect(res.status).toBe(201);
    expect(res.headers['x-ratelimit-remaining']).toBe('9');
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
