import { type Remote, wrap } from 'comlink';
import {
  type OtherDecoder,
  PhotoError,
  type PhotoErrorCode,
  type PreparedPhoto,
  preparePhoto,
} from './photos';
import type { PhotoWorkerApi } from './photoWorker';

/** Turns picked bytes into a stored photo (see `preparePhoto`); where it runs is the caller's choice. */
export type PhotoPreparer = (
  bytes: Uint8Array<ArrayBuffer>,
  mime: string,
) => Promise<PreparedPhoto>;

/** What the worker answers: the photo, or why it was refused (a PhotoError as plain data). */
export type PhotoOutcome =
  { ok: true; photo: PreparedPhoto } | { ok: false; code: PhotoErrorCode; message: string };

/** Prepares photos on the calling thread (tests, and hosts without module workers). */
export function inlinePhotoPreparer(decodeOther?: OtherDecoder): PhotoPreparer {
  return (bytes, mime) => preparePhoto(bytes, mime, decodeOther);
}

/** Rebuilds the worker's answer: the photo, or the PhotoError it stood for. */
export function unwrapOutcome(outcome: PhotoOutcome): PreparedPhoto {
  if (outcome.ok) return outcome.photo;
  throw new PhotoError(outcome.code, outcome.message);
}

let remote: Remote<PhotoWorkerApi> | null = null;

/**
 * Prepares photos in a module worker (one for the page, started on first use). The picked
 * bytes are copied to the worker, so the caller's copy stays usable if the photo is refused.
 */
export function workerPhotoPreparer(): PhotoPreparer {
  return async (bytes, mime) => {
    remote ??= wrap<PhotoWorkerApi>(
      new Worker(new URL('./photoWorker.ts', import.meta.url), { type: 'module' }),
    );
    return unwrapOutcome(await remote.prepare(bytes, mime));
  };
}
