import sharp, { type Sharp } from 'sharp';
import { InvalidInputError } from '../../core/errors.ts';

export interface OpenImageOptions {
  /**
   * Largest width × height accepted (config `maxImagePixels`). Checked against the dimensions the
   * image's header declares, before any pixel is decoded: a small file can declare a huge image.
   */
  readonly maxPixels: number;
}

/**
 * The one place images are decoded: every sharp pipeline starts here, so that every decode is
 * bounded by `maxPixels` and fails on a damaged image instead of returning partial pixels.
 * Nothing is read until the pipeline runs; its failures can be mapped with `imageInputError`.
 * `input` is the image's bytes or a path on the server (never one a client chose).
 * @throws RangeError when `maxPixels` is not a positive integer (sharp reads 0 as "no limit").
 */
export function openImage(input: Buffer | string, options: OpenImageOptions): Sharp {
  const { maxPixels } = options;
  if (!Number.isSafeInteger(maxPixels) || maxPixels < 1) throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
  return sharp(input, { limitInputPixels: maxPixels, failOn: 'error' });
}

export interface ImageMetadata {
  readonly width: number;
  readonly height: number;
  /** The decoder that recognized it: 'jpeg', 'png', 'webp', 'gif', 'tiff'… */
  readonly format: string;
}

/**
 * Width, height and format of an image, read from its header only: a body damaged further on is
 * found when the image is decoded, not here.
 * @throws InvalidInputError (field "image") when the data is not an image sharp reads, is empty,
 *   has a corrupt header, or declares more than `maxPixels` pixels.
 */
export async function imageMetadata(input: Buffer | string, options: OpenImageOptions): Promise<ImageMetadata> {
  try {
    const { width, height, format } = await openImage(input, options).metadata();
    return { width, height, format };
  } catch (error) {
    throw imageInputError(error, options) ?? error;
  }
}

/**
 * The InvalidInputError for a sharp failure caused by the input image (over the pixel limit,
 * unsupported format, empty, corrupt or truncated), or null for any other failure (a missing
 * file, a wrong output option, memory), which the caller should let through as unexpected.
 * The reason is short and never repeats sharp's message, which may name a file path.
 */
export function imageInputError(error: unknown, options: OpenImageOptions): InvalidInputError | null {
  if (!(error instanceof Error)) return null;
  const { message } = error;
  if (message.includes('exceeds pixel limit')) return new InvalidInputError('image', `has more than ${options.maxPixels} pixels`);
  if (message.includes('unsupported image format')) return new InvalidInputError('image', 'is not in a supported image format');
  if (/^Input (buffer|file) is empty/i.test(message)) return new InvalidInputError('image', 'is empty');
  if (CORRUPT.test(message)) return new InvalidInputError('image', 'is corrupt or truncated');
  return null;
}

// How sharp and libvips word a damaged input: sharp's "Input … has corrupt header", and the
// loaders' own messages, prefixed with their names ("vipspng:", "VipsJpeg:", "gifload:",
// "tiff2vips:", "webp2vips:" …).
const CORRUPT = /^Input \w+ has corrupt header|^vips\w*:|^VipsJpeg:|^VipsForeignLoad|^\w+load:|^\w+2vips:/i;

/**
 * A new image of one colour, to draw or encode into (generated fixtures, benchmarks). Nothing
 * is decoded, so no pixel limit applies beyond the size asked for.
 */
export function blankImage(size: { width: number; height: number; channels: 3 | 4; background: { r: number; g: number; b: number; alpha?: number } }): Sharp {
  return sharp({ create: size });
}
