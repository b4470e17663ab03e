import { pack as tarPack, type Pack } from 'tar-stream';
import type { Logger } from 'pino';
import type { BlobBatch } from '../../services/blob-service.ts';
import { joinedChunks, sinkSettled, writeChunk } from '../../adapters/tar/tar-sink.ts';

// Blobs have no modification time; a fixed one makes the same request give the same bytes.
const EPOCH = new Date(0);
// Blobs are immutable; extracted files say so.
const READ_ONLY = 0o444;

/**
 * The tar stream of `entries`, one regular-file entry per blob, named by its hash, in the order
 * given, produced as the consumer reads. Each blob is read whole, so the store verifies it
 * against its hash; the last chunk of each is held back until then, so a corrupt blob ends the
 * stream short of its entry's declared size (the client sees a truncated tar, never a complete
 * entry with wrong bytes). Failures after the first byte can only end the stream, so they are
 * logged here and rethrown. `counted` is told the blob bytes (not tar headers) handed on.
 * A consumer that stops early stops the reading.
 */
export async function* tarOfBlobs(
  batch: BlobBatch,
  log: Logger,
  counted?: (byteLength: number) => void,
): AsyncGenerator<Uint8Array> {
  const pack = tarPack();
  const writing = writeEntries(pack, batch, counted).catch((error: unknown) =>
    pack.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  try {
    yield* joinedChunks(pack);
  } catch (error) {
    // The status line is gone already; the log is the only place this failure can be reported.
    log.error({ err: error }, 'tar download failed after the response started');
    throw error;
  } finally {
    pack.destroy();
    await writing;
  }
}

async function writeEntries(
  pack: Pack,
  batch: BlobBatch,
  counted?: (byteLength: number) => void,
): Promise<void> {
  for (const { hash, size } of batch.entries) {
    if (pack.destroying) return;
    const content = await batch.open(hash);
    const entry = pack.entry({ name: hash, size, type: 'file', mode: READ_ONLY, mtime: EPOCH });
    const settled = sinkSettled(entry);
    let held: Uint8Array | undefined;
    for await (const chunk of content) {
      if (held) {
        counted?.(held.byteLength);
        if (!(await writeChunk(entry, held))) return;
      }
      held = chunk;
    }
    if (held) {
      counted?.(held.byteLength);
      if (!(await writeChunk(entry, held))) return;
    }
    entry.end(undefined); // streamx's typings make the optional argument required
    await settled;
  }
  pack.finalize();
}
