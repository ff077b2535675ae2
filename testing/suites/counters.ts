// `counters`: 50 concurrent hits count 1..50 in a fixed window; later windows, decrements, resets
// and expiry sweeps.

import { times, at, T0, MINUTE } from './fixtures';
import { defineSuite } from './suite';

const windowMs = MINUTE;
const windowStart = T0 - (T0 % windowMs);

export const countersSuite = defineSuite('counters', {
  'counts 50 concurrent hits 1..50 and reports the window end': async ({ a }) => {
    const results = await Promise.all(times(50, (i) => a.counters.hit('login:ip', windowMs, at(i))));
    expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(times(50, (i) => i + 1));
    for (const result of results) expect(result.resetAt).toEqual(new Date(windowStart + windowMs));
    expect((await a.counters.hit('login:ip', windowMs, at(0))).count).toBe(51);
  },

  'starts again at 1 in a later window': async ({ a }) => {
    await a.counters.hit('key', windowMs, new Date(windowStart));
    await a.counters.hit('key', windowMs, new Date(windowStart + windowMs - 1));
    const next = await a.counters.hit('key', windowMs, new Date(windowStart + windowMs));
    expect(next).toEqual({ count: 1, resetAt: new Date(windowStart + 2 * windowMs) });
    expect((await a.counters.hit('key', windowMs, new Date(windowStart + windowMs + 5))).count).toBe(2);
  },

  'keeps counters apart by key': async ({ a }) => {
    await a.counters.hit('a', windowMs, at(0));
    await a.counters.hit('a', windowMs, at(0));
    expect((await a.counters.hit('b', windowMs, at(0))).count).toBe(1);
  },

  'takes hits back, never below zero': async ({ a }) => {
    for (let i = 0; i < 3; i++) await a.counters.hit('key', windowMs, at(0));
    await a.counters.decrement('key');
    expect((await a.counters.hit('key', windowMs, at(0))).count).toBe(3);
    for (let i = 0; i < 5; i++) await a.counters.decrement('key');
    expect((await a.counters.hit('key', windowMs, at(0))).count).toBe(1);
    await a.counters.decrement('missing');
  },

  'resets a counter': async ({ a }) => {
    await a.counters.hit('key', windowMs, at(0));
    await a.counters.hit('key', windowMs, at(0));
    await a.counters.reset('key');
    expect((await a.counters.hit('key', windowMs, at(0))).count).toBe(1);
    await a.counters.reset('missing');
  },

  'deletes counters whose window has ended': async ({ a }) => {
    await a.counters.hit('old', windowMs, new Date(windowStart - windowMs));
    await a.counters.hit('current', windowMs, new Date(windowStart));
    expect(await a.counters.deleteExpired(new Date(windowStart + 1))).toBe(1);
    expect((await a.counters.hit('current', windowMs, new Date(windowStart))).count).toBe(2);
    expect((await a.counters.hit('old', windowMs, new Date(windowStart - windowMs))).count).toBe(1);
  },
});
