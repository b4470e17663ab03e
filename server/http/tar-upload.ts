import { extract as tarExtract, type Extract, type Header } from 'tar-stream';
import { BlobTooLargeError, CoreError, InvalidInputError } from '../../core/errors.ts';
import { parseBlobHash } from '../../core/ids.ts';
import type { BlobSource } from '../../core/ports.ts';
import type { BlobPutEntry, PutManyOutcome, StoredBlob } from '../../services/put-many.ts';
import { feedSink } from '../../adapters/tar/tar-sink.ts';

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

/**
 * Stores the regular-file entries of a tar stream as blobs (`BlobService.putMany`), each named
 * by the hash its content must have, so the service verifies content and size limit per entry.
 *
 * Never throws for a bad upload: the first failure stops reading and is returned as `failure`,
 * with the blobs stored so far. Failures: InvalidInputError for a stream that is not a tar, ends
 * without its end-of-archive blocks or mid-entry, has more than `maxEntries` entries, or an
 * entry that is not a regular file; InvalidHashError for an entry name that is not a blob hash;
 * BlobTooLargeError for an entry over the service's limit (refused from its header, before its
 * bytes are read); BlobHashMismatchError; the source's own error (a size limit, a client gone);
 * and whatever the blob store or catalog throws.
 */
export async function storeTarUpload(
  blobs: { putMany(entries: AsyncIterable<BlobPutEntry>): Promise<PutManyOutcome>; readonly maxBlobBytes: number },
  source: AsyncIterable<Uint8Array>,
  options: { maxEntries: number },
): Promise<TarUploadOutcome> {
  const extract = tarExtract();
  // Listening starts now, before any byte is fed: the extractor hands each entry to whoever
  // listens at that moment, and `putMany` may pull its first entry only later (after checking
  // the caller's permission), so an iterator made then would miss entries and stall the upload.
  const incoming = extract[Symbol.asyncIterator]();
  let fed = 0;
  let parseError: unknown;
  extract.on('error', (error) => (parseError ??= error));
  const feeding = feedSink(counted(source, (n) => (fed += n)), extract);
  const archive = { dataEnd: 0 };

  const { stored, failure } = await blobs.putMany(entriesOf(incoming, archive, options.maxEntries, blobs.maxBlobBytes));
  const sourceError = await feeding;
  if (failure) return { stored, failure: explain(failure.error, sourceError, parseError) };
  if (fed - archive.dataEnd < END_OF_ARCHIVE)
    return { stored, failure: new InvalidInputError('body', 'the tar stream ends without its end-of-archive blocks: it was cut short') };
  return { stored };
}

/** One entry of the extractor: its header, where it starts, and its content. */
type TarEntrySource = Extract extends AsyncIterable<infer Entry> ? Entry : never;

/**
 * The extractor's entries as blobs to put, each checked from its header first. Records in
 * `archive.dataEnd` where the last entry's (padded) content ends.
 */
async function* entriesOf(
  incoming: AsyncIterator<TarEntrySource>,
  archive: { dataEnd: number },
  maxEntries: number,
  maxBytes: number,
): AsyncGenerator<BlobPutEntry> {
  let seen = 0;
  for await (const entry of { [Symbol.asyncIterator]: () => incoming }) {
    const hash = checkEntry(entry.header, seen++, maxEntries, maxBytes);
    archive.dataEnd = entry.offset + BLOCK + Math.ceil(entry.header.size / BLOCK) * BLOCK;
    yield { content: await contentOf(entry as AsyncIterable<Uint8Array>, entry.header.size), expectedHash: hash };
  }
}

/**
 * An entry's content for the store: the bytes themselves when the whole entry came in its first
 * chunk (so a small file, which usually shares a network chunk with its neighbours), else a
 * stream of them. The bytes in hand cost no memory beyond the chunk already received, and the
 * store then hashes before writing, with fewer file-system calls, while the next entry is read.
 */
async function contentOf(entry: AsyncIterable<Uint8Array>, size: number): Promise<BlobSource> {
  const chunks = entry[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return new Uint8Array(0);
  if (first.value.byteLength === size) {
    // Reads the end of the entry, which lets the extractor go on to the next one.
    await chunks.next();
    return first.value;
  }
  return (async function* () {
    yield first.value;
    yield* { [Symbol.asyncIterator]: () => chunks };
  })();
}

/** The hash the entry claims. @throws InvalidInputError, InvalidHashError, BlobTooLargeError */
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

async function* counted(source: AsyncIterable<Uint8Array>, add: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    add(chunk.byteLength);
    yield chunk;
  }
}
