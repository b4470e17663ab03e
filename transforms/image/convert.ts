import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { boolean, integer, oneOf, parseParams } from '../params.ts';
import { transformImage } from './apply-image.ts';
import { colour } from './background.ts';
import { IMAGE_FORMATS } from './image-encoding.ts';

const schema = z.strictObject({
  format: oneOf(IMAGE_FORMATS),
  /** JPEG and lossy WebP quality. */
  quality: integer(1, 100).default(90),
  /** WebP only: lossless. */
  lossless: boolean().default(false),
  /** JPEG has no transparency: transparent pixels are laid over this colour. */
  background: colour('#ffffff'),
});

export type ConvertParams = z.output<typeof schema>;

/**
 * `image.convert`: re-encodes images as JPEG, PNG or WebP. The path's extension becomes
 * `.jpg`, `.png` or `.webp` when the format changes (an image already in the format keeps its
 * path, and is still re-encoded, so its quality and metadata follow the parameters).
 */
export const imageConvert: ItemTransform<ConvertParams> = {
  kind: 'item',
  name: 'image.convert',
  version: '1',
  description: 'Convert images to JPEG, PNG or WebP with a chosen quality.',
  parseParams: (raw) => parseParams('image.convert', schema, raw),
  apply: (input, params, context) =>
    transformImage(input, context, {
      format: params.format,
      quality: params.quality,
      lossless: params.lossless,
      build: (image) => (params.format === 'jpeg' ? image.flatten({ background: params.background }) : image),
    }),
};
