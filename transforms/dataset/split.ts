import { z } from 'zod';
import type { DatasetTransform } from '../../core/transforms/transform.ts';
import { number, parseParams, text } from '../params.ts';
import { classField, classOf } from './class-of.ts';
import { byHash, stableHash, unitInterval } from './stable-hash.ts';

const SPLITS = ['train', 'validation', 'test'] as const;
type Split = (typeof SPLITS)[number];

const schema = z
  .strictObject({
    train: number(0, 1).default(0.8),
    validation: number(0, 1).default(0.1),
    test: number(0, 1).default(0.1),
    /** Mixed into every item's hash: another seed, another split. */
    seed: text(256, { empty: true }).default(''),
    /** Split each class in the ratios (see classField); by default the whole set at once. */
    stratify: classField().optional(),
  })
  .refine((params) => Math.abs(params.train + params.validation + params.test - 1) <= 1e-9, {
    path: ['train'],
    error: 'train + validation + test must add up to 1',
  });

export type SplitParams = z.output<typeof schema>;

type Ratios = Pick<SplitParams, Split>;

/** The split whose share of [0, 1) holds `u`; rounding never lands in a split of ratio 0. */
function splitAt(u: number, ratios: Ratios): Split {
  const open = SPLITS.filter((split) => ratios[split] > 0);
  let bound = 0;
  for (const split of open) {
    bound += ratios[split];
    if (u < bound) return split;
  }
  return open[open.length - 1]!;
}

/** How many of `n` items go to each split: floors, then the largest remainders (ties in split order). */
function counts(n: number, ratios: Ratios): Record<Split, number> {
  const exact = SPLITS.map((split) => n * ratios[split]);
  const result = exact.map(Math.floor);
  let left = n - result.reduce((sum, count) => sum + count, 0);
  const order = [0, 1, 2].filter((i) => ratios[SPLITS[i]!] > 0).sort((a, b) => exact[b]! - result[b]! - (exact[a]! - result[a]!) || a - b);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) result[order[k]!]!++;
  return { train: result[0]!, validation: result[1]!, test: result[2]! };
}

/**
 * `dataset.split`: writes `meta.split` (train, validation or test) on every item; blobs,
 * paths and annotations are kept. Each item's place comes from h = sha256(seed NUL path)
 * (stable-hash.ts):
 * - unstratified, u = the first 52 bits of h as a fraction of 1 falls into [0, train),
 *   [train, train + validation) or the rest. An item's split depends on its path alone, so it
 *   never moves when items are added or removed; the ratios hold in expectation.
 * - with `stratify`, each class (and the items without one, together) is ordered by h and cut
 *   into exactly round-by-largest-remainder shares, so every class is split in the ratios even
 *   when small; adding items to a class can move items of that class near a cut.
 */
export const datasetSplit: DatasetTransform<SplitParams> = {
  kind: 'dataset',
  name: 'dataset.split',
  version: '1',
  description: 'Split items into train, validation and test by a stable hash of their path, optionally stratified by class.',
  parseParams: (raw) => parseParams('dataset.split', schema, raw),
  async *apply(inputs, params, context) {
    let assigned: Map<string, Split> | undefined;
    if (params.stratify !== undefined) {
      const strata = new Map<string, { hash: string; path: string }[]>();
      for await (const input of inputs()) {
        context.signal.throwIfAborted();
        const key = classOf(input, params.stratify) ?? '\u0000unclassified';
        let members = strata.get(key);
        if (!members) strata.set(key, (members = []));
        members.push({ hash: stableHash(params.seed, input.path), path: input.path });
      }
      assigned = new Map();
      for (const members of strata.values()) {
        members.sort(byHash);
        const share = counts(members.length, params);
        let at = 0;
        for (const split of SPLITS) for (let i = 0; i < share[split]; i++) assigned.set(members[at++]!.path, split);
      }
    }
    for await (const input of inputs()) {
      context.signal.throwIfAborted();
      const split = assigned?.get(input.path) ?? splitAt(unitInterval(stableHash(params.seed, input.path)), params);
      yield { path: input.path, content: { blob: input.blob }, meta: { ...input.meta, split }, annotations: input.annotations };
    }
  },
};
