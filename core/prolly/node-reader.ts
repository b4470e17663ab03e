import { CorruptObjectError, NotFoundError } from '../errors.ts';
import { hashObject } from '../hash.ts';
import type { NodeHash } from '../ids.ts';
import type { NodeStore } from '../ports.ts';
import { decodeNode, EMPTY_NODE } from './node-codec.ts';
import type { TreeNode } from './tree-node.ts';

/**
 * Loads tree nodes by hash through an in-process LRU cache. Nodes are immutable, so a cached
 * node is never stale. Bytes from the store are re-hashed before use: a corrupted row is an
 * error, never a silently wrong snapshot.
 */
export class NodeReader {
  private readonly cache = new Map<NodeHash, { node: TreeNode; bytes: number }>();
  private cachedBytes = 0;

  constructor(
    private readonly store: NodeStore,
    private readonly maxCacheBytes = 128 * 1024 * 1024,
  ) {
    this.remember(EMPTY_NODE.hash, decodeNode(EMPTY_NODE.bytes), EMPTY_NODE.bytes.byteLength);
  }

  /** @throws NotFoundError('node') when the store lacks the node; CorruptObjectError. */
  async get(hash: NodeHash): Promise<TreeNode> {
    const hit = this.lookup(hash);
    if (hit) return hit;
    const [node] = await this.getMany([hash]);
    return node!;
  }

  /** Loads many nodes with at most one store round trip; result order follows `hashes`. */
  async getMany(hashes: readonly NodeHash[]): Promise<TreeNode[]> {
    const missing = [...new Set(hashes.filter((h) => !this.cache.has(h)))];
    if (missing.length > 0) {
      const loaded = await this.store.getMany(missing);
      for (const hash of missing) {
        const bytes = loaded.get(hash);
        if (!bytes) throw new NotFoundError('node', hash);
        const actual = hashObject('node', bytes);
        if (actual !== hash) throw new CorruptObjectError('node', hash, actual);
        this.remember(hash, decodeNode(bytes), bytes.byteLength);
      }
    }
    return hashes.map((h) => this.lookup(h)!);
  }

  /** Returns whether the node exists (in cache or store). */
  async has(hash: NodeHash): Promise<boolean> {
    if (this.cache.has(hash)) return true;
    return (await this.store.getMany([hash])).has(hash);
  }

  /** Adds a node this process just built, so reading it back costs nothing. */
  remember(hash: NodeHash, node: TreeNode, encodedBytes: number): void {
    if (this.cache.has(hash)) return;
    // Decoded objects take roughly 3-4x their JSON size in memory.
    const cost = encodedBytes * 4;
    this.cache.set(hash, { node, bytes: cost });
    this.cachedBytes += cost;
    for (const [oldest, entry] of this.cache) {
      if (this.cachedBytes <= this.maxCacheBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= entry.bytes;
    }
  }

  private lookup(hash: NodeHash): TreeNode | undefined {
    const entry = this.cache.get(hash);
    if (!entry) return undefined;
    // Re-insert to mark as most recently used.
    this.cache.delete(hash);
    this.cache.set(hash, entry);
    return entry.node;
  }
}
