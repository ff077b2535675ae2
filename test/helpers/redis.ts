// A real Redis server for the tests that need one, named by ACCOUNT_TEST_REDIS_URL (started by
// `bash scripts/ci-services.sh`). Without it jest reports those suites as skipped.

import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { describeIf } from './describe-if';

/** The server the Redis tests use, or undefined when they are to be skipped. */
export const redisUrl: string | undefined = process.env.ACCOUNT_TEST_REDIS_URL || undefined;

/** `describe` for suites that need Redis. */
export const describeRedis = describeIf(
  redisUrl !== undefined,
  'set ACCOUNT_TEST_REDIS_URL to run it (eval "$(bash scripts/ci-services.sh)" starts a server and sets it)',
);

export type TestRedisClient = ReturnType<typeof createClient>;

/** A connected client; `close()` it when done. */
export async function connectRedis(): Promise<TestRedisClient> {
  const client = createClient({ url: redisUrl });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A key prefix no other test uses, so tests share the server without clearing it. */
export function newRedisPrefix(): string {
  return `account-router-test:${randomBytes(6).toString('hex')}:`;
}
