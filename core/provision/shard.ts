import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors.ts';

/** One of `count` disjoint parts of a snapshot; `index` counts from 0. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Most shards a snapshot may be split into. */
export const MAX_SHARDS = 65_536;

/**
 * Parses `i/n` (0 <= i < n <= 65,536).
 * @throws InvalidInputError('shard')
 */
export function parseShard(text: string): Shard {
  const match = /^(\d{1,5})\/(\d{1,5})$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > MAX_SHARDS || index >= count)
    throw new InvalidInputError('shard', `expected i/n with 0 <= i < n <= ${MAX_SHARDS}, like 0/8, got ${JSON.stringify(text.slice(0, 40))}`);
  return { index, count };
}

/**
 * The shard a key belongs to among `count`: the first 8 bytes of sha256(UTF-8 key), read as a
 * big-endian unsigned 64-bit integer, modulo `count`. Stable across runs, machines and
 * languages (`int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % n` in
 * Python), and independent of which other keys exist, so the shards of a snapshot are disjoint
 * and together hold every key, and a key keeps its shard in the next snapshot.
 */
export function shardOf(key: string, count: number): number {
  if (count === 1) return 0;
  return Number(createHash('sha256').update(key).digest().readBigUInt64BE(0) % BigInt(count));
}

/** Whether `key` falls in `shard`. */
export function inShard(key: string, shard: Shard): boolean {
  return shardOf(key, shard.count) === shard.index;
}
