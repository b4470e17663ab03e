import { z } from 'zod';
import type { DatasetTransform } from '../../core/transforms/transform.ts';
import { oneOf, parseParams, text } from '../params.ts';
import { classField, classOf } from './class-of.ts';
import { byHash, stableHash } from './stable-hash.ts';

const schema = z.strictObject({
  strategy: oneOf(['oversample', 'undersample', 'weights']),
  /** Where the class is (see classField). */
  by: classField().default('label'),
  /** Mixed into the hash that orders each class: another seed, other copies or drops. */
  seed: text(256, { empty: true }).default(''),
});

export type RebalanceParams = z.output<typeof schema>;

/**
 * `dataset.rebalance`: evens out classes (found by `by`; items without a class are kept as
 * they are and not counted). Each class is ordered by sha256(seed NUL path).
 * - `oversample`: every class is brought up to the largest one's count by copies of its items
 *   (same blob, meta and annotations, meta gaining `duplicateOf`), taken in hash order and
 *   round after round, at `<path>#dup-2`, `<path>#dup-3`…;
 * - `undersample`: every class is cut down to the smallest one's count, keeping the first
 *   items in hash order and leaving the others out;
 * - `weights`: nothing is added or removed; each item gets `meta.weight` = N / (K · n_c)
 *   (N classed items, K classes, n_c items of its class: scikit-learn's "balanced" weights,
 *   which average 1 over the items).
 */
export const datasetRebalance: DatasetTransform<RebalanceParams> = {
  kind: 'dataset',
  name: 'dataset.rebalance',
  version: '1',
  description: 'Balance classes by oversampling minority classes, undersampling majority ones, or per-item class weights.',
  parseParams: (raw) => parseParams('dataset.rebalance', schema, raw),
  async *apply(inputs, params, context) {
    const classes = new Map<string, { hash: string; path: string }[]>();
    for await (const input of inputs()) {
      context.signal.throwIfAborted();
      const label = classOf(input, params.by);
      if (label === undefined) continue;
      let members = classes.get(label);
      if (!members) classes.set(label, (members = []));
      members.push({ hash: stableHash(params.seed, input.path), path: input.path });
    }
    const sizes = [...classes.values()].map((members) => members.length);
    const total = sizes.reduce((sum, n) => sum + n, 0);
    /** Extra copies per path (oversample), or the paths kept (undersample). */
    const copies = new Map<string, number>();
    const kept = new Set<string>();
    for (const members of classes.values()) {
      members.sort(byHash);
      if (params.strategy === 'oversample') {
        const extra = Math.max(...sizes) - members.length;
        for (let j = 0; j < extra; j++) {
          const path = members[j % members.length]!.path;
          copies.set(path, (copies.get(path) ?? 0) + 1);
        }
      } else if (params.strategy === 'undersample') {
        for (const member of members.slice(0, Math.min(...sizes))) kept.add(member.path);
      }
    }
    for await (const input of inputs()) {
      context.signal.throwIfAborted();
      const label = classOf(input, params.by);
      const item = { path: input.path, content: { blob: input.blob }, meta: input.meta, annotations: input.annotations };
      if (label === undefined) {
        yield item;
      } else if (params.strategy === 'weights') {
        yield { ...item, meta: { ...input.meta, weight: total / (classes.size * classes.get(label)!.length) } };
      } else if (params.strategy === 'undersample') {
        if (kept.has(input.path)) yield item;
      } else {
        yield item;
        const extra = copies.get(input.path) ?? 0;
        for (let copy = 2; copy < 2 + extra; copy++) yield { ...item, path: `${input.path}#dup-${copy}`, meta: { ...input.meta, duplicateOf: input.path } };
      }
    }
  },
};
