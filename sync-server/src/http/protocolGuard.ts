import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../shared/sync/protocol';
import { ApiError } from './errors';

/**
 * The protocol check of DESIGN §5.7: every `/api/**` request (except `/api/health`, which load
 * balancers and the launcher call without headers) must carry `x-gridwork-protocol` equal to
 * the server's PROTOCOL_VERSION. Anything else is answered 426 `protocol-version` before the
 * body is read, so an outdated client never has a half-understood batch applied.
 */

/** Paths under /api that answer without the protocol header. */
export const PROTOCOL_EXEMPT_PATHS: ReadonlySet<string> = new Set(['/api/health']);

function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}

/** True when the request needs the protocol header. */
export function needsProtocolHeader(url: string): boolean {
  const path = pathOf(url);
  return (path === '/api' || path.startsWith('/api/')) && !PROTOCOL_EXEMPT_PATHS.has(path);
}

/**
 * Throws the 426 ApiError when the request's protocol header is missing or not this server's
 * version; returns quietly otherwise (and for paths that need no header).
 */
export function checkProtocol(request: FastifyRequest): void {
  if (!needsProtocolHeader(request.url)) return;
  const header = request.headers[PROTOCOL_HEADER];
  const sent = Array.isArray(header) ? header.join(',') : header;
  const server = String(PROTOCOL_VERSION);
  if (sent?.trim() === server) return;
  const client = sent === undefined || sent.trim() === '' ? null : sent.trim().slice(0, 32);
  const message =
    client === null
      ? `This server speaks Gridwork protocol ${server}, but the request names none (header ${PROTOCOL_HEADER}). Update the app.`
      : `This server speaks Gridwork protocol ${server}; the app speaks ${client}. Update the ${
          Number(client) > PROTOCOL_VERSION ? 'server' : 'app'
        }.`;
  throw new ApiError('protocol-version', message, { server: PROTOCOL_VERSION, client });
}

/** The onRequest hook form of `checkProtocol`. */
export const protocolGuard: onRequestAsyncHookHandler = async (request) => {
  checkProtocol(request);
};

/**
 * Adds the guard to `app` (as a root-level onRequest hook, so it sees every route, including
 * those registered later and the not-found handler). Register error handling too
 * (`registerErrorHandling`) so the 426 is sent as an ErrorBody.
 */
export function registerProtocolGuard(app: FastifyInstance): void {
  app.addHook('onRequest', protocolGuard);
}
