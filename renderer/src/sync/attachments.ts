import { SYNC_LIMITS } from '@shared/sync/protocol';
import type { GridworkDb } from '../db/db';
import type { SyncApi } from './api';

/** Lowercase hex SHA-256 of some bytes (Web Crypto: the same in browsers, Electron and Node). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Keeps attachment bytes on the device under their hash, to be uploaded by the next sync.
 * Storing the same bytes twice is a no-op: content addressing deduplicates for free.
 */
export async function storeBlob(
  db: GridworkDb,
  bytes: Uint8Array<ArrayBuffer>,
  mime: string,
): Promise<string> {
  const sha256 = await sha256Hex(bytes);
  await db.transaction('rw', db.blobs, async () => {
    if (!(await db.blobs.get(sha256)))
      await db.blobs.put({ sha256, mime, size: bytes.byteLength, bytes, uploaded: 0 });
  });
  return sha256;
}

/**
 * Uploads every pending blob in chunks, resuming each from what the server already has; a blob
 * whose bytes the server rejects as corrupt restarts from zero on the next round.
 */
export async function uploadPendingBlobs(db: GridworkDb, api: SyncApi): Promise<number> {
  let uploaded = 0;
  const pending = await db.blobs.where('uploaded').equals(0).primaryKeys();
  for (const sha256 of pending) {
    const blob = await db.blobs.get(sha256);
    if (!blob) continue;
    let state = await api.startAttachment(sha256, blob.size, blob.mime);
    while (!state.complete) {
      const end = Math.min(blob.size, state.received + SYNC_LIMITS.attachmentChunkBytes);
      state = await api.putAttachmentChunk(
        sha256,
        state.received,
        blob.bytes.slice(state.received, end),
      );
    }
    await db.blobs.update(sha256, { uploaded: 1 });
    uploaded += 1;
  }
  return uploaded;
}

/** The bytes of an attachment row: from this device, or downloaded once and kept. */
export async function loadAttachment(
  db: GridworkDb,
  api: SyncApi | null,
  attachment: { id: string; sha256: string; mime: string },
): Promise<Uint8Array<ArrayBuffer> | null> {
  const local = await db.blobs.get(attachment.sha256);
  if (local) return local.bytes;
  if (!api) return null;
  const bytes = await api.getAttachment(attachment.sha256, attachment.id);
  if ((await sha256Hex(bytes)) !== attachment.sha256)
    throw new Error(`downloaded bytes of ${attachment.sha256} do not match their hash`);
  await db.blobs.put({
    sha256: attachment.sha256,
    mime: attachment.mime,
    size: bytes.byteLength,
    bytes,
    uploaded: 1,
  });
  return bytes;
}
