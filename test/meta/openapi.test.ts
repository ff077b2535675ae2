// The OpenAPI document is generated from the route table: it must validate as OpenAPI 3.1 and list
// exactly the method/path pairs the router answers.
import express from 'express';
import request from 'supertest';
import { validate } from '@readme/openapi-parser';
import { testRouter } from '../helpers/test-instance';
import type { AccountRouter } from '../../lib';

let router: AccountRouter;
beforeAll(() => {
  router = testRouter({ openapi: true });
});
afterAll(() => router.close());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

it('validates as an OpenAPI 3.1 document', async () => {
  const result = await validate(structuredClone(router.openapi()) as never);
  expect(result).toMatchObject({ valid: true, warnings: [] });
  const broken = structuredClone(router.openapi()) as { paths: Record<string, Record<string, { operationId?: unknown }>> };
  broken.paths['/account']!.get!.operationId = 42;
  expect((await validate(broken as never)).valid).toBe(false);
});

it('lists every route and alias of the table, and nothing else, each answered by the router', async () => {
  const doc = router.openapi() as { paths: Record<string, Record<string, { operationId: string }>> };
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
  const served = router.routes.flatMap((r) => [r.path, ...(r.aliases ?? [])].map((p) => `${r.method} ${p.replace(/:([A-Za-z]+)/g, '{$1}')}`));
  expect(documented.sort()).toEqual(served.sort());
  const app = express().use('/v1', router);
  for (const entry of documented) {
    const [method, path] = entry.split(' ') as [(typeof METHODS)[number], string];
    const res = await request(app)[method]('/v1' + path.replace(/\{[A-Za-z]+\}/g, 'current'));
    expect([entry, res.body.type]).not.toEqual([entry, 'general_route_not_found']);
  }
  const operationIds = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
  expect(new Set(operationIds).size).toBe(operationIds.length);
  expect(operationIds).toEqual(expect.arrayContaining(['create', 'get', 'createEmailPasswordSession', 'listSessions', 'createJWT']));
});

it('describes parameters, models, rate limits and security from the table', () => {
  const doc = router.openapi() as any;
  const signIn = doc.paths['/account/sessions/email'].post;
  expect(signIn.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
  expect(signIn.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/session');
  expect(signIn.responses['429']['x-appwrite-error-types']).toEqual(['general_rate_limit_exceeded']);
  expect(signIn['x-rate-limit']).toEqual({ limit: 10, windowSeconds: 3600, keys: [['url', 'param:email']], resetOnSuccess: true });
  expect(doc.paths['/account/sessions'].post.deprecated).toBe(true);
  expect(doc.paths['/account'].get.security).toEqual([{ sessionCookie: [] }, { sessionHeader: [] }, { jwt: [] }]);
  expect(doc.components.securitySchemes.sessionCookie).toEqual({ type: 'apiKey', in: 'cookie', name: 'a_session_default' });
  expect(Object.keys(doc.components.schemas.account.properties)).toContain('targets');
  expect(doc.components.schemas.session.properties.expire).toEqual({ type: 'string', format: 'date-time' });
});

it('is served at <mount>/openapi.json only when the option is on', async () => {
  const res = await request(express().use('/v1', router)).get('/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.servers).toEqual([{ url: '/v1' }]);
  const off = testRouter();
  expect((await request(express().use('/v1', off)).get('/v1/openapi.json')).body.type).toBe('general_route_not_found');
  await off.close();
});
