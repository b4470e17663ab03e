import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { integer, parseParams } from '../params.ts';
import { transformImage } from './apply-image.ts';
import { colour } from './background.ts';

const schema = z.strictObject({
  /** Transparent pixels are laid over this colour. */
  background: colour('#ffffff'),
  quality: integer(1, 100).default(90),
});

export type RgbParams = z.output<typeof schema>;

/**
 * `image.rgb`: every image to three 8-bit sRGB channels, as most vision models expect:
 * grayscale is replicated, CMYK and embedded ICC profiles are converted to sRGB, 16-bit is
 * reduced to 8, and alpha is flattened onto `background`. Keeps the path and format (other
 * formats become PNG).
 */
export const imageRgb: ItemTransform<RgbParams> = {
  kind: 'item',
  name: 'image.rgb',
  version: '1',
  description: 'Convert images to 3-channel 8-bit sRGB, flattening transparency onto a background colour.',
  parseParams: (raw) => parseParams('image.rgb', schema, raw),
  apply: (input, params, context) =>
    transformImage(input, context, {
      quality: params.quality,
      build: (image) => image.flatten({ background: params.background }).toColourspace('srgb'),
    }),
};
