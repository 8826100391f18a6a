import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../../../shared/sync/protocol';

/**
 * HTTP errors of the sync server. Every failure leaves the server as an `ErrorBody`
 * (`{ error: { code, message, details? } }`, shared/sync/protocol.ts) with the status
 * `ERROR_STATUS[code]`, so the client can branch on `code` alone.
 */

/** An error meant for the client: its code, a readable message and optional details. */
export class ApiError extends Error {
  override name = 'ApiError';
  /** HTTP status, always `ERROR_STATUS[code]`. */
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

/** One problem with a request body, as listed in a `bad-request` error's details. */
export interface BodyIssue {
  /** Dotted path to the offending value (`mutations.3.scope`), `''` for the body itself. */
  path: string;
  message: string;
}

function issuesOf(error: z.ZodError): BodyIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** A 400 `bad-request` ApiError listing the zod issues. */
export function badRequestFromZod(error: z.ZodError, what = 'request body'): ApiError {
  const issues = issuesOf(error);
  const first = issues[0];
  const summary = first ? ` (${first.path || what}: ${first.message})` : '';
  return new ApiError('bad-request', `Invalid ${what}${summary}`, { issues });
}

/**
 * Parses `body` with `schema`; a mismatch throws a 400 `bad-request` ApiError whose details list
 * every issue (path + message). Use it in route handlers instead of `schema.parse`.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw badRequestFromZod(result.error);
  return result.data;
}

/** Where unexpected (500) errors are reported. */
export type ErrorLogger = (error: unknown, request: FastifyRequest) => void;

/** The default: the app runs with Fastify's logger off, so unexpected errors go to stderr. */
const logToStderr: ErrorLogger = (error, request) => {
  console.error(`[gridwork] ${request.method} ${request.url} failed:`, error);
};

function isFastifyError(error: unknown): error is FastifyError {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('FST_')
  );
}

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Maps any thrown value to the error the client sees; `internal` hides the real cause. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return badRequestFromZod(error);
  if (isFastifyError(error)) {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return new ApiError('body-too-large', 'The request body is too large.');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new ApiError('bad-request', 'Unsupported content type: send application/json.');
    }
    if (error.validation) {
      return new ApiError('bad-request', error.message, { issues: error.validation });
    }
    const status = error.statusCode ?? 500;
    if (status === 404) return new ApiError('not-found', error.message);
    // Invalid or empty JSON, bad content length and the like: the client's message is safe to echo.
    if (status >= 400 && status < 500) return new ApiError('bad-request', error.message);
  }
  return new ApiError('internal', 'Internal server error.');
}

/**
 * Installs the error handler and the not-found handler on `app`, so that every failure — a
 * thrown ApiError, a zod error, Fastify's own body-parser errors, a missing route, a bug —
 * answers with an `ErrorBody`. Unexpected errors are logged with `log` and answered with a
 * generic 500: stack traces and SQL never reach a client.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  options: { log?: ErrorLogger } = {},
): void {
  const log = options.log ?? logToStderr;
  app.setErrorHandler(async (error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.code === 'internal') log(error, request);
    return reply
      .code(apiError.status)
      .send(body(apiError.code, apiError.message, apiError.details));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    return reply
      .code(ERROR_STATUS['not-found'])
      .send(body('not-found', `No such endpoint: ${request.method} ${path}`));
  });
}
