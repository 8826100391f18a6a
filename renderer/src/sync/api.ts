import { z } from 'zod';
import {
  DEVICE_HEADER,
  ErrorBodySchema,
  type ErrorCode,
  LoginResponseSchema,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullRequest,
  PullResponseSchema,
  type PushRequest,
  PushResponseSchema,
  SessionUserSchema,
} from '@shared/sync/protocol';

const UploadStateSchema = z.object({ received: z.int().min(0), complete: z.boolean() });

/** A failed request, with the protocol's named error code (or `unavailable` when offline). */
export class SyncApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SyncApiError';
  }
}

/**
 * The HTTP half of the sync client: one method per route, every request stamped with the
 * protocol version and device id, every answer parsed with the protocol's schema. The same code
 * runs in the browser, in Electron and in Node (integration tests), so it only uses `fetch`.
 */
export class SyncApi {
  constructor(
    readonly baseUrl: string,
    readonly deviceId: string,
    private readonly getToken: () => string | null,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      [DEVICE_HEADER]: this.deviceId,
    };
    const token = this.getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (body instanceof Uint8Array) {
      headers['content-type'] = 'application/octet-stream';
      payload = body as Uint8Array<ArrayBuffer>;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl), {
        method,
        headers,
        body: payload,
      });
    } catch (error) {
      throw new SyncApiError(
        'unavailable',
        `the sync server cannot be reached (${error instanceof Error ? error.message : String(error)})`,
        0,
      );
    }
    if (!response.ok) {
      const parsed = ErrorBodySchema.safeParse(await response.json().catch(() => null));
      if (parsed.success)
        throw new SyncApiError(parsed.data.error.code, parsed.data.error.message, response.status);
      throw new SyncApiError(
        response.status >= 500 ? 'unavailable' : 'bad-request',
        `the sync server answered ${response.status}`,
        response.status,
      );
    }
    return response;
  }

  private async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const response = await this.send(method, path, body);
    if (schema === null) return undefined as z.infer<S>;
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success)
      throw new SyncApiError(
        'bad-request',
        `unexpected answer from ${path}: ${parsed.error.message}`,
        response.status,
      );
    return parsed.data;
  }

  login(username: string, password: string) {
    return this.request('POST', '/api/auth/login', LoginResponseSchema, {
      username,
      password,
      deviceId: this.deviceId,
    });
  }

  logout() {
    return this.request('POST', '/api/auth/logout', null, {});
  }

  me() {
    return this.request('GET', '/api/auth/me', SessionUserSchema);
  }

  push(request: PushRequest) {
    return this.request('POST', '/api/sync/push', PushResponseSchema, request);
  }

  pull(request: PullRequest) {
    return this.request('POST', '/api/sync/pull', PullResponseSchema, request);
  }

  startAttachment(sha256: string, size: number, mime: string) {
    return this.request('POST', `/api/attachments/${sha256}`, UploadStateSchema, { size, mime });
  }

  putAttachmentChunk(sha256: string, offset: number, chunk: Uint8Array<ArrayBuffer>) {
    return this.request(
      'PUT',
      `/api/attachments/${sha256}?offset=${offset}`,
      UploadStateSchema,
      chunk,
    );
  }

  async getAttachment(sha256: string, recordId: string): Promise<Uint8Array<ArrayBuffer>> {
    const response = await this.send(
      'GET',
      `/api/attachments/${sha256}?record=${encodeURIComponent(recordId)}`,
    );
    return new Uint8Array(await response.arrayBuffer());
  }
}
