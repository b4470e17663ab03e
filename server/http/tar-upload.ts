import { extract as tarExtract, type Header } from 'tar-stream';
import { BlobTooLargeError, CoreError, InvalidInputError } from '../../core/errors.ts';
import { parseBlobHash } from '../../core/ids.ts';
import type { BlobService } from '../../services/blob-service.ts';
import { feedSink } from './tar-sink.ts';

/** What the server recorded for one uploaded blob. */
export interface StoredBlob {
  readonly hash: string;
  readonly size: number;
  readonly created: boolean;
}

/** How a tar upload ended. */
export interface TarUploadOutcome {
  /**
   * The blobs stored, in entry order. After a failure: those stored before it (and any whose
   * storing was already under way), which are valid blobs like any other.
   */
  readonly stored: StoredBlob[];
  /** Why the upload stopped early; undefined when every entry was stored. */
  readonly failure?: unknown;
}

const BLOCK = 512;
// POSIX ends an archive with two zero blocks. Requiring them tells a tar cut short at an entry
// boundary from a complete one: nothing else in the stream would show that entries are missing.
const END_OF_ARCHIVE = 2 * BLOCK;
// Entries whose bytes are all read but whose storing (fsync, rename, catalog row) is still under
// way. The next entry is read meanwhile, which is what lets one request keep the disk busy and
// the catalog's grouped writes fill; memory stays small since each one's bytes are on disk.
const STORES_IN_FLIGHT = 32;

/**
 * Stores the regular-file entries of a tar stream as blobs, each streamed into `blobs.put` with
 * its name as the expected hash, so the service verifies content and size limit per entry. One
 * entry is read at a time; storing overlaps reading the next (see STORES_IN_FLIGHT).
 *
 * Never throws for a bad upload: the first failure stops reading and is returned as `failure`
 * once the stores under way have settled, with the blobs stored so far. Failures:
 * InvalidInputError for a stream that is not a tar, ends without its end-of-archive marker or
 * mid-entry, has more than `maxEntries` entries, or an entry that is not a regular file;
 * InvalidHashError for an entry name that is not a blob hash; BlobTooLargeError for an entry over
 * the service's limit (refused from its header, before its bytes are read);
 * BlobHashMismatchError; the source's own error (a size limit, a client gone); and whatever the
 * blob store or catalog throws.
 */
export async function storeTarUpload(
  blobs: BlobService,
  source: AsyncIterable<Uint8Array>,
  options: { maxEntries: number },
): Promise<TarUploadOutcome> {
  const extract = tarExtract();
  let fed = 0;
  let parseError: unknown;
  extract.on('error', (error) => (parseError ??= error));
  const feeding = feedSink(counted(source, (n) => (fed += n)), extract);

  const results: (StoredBlob | undefined)[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let dataEnd = 0;
  try {
    for await (const entry of extract) {
      if (failure) break;
      const { header } = entry;
      const hash = checkEntry(header, results.length, options.maxEntries, blobs.maxBlobBytes);
      dataEnd = entry.offset + BLOCK + Math.ceil(header.size / BLOCK) * BLOCK;
      const index = results.push(undefined) - 1;
      let consumed!: () => void;
      const read = new Promise<void>((resolve) => (consumed = resolve));
      const stored = blobs.put(untilDone(entry as AsyncIterable<Uint8Array>, consumed), { expectedHash: hash }).then(
        ({ hash, size, created }) => void (results[index] = { hash, size, created }),
        (error: unknown) => void (failure ??= { error }),
      );
      inFlight.add(stored);
      void stored.finally(() => inFlight.delete(stored));
      // The extractor hands out the next entry only once this one's bytes are consumed.
      await Promise.race([read, stored]);
      while (inFlight.size >= STORES_IN_FLIGHT) await Promise.race(inFlight);
    }
  } catch (error) {
    failure ??= { error };
  }
  await Promise.all(inFlight);
  const sourceError = await feeding;
  if (!failure && fed - dataEnd < END_OF_ARCHIVE)
    failure = { error: new InvalidInputError('body', 'the tar stream ends without its end-of-archive blocks: it was cut short') };

  const done = results.filter((r): r is StoredBlob => r !== undefined);
  if (!failure) return { stored: done };
  return { stored: done, failure: explain(failure.error, sourceError, parseError) };
}

/** The entry's hash. @throws InvalidInputError, InvalidHashError, BlobTooLargeError */
function checkEntry(header: Header, seen: number, maxEntries: number, maxBytes: number): string {
  if (seen >= maxEntries) throw new InvalidInputError('body', `at most ${maxEntries} tar entries per request`);
  // 'contiguous-file' is a regular file to every reader but a few old real-time systems.
  if (header.type !== 'file' && header.type !== 'contiguous-file')
    throw new InvalidInputError('tar entry', `${JSON.stringify(header.name)} is a ${header.type ?? 'unknown'} entry; only regular files are blobs`);
  const hash = parseBlobHash(header.name, 'tar entry name');
  if (header.size > maxBytes) throw new BlobTooLargeError(maxBytes);
  return hash;
}

/**
 * The failure to report. The source's own failure comes first (it destroyed the extractor, so
 * everything after is its consequence); then the service's verdicts; then a parse error, which
 * also surfaces, as a plain Error, in the entry being stored when the stream breaks.
 */
function explain(error: unknown, sourceError: unknown, parseError: unknown): unknown {
  if (sourceError !== undefined) return sourceError;
  if (error instanceof CoreError) return error;
  if (parseError !== undefined) {
    const reason = parseError instanceof Error ? parseError.message : String(parseError);
    return new InvalidInputError('body', `is not a valid tar stream (${reason})`);
  }
  return error;
}

/** Passes the chunks on and calls `done` when the consumer has finished with them (or stopped). */
async function* untilDone(entry: AsyncIterable<Uint8Array>, done: () => void): AsyncGenerator<Uint8Array> {
  try {
    yield* entry;
  } finally {
    done();
  }
}

async function* counted(source: AsyncIterable<Uint8Array>, add: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    add(chunk.byteLength);
    yield chunk;
  }
}
