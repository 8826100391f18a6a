import { expose, transfer } from 'comlink';
import { decodeWithBrowser } from './browserDecode';
import { PhotoError, preparePhoto } from './photos';
import type { PhotoOutcome } from './photoPreparer';

/**
 * Prepares photos off the UI thread: decoding, resizing and re-encoding a phone photo takes a
 * second or more of pure computation, which would freeze the form and its progress bar.
 * A PhotoError's code does not survive structured cloning, so the outcome carries it as data.
 */
const api = {
  async prepare(bytes: Uint8Array<ArrayBuffer>, mime: string): Promise<PhotoOutcome> {
    try {
      const photo = await preparePhoto(bytes, mime, decodeWithBrowser);
      return transfer({ ok: true, photo }, [photo.bytes.buffer]);
    } catch (error) {
      if (error instanceof PhotoError)
        return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  },
};

export type PhotoWorkerApi = typeof api;

expose(api);
