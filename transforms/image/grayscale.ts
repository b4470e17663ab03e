import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { integer, parseParams } from '../params.ts';
import { transformImage } from './apply-image.ts';
import { colour } from './background.ts';

const schema = z.strictObject({
  /** Transparent pixels are first laid over this colour. */
  background: colour('#ffffff'),
  quality: integer(1, 100).default(90),
});

export type GrayscaleParams = z.output<typeof schema>;

/**
 * `image.grayscale`: one channel of luminance (libvips' sRGB → B-W conversion, Rec. 709
 * weights on linear light); transparency is flattened onto `background` first, so the output
 * always has exactly one channel. Keeps the path and format (other formats become PNG).
 */
export const imageGrayscale: ItemTransform<GrayscaleParams> = {
  kind: 'item',
  name: 'image.grayscale',
  version: '1',
  description: 'Convert images to one-channel grayscale, flattening transparency onto a background colour.',
  parseParams: (raw) => parseParams('image.grayscale', schema, raw),
  apply: (input, params, context) =>
    transformImage(input, context, {
      quality: params.quality,
      build: (image) => image.flatten({ background: params.background }).toColourspace('b-w'),
    }),
};
