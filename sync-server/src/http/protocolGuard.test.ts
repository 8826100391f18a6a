import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../shared/sync/protocol';
import { registerErrorHandling } from './errors';
import { needsProtocolHeader, registerProtocolGuard } from './protocolGuard';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function build(): FastifyInstance {
  const instance = Fastify({ logger: false });
  registerErrorHandling(instance, { log: () => undefined });
  registerProtocolGuard(instance);
  instance.get('/api/health', async () => ({ ok: true }));
  instance.get('/api/thing', async () => ({ ok: true }));
  instance.get('/', async () => 'page');
  app = instance;
  return instance;
}

describe('protocol guard', () => {
  it('lets a request with the right version through', async () => {
    const res = await build().inject({
      method: 'GET',
      url: '/api/thing',
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a missing header with 426, naming the server version', async () => {
    const res = await build().inject({ method: 'GET', url: '/api/thing' });
    expect(res.statusCode).toBe(426);
    const { error } = res.json();
    expect(error.code).toBe('protocol-version');
    expect(error.message).toContain(`protocol ${PROTOCOL_VERSION}`);
    expect(error.details).toEqual({ server: PROTOCOL_VERSION, client: null });
  });

  it('refuses another version, naming both', async () => {
    const res = await build().inject({
      method: 'GET',
      url: '/api/thing',
      headers: { [PROTOCOL_HEADER]: '99' },
    });
    expect(res.statusCode).toBe(426);
    const { error } = res.json();
    expect(error.message).toContain(`protocol ${PROTOCOL_VERSION}`);
    expect(error.message).toContain('99');
    expect(error.details).toEqual({ server: PROTOCOL_VERSION, client: '99' });
  });

  it('guards unknown /api routes too, but not /api/health or the web pages', async () => {
    const server = build();
    expect((await server.inject({ method: 'GET', url: '/api/unknown' })).statusCode).toBe(426);
    expect((await server.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: '/api/health?x=1' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
  });

  it('decides by path', () => {
    expect(needsProtocolHeader('/api/sync/push')).toBe(true);
    expect(needsProtocolHeader('/api')).toBe(true);
    expect(needsProtocolHeader('/api/health/x')).toBe(true);
    expect(needsProtocolHeader('/apiary')).toBe(false);
    expect(needsProtocolHeader('/assets/app.js')).toBe(false);
  });
});
