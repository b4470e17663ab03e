import type { Logger } from 'pino';
import { SYNC_READ_MAX_BYTES, type BlobBatch } from '../../services/blob-service.ts';
import { packFiles } from '../../adapters/tar/pack-files.ts';

/**
 * The tar stream of `entries`, one regular-file entry per blob, named by its hash, in the order
 * given, produced as the consumer reads (see packFiles: read-only, mtime 0, small blobs read
 * ahead). Each blob is read whole, so the store verifies it against its hash; a corrupt blob
 * ends the stream short of its entry's declared size (the client sees a truncated tar, never a
 * complete entry with wrong bytes). Failures after the first byte can only end the stream, so
 * they are logged here and rethrown. `counted` is told the blob bytes (not tar headers) handed
 * on. A consumer that stops early stops the reading.
 */
export async function* tarOfBlobs(
  batch: BlobBatch,
  log: Logger,
  counted?: (byteLength: number) => void,
): AsyncGenerator<Uint8Array> {
  const { readSmall } = batch;
  const files = batch.entries.map(({ hash, size }) => ({
    name: hash,
    size,
    open: () => batch.open(hash),
    ...(readSmall && size <= SYNC_READ_MAX_BYTES ? { readSync: () => readSmall(hash, size) } : {}),
  }));
  try {
    yield* packFiles(fromArray(files), counted);
  } catch (error) {
    // The status line is gone already; the log is the only place this failure can be reported.
    log.error({ err: error }, 'tar download failed after the response started');
    throw error;
  }
}

async function* fromArray<T>(values: readonly T[]): AsyncGenerator<T> {
  yield* values;
}
