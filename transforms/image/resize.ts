import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { integer, oneOf, parseParams } from '../params.ts';
import { transformImage, type ImageHeader } from './apply-image.ts';
import { colour } from './background.ts';

const MAX_SIDE = 16_384;

const schema = z.strictObject({
  width: integer(1, MAX_SIDE),
  height: integer(1, MAX_SIDE),
  /**
   * fit: scaled (aspect kept) to fit inside width × height, so one side may be shorter;
   * fill: scaled (aspect kept) to cover width × height, then centre-cropped to it;
   * stretch: scaled to exactly width × height, aspect not kept;
   * letterbox: as fit, then padded to width × height with `background`, centred.
   */
  mode: oneOf(['fit', 'fill', 'stretch', 'letterbox']).default('fit'),
  background: colour('#000000'),
  /** JPEG and WebP quality of the output. */
  quality: integer(1, 100).default(90),
});

export type ResizeParams = z.output<typeof schema>;

/** Where each source pixel goes: x' = x · scale[0] + offset[0], likewise for y. */
interface Placement {
  readonly resized: readonly [number, number];
  readonly scale: readonly [number, number];
  readonly offset: readonly [number, number];
}

/**
 * The resized size and placement, computed here rather than left to sharp's fit modes so that
 * the mapping recorded in meta is exactly the one applied.
 */
function placement(source: ImageHeader, { width, height, mode }: ResizeParams): Placement {
  if (mode === 'stretch') return { resized: [width, height], scale: [width / source.width, height / source.height], offset: [0, 0] };
  const factor = (mode === 'fill' ? Math.max : Math.min)(width / source.width, height / source.height);
  const clamp = (value: number, side: number) => (mode === 'fill' ? Math.max(side, value) : Math.min(side, Math.max(1, value)));
  const rw = clamp(Math.round(source.width * factor), width);
  const rh = clamp(Math.round(source.height * factor), height);
  const scale = [rw / source.width, rh / source.height] as const;
  if (mode === 'fit') return { resized: [rw, rh], scale, offset: [0, 0] };
  // Centred: the padding (letterbox) or the cut (fill) goes one pixel more to the right and bottom.
  const dx = Math.floor(Math.abs(width - rw) / 2);
  const dy = Math.floor(Math.abs(height - rh) / 2);
  return { resized: [rw, rh], scale, offset: mode === 'fill' ? [-dx, -dy] : [dx, dy] };
}

/**
 * `image.resize`: to a fixed size by `mode` (fit, fill, stretch, letterbox), Lanczos-3
 * resampling. Keeps the path and format (other formats than JPEG, PNG, WebP become PNG).
 * Annotations are kept as they are; `meta.resize` records how a source point maps into the
 * output (`{ from: [w, h], scale: [sx, sy], offset: [dx, dy] }`: x' = x·sx + dx), so boxes can
 * be mapped with it.
 */
export const imageResize: ItemTransform<ResizeParams> = {
  kind: 'item',
  name: 'image.resize',
  version: '1',
  description: 'Resize images to a fixed size: fit inside, fill and centre-crop, stretch, or letterbox onto a background colour.',
  parseParams: (raw) => parseParams('image.resize', schema, raw),
  apply: (input, params, context) => {
    let place: Placement | undefined;
    return transformImage(input, context, {
      quality: params.quality,
      build: (image, header) => {
        place = placement(header, params);
        const [rw, rh] = place.resized;
        const resized = image.resize(rw, rh, { fit: 'fill', kernel: 'lanczos3' });
        if (params.mode === 'fill' && (rw > params.width || rh > params.height))
          return resized.extract({ left: -place.offset[0], top: -place.offset[1], width: params.width, height: params.height });
        if (params.mode === 'letterbox' && (rw < params.width || rh < params.height)) {
          const [dx, dy] = place.offset;
          return resized.extend({ left: dx, top: dy, right: params.width - rw - dx, bottom: params.height - rh - dy, background: params.background });
        }
        return resized;
      },
      meta: (header) => ({ resize: { from: [header.width, header.height], scale: [...place!.scale], offset: [...place!.offset] } }),
    });
  },
};
