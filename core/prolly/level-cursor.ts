import type { NodeHash } from '../ids.ts';
import { comparePaths } from '../item-path.ts';
import type { NodeReader } from './node-reader.ts';
import type { ChildRef, InternalNode, TreeNode } from './tree-node.ts';

/** Index of the first child whose key is >= `key`, or the last child when none is. */
export function childIndexFor(node: InternalNode, key: string): number {
  const entries = node.entries;
  let lo = 0;
  let hi = entries.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePaths(entries[mid]!.key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Loads, with one batched read per level, every node on the paths from `root` down to `level`
 * that the sorted `keys` fall in. A cursor seeking those keys afterwards finds them cached,
 * instead of paying one round trip per node.
 */
export async function prefetchPaths(reader: NodeReader, root: NodeHash, level: number, keys: readonly string[]): Promise<void> {
  let nodes = await reader.getMany([root]);
  while (keys.length > 0 && nodes.length > 0 && nodes[0]!.level > level) {
    const children = new Set<NodeHash>();
    for (const node of nodes as InternalNode[]) for (const hash of childrenFor(node, keys)) children.add(hash);
    nodes = await reader.getMany([...children]);
  }
}

/** Hashes of the children of `node` that hold any of the sorted `keys` (one merge pass). */
function childrenFor(node: InternalNode, keys: readonly string[]): NodeHash[] {
  const found: NodeHash[] = [];
  const entries = node.entries;
  let child = 0;
  for (const key of keys) {
    while (child < entries.length - 1 && comparePaths(entries[child]!.key, key) < 0) child++;
    if (found[found.length - 1] !== entries[child]!.hash) found.push(entries[child]!.hash);
  }
  return found;
}

/**
 * A position on one level of a tree: the node at that level whose key range holds a key, with
 * the path of ancestors that lead to it, so that `next` can walk the level left to right.
 */
export class LevelCursor {
  private constructor(
    private readonly reader: NodeReader,
    private readonly level: number,
    /** Ancestors from the root down; `index` is the child taken at each. */
    private readonly stack: { node: InternalNode; index: number }[],
    private node: TreeNode,
    private nodeHash: NodeHash,
  ) {}

  /** Positions on the node of `level` that holds `key` (or the level's last node). */
  static async seek(reader: NodeReader, root: NodeHash, level: number, key: string): Promise<LevelCursor> {
    let hash = root;
    let node = await reader.get(root);
    const stack: { node: InternalNode; index: number }[] = [];
    while (node.level > level) {
      const internal = node as InternalNode;
      const index = childIndexFor(internal, key);
      stack.push({ node: internal, index });
      hash = internal.entries[index]!.hash;
      node = await reader.get(hash);
    }
    return new LevelCursor(reader, level, stack, node, hash);
  }

  get current(): TreeNode {
    return this.node;
  }

  get currentHash(): NodeHash {
    return this.nodeHash;
  }

  /** The ref the parent holds for the current node (its key is the node's last key). */
  get currentRef(): ChildRef | undefined {
    const top = this.stack[this.stack.length - 1];
    return top?.node.entries[top.index];
  }

  /** True when no node follows on this level. */
  get isLast(): boolean {
    return this.stack.every(({ node, index }) => index === node.entries.length - 1);
  }

  /**
   * Moves to the next node of the level; returns false at the end. When it enters a new parent
   * it loads all of that parent's children at once: a sequential walk costs one round trip
   * per parent, not per node.
   */
  async next(): Promise<boolean> {
    let depth = this.stack.length - 1;
    while (depth >= 0 && this.stack[depth]!.index >= this.stack[depth]!.node.entries.length - 1) depth--;
    if (depth < 0) return false;
    this.stack[depth]!.index++;
    this.stack.length = depth + 1;
    for (;;) {
      const { node, index } = this.stack[this.stack.length - 1]!;
      if (index === 0 || this.stack.length === depth + 1) {
        await this.reader.getMany(node.entries.slice(index).map((c) => c.hash));
      }
      const hash = node.entries[index]!.hash;
      const child = await this.reader.get(hash);
      if (child.level === this.level) {
        this.node = child;
        this.nodeHash = hash;
        return true;
      }
      this.stack.push({ node: child as InternalNode, index: 0 });
    }
  }
}
