import { z } from 'zod';
import { comparePaths } from '../../core/item-path.ts';
import type { DatasetTransform } from '../../core/transforms/transform.ts';
import { parseParams } from '../params.ts';

const schema = z.strictObject({});

export type DedupeParams = z.output<typeof schema>;

/**
 * `dataset.dedupe`: of the items with the same bytes (the same blob hash), keeps the first in
 * path order, as it is, and leaves the others out; the kept item's meta gains `duplicates`, the
 * paths left out (their meta and annotations are not merged into it). Items without a
 * duplicate are kept untouched.
 */
export const datasetDedupe: DatasetTransform<DedupeParams> = {
  kind: 'dataset',
  name: 'dataset.dedupe',
  version: '1',
  description: 'Remove exact duplicates (same bytes), keeping the first path and listing the others in its meta.',
  parseParams: (raw) => parseParams('dataset.dedupe', schema, raw),
  async *apply(inputs, _params, context) {
    const groups = new Map<string, string[]>();
    for await (const input of inputs()) {
      context.signal.throwIfAborted();
      const paths = groups.get(input.blob);
      if (paths) paths.push(input.path);
      else groups.set(input.blob, [input.path]);
    }
    for (const paths of groups.values()) paths.sort(comparePaths);
    for await (const input of inputs()) {
      context.signal.throwIfAborted();
      const [first, ...others] = groups.get(input.blob)!;
      if (first !== input.path) continue;
      const meta = others.length === 0 ? input.meta : { ...input.meta, duplicates: others };
      yield { path: input.path, content: { blob: input.blob }, meta, annotations: input.annotations };
    }
  },
};
