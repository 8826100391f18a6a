import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config';

/**
 * The same policy the Electron shell sends for app:// pages: scripts only from our origin;
 * inline styles because Element Plus positions popups with them; blob: workers for MapLibre.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function buildApp(config: ServerConfig): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('Content-Security-Policy', WEB_CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
  });

  app.get('/api/health', async () => ({ ok: true, name: 'gridwork-sync-server' }));

  if (existsSync(join(config.webRoot, 'index.html'))) {
    app.register(fastifyStatic, { root: config.webRoot, index: ['index.html'] });
  } else {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          `The web build is missing at ${config.webRoot}. Run "npm run build:renderer" (or "npm run web").`,
        ),
    );
  }
  return app;
}
