import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SYNC_LIMITS } from '@shared/sync/protocol';
import { ApiError, parseBody } from '../http/errors';
import { canRead } from '../services/scopes';
import { authFor, type SyncRouteDeps } from './sync';

const Sha256Params = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256'),
});
const StartBody = z.strictObject({
  size: z.int().min(1).max(SYNC_LIMITS.maxAttachmentBytes),
  mime: z
    .string()
    .regex(/^[a-z]+\/[a-z0-9.+-]+$/i)
    .max(100),
});
const ChunkQuery = z.object({ offset: z.coerce.number().int().min(0) });
const DownloadQuery = z.object({ record: z.uuid() });

/**
 * Attachments travel apart from the record outbox (DESIGN §5.6): content-addressed by SHA-256,
 * uploaded in chunks that resume from the server's `received`, verified when complete, and
 * stored once however many records point at them.
 *
 * POST /api/attachments/:sha256 {size, mime} → {received, complete}   (start or resume)
 * PUT  /api/attachments/:sha256?offset=N  (application/octet-stream chunk) → {received, complete}
 * GET  /api/attachments/:sha256?record=<attachments row id> → the bytes, when that row is readable
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: SyncRouteDeps): void {
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: SYNC_LIMITS.attachmentChunkBytes },
    (_request, body, done) => done(null, body),
  );

  app.post('/api/attachments/:sha256', async (request) => {
    await authFor(deps, request);
    const { sha256 } = parseBody(Sha256Params, request.params);
    const { size, mime } = parseBody(StartBody, request.body);
    return deps.storage.transaction(async (tx) => {
      const existing = await tx.getAttachment(sha256);
      if (existing) {
        if (existing.size !== size)
          throw new ApiError(
            'bad-request',
            `attachment ${sha256} is known with size ${existing.size}, not ${size}`,
          );
        return { received: existing.received, complete: existing.complete };
      }
      await tx.createAttachment({
        sha256,
        size,
        mime,
        received: 0,
        complete: false,
        createdAt: new Date().toISOString(),
      });
      return { received: 0, complete: false };
    });
  });

  app.put('/api/attachments/:sha256', async (request) => {
    await authFor(deps, request);
    const { sha256 } = parseBody(Sha256Params, request.params);
    const { offset } = parseBody(ChunkQuery, request.query);
    if (!Buffer.isBuffer(request.body) || request.body.length === 0)
      throw new ApiError('bad-request', 'send the chunk as application/octet-stream');
    const chunk = new Uint8Array(request.body);
    return deps.storage
      .transaction(async (tx) => {
        const row = await tx.getAttachment(sha256);
        if (!row) throw new ApiError('not-found', `start the upload of ${sha256} first`);
        if (row.complete) return { received: row.size, complete: true };
        if (offset !== row.received)
          throw new ApiError('bad-request', `expected offset ${row.received}, got ${offset}`, {
            received: row.received,
          });
        if (offset + chunk.length > row.size)
          throw new ApiError('bad-request', `chunk runs past the declared size ${row.size}`);
        const received = await tx.appendAttachmentChunk(sha256, offset, chunk);
        if (received < row.size) return { received, complete: false };
        const digest = createHash('sha256')
          .update(await tx.readAttachment(sha256))
          .digest('hex');
        if (digest !== sha256) {
          await tx.resetAttachment(sha256);
          // Committed on purpose: the bad bytes are dropped and the client restarts from 0.
          return { received: 0, complete: false, error: 'attachment-hash-mismatch' as const };
        }
        await tx.markAttachmentComplete(sha256);
        return { received, complete: true };
      })
      .then((result) => {
        if ('error' in result)
          throw new ApiError(
            'attachment-hash-mismatch',
            `the uploaded bytes do not hash to ${sha256}; upload again from 0`,
          );
        return result;
      });
  });

  app.get('/api/attachments/:sha256', async (request, reply) => {
    const auth = await authFor(deps, request);
    const { sha256 } = parseBody(Sha256Params, request.params);
    const { record } = parseBody(DownloadQuery, request.query);
    const found = await deps.storage.transaction(async (tx) => {
      const row = await tx.getRow('attachments', record);
      // The record id is the capability: its scope decides, and it must name these bytes.
      if (!row || row.record.sha256 !== sha256 || !canRead(auth.memberships, row.scope))
        return null;
      const attachment = await tx.getAttachment(sha256);
      if (!attachment?.complete)
        throw new ApiError(
          'attachment-incomplete',
          `attachment ${sha256} has not been uploaded completely`,
        );
      return { mime: attachment.mime, bytes: await tx.readAttachment(sha256) };
    });
    if (!found)
      throw new ApiError('not-found', `no readable attachment ${sha256} for record ${record}`);
    return reply
      .type(found.mime)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .send(Buffer.from(found.bytes));
  });
}
