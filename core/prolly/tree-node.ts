import type { NodeHash } from '../ids.ts';
import type { ItemPath } from '../item-path.ts';
import type { Item } from '../model.ts';

/**
 * A reference from an internal node to a child subtree. `key` is the largest path in the
 * subtree; `count` and `bytes` aggregate the subtree so a snapshot's size is read at its root.
 */
export interface ChildRef {
  readonly key: ItemPath;
  readonly hash: NodeHash;
  readonly count: number;
  readonly bytes: number;
}

export interface LeafNode {
  readonly level: 0;
  readonly entries: readonly Item[];
}

export interface InternalNode {
  readonly level: number;
  readonly entries: readonly ChildRef[];
}

/** A decoded, immutable prolly-tree node. Level 0 holds items; higher levels hold child refs. */
export type TreeNode = LeafNode | InternalNode;

/** An entry of either level; `keyOf` gives its sort key. */
export type Entry = Item | ChildRef;

export function isLeaf(node: TreeNode): node is LeafNode {
  return node.level === 0;
}

export function keyOf(entry: Entry): ItemPath {
  return 'path' in entry ? entry.path : entry.key;
}

/** Number of items and their total blob bytes under a node. */
export function totalsOf(node: TreeNode): { count: number; bytes: number } {
  if (isLeaf(node)) {
    let bytes = 0;
    for (const item of node.entries) bytes += item.size;
    return { count: node.entries.length, bytes };
  }
  let count = 0;
  let bytes = 0;
  for (const child of node.entries as readonly ChildRef[]) {
    count += child.count;
    bytes += child.bytes;
  }
  return { count, bytes };
}
