import { decode as decodeJpeg, encode as encodeJpeg } from 'jpeg-js';

/**
 * Visit photos are shrunk and stripped before they are stored: a phone photo is 3–8 MB and
 * carries EXIF with the GPS position of the household it was taken in (and the camera's serial
 * number), neither of which may travel to the server or to other devices. The pipeline is pure
 * JavaScript (jpeg-js for the codec, the rest here), so it runs the same in the renderer and in
 * Vitest under Node:
 *
 *   bytes ─ sniff ─ decode ─ read EXIF orientation ─ resize (area average) ─ rotate/flip ─ encode
 *
 * Re-encoding writes only the pixel data and a JFIF header, so every APP1 (EXIF/XMP), APP13
 * (IPTC) and comment segment of the original is gone. Orientation is applied to the pixels before
 * that, because a viewer can no longer rotate the photo once the EXIF tag is dropped.
 */

/** The longer side of a stored photo is at most this many pixels. */
export const MAX_PHOTO_SIDE = 2000;
/** JPEG quality of the re-encoded photo: visually clean, about 0.5–1 MB at 2000 px. */
export const PHOTO_QUALITY = 85;
/** Refuse to decode bigger images: 50 MP is well above any phone camera and bounds memory. */
const MAX_MEGAPIXELS = 50;

/** What went wrong with a photo; the UI maps the code to a message. */
export type PhotoErrorCode = 'unsupported' | 'corrupt' | 'too-large';

/** A photo that could not be prepared; nothing was stored. */
export class PhotoError extends Error {
  constructor(
    readonly code: PhotoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PhotoError';
  }
}

/** A photo ready to store: always JPEG, metadata-free, upright, at most MAX_PHOTO_SIDE px. */
export interface PreparedPhoto {
  bytes: Uint8Array<ArrayBuffer>;
  mime: 'image/jpeg';
  width: number;
  height: number;
}

/** Decoded pixels, `channels` bytes per pixel (3 = RGB, 4 = RGBA), rows top to bottom. */
export interface RawImage {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

/**
 * Decodes an image that is not a JPEG (PNG, WebP …) to upright pixels. The renderer passes the
 * browser's decoder (`decodeWithBrowser`); without one, only JPEG is accepted.
 */
export type OtherDecoder = (bytes: Uint8Array<ArrayBuffer>, mime: string) => Promise<RawImage>;

/** True when the bytes start like a JPEG (SOI followed by a marker). */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** One marker segment of a JPEG header: marker byte (0xE1 = APP1 …) and its payload. */
export interface JpegSegment {
  marker: number;
  /** Offset of the payload (after the 2-byte length) in the file. */
  start: number;
  length: number;
}

/**
 * The header segments of a JPEG, up to the start of scan (SOS). Used to read the orientation
 * and, in tests, to prove that no APP1/EXIF segment survived.
 */
export function jpegSegments(bytes: Uint8Array): JpegSegment[] {
  const segments: JpegSegment[] = [];
  if (!isJpeg(bytes)) return segments;
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) break;
    const marker = bytes[pos + 1] ?? 0;
    // Fill bytes (0xFF 0xFF) may pad between segments.
    if (marker === 0xff) {
      pos += 1;
      continue;
    }
    const length = ((bytes[pos + 2] ?? 0) << 8) | (bytes[pos + 3] ?? 0);
    if (length < 2) break;
    segments.push({ marker, start: pos + 4, length: length - 2 });
    if (marker === 0xda) break; // SOS: entropy-coded data follows, no more headers
    pos += 2 + length;
  }
  return segments;
}

/**
 * The EXIF orientation (1–8) of a JPEG, 1 when absent or unreadable. Reads IFD0 tag 0x0112 of
 * the first APP1 segment that starts with `Exif\0\0`, in either byte order.
 */
