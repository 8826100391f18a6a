import { encode } from 'jpeg-js';
import { describe, expect, it, vi } from 'vitest';
import { inlinePhotoPreparer, unwrapOutcome, workerPhotoPreparer } from './photoPreparer';
import { PhotoError } from './photos';

function grey(width: number, height: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(width * height * 4).fill(128);
  const out = encode({ data, width, height }, 90).data;
  const copy = new Uint8Array(out.byteLength);
  copy.set(out);
  return copy;
}

describe('photo preparers', () => {
  it('prepares a photo on the calling thread', async () => {
    const photo = await inlinePhotoPreparer()(grey(40, 20), 'image/jpeg');
    expect(photo).toMatchObject({ mime: 'image/jpeg', width: 40, height: 20 });
  });

  it('refuses a non-image with a PhotoError', async () => {
    await expect(
      inlinePhotoPreparer()(new Uint8Array([1, 2, 3]), 'text/plain'),
    ).rejects.toMatchObject({ name: 'PhotoError', code: 'unsupported' });
  });

  it("turns the worker's answer back into the photo or the PhotoError it stood for", () => {
    const photo = { bytes: new Uint8Array([1]), mime: 'image/jpeg' as const, width: 1, height: 1 };
    expect(unwrapOutcome({ ok: true, photo })).toBe(photo);
    let thrown: unknown;
    try {
      unwrapOutcome({ ok: false, code: 'corrupt', message: 'broken' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PhotoError);
    expect(thrown).toMatchObject({ code: 'corrupt', message: 'broken' });
  });

  it('prepares on this thread when the worker cannot start (its script unreachable offline)', async () => {
    /** A worker whose script fails to load: it only ever reports an error. */
    class UnreachableWorker extends EventTarget {
      constructor() {
        super();
        setTimeout(() => this.dispatchEvent(new Event('error', { cancelable: true })), 0);
      }
      postMessage() {}
      terminate() {}
    }
    vi.stubGlobal('Worker', UnreachableWorker);
    try {
      const photo = await workerPhotoPreparer()(grey(30, 10), 'image/jpeg');
      expect(photo).toMatchObject({ mime: 'image/jpeg', width: 30, height: 10 });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
