/**
 * Blobs up to this size travel many to a request (tar batches); larger ones one per request,
 * where a failure or a retry costs only that file.
 */
export const BATCHED_BLOB_MAX_BYTES = 16 * 1024 * 1024;
/** Most blobs in one batch: enough to make per-request costs vanish, far below the server's 10,000. */
export const BATCH_MAX_BLOBS = 500;
/** Most content bytes in one batch, so a failed batch wastes little and progress moves evenly. */
export const BATCH_MAX_BYTES = 64 * 1024 * 1024;
/**
 * Blob requests in flight at once: enough to keep both ends busy while one request waits on the
 * network or the disk, few enough to keep sockets and server load low.
 */
export const TRANSFER_CONCURRENCY = 4;

/**
 * Splits `items` into batches for the tar routes (consecutive, in order, each within
 * BATCH_MAX_BLOBS and BATCH_MAX_BYTES) and singles too large to batch (over
 * BATCHED_BLOB_MAX_BYTES).
 */
export function planTransfers<T>(items: readonly T[], sizeOf: (item: T) => number): { batches: T[][]; singles: T[] } {
  const batches: T[][] = [];
  const singles: T[] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (size > BATCHED_BLOB_MAX_BYTES) {
      singles.push(item);
      continue;
    }
    if (batch.length === BATCH_MAX_BLOBS || (batch.length > 0 && bytes + size > BATCH_MAX_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return { batches, singles };
}
