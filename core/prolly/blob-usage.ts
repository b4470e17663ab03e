import type { BlobHash, NodeHash } from '../ids.ts';
import type { NodeReader } from './node-reader.ts';
import { totalsOf, type InternalNode, type LeafNode } from './tree-node.ts';

const READ_BATCH = 2000;

export interface BlobUsage {
  /** Sum of every snapshot's total bytes: what full copies would store. */
  readonly logicalBytes: number;
  /** Sum of the sizes of the distinct blobs the snapshots reference: what is stored. */
  readonly uniqueBytes: number;
  readonly uniqueBlobs: number;
}

/**
 * Logical versus unique bytes of a set of snapshots, i.e. what sharing saves. Shared subtrees
 * (clones, branches, unchanged parts) are visited once, so the cost follows the distinct nodes,
 * not the number of snapshots; one level is read per batch.
 */
export async function blobUsage(reader: NodeReader, roots: readonly NodeHash[]): Promise<BlobUsage> {
  const distinctRoots = [...new Set(roots)];
  let logicalBytes = 0;
  for (const root of roots) logicalBytes += totalsOf(await reader.get(root)).bytes;
  const seen = new Set<NodeHash>(distinctRoots);
  const blobs = new Map<BlobHash, number>();
  let frontier = distinctRoots;
  while (frontier.length > 0) {
    const next: NodeHash[] = [];
    // A slice at a time: a level of a large snapshot holds tens of thousands of nodes.
    for (let i = 0; i < frontier.length; i += READ_BATCH)
    for (const node of await reader.getMany(frontier.slice(i, i + READ_BATCH))) {
      if (node.level === 0) {
        for (const item of (node as LeafNode).entries) blobs.set(item.blob, item.size);
        continue;
      }
      for (const child of (node as InternalNode).entries)
        if (!seen.has(child.hash)) {
          seen.add(child.hash);
          next.push(child.hash);
        }
    }
    frontier = next;
  }
  let uniqueBytes = 0;
  for (const size of blobs.values()) uniqueBytes += size;
  return { logicalBytes, uniqueBytes, uniqueBlobs: blobs.size };
}
