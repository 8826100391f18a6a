import { decode, encode } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  MAX_PHOTO_SIDE,
  PhotoError,
  exifOrientation,
  jpegSegments,
  planSize,
  preparePhoto,
  preparedName,
} from './photos';

/** A JPEG whose left half is red and right half blue. */
function makeJpeg(width: number, height: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      const left = x < width / 2;
      data[at] = left ? 255 : 0;
      data[at + 1] = 0;
      data[at + 2] = left ? 0 : 255;
      data[at + 3] = 255;
    }
  const out = encode({ data, width, height }, 90).data;
  const copy = new Uint8Array(out.byteLength);
  copy.set(out);
  return copy;
}

/**
 * An APP1 segment as a camera writes it: big-endian TIFF with IFD0 holding Orientation and a
 * pointer to a GPS IFD (latitude ref 'N' plus a made-up latitude), and a Make string.
 */
function exifApp1(orientation: number): Uint8Array {
  const tiff: number[] = [];
  const u16 = (v: number) => tiff.push((v >> 8) & 0xff, v & 0xff);
  const u32 = (v: number) => {
    u16(Math.floor(v / 0x10000));
    u16(v & 0xffff);
  };
  tiff.push(0x4d, 0x4d); // MM
  u16(42);
  u32(8); // IFD0 at 8
  // IFD0: 3 entries → 2 + 36 + 4 = 42 bytes, so it ends at 50.
  u16(3);
  u16(0x010f); // Make, ASCII, 6 bytes at offset 50
  u16(2);
  u32(6);
  u32(50);
  u16(0x0112); // Orientation, SHORT
  u16(3);
  u32(1);
  u16(orientation);
  u16(0);
  u16(0x8825); // GPS IFD pointer
  u16(4);
  u32(1);
  u32(56);
  u32(0); // no next IFD
  tiff.push(...Array.from('Phone\0', (c) => c.charCodeAt(0))); // 50..55
  // GPS IFD at 56: GPSLatitudeRef 'N', GPSLatitude (3 rationals at 56+2+24+4 = 86).
  u16(2);
  u16(0x0001);
  u16(2);
  u32(2);
  tiff.push(0x4e, 0, 0, 0);
  u16(0x0002);
  u16(5);
  u32(3);
  u32(86);
  u32(0);
  for (const v of [39, 1, 57, 1, 1234, 100]) u32(v);
  const payload = [...Array.from('Exif\0\0', (c) => c.charCodeAt(0)), ...tiff];
  const length = payload.length + 2;
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
}

/** Inserts a segment right after SOI, where cameras put APP1. */
function withSegment(jpeg: Uint8Array, segment: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(jpeg.length + segment.length);
  out.set(jpeg.subarray(0, 2));
  out.set(segment, 2);
  out.set(jpeg.subarray(2), 2 + segment.length);
  return out;
}

function pixel(bytes: Uint8Array, x: number, y: number): [number, number, number] {
  const image = decode(bytes, { useTArray: true });
  const at = (y * image.width + x) * 4;
  return [image.data[at] ?? -1, image.data[at + 1] ?? -1, image.data[at + 2] ?? -1];
}

const text = (s: string) => new TextEncoder().encode(s);

describe('planSize', () => {
  it('keeps the aspect ratio and never upscales', () => {
    expect(planSize(4000, 3000)).toEqual({ width: 2000, height: 1500 });
    expect(planSize(3000, 4000)).toEqual({ width: 1500, height: 2000 });
    expect(planSize(640, 480)).toEqual({ width: 640, height: 480 });
    expect(planSize(2000, 10)).toEqual({ width: 2000, height: 10 });
    expect(planSize(9000, 2)).toEqual({ width: 2000, height: 1 });
  });
});