export function exifOrientation(bytes: Uint8Array): number {
  for (const seg of jpegSegments(bytes)) {
    if (seg.marker !== 0xe1 || seg.length < 14) continue;
    const s = seg.start;
    // "Exif\0\0"
    if (
      bytes[s] !== 0x45 ||
      bytes[s + 1] !== 0x78 ||
      bytes[s + 2] !== 0x69 ||
      bytes[s + 3] !== 0x66 ||
      bytes[s + 4] !== 0 ||
      bytes[s + 5] !== 0
    )
      continue;
    const tiff = s + 6;
    const end = seg.start + seg.length;
    const little = bytes[tiff] === 0x49 && bytes[tiff + 1] === 0x49;
    const big = bytes[tiff] === 0x4d && bytes[tiff + 1] === 0x4d;
    if (!little && !big) return 1;
    const u16 = (at: number) =>
      little
        ? (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8)
        : ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
    const u32 = (at: number) =>
      little ? u16(at) + u16(at + 2) * 0x10000 : u16(at) * 0x10000 + u16(at + 2);
    const ifd = tiff + u32(tiff + 4);
    if (ifd + 2 > end) return 1;
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (entry + 12 > end) return 1;
      if (u16(entry) === 0x0112) {
        const value = u16(entry + 8);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }
  return 1;
}

/**
 * Target size for an image of `width` × `height`: scaled down (never up) so the longer side is
 * at most `maxSide`, aspect ratio kept, each side at least 1 px.
 */
export function planSize(
  width: number,
  height: number,
  maxSide = MAX_PHOTO_SIDE,
): { width: number; height: number } {
  const longer = Math.max(width, height);
  if (longer <= maxSide) return { width, height };
  const scale = maxSide / longer;
  return {
    width: Math.max(1, Math.min(maxSide, Math.round(width * scale))),
    height: Math.max(1, Math.min(maxSide, Math.round(height * scale))),
  };
}

/**
 * For each target index along one axis: the source indices it covers and their weights (the
 * overlap of the target pixel's footprint with each source pixel). Area averaging is what a
 * big downscale needs: a 4000 → 2000 px resize averages 2×2 blocks instead of skipping pixels,
 * which would alias fine patterns (brick walls, window grilles) into moiré.
 */
function areaWeights(src: number, dst: number): { first: number; weights: Float32Array }[] {
  const scale = src / dst;
  const result: { first: number; weights: Float32Array }[] = [];
  for (let i = 0; i < dst; i++) {
    const from = i * scale;
    const to = Math.min(src, (i + 1) * scale);
    const first = Math.floor(from);
    const last = Math.min(src - 1, Math.ceil(to) - 1);
    const weights = new Float32Array(last - first + 1);
    for (let j = first; j <= last; j++) {
      weights[j - first] = (Math.min(to, j + 1) - Math.max(from, j)) / (to - from);
    }
    result.push({ first, weights });
  }
  return result;
}

/** Resizes pixels by area averaging (downscale; equal size copies) into RGBA. */
export function resizeToRgba(image: RawImage, width: number, height: number): Uint8Array {
  const { channels, data } = image;
  const xs = areaWeights(image.width, width);
  const ys = areaWeights(image.height, height);
  // Horizontal pass first: the intermediate is (target width × source height), the smallest
  // of the two orders for a downscale. 8-bit intermediate: rounding once more is invisible in
  // a photo and keeps a 12 MP source at ~24 MB instead of ~100 MB of floats.
  const mid = new Uint8ClampedArray(width * image.height * 3);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width * channels;
    for (let x = 0; x < width; x++) {
      const span = xs[x];
      if (!span) continue;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < span.weights.length; k++) {
        const w = span.weights[k] ?? 0;
        const at = row + (span.first + k) * channels;
        r += (data[at] ?? 0) * w;
        g += (data[at + 1] ?? 0) * w;
        b += (data[at + 2] ?? 0) * w;
      }
      const out = (y * width + x) * 3;
      mid[out] = r;
      mid[out + 1] = g;
      mid[out + 2] = b;
    }
  }
  const result = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const span = ys[y];
    if (!span) continue;
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < span.weights.length; k++) {
        const w = span.weights[k] ?? 0;
        const at = ((span.first + k) * width + x) * 3;
        r += (mid[at] ?? 0) * w;
        g += (mid[at + 1] ?? 0) * w;
        b += (mid[at + 2] ?? 0) * w;
      }
      const out = (y * width + x) * 4;
      result[out] = Math.round(r);
      result[out + 1] = Math.round(g);
      result[out + 2] = Math.round(b);
      result[out + 3] = 255;
    }
  }
  return result;
}

/**
 * Applies EXIF orientation 1–8 to RGBA pixels, giving the upright image (orientations 5–8 swap
 * width and height). Mapping per the EXIF spec: for each upright pixel, where it is stored.
 */
