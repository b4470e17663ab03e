import { createHash } from 'node:crypto';

/**
 * How many labelers an item needs: `overlap` for the share `fraction` of items chosen by a
 * stable hash of the path (the first 32 bits of its sha256, as a fraction of 2^32), 1 for the
 * others. The same path is chosen in every project with the same fraction, and raising the
 * fraction only adds items to the chosen set.
 */
export function labelersNeeded(path: string, overlap: number, fraction: number): number {
  if (overlap <= 1 || fraction <= 0) return 1;
  const position = createHash('sha256').update(path).digest().readUInt32BE(0) / 2 ** 32;
  return position < fraction ? overlap : 1;
}
