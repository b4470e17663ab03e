import { InvalidInputError } from '../../core/errors.ts';
import { compileFilter, type ItemPredicate } from '../../core/filter/match-filter.ts';
import { parseFilter } from '../../core/filter/parse-filter.ts';
import { MAX_PATH_BYTES } from '../../core/item-path.ts';
import { inShard, parseShard, type Shard } from '../../core/provision/shard.ts';

/** Which part of a snapshot a reader wants, as clients send it. */
export interface SelectionInput {
  /** Only paths starting with this string. */
  readonly prefix?: string | undefined;
  /** An item filter (core/filter/parse-filter.ts). */
  readonly filter?: string | undefined;
  /** `i/n`: only what falls in shard i of n (core/provision/shard.ts). */
  readonly shard?: string | undefined;
}

/** A selection, parsed once. */
export interface Selection {
  readonly prefix: string | undefined;
  readonly matches: ItemPredicate | undefined;
  readonly shard: Shard | undefined;
}

/**
 * Parses a selection; every part is optional.
 * @throws InvalidInputError('prefix' | 'filter' | 'shard')
 */
export function parseSelection(input: SelectionInput): Selection {
  const { prefix, filter, shard } = input;
  if (prefix !== undefined && (typeof prefix !== 'string' || Buffer.byteLength(prefix) > MAX_PATH_BYTES))
    throw new InvalidInputError('prefix', `must be a string of at most ${MAX_PATH_BYTES} bytes`);
  return {
    prefix: prefix || undefined,
    matches: filter === undefined || filter === '' ? undefined : compileFilter(parseFilter(filter)),
    shard: shard === undefined || shard === '' ? undefined : parseShard(shard),
  };
}

/** Whether `key` (a path, or a WebDataset sample's key) falls in the selection's shard. */
export function inSelectedShard(selection: Selection, key: string): boolean {
  return selection.shard === undefined || inShard(key, selection.shard);
}
