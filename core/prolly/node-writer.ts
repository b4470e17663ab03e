import type { NodeHash } from '../ids.ts';
import type { NodeStore } from '../ports.ts';
import { encodeNode } from './node-codec.ts';
import type { NodeReader } from './node-reader.ts';
import { keyOf, totalsOf, type ChildRef, type Entry, type TreeNode } from './tree-node.ts';

const FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * Encodes new nodes and stores them in batches. Nodes are content-addressed and idempotent,
 * so writing them before the commit that references them is safe: a failed commit leaves only
 * unreferenced nodes, which garbage collection may drop.
 */
export class NodeWriter {
  private pending: { hash: NodeHash; bytes: Uint8Array }[] = [];
  private pendingBytes = 0;
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: NodeStore,
    private readonly reader: NodeReader,
  ) {}

  /** Encodes a node from its entries (and their encodings), queues it, and returns its ref. */
  async write(level: number, entries: readonly Entry[], encoded: readonly string[]): Promise<ChildRef> {
    const { hash, bytes } = encodeNode(level, encoded);
    const node = { level, entries } as TreeNode;
    this.reader.remember(hash, node, bytes.byteLength);
    this.pending.push({ hash, bytes });
    this.pendingBytes += bytes.byteLength;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flushSome();
    const { count, bytes: size } = totalsOf(node);
    return { key: keyOf(entries[entries.length - 1]!), hash, count, bytes: size };
  }

  /** Writes every queued node; call before referencing the new root anywhere. */
  async flush(): Promise<void> {
    await this.flushSome();
    await this.inflight;
  }

  // One batch may be in flight while the next is being built: hashing overlaps the database.
  private async flushSome(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await this.inflight;
    if (batch.length === 0) return;
    const write = this.store.putMany(batch);
    // Mark as handled now; the rejection still surfaces at the next await of `inflight`.
    write.catch(() => {});
    this.inflight = write;
  }
}
