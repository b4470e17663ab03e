import { CorruptObjectError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import type { BlobHash, SnapshotHash } from '../../core/ids.ts';
import type { Item } from '../../core/model.ts';
import type { Actor } from '../actor.ts';
import { SYNC_READ_MAX_BYTES, type BlobService } from '../blob-service.ts';
import { wholeBytes } from '../whole-bytes.ts';

/** Reads the bytes of one item of the snapshot. */
export type ItemBytesReader = (item: Item) => Promise<Uint8Array>;

/**
 * Reads the bytes of the items of a snapshot the project holds, for an item transform that
 * reads thousands: one check up front (BlobService.provisionReaderOf), none per item. Blobs are
 * not hashed again as they are read, as for provisioning: the store verified them when it
 * stored them under their hash and never rewrites them (docs/provisioning.md), and re-hashing
 * every input cost more than reading it. A blob of another length than its item says is
 * reported as corrupt. Small blobs are read with blocking calls on this thread: from the page
 * cache that takes microseconds, where the thread pool would queue the read behind the image
 * decodes filling it.
 * @throws ForbiddenError without `blob.read`, NotFoundError('snapshot') when the project does not
 * hold `snapshot`; the reader rejects with NotFoundError('blob') for a blob gone from the store
 * and CorruptObjectError for one of the wrong length
 */
export async function snapshotInputReader(blobs: BlobService, actor: Actor, project: string, snapshot: string): Promise<ItemBytesReader> {
  const reader = await blobs.provisionReaderOf(actor, project, snapshot as SnapshotHash, { verify: false });
  const { readSmallInto } = reader;
  return async (item) => {
    const hash = item.blob as BlobHash;
    if (readSmallInto && item.size <= SYNC_READ_MAX_BYTES) {
      // One byte more than the item's size, so a longer file is noticed.
      const bytes = Buffer.allocUnsafe(item.size + 1);
      return bytes.subarray(0, readSmallInto(hash, item.size, bytes, 0));
    }
    const bytes = await wholeBytes(await reader.open(hash));
    if (bytes.byteLength !== item.size) throw new CorruptObjectError('blob', hash, sha256Hex(bytes));
    return bytes;
  };
}
