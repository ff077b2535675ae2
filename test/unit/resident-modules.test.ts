// What a router keeps resident: packages that a read never needs are loaded at their first use,
// not when the router is created or serves `GET /account` (issue 19: a read-only process should
// not carry bcrypt's addon, the mailer, Passport or a database driver it is not configured for).
import express from 'express';
import request from 'supertest';
import type { AccountRouter } from '../../lib';
import type { testRouter as TestRouter, cookieOf as CookieOf } from '../helpers/test-instance';

const WATCHED = ['bcrypt', 'nodemailer', 'passport', 'passport-oauth2', 'pg', 'redis', 'speakeasy', 'jsonwebtoken'] as const;

/** A fresh module registry in which each watched package records that it was loaded. */
function isolatedRouter(): { loaded: Set<string>; router: AccountRouter; cookieOf: typeof CookieOf } {
  const loaded = new Set<string>();
  let router!: AccountRouter;
  let cookieOf!: typeof CookieOf;
  jest.isolateModules(() => {
    for (const name of WATCHED) {
      jest.doMock(name, () => {
        loaded.add(name);
        return jest.requireActual(name);
      });
    }
    const helpers = require('../helpers/test-instance') as { testRouter: typeof TestRouter; cookieOf: typeof CookieOf };
    router = helpers.testRouter();
    cookieOf = helpers.cookieOf;
  });
  return { loaded, router, cookieOf };
}

describe('modules loaded at first use', () => {
  let router: AccountRouter | undefined;
  afterEach(() => router?.close());

  it('creating a router and serving GET /account (cookie and X-Appwrite-JWT) loads none of them', async () => {
    const isolated = isolatedRouter();
    router = isolated.router;
    const app = express().use('/v1', router);
    await router.ready();
    // An anonymous session involves no password, so the read path is all that runs below.
    const session = await request(app).post('/v1/account/sessions/anonymous').send({});
    expect(session.status).toBe(201);
    const cookie = isolated.cookieOf(session);
    expect((await request(app).get('/v1/account').set('Cookie', cookie)).status).toBe(200);
    expect([...isolated.loaded]).toEqual([]);
    // Minting signs with jsonwebtoken (loaded then); verifying a JWT on a read does not need it.
    const jwt = (await request(app).post('/v1/account/jwts').set('Cookie', cookie).send({})).body.jwt as string;
    isolated.loaded.delete('jsonwebtoken');
    expect((await request(app).get('/v1/account').set('X-Appwrite-JWT', jwt)).status).toBe(200);
    expect([...isolated.loaded]).toEqual([]);
  });

  it('the first password loads bcrypt', async () => {
    const isolated = isolatedRouter();
    router = isolated.router;
    const app = express().use('/v1', router);
    const res = await request(app).post('/v1/account').send({ userId: 'unique()', email: 'first@example.com', password: 'a long password 1' });
    expect(res.status).toBe(201);
    expect(isolated.loaded.has('bcrypt')).toBe(true);
  });
});

describe('the example app', () => {
  it('mounts /mcp and reports it without loading the MCP SDK (test/idp/mcp.test.ts calls a tool through it)', async () => {
    const loaded = new Set<string>();
    const sdkModules = ['@modelcontextprotocol/sdk/server/mcp.js', '@modelcontextprotocol/sdk/server/streamableHttp.js'];
    let exampleApp!: typeof import('../../example-app/app');
    jest.isolateModules(() => {
      for (const name of sdkModules) {
        jest.doMock(name, () => {
          loaded.add(name);
          return jest.requireActual(name);
        });
      }
      exampleApp = require('../../example-app/app') as typeof import('../../example-app/app');
    });
    const config = exampleApp.configFromEnv({ ACCOUNT_DATABASE: ':memory:' });
    const { app, accounts } = exampleApp.createExampleApp(config, () => undefined);
    try {
      expect(exampleApp.startupSummary(config).find((line) => line.startsWith('MCP: '))).toMatch(/^MCP: http:\/\/127\.0\.0\.1:3000\/mcp /);
      expect((await request(app).get('/v1/account')).status).toBe(401);
      // Without a token the guard answers before the SDK is needed.
      expect((await request(app).post('/mcp').send({})).status).toBe(401);
      expect([...loaded]).toEqual([]);
    } finally {
      await accounts.close();
    }
  });
});
