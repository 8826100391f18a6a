import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  DEVICE_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  SYNC_LIMITS,
} from '@shared/sync/protocol';
import type { ServerConfig } from './config';
import { registerErrorHandling } from './http/errors';
import { registerProtocolGuard } from './http/protocolGuard';
import { registerAttachmentRoutes } from './routes/attachments';
import { registerAuthRoutes } from './routes/auth';
import { registerSyncRoutes } from './routes/sync';
import type { Storage } from './storage/types';

/**
 * The same policy the Electron shell sends for app:// pages: scripts only from our origin;
 * inline styles because Element Plus positions popups with them; blob: workers for MapLibre.
 */
export function webCsp(tileOrigins: readonly string[] = []): string {
  const tiles = tileOrigins.map((origin) => ` ${origin}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tiles}`,
    "font-src 'self' data:",
    `connect-src 'self'${tiles}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy with no basemap tile server configured. */
export const WEB_CSP = webCsp();

export interface AppDeps {
  config: ServerConfig;
  /** Without storage the server only serves the web build (unit tests of web mode). */
  storage?: Storage;
  now?: () => Date;
  /** Log real errors behind 500 answers (the answer itself says only "internal"). */
  logErrors?: boolean;
}

/** The desktop app's origin: its sync requests are cross-origin (DESIGN §3, app:// protocol). */
export const DESKTOP_ORIGIN = 'app://gridwork';

export function buildApp({ config, storage, now, logErrors = true }: AppDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: SYNC_LIMITS.maxBodyBytes });

  const csp = webCsp(config.tileOrigins);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('Content-Security-Policy', csp);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
  });

  app.get('/api/health', async () => ({
    ok: true,
    name: 'gridwork-sync-server',
    protocol: PROTOCOL_VERSION,
    database: storage?.kind ?? null,
  }));

  if (storage) {
    // Only the desktop app's own origin may call cross-origin; web mode is same-origin.
    app.register(fastifyCors, {
      origin: [DESKTOP_ORIGIN],
      methods: ['GET', 'POST', 'PUT'],
      allowedHeaders: ['authorization', 'content-type', PROTOCOL_HEADER, DEVICE_HEADER],
      maxAge: 600,
    });
    registerErrorHandling(app, logErrors ? {} : { log: () => {} });
    registerProtocolGuard(app);
    // Fault injection for the crash tests only (see services/sync.ts `push`).
    const faultPushDelayMs = Number(process.env.GRIDWORK_FAULT_PUSH_DELAY_MS ?? 0) || 0;
    const deps = { storage, faultPushDelayMs, ...(now ? { now } : {}) };
    registerAuthRoutes(app, { ...deps, tokenTtlMs: config.tokenTtlMs });
    registerSyncRoutes(app, deps);
    registerAttachmentRoutes(app, deps);
  }

  // The web build is looked up per request, not once at start: a server started before (or
  // during) a build serves the app as soon as the build is there.
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (
      (path === '/' || path === '/index.html') &&
      !existsSync(join(config.webRoot, 'index.html'))
    ) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          `The web build is missing at ${config.webRoot}. Run "npm run build:renderer" (or "npm run web").`,
        );
    }
  });
  app.register(fastifyStatic, { root: config.webRoot, index: ['index.html'] });
  return app;
}