describe('preparePhoto', () => {
  it('shrinks a large JPEG to 2000 px on the longer side, aspect kept', async () => {
    const photo = await preparePhoto(makeJpeg(3000, 1500), 'image/jpeg');
    expect(photo).toMatchObject({ mime: 'image/jpeg', width: MAX_PHOTO_SIDE, height: 1000 });
    const decoded = decode(photo.bytes, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([2000, 1000]);
    // Area averaging keeps the colours: red stays red, blue stays blue.
    const [r, , b] = pixel(photo.bytes, 100, 500);
    expect(r).toBeGreaterThan(240);
    expect(b).toBeLessThan(15);
  });

  it('drops every APP1 / EXIF segment, GPS included', async () => {
    const original = withSegment(makeJpeg(400, 300), exifApp1(1));
    expect(jpegSegments(original).some((s) => s.marker === 0xe1)).toBe(true);
    const photo = await preparePhoto(original, 'image/jpeg');
    expect(jpegSegments(photo.bytes).some((s) => s.marker === 0xe1)).toBe(false);
    const asText = new TextDecoder('latin1').decode(photo.bytes);
    expect(asText).not.toContain('Exif');
    expect(asText).not.toContain('Phone');
  });

  it('turns a photo upright by its EXIF orientation before stripping it', async () => {
    // Orientation 6: stored lying on its side, to be turned 90° clockwise. The stored left half
    // (red) becomes the top half.
    const original = withSegment(makeJpeg(300, 200), exifApp1(6));
    expect(exifOrientation(original)).toBe(6);
    const photo = await preparePhoto(original, 'image/jpeg');
    expect([photo.width, photo.height]).toEqual([200, 300]);
    expect(pixel(photo.bytes, 100, 20)[0]).toBeGreaterThan(240);
    expect(pixel(photo.bytes, 100, 280)[2]).toBeGreaterThan(240);
    expect(exifOrientation(photo.bytes)).toBe(1);
  });

  it('turns orientation 8 the other way', async () => {
    const photo = await preparePhoto(withSegment(makeJpeg(300, 200), exifApp1(8)), 'image/jpeg');
    expect([photo.width, photo.height]).toEqual([200, 300]);
    expect(pixel(photo.bytes, 100, 20)[2]).toBeGreaterThan(240);
    expect(pixel(photo.bytes, 100, 280)[0]).toBeGreaterThan(240);
  });

  it('does not upscale a small image', async () => {
    const photo = await preparePhoto(makeJpeg(120, 80), 'image/jpeg');
    expect([photo.width, photo.height]).toEqual([120, 80]);
  });

  it('recognises a JPEG by its bytes even with a wrong mime type', async () => {
    const photo = await preparePhoto(makeJpeg(64, 64), 'application/octet-stream');
    expect(photo.mime).toBe('image/jpeg');
  });

  it('refuses a non-image with a clear error', async () => {
    const result = preparePhoto(text('hello, not a photo'), 'text/plain');
    await expect(result).rejects.toBeInstanceOf(PhotoError);
    await expect(result).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('refuses a truncated JPEG as corrupt', async () => {
    const broken = makeJpeg(200, 200).slice(0, 300);
    await expect(preparePhoto(broken, 'image/jpeg')).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('refuses a non-JPEG image when no other decoder is given', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await expect(preparePhoto(png, 'image/png')).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('runs other image types through the given decoder', async () => {
    const data = new Uint8Array(2500 * 100 * 4).fill(200);
    const photo = await preparePhoto(text('fake png'), 'image/png', () =>
      Promise.resolve({ width: 2500, height: 100, channels: 4, data }),
    );
    expect([photo.width, photo.height, photo.mime]).toEqual([2000, 80, 'image/jpeg']);
  });

  it('reports a decoder failure as corrupt', async () => {
    const result = preparePhoto(text('x'), 'image/webp', () => Promise.reject(new Error('bad')));
    await expect(result).rejects.toMatchObject({ code: 'corrupt' });
  });
});

describe('preparedName', () => {
  it('gives the name a .jpg extension', () => {
    expect(preparedName('门口.HEIC')).toBe('门口.jpg');
    expect(preparedName('a.b.png')).toBe('a.b.jpg');
    expect(preparedName('noext')).toBe('noext.jpg');
    expect(preparedName('.png')).toBe('photo.jpg');
  });
});
