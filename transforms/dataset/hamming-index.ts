import { hammingDistance } from './dhash.ts';

interface Node {
  readonly hash: string;
  readonly id: number;
  readonly children: Map<number, Node>;
}

/**
 * A BK-tree over hashes under the Hamming distance: finding the hashes within a small distance
 * of a query visits a fraction of the tree (the triangle inequality prunes whole branches)
 * instead of every hash.
 */
export class HammingIndex {
  private root: Node | undefined;

  add(hash: string, id: number): void {
    const node: Node = { hash, id, children: new Map() };
    if (!this.root) {
      this.root = node;
      return;
    }
    let at = this.root;
    for (;;) {
      const distance = hammingDistance(hash, at.hash);
      const next = at.children.get(distance);
      if (!next) {
        at.children.set(distance, node);
        return;
      }
      at = next;
    }
  }

  /** The closest entry within `radius` of `hash` (ties: the smallest id), or undefined. */
  nearest(hash: string, radius: number): { id: number; distance: number } | undefined {
    let best: { id: number; distance: number } | undefined;
    const stack = this.root ? [this.root] : [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const distance = hammingDistance(hash, node.hash);
      if (distance <= radius && (!best || distance < best.distance || (distance === best.distance && node.id < best.id))) best = { id: node.id, distance };
      for (const [edge, child] of node.children) if (edge >= distance - radius && edge <= distance + radius) stack.push(child);
    }
    return best;
  }
}
