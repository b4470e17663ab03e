import type { NodeHash } from '../ids.ts';
import { comparePaths } from '../item-path.ts';
import type { Item } from '../model.ts';
import { childIndexFor, LevelCursor } from './level-cursor.ts';
import type { NodeReader } from './node-reader.ts';
import { totalsOf, type InternalNode, type LeafNode } from './tree-node.ts';

/** The item at `path`, or undefined. O(height) node reads. */
export async function getItem(reader: NodeReader, root: NodeHash, path: string): Promise<Item | undefined> {
  let node = await reader.get(root);
  while (node.level > 0) node = await reader.get((node as InternalNode).entries[childIndexFor(node as InternalNode, path)]!.hash);
  const entries = (node as LeafNode).entries;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const order = comparePaths(entries[mid]!.path, path);
    if (order === 0) return entries[mid];
    if (order < 0) lo = mid + 1;
    else hi = mid;
  }
  return undefined;
}

/** Item count and total blob bytes of a snapshot, read from its root alone. */
export async function treeTotals(reader: NodeReader, root: NodeHash): Promise<{ count: number; bytes: number }> {
  return totalsOf(await reader.get(root));
}

export interface ScanOptions {
  /** Only paths starting with this string. */
  readonly prefix?: string | undefined;
  /** Only paths sorting strictly after this one (keyset pagination). */
  readonly after?: string | undefined;
}

/**
 * Items in path order, starting at the first path > `after` that has `prefix`. Reads one leaf
 * at a time (siblings in batches), so a scan of a huge snapshot runs in constant memory.
 */
export async function* scanItems(reader: NodeReader, root: NodeHash, options: ScanOptions = {}): AsyncGenerator<Item> {
  const prefix = options.prefix ?? '';
  const start = options.after !== undefined && comparePaths(options.after, prefix) > 0 ? options.after : prefix;
  const cursor = await LevelCursor.seek(reader, root, 0, start);
  for (;;) {
    for (const item of (cursor.current as LeafNode).entries) {
      if (comparePaths(item.path, start) < 0 || (options.after !== undefined && item.path === options.after)) continue;
      if (!item.path.startsWith(prefix)) return;
      yield item;
    }
    if (!(await cursor.next())) return;
  }
}