export function orientRgba(
  data: Uint8Array,
  width: number,
  height: number,
  orientation: number,
): { data: Uint8Array; width: number; height: number } {
  if (orientation < 2 || orientation > 8) return { data, width, height };
  const swap = orientation >= 5;
  const outW = swap ? height : width;
  const outH = swap ? width : height;
  const out = new Uint8Array(data.length);
  const source = new Uint32Array(data.buffer, data.byteOffset, width * height);
  const target = new Uint32Array(out.buffer, 0, outW * outH);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2: // mirrored horizontally
          sx = width - 1 - x;
          sy = y;
          break;
        case 3: // rotated 180°
          sx = width - 1 - x;
          sy = height - 1 - y;
          break;
        case 4: // mirrored vertically
          sx = x;
          sy = height - 1 - y;
          break;
        case 5: // transposed
          sx = y;
          sy = x;
          break;
        case 6: // stored rotated 90° counter-clockwise: turn it clockwise
          sx = y;
          sy = height - 1 - x;
          break;
        case 7: // transversed
          sx = width - 1 - y;
          sy = height - 1 - x;
          break;
        default: // 8: stored rotated 90° clockwise: turn it counter-clockwise
          sx = width - 1 - y;
          sy = x;
      }
      target[y * outW + x] = source[sy * width + sx] ?? 0;
    }
  }
  return { data: out, width: outW, height: outH };
}

/**
 * Encodes RGBA pixels as a baseline JPEG with no metadata. jpeg-js returns a Node `Buffer` when
 * its CommonJS wrapper sees `module` (as it does inside a bundle) and the renderer has no
 * `Buffer`; encoding is synchronous, so a stand-in for exactly that call is safe to lend.
 */
function encode(data: Uint8Array, width: number, height: number): Uint8Array<ArrayBuffer> {
  const holder = globalThis as { Buffer?: unknown };
  const lent = holder.Buffer === undefined;
  if (lent) holder.Buffer = { from: (bytes: ArrayLike<number>) => Uint8Array.from(bytes) };
  try {
    const encoded = encodeJpeg({ data, width, height }, PHOTO_QUALITY).data;
    // Copy into a plain ArrayBuffer-backed array: IndexedDB stores it as is, and a Buffer
    // view of Node's shared pool would drag the whole pool along.
    const copy = new Uint8Array(encoded.byteLength);
    copy.set(encoded);
    return copy;
  } finally {
    if (lent) delete holder.Buffer;
  }
}

function decodeJpegBytes(bytes: Uint8Array): RawImage {
  try {
    const image = decodeJpeg(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: MAX_MEGAPIXELS,
      maxMemoryUsageInMB: 1024,
    });
    if (image.width < 1 || image.height < 1) throw new Error('image has no pixels');
    return { width: image.width, height: image.height, channels: 3, data: image.data };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/maxResolutionInMP|maxMemoryUsageInMB|allocate/.test(message))
      throw new PhotoError('too-large', `image is larger than ${MAX_MEGAPIXELS} megapixels`);
    throw new PhotoError('corrupt', `the JPEG could not be decoded: ${message}`);
  }
}

/**
 * Prepares one photo for storage: decodes it, turns it upright by its EXIF orientation, shrinks
 * it so the longer side is at most MAX_PHOTO_SIDE (never enlarging), and re-encodes it as a
 * metadata-free JPEG. JPEG is recognised by its bytes, not the (often wrong) mime type; other
 * image types need `decodeOther`. Throws `PhotoError` for non-images and broken files.
 */
export async function preparePhoto(
  bytes: Uint8Array<ArrayBuffer>,
  mime: string,
  decodeOther?: OtherDecoder,
): Promise<PreparedPhoto> {
  let raw: RawImage;
  let orientation = 1;
  if (isJpeg(bytes)) {
    raw = decodeJpegBytes(bytes);
    orientation = exifOrientation(bytes);
  } else if (mime.startsWith('image/') && decodeOther) {
    try {
      raw = await decodeOther(bytes, mime);
    } catch (e) {
      throw new PhotoError(
        'corrupt',
        `the image could not be decoded: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (raw.width * raw.height > MAX_MEGAPIXELS * 1e6)
      throw new PhotoError('too-large', `image is larger than ${MAX_MEGAPIXELS} megapixels`);
  } else {
    throw new PhotoError('unsupported', `not a supported image (${mime || 'unknown type'})`);
  }
  // Resize in stored orientation, then rotate the (smaller) result: same pixels, less work.
  const target = planSize(raw.width, raw.height);
  const resized = resizeToRgba(raw, target.width, target.height);
  const upright = orientRgba(resized, target.width, target.height, orientation);
  return {
    bytes: encode(upright.data, upright.width, upright.height),
    mime: 'image/jpeg',
    width: upright.width,
    height: upright.height,
  };
}

/** File name for a prepared photo: the original's stem with a `.jpg` extension. */
export function preparedName(name: string): string {
  const stem = name.replace(/\.[^./\\]*$/, '');
  return `${stem || 'photo'}.jpg`;
}
