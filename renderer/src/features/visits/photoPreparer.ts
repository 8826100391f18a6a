import { type Remote, wrap } from 'comlink';
import { decodeWithBrowser } from './browserDecode';
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

/** The worker could not start (e.g. its script was not reachable): prepare on this thread. */
class WorkerUnavailable extends Error {
  override name = 'WorkerUnavailable';
}

interface Started {
  api: Remote<PhotoWorkerApi>;
  /** Rejects with WorkerUnavailable if the worker fails to load or crashes. */
  failed: Promise<never>;
}

let started: Started | null = null;

function startWorker(): Started | null {
  if (typeof Worker === 'undefined') return null;
  if (started) return started;
  const worker = new Worker(new URL('./photoWorker.ts', import.meta.url), { type: 'module' });
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      started = null;
      worker.terminate();
      reject(new WorkerUnavailable(event.message || 'the photo worker did not start'));
    });
  });
  failed.catch(() => {}); // observed by the calls racing it
  started = { api: wrap<PhotoWorkerApi>(worker), failed };
  return started;
}

/**
 * Starts the worker ahead of the first photo, while the app can still load its script: a web
 * page gone offline cannot fetch it any more (the desktop app reads it from disk either way).
 */
export function warmPhotoWorker(): void {
  startWorker();
}

/**
 * Prepares photos in a module worker (one for the page), so the UI thread stays free. If the
 * worker cannot run, photos are prepared on this thread instead — slower, but a visit is never
 * stuck on it. The picked bytes are copied to the worker, so the caller's copy stays usable.
 */
export function workerPhotoPreparer(decodeOther: OtherDecoder = decodeWithBrowser): PhotoPreparer {
  const inline = inlinePhotoPreparer(decodeOther);
  return async (bytes, mime) => {
    const worker = startWorker();
    if (!worker) return inline(bytes, mime);
    try {
      return unwrapOutcome(await Promise.race([worker.api.prepare(bytes, mime), worker.failed]));
    } catch (error) {
      if (error instanceof WorkerUnavailable) return inline(bytes, mime);
      throw error;
    }
  };
}
