import type { NodeHash } from '../ids.ts';
import { comparePaths } from '../item-path.ts';
import type { Item } from '../model.ts';
import { jsonEqual } from '../canonical-json.ts';
import type { NodeReader } from './node-reader.ts';
import type { ChildRef, LeafNode, TreeNode } from './tree-node.ts';

/** One item that differs: `before` null = added, `after` null = removed, both = modified. */
export interface ItemChange {
  readonly path: string;
  readonly before: Item | null;
  readonly after: Item | null;
}

export interface DiffOptions {
  /** Only changes at paths strictly after this one (keyset pagination). */
  readonly after?: string | undefined;
  /** Stop after this many changes. */
  readonly limit?: number | undefined;
}

/**
 * Changes from snapshot `a` to snapshot `b`, in path order.
 *
 * Both trees are walked top-down one level at a time. On a level both sides reach, subtrees
 * with the same hash hold the same items and are dropped from both sides unread; only the rest
 * is expanded, with one batched read per side and level. So the cost follows the number of
 * changes (times node size and height), not the size of the snapshots.
 */
export async function diffTrees(reader: NodeReader, a: NodeHash, b: NodeHash, options: DiffOptions = {}): Promise<ItemChange[]> {
  if (a === b) return [];
  let sideA = { hashes: [a], nodes: await reader.getMany([a]) };
  let sideB = { hashes: [b], nodes: await reader.getMany([b]) };
  const expand = async (refs: ChildRef[]) => {
    const hashes = refs.map((r) => r.hash);
    return { hashes, nodes: await reader.getMany(hashes) };
  };
  for (;;) {
    const levelA = sideA.nodes[0]?.level ?? 0;
    const levelB = sideB.nodes[0]?.level ?? 0;
    if (levelA === 0 && levelB === 0) break;
    if (levelA === levelB) {
      const [keepA, keepB] = dropShared(children(sideA.nodes, options.after), children(sideB.nodes, options.after));
      [sideA, sideB] = await Promise.all([expand(keepA), expand(keepB)]);
    } else if (levelA > levelB) {
      sideA = await expand(children(sideA.nodes, options.after));
    } else {
      sideB = await expand(children(sideB.nodes, options.after));
    }
  }
  const inB = new Set(sideB.hashes);
  const shared = new Set(sideA.hashes.filter((h) => inB.has(h)));
  const itemsOf = (side: { hashes: NodeHash[]; nodes: TreeNode[] }) =>
    side.nodes.filter((_, i) => !shared.has(side.hashes[i]!)).flatMap((n) => (n as LeafNode).entries);
  return mergeLeaves(itemsOf(sideA), itemsOf(sideB), options);
}

/** Child refs of internal nodes, skipping subtrees that end at or before `after`. */
function children(nodes: readonly TreeNode[], after: string | undefined): ChildRef[] {
  const refs: ChildRef[] = [];
  for (const node of nodes)
    for (const ref of node.entries as readonly ChildRef[])
      if (after === undefined || comparePaths(ref.key, after) > 0) refs.push(ref);
  return refs;
}

function dropShared(a: ChildRef[], b: ChildRef[]): [ChildRef[], ChildRef[]] {
  const inB = new Set(b.map((r) => r.hash));
  const shared = new Set(a.filter((r) => inB.has(r.hash)).map((r) => r.hash));
  return [a.filter((r) => !shared.has(r.hash)), b.filter((r) => !shared.has(r.hash))];
}

function mergeLeaves(a: readonly Item[], b: readonly Item[], options: DiffOptions): ItemChange[] {
  const changes: ItemChange[] = [];
  const limit = options.limit ?? Infinity;
  let i = 0;
  let j = 0;
  while ((i < a.length || j < b.length) && changes.length < limit) {
    const x = a[i];
    const y = b[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : comparePaths(x.path, y.path);
    let change: ItemChange | undefined;
    if (order < 0) {
      change = { path: x!.path, before: x!, after: null };
      i++;
    } else if (order > 0) {
      change = { path: y!.path, before: null, after: y! };
      j++;
    } else {
      if (!sameItem(x!, y!)) change = { path: x!.path, before: x!, after: y! };
      i++;
      j++;
    }
    if (change && (options.after === undefined || comparePaths(change.path, options.after) > 0)) changes.push(change);
  }
  return changes;
}

/** Two items are equal when their canonical encodings are (compared without encoding). */
export function sameItem(x: Item, y: Item): boolean {
  return (
    x === y ||
    (x.path === y.path && x.blob === y.blob && x.size === y.size && jsonEqual(x.meta, y.meta) && jsonEqual(x.annotations, y.annotations))
  );
}
