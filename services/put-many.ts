import { parseBlobHash, type BlobHash } from '../core/ids.ts';
import type { BlobCatalog, BlobSource, BlobStore } from '../core/ports.ts';

/** One blob of a `putMany`: its content and, optionally, the hash it must have. */
export interface BlobPutEntry {
  readonly content: BlobSource;
  readonly expectedHash?: string | undefined;
  /** Recorded in the catalog for a blob new to it (e.g. application/json); absent means unknown. */
  readonly mediaType?: string | null | undefined;
}

/** What the store recorded for one blob. */
export interface StoredBlob {
  readonly hash: BlobHash;
  readonly size: number;
  readonly created: boolean;
}

/** How a `putMany` ended. */
export interface PutManyOutcome {
  /**
   * The blobs stored and recorded in the catalog, in entry order. After a failure: those stored
   * before it, and any whose storing was already under way and succeeded.
   */
  readonly stored: StoredBlob[];
  /** The first failure, which stopped the puts; absent when every entry was stored. */
  readonly failure?: { readonly error: unknown };
}

// Entries whose bytes are all read but whose storing (fsync, rename) is still under way. The
// next entry is read meanwhile: that keeps the disk busy although the entries arrive one after
// the other. Memory stays small: a streamed entry's bytes are already in its file, and at most
// this many entries given as bytes are held.
const PUTS_IN_FLIGHT = 32;

/**
 * Stores a sequence of blobs. Each entry's content is read to its end before the next entry is
 * pulled (so the entries may be parts of one stream, like the files of a tar), while earlier ones
 * are still being made durable. Their catalog rows are written together once all are stored:
 * one statement per thousand blobs rather than one per blob (which, on an embedded database,
 * costs more than storing a small blob). A blob is acknowledged (listed in `stored`) only once its
 * row is written, as with single puts.
 *
 * The first failure, from a put (InvalidHashError, BlobHashMismatchError, BlobTooLargeError, a
 * store error) or from `entries` itself, stops pulling entries; the puts under way settle, the
 * stored ones are recorded, and the failure is returned rather than thrown, with them. A failure
 * to record the catalog rows is returned with nothing stored.
 */
export async function putMany(
  deps: { blobs: BlobStore; catalog: BlobCatalog; maxBlobBytes: number },
  entries: AsyncIterable<BlobPutEntry>,
): Promise<PutManyOutcome> {
  const results: (StoredBlob | undefined)[] = [];
  const mediaTypes: (string | null)[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  try {
    for await (const entry of entries) {
      if (failure) break;
      const index = results.push(undefined) - 1;
      mediaTypes[index] = entry.mediaType ?? null;
      const expectedHash = entry.expectedHash === undefined ? undefined : parseBlobHash(entry.expectedHash, 'expected hash');
      let consumed = () => {};
      const read = new Promise<void>((resolve) => (consumed = resolve));
      const content = entry.content instanceof Uint8Array ? entry.content : untilDone(entry.content, consumed);
      const put = deps.blobs.put(content, { expectedHash, maxBytes: deps.maxBlobBytes }).then(
        ({ hash, size, created }) => void (results[index] = { hash, size, created }),
        (error: unknown) => void (failure ??= { error }),
      );
      inFlight.add(put);
      void put.finally(() => inFlight.delete(put));
      // The next entry may only be pulled once this one's bytes are consumed (or the put gave up).
      if (!(entry.content instanceof Uint8Array)) await Promise.race([read, put]);
      while (inFlight.size >= PUTS_IN_FLIGHT) await Promise.race(inFlight);
    }
  } catch (error) {
    failure ??= { error };
  }
  await Promise.all(inFlight);

  const stored = results.filter((r): r is StoredBlob => r !== undefined);
  const rows = results.flatMap((r, index) => (r === undefined ? [] : [{ hash: r.hash, size: r.size, mediaType: mediaTypes[index] ?? null }]));
  try {
    // Recorded after the bytes are safe: a blob in the catalog is always readable.
    if (rows.length > 0) await deps.catalog.record(rows);
  } catch (error) {
    return { stored: [], failure: { error } };
  }
  return failure ? { stored, failure } : { stored };
}

/** Passes the chunks on and calls `done` when the consumer has finished with them (or stopped). */
async function* untilDone(content: AsyncIterable<Uint8Array>, done: () => void): AsyncGenerator<Uint8Array> {
  try {
    yield* content;
  } finally {
    done();
  }
}
