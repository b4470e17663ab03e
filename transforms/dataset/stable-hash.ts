import { createHash } from 'node:crypto';

/**
 * sha256 of the seed and the path, separated by a NUL (which no item path contains, so
 * ("ab", "c") and ("a", "bc") differ), as hex. The order and choices made from it depend only
 * on the item's own path, not on which other items exist.
 */
export function stableHash(seed: string, path: string): string {
  return createHash('sha256').update(`${seed}\u0000${path}`).digest('hex');
}

/** The hash's first 52 bits as a number in [0, 1). */
export function unitInterval(hash: string): number {
  return Number.parseInt(hash.slice(0, 13), 16) / 2 ** 52;
}

/** Orders by hash, then by path (equal hashes do not happen in practice, but order must be total). */
export function byHash(a: { hash: string; path: string }, b: { hash: string; path: string }): number {
  return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
