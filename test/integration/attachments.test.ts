import { describe, expect, it } from 'vitest';
import { SYNC_LIMITS } from '@shared/sync/protocol';
import { SyncApiError } from '../../renderer/src/sync/api';
import {
  loadAttachment,
  sha256Hex,
  storeBlob,
  uploadPendingBlobs,
} from '../../renderer/src/sync/attachments';
import { ENGINES, useSeededServer } from './fixture';
import { GRID_A, GRID_B } from './harness';

function bytesOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe.each(ENGINES)('attachments and scopes on %s', (engine) => {
  const env = useSeededServer(
    engine,
    [
      { username: 'alice', scope: GRID_A, role: 'grid-worker' },
      { username: 'bob', scope: GRID_A, role: 'grid-worker' },
      { username: 'erin', scope: GRID_A, role: 'grid-worker' },
      { username: 'carol', scope: GRID_B, role: 'grid-worker' },
    ],
    // erin also serves grid B, which is revoked in the last test.
    (storage) =>
      storage.transaction(async (tx) => {
        const erin = await tx.getUserByUsername('erin');
        await tx.grantMembership({
          id: '01900000-0000-7000-8000-0000000000e1',
          userId: erin?.id ?? '',
          scope: GRID_B,
          role: 'grid-worker',
          grantedAt: new Date().toISOString(),
          grantedBy: null,
          revokedAt: null,
        });
      }),
  );
  const device = (username: string) => env.device(username);

  it('uploads a photo in chunks, verifies it, and lets a colleague in the grid download it', async () => {
    const a = await device('alice');
    await a.sync();
    const photo = bytesOf(SYNC_LIMITS.attachmentChunkBytes * 2 + 123, 7);
    const sha256 = await storeBlob(a.db, photo, 'image/jpeg');
    const row = await a.create('attachments', GRID_A, {
      ownerTable: 'visits',
      ownerId: env.id(`household-${GRID_A}`),
      sha256,
      mime: 'image/jpeg',
      size: photo.byteLength,
      name: 'p.jpg',
    });
    const report = await a.sync();
    expect(report.uploaded).toBe(1);
    expect((await a.db.blobs.get(sha256))?.uploaded).toBe(1);

    const b = await device('bob');
    await b.sync();
    const downloaded = await loadAttachment(b.db, b.api, {
      id: row.id,
      sha256,
      mime: 'image/jpeg',
    });
    expect(downloaded && (await sha256Hex(downloaded))).toBe(sha256);

    // Someone outside the grid cannot fetch it, even knowing the hash and the record id.
    const c = await device('carol');
    await expect(c.api.getAttachment(sha256, row.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('resumes an interrupted upload and stores the same bytes once', async () => {
    const a = await device('alice');
    const photo = bytesOf(SYNC_LIMITS.attachmentChunkBytes + 500, 9);
    const sha256 = await storeBlob(a.db, photo, 'image/png');
    await a.api.startAttachment(sha256, photo.byteLength, 'image/png');
    await a.api.putAttachmentChunk(sha256, 0, photo.slice(0, SYNC_LIMITS.attachmentChunkBytes));
    expect(await uploadPendingBlobs(a.db, a.api)).toBe(1); // continues from the server's offset
    expect(await env.server.storage().transaction((tx) => tx.getAttachment(sha256))).toMatchObject({
      complete: true,
      received: photo.byteLength,
    });
    const again = await a.api.startAttachment(sha256, photo.byteLength, 'image/png');
    expect(again).toEqual({ received: photo.byteLength, complete: true });
  });

  it('refuses bytes that do not match their hash and lets the upload restart', async () => {
    const a = await device('alice');
    const claimed = await sha256Hex(bytesOf(1000, 1));
    await a.api.startAttachment(claimed, 1000, 'image/jpeg');
    const error = await a.api
      .putAttachmentChunk(claimed, 0, bytesOf(1000, 2))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncApiError);
    expect(error).toMatchObject({ code: 'attachment-hash-mismatch' });
    expect(await env.server.storage().transaction((tx) => tx.getAttachment(claimed))).toMatchObject(
      {
        received: 0,
        complete: false,
      },
    );
  });

  it('purges a revoked scope from the device after pushing what it can', async () => {
    const e = await device('erin');
    await e.sync();
    expect((await e.db.households.toArray()).map((h) => h.scope).sort()).toEqual([GRID_A, GRID_B]);
    await e.update('households', env.id(`household-${GRID_A}`), { note: '撤销前的修改' });
    await env.server.storage().transaction(async (tx) => {
      const erin = await tx.getUserByUsername('erin');
      await tx.revokeMembership(erin?.id ?? '', GRID_B, null, new Date().toISOString());
    });
    const report = await e.sync();
    expect(report.purgedScopes).toEqual([GRID_B]);
    expect((await e.db.households.toArray()).map((h) => h.scope)).toEqual([GRID_A]);
    expect(await e.db.outbox.count()).toBe(0);
    const b = await device('bob');
    await b.sync();
    expect((await b.get('households', env.id(`household-${GRID_A}`)))?.note).toBe('撤销前的修改');
  });
});
