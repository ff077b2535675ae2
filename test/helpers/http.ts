// supertest helpers shared by the route tests: sign-up/sign-in shortcuts, the error-body check and a
// moved clock.
import type express from 'express';
import request from 'supertest';

export const PASSWORD = 'password123';

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

export function expectError(res: request.Response, code: number, type: string): void {
  expect({ status: res.status, code: res.body.code, type: res.body.type }).toEqual({ status: code, code, type });
  expect(Object.keys(res.body)).toEqual(['message', 'code', 'type', 'version']);
}

export async function signUp(app: express.Express, email = 'ada@example.com', extra: Record<string, unknown> = {}) {
  const res = await request(app).post('/v1/account').send({ userId: 'unique()', email, password: PASSWORD, ...extra });
  expect(res.status).toBe(201);
  return res.body as { $id: string; email: string };
}

/** Signs in and returns the `name=value` cookie pair. */
export async function signIn(app: express.Express, email = 'ada@example.com', password = PASSWORD): Promise<string> {
  const res = await request(app).post('/v1/account/sessions/email').send({ email, password });
  expect(res.status).toBe(201);
  return res.headers['set-cookie']![0]!.split(';')[0]!;
}
