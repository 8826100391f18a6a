import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEVICE_HEADER, PullRequestSchema, PushRequestSchema } from '@shared/sync/protocol';
import { parseBody } from '../http/errors';
import { type AuthContext, authenticate } from '../services/auth';
import { pull, push } from '../services/sync';
import type { Storage } from '../storage/types';

export interface SyncRouteDeps {
  storage: Storage;
  now?: () => Date;
  /** Test-only fault injection (`GRIDWORK_FAULT_PUSH_DELAY_MS`): see `push`. */
  faultPushDelayMs?: number;
}

/** Resolves the caller from the bearer token and the device header (throws ApiError). */
export function authFor(deps: SyncRouteDeps, request: FastifyRequest): Promise<AuthContext> {
  return authenticate(
    deps.storage,
    request.headers.authorization,
    request.headers[DEVICE_HEADER],
    (deps.now ?? (() => new Date()))(),
  );
}

/** POST /api/sync/push and /api/sync/pull (PROTOCOL.md §3–4). */
export function registerSyncRoutes(app: FastifyInstance, deps: SyncRouteDeps): void {
  const now = deps.now ?? (() => new Date());

  app.post('/api/sync/push', async (request) => {
    const auth = await authFor(deps, request);
    return push(deps.storage, auth, parseBody(PushRequestSchema, request.body), now(), {
      delayBeforeCommitMs: deps.faultPushDelayMs ?? 0,
    });
  });

  app.post('/api/sync/pull', async (request) => {
    const auth = await authFor(deps, request);
    const body = parseBody(PullRequestSchema, request.body);
    return pull(deps.storage, auth, body, body.limit);
  });
}
