import { imageInputError, openImage } from '../../adapters/image/open-image.ts';
import { ImageTooLargeError, NotAnImageError } from './preview-errors.ts';

/** The encodings previews are served in. */
export type PreviewFormat = 'jpeg' | 'webp';

export const PREVIEW_MEDIA_TYPES: Readonly<Record<PreviewFormat, string>> = { jpeg: 'image/jpeg', webp: 'image/webp' };

/**
 * Names the rendering below: part of every cache key and ETag, so changing how previews are
 * rendered (size rule, quality, background) means changing this, and old previews are then
 * neither served nor revalidated.
 */
export const RENDER_VERSION = 'v1';

// Good enough to judge a label against, a fraction of the original's bytes.
const QUALITY = 80;

/** A rendered preview: its bytes and pixel size. */
export interface RenderedPreview {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

/**
 * Decodes `bytes` (through openImage, bounded by `maxPixels`), turns the image upright by its
 * EXIF orientation and scales it to fit within `bound` × `bound`, never enlarging it. Resizing
 * right after opening lets libvips shrink a JPEG while decoding it (shrink-on-load), so a
 * 4000 × 3000 photo is decoded at a fraction of its size. Transparent images get a white
 * background in JPEG, which has no alpha; WebP keeps the alpha. Only the first frame of an
 * animation is shown. No metadata is kept.
 * @throws NotAnImageError when the bytes are not an image the server decodes (unsupported,
 *   empty, corrupt or truncated), ImageTooLargeError over `maxPixels`
 */
export async function renderPreview(
  blob: string,
  bytes: Buffer,
  options: { bound: number; format: PreviewFormat; maxPixels: number },
): Promise<RenderedPreview> {
  const { bound, format, maxPixels } = options;
  const resized = openImage(bytes, { maxPixels })
    .autoOrient()
    .resize({ width: bound, height: bound, fit: 'inside', withoutEnlargement: true });
  const encoded =
    format === 'jpeg'
      ? resized.flatten({ background: '#ffffff' }).jpeg({ quality: QUALITY, mozjpeg: false })
      : resized.webp({ quality: QUALITY });
  try {
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (error) {
    const invalid = imageInputError(error, { maxPixels });
    if (!invalid) throw error;
    if (invalid.data.reason.endsWith(' pixels')) throw new ImageTooLargeError(blob, `more than ${maxPixels} pixels`);
    throw new NotAnImageError(blob, invalid.data.reason);
  }
}
