import { z } from 'zod';
import { openImage } from '../../adapters/image/open-image.ts';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { integer, parseParams } from '../params.ts';
import { bufferOf, readImageHeader, rejectionOf, transformImage } from './apply-image.ts';

const schema = z.strictObject({
  /** JPEG and WebP quality of re-encoded images. */
  quality: integer(1, 100).default(90),
});

export type NormalizeOrientationParams = z.output<typeof schema>;

/**
 * `image.normalize-orientation`: turns each image upright by its EXIF orientation and drops
 * all metadata (EXIF with its GPS and camera data, ICC after converting to sRGB, XMP, IPTC,
 * comments), so that every reader sees the pixels the same way. Keeps the path and format
 * (other formats become PNG). `meta.orientation` records the EXIF orientation that was applied.
 * An image that is already upright and carries no metadata is fully decoded (to find damage)
 * and kept as it is, with no re-encoding loss.
 */
export const imageNormalizeOrientation: ItemTransform<NormalizeOrientationParams> = {
  kind: 'item',
  name: 'image.normalize-orientation',
  version: '1',
  description: 'Rotate images upright by their EXIF orientation and strip all metadata.',
  parseParams: (raw) => parseParams('image.normalize-orientation', schema, raw),
  apply: async (input, params, context) => {
    context.signal.throwIfAborted();
    const bytes = bufferOf(await input.bytes());
    const limit = { maxPixels: context.maxImagePixels };
    try {
      const header = await readImageHeader(bytes, context);
      if (header.orientation === 1 && !header.hasMetadata) {
        await openImage(bytes, limit).raw().toBuffer();
        const meta = { ...input.meta, orientation: 1, width: header.width, height: header.height, channels: header.channels };
        return [{ path: input.path, content: { blob: input.blob }, meta, annotations: input.annotations }];
      }
    } catch (error) {
      return rejectionOf(error, limit);
    }
    return transformImage(input, context, {
      bytes,
      quality: params.quality,
      build: (image) => image,
      meta: (header) => ({ orientation: header.orientation }),
    });
  },
};
