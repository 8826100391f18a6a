import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorBodySchema } from '../../../shared/sync/protocol';
import { ApiError, parseBody, registerErrorHandling, toApiError } from './errors';

const Body = z.strictObject({ name: z.string().min(1), count: z.int().min(0) });

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function build(logged: unknown[] = []): FastifyInstance {
  const instance = Fastify({ logger: false, bodyLimit: 64 });
  registerErrorHandling(instance, { log: (error) => logged.push(error) });
  instance.post('/api/thing', async (request) => parseBody(Body, request.body));
  instance.post('/api/zod', async (request) => Body.parse(request.body));
  instance.get('/api/forbidden', async () => {
    throw new ApiError('forbidden', 'Not your grid.', { scope: '110101010027001' });
  });
  instance.get('/api/bug', async () => {
    throw new Error('SELECT * FROM secrets failed');
  });
  app = instance;
  return instance;
}

function errorOf(payload: string) {
  return ErrorBodySchema.parse(JSON.parse(payload)).error;
}

describe('error handling', () => {
  it('passes a good body through parseBody', async () => {
    const res = await build().inject({
      method: 'POST',
      url: '/api/thing',
      payload: { name: 'a', count: 1 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'a', count: 1 });
  });

  it('answers a bad body with 400 bad-request listing every issue', async () => {
    const res = await build().inject({
      method: 'POST',
      url: '/api/thing',
      payload: { name: '', count: -1 },
    });
    expect(res.statusCode).toBe(400);
    const error = errorOf(res.payload);
    expect(error.code).toBe('bad-request');
    expect(error.details).toEqual({
      issues: [
        { path: 'name', message: expect.any(String) },
        { path: 'count', message: expect.any(String) },
      ],
    });
  });

  it('turns a zod error thrown by schema.parse into bad-request too', async () => {
    const res = await build().inject({ method: 'POST', url: '/api/zod', payload: { name: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.payload).code).toBe('bad-request');
  });

  it('sends an ApiError with its status, code, message and details', async () => {
    const res = await build().inject({ method: 'GET', url: '/api/forbidden' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: {
        code: 'forbidden',
        message: 'Not your grid.',
        details: { scope: '110101010027001' },
      },
    });
  });

  it('hides unexpected errors behind a generic 500 and logs them', async () => {
    const logged: unknown[] = [];
    const res = await build(logged).inject({ method: 'GET', url: '/api/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: 'Internal server error.' } });
    expect(res.payload).not.toContain('secrets');
    expect(logged).toHaveLength(1);
    expect(String(logged[0])).toContain('SELECT');
  });

  it('maps a body over the limit to 413 body-too-large', async () => {
    const res = await build().inject({
      method: 'POST',
      url: '/api/thing',
      payload: { name: 'x'.repeat(200), count: 1 },
    });
    expect(res.statusCode).toBe(413);
    expect(errorOf(res.payload).code).toBe('body-too-large');
  });

  it('maps invalid JSON, an empty JSON body and a wrong content type to bad-request', async () => {
    const server = build();
    const invalid = await server.inject({
      method: 'POST',
      url: '/api/thing',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(invalid.statusCode).toBe(400);
    expect(errorOf(invalid.payload).code).toBe('bad-request');
    const empty = await server.inject({
      method: 'POST',
      url: '/api/thing',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(errorOf(empty.payload).code).toBe('bad-request');
    const xml = await server.inject({
      method: 'POST',
      url: '/api/thing',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(400);
    expect(errorOf(xml.payload).message).toContain('application/json');
  });

  it('answers an unknown route with 404 not-found', async () => {
    const res = await build().inject({ method: 'GET', url: '/api/nothing?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not-found', message: 'No such endpoint: GET /api/nothing' },
    });
  });

  it('toApiError keeps ApiErrors and hides everything else', () => {
    const original = new ApiError('account-locked', 'Locked.');
    expect(toApiError(original)).toBe(original);
    expect(toApiError('a string').code).toBe('internal');
    expect(toApiError(new TypeError('x')).status).toBe(500);
  });
});
