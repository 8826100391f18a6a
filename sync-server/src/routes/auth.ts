import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import {
  DEVICE_HEADER,
  LoginRequestSchema,
  type LoginResponse,
  type SessionUser,
} from '../../../shared/sync/protocol';
import { ApiError, parseBody } from '../http/errors';
import {
  authenticate,
  bearerToken,
  login,
  logout,
  sessionUser,
  type AuthContext,
} from '../services/auth';
import type { Storage } from '../storage/types';

/**
 * Sign-in endpoints and the authentication step every other API route reuses.
 *
 * ```ts
 * // in a route module (e.g. routes/sync.ts)
 * const auth = requireAuth({ storage, now });
 * app.post('/api/sync/push', { preHandler: auth }, async (request) => {
 *   const { user, memberships, session } = getAuth(request);
 *   // session.deviceId is the device the token was issued to (already checked against the
 *   // x-gridwork-device header); memberships are the user's active ones.
 * });
 * ```
 *
 * `requireAuth` answers 401 (`unauthorized`, `token-expired`, `device-mismatch`) or 403
 * (`account-disabled`) before the handler runs; `getAuth` then never fails.
 */

/** What the auth routes and `requireAuth` need. */
export interface AuthDeps {
  storage: Storage;
  /** The clock (tests inject one). Default: `new Date()`. */
  now?: () => Date;
  /** Session lifetime in ms (default 12 h, `GRIDWORK_TOKEN_TTL_MINUTES`). */
  tokenTtlMs?: number;
}

export type { AuthContext } from '../services/auth';

const contexts = new WeakMap<FastifyRequest, AuthContext>();

/**
 * A preHandler that authenticates the request (`Authorization: Bearer <token>` plus the
 * `x-gridwork-device` header) and keeps the result for `getAuth(request)`.
 */
export function requireAuth(deps: Pick<AuthDeps, 'storage' | 'now'>): preHandlerAsyncHookHandler {
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    const context = await authenticate(
      deps.storage,
      request.headers.authorization,
      request.headers[DEVICE_HEADER],
      now(),
    );
    contexts.set(request, context);
  };
}

/**
 * The caller of a request that passed `requireAuth`: `{ user, memberships, session }`.
 * Throws (500 `internal`) when the route forgot `requireAuth` — failing closed rather than
 * serving an unauthenticated request.
 */
export function getAuth(request: FastifyRequest): AuthContext {
  const context = contexts.get(request);
  if (!context) {
    throw new ApiError('internal', 'This endpoint is misconfigured (no authentication step).');
  }
  return context;
}

/**
 * Mounts `POST /api/auth/login` (LoginRequest → 200 LoginResponse), `POST /api/auth/logout`
 * (authenticated → 204, revokes the session) and `GET /api/auth/me` (authenticated → SessionUser,
 * which names a liaison's department so the app can open on that department's cases).
 */
export function registerAuthRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const now = deps.now ?? (() => new Date());
  const auth = requireAuth({ storage: deps.storage, now });
  const loginOptions = deps.tokenTtlMs === undefined ? {} : { tokenTtlMs: deps.tokenTtlMs };

  app.post('/api/auth/login', async (request): Promise<LoginResponse> => {
    const body = parseBody(LoginRequestSchema, request.body);
    return login(deps.storage, body, now(), loginOptions);
  });

  app.post('/api/auth/logout', { preHandler: auth }, async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (token !== null) await logout(deps.storage, token, now());
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { preHandler: auth }, async (request): Promise<SessionUser> => {
    const { user, memberships } = getAuth(request);
    return sessionUser(user, memberships);
  });
}
