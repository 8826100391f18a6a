import type { RawImage } from './photos';

/**
 * Decodes a non-JPEG image (PNG, WebP, GIF …) with the browser's own decoder, for
 * `preparePhoto`. JPEG never comes here: the pure-JS path reads its EXIF orientation itself.
 * `imageOrientation: 'from-image'` makes the browser apply any orientation the format carries.
 */
export async function decodeWithBrowser(
  bytes: Uint8Array<ArrayBuffer>,
  mime: string,
): Promise<RawImage> {
  const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }), {
    imageOrientation: 'from-image',
  });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    // Transparent areas (PNG screenshots) become white, not black, once JPEG drops the alpha.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, bitmap.width, bitmap.height);
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return {
      width: pixels.width,
      height: pixels.height,
      channels: 4,
      data: new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength),
    };
  } finally {
    bitmap.close();
  }
}
