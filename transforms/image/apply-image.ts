import type { Sharp } from 'sharp';
import { imageInputError, openImage } from '../../adapters/image/open-image.ts';
import type { JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { TransformContext, TransformInput, TransformOutput, TransformRejection } from '../../core/transforms/transform.ts';
import { withExtension } from '../output-path.ts';
import { encodeImage, IMAGE_EXTENSIONS, IMAGE_MEDIA_TYPES, keptFormat, type ImageFormat } from './image-encoding.ts';

/** What an image's header says, with the size it has once turned upright. */
export interface ImageHeader {
  /** Width and height after the EXIF orientation is applied. */
  readonly width: number;
  readonly height: number;
  /** The decoder that recognized it ('jpeg', 'png', 'gif'…). */
  readonly format: string;
  /** Bands as stored: 1 gray, 2 gray and alpha, 3 RGB, 4 RGBA or CMYK… */
  readonly channels: number;
  /** EXIF orientation (1..8), 1 when absent. */
  readonly orientation: number;
  /** Whether it carries metadata a re-encode drops: EXIF, ICC, XMP, IPTC, text comments. */
  readonly hasMetadata: boolean;
}

export interface ImageJob {
  /** The input's bytes when the caller has read them already. */
  readonly bytes?: Buffer;
  /** The output format; by default the input's (see keptFormat). */
  readonly format?: ImageFormat | undefined;
  readonly quality: number;
  readonly lossless?: boolean;
  /** Adds the transform's operations to the upright image. */
  build(image: Sharp, header: ImageHeader): Sharp;
  /** Meta the transform learned, added to the input's (besides width, height and channels). */
  meta?(header: ImageHeader): JsonObject;
}

/**
 * Reads an image item's header.
 * @throws InvalidInputError('image') when the header is corrupt, unsupported or over the limit
 */
export async function readImageHeader(bytes: Buffer, context: TransformContext): Promise<ImageHeader> {
  const limit = { maxPixels: context.maxImagePixels };
  try {
    return await headerOf(openImage(bytes, limit));
  } catch (error) {
    throw imageInputError(error, limit) ?? error;
  }
}

/** The header of an opened image; the same instance can then be built on and encoded. */
async function headerOf(image: Sharp): Promise<ImageHeader> {
  const meta = await image.metadata();
  return {
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    format: meta.format,
    channels: meta.channels,
    orientation: meta.orientation ?? 1,
    hasMetadata: Boolean(meta.exif || meta.icc || meta.xmp || meta.iptc || meta.comments?.length || meta.tifftagPhotoshop),
  };
}

/** The bytes as a Buffer, sharing their memory rather than copying them. */
export function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The common shape of an image transform: decode through openImage (turned upright by its
 * EXIF orientation, since the output keeps no EXIF to say how to turn it), apply `job.build`,
 * encode with pinned options. The output keeps the input's path unless the format changes,
 * which changes the extension; meta gains `width`, `height` and `channels` of the output.
 * A damaged, unsupported or oversized image is rejected, not thrown.
 */
export async function transformImage(
  input: TransformInput,
  context: TransformContext,
  job: ImageJob,
): Promise<TransformOutput[] | TransformRejection> {
  context.signal.throwIfAborted();
  const bytes = job.bytes ?? bufferOf(await input.bytes());
  const limit = { maxPixels: context.maxImagePixels };
  try {
    // One sharp instance reads the header and then runs the pipeline: half the setup per image.
    const opened = openImage(bytes, limit);
    const header = await headerOf(opened);
    const format = job.format ?? keptFormat(header.format);
    const image = job.build(opened.autoOrient(), header);
    const { data, info } = await encodeImage(image, { format, quality: job.quality, lossless: job.lossless ?? false }).toBuffer({
      resolveWithObject: true,
    });
    const path = format === header.format ? input.path : withExtension(input.path, IMAGE_EXTENSIONS[format]);
    return [
      {
        path,
        content: data,
        meta: { ...input.meta, ...job.meta?.(header), width: info.width, height: info.height, channels: info.channels },
        annotations: input.annotations,
        mediaType: IMAGE_MEDIA_TYPES[format],
      },
    ];
  } catch (error) {
    return rejectionOf(error, limit);
  }
}

/**
 * The rejection for an image the input itself makes unusable; rethrows anything else (a bug,
 * memory, an abort), which must fail the run rather than be reported as a bad item.
 */
export function rejectionOf(error: unknown, limit: { maxPixels: number }): TransformRejection {
  const invalid = error instanceof InvalidInputError ? error : imageInputError(error, limit);
  if (invalid && invalid.data.field === 'image') return { rejected: `image ${invalid.data.reason}` };
  throw error;
}
