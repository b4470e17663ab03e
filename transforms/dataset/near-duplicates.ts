import { z } from 'zod';
import type { DatasetTransform, TransformRejection } from '../../core/transforms/transform.ts';
import { rejectionOf } from '../image/apply-image.ts';
import { integer, oneOf, parseParams } from '../params.ts';
import { differenceHash } from './dhash.ts';
import { HammingIndex } from './hamming-index.ts';

const schema = z.strictObject({
  /** Largest Hamming distance (of 64 bits) between two hashes of near-duplicates. */
  threshold: integer(0, 64).default(6),
  /** mark: keep every image, marking near-duplicates in meta; drop: leave them out. */
  action: oneOf(['mark', 'drop']).default('mark'),
});

export type NearDuplicatesParams = z.output<typeof schema>;

/** An image's place: its hash, and the first image of its group when it is a near-duplicate. */
interface Placed {
  readonly dhash: string;
  readonly of?: { readonly path: string; readonly distance: number };
}

/**
 * `dataset.near-duplicates`: finds images that look the same (re-encoded, resized, lightly
 * edited) by their 64-bit difference hash (dhash.ts). In path order, each image joins the
 * group of the closest earlier group-first image within `threshold` bits (ties: the earliest),
 * or starts a group; comparing with group-first images only means a chain of small changes
 * cannot join two very different images.
 * - `mark`: every image is kept, meta gaining `dhash`, and for later members of a group
 *   `nearDuplicateOf` (the group's first path) and `nearDuplicateDistance`;
 * - `drop`: later members are left out; the first's meta gains `dhash` and `nearDuplicates`
 *   (the paths left out).
 * Items that are not images (no decoder recognises them) are kept as they are; damaged or
 * oversized images are rejected (with their path). Blobs are always kept.
 */
export const datasetNearDuplicates: DatasetTransform<NearDuplicatesParams> = {
  kind: 'dataset',
  name: 'dataset.near-duplicates',
  version: '1',
  description: 'Find near-duplicate images by perceptual difference hash (dHash) and mark or drop all but the first of each group.',
  parseParams: (raw) => parseParams('dataset.near-duplicates', schema, raw),
  async *apply(inputs, params, context) {
    const limit = { maxPixels: context.maxImagePixels };
    const placed = new Map<string, Placed | TransformRejection>();
    const firsts: string[] = [];
    const members = new Map<string, string[]>();
    const index = new HammingIndex();
    for await (const input of inputs()) {
      context.signal.throwIfAborted();
      let dhash: string;
      try {
        dhash = await differenceHash(Buffer.from(await input.bytes()), context.maxImagePixels);
      } catch (error) {
        const rejection = rejectionOf(error, limit);
        if (rejection.rejected !== 'image is not in a supported image format') placed.set(input.path, { rejected: rejection.rejected, path: input.path });
        continue;
      }
      const near = index.nearest(dhash, params.threshold);
      if (near) {
        const first = firsts[near.id]!;
        placed.set(input.path, { dhash, of: { path: first, distance: near.distance } });
        members.get(first)!.push(input.path);
      } else {
        index.add(dhash, firsts.length);
        firsts.push(input.path);
        members.set(input.path, []);
        placed.set(input.path, { dhash });
      }
    }
    for await (const input of inputs()) {
      context.signal.throwIfAborted();
      const place = placed.get(input.path);
      const item = { path: input.path, content: { blob: input.blob }, meta: input.meta, annotations: input.annotations };
      if (!place) {
        yield item;
      } else if ('rejected' in place) {
        yield place;
      } else if (place.of) {
        if (params.action === 'mark')
          yield { ...item, meta: { ...input.meta, dhash: place.dhash, nearDuplicateOf: place.of.path, nearDuplicateDistance: place.of.distance } };
      } else {
        const dropped = members.get(input.path)!;
        const meta = params.action === 'drop' && dropped.length > 0 ? { ...input.meta, dhash: place.dhash, nearDuplicates: dropped } : { ...input.meta, dhash: place.dhash };
        yield { ...item, meta };
      }
    }
  },
};
