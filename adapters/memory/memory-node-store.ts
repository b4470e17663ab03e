import type { NodeHash } from '../../core/ids.ts';
import type { NodeStore } from '../../core/ports.ts';

/** NodeStore kept in a Map: for tests and benchmarks of the tree alone. */
export class MemoryNodeStore implements NodeStore {
  readonly nodes = new Map<NodeHash, Uint8Array>();
  /** Number of getMany calls, so tests can check that reads are batched. */
  reads = 0;

  async getMany(hashes: readonly NodeHash[]): Promise<Map<NodeHash, Uint8Array>> {
    this.reads++;
    const found = new Map<NodeHash, Uint8Array>();
    for (const hash of hashes) {
      const bytes = this.nodes.get(hash);
      if (bytes) found.set(hash, bytes);
    }
    return found;
  }

  async putMany(nodes: readonly { hash: NodeHash; bytes: Uint8Array }[]): Promise<void> {
    for (const { hash, bytes } of nodes) if (!this.nodes.has(hash)) this.nodes.set(hash, Uint8Array.from(bytes));
  }
}
