import { InvalidInputError, NotFoundError } from '../core/errors.ts';
import { parseBlobHash, type BlobHash } from '../core/ids.ts';
import type { BlobCatalog, BlobSource, BlobStore } from '../core/ports.ts';
import { GroupedCatalogWrites } from './grouped-catalog-writes.ts';
import { putMany, type BlobPutEntry, type PutManyOutcome } from './put-many.ts';

/** At most this many hashes per "which are missing" question. */
export const MAX_MISSING_QUERY = 10_000;

/** At most this many blobs per `statAll` (one batched download). */
export const MAX_STAT_QUERY = 10_000;

// Stats in flight at once: the thread pool runs four at a time; a few more keep it fed.
const STAT_CONCURRENCY = 16;

/**
 * Uploads and downloads of content-addressed blobs: stores bytes in the blob store and records
 * them in the catalog, which staging and "which blobs are missing" consult.
 */
export class BlobService {
  private readonly catalogWrites: GroupedCatalogWrites;

  constructor(private readonly deps: { blobs: BlobStore; catalog: BlobCatalog; maxBlobBytes: number }) {
    this.catalogWrites = new GroupedCatalogWrites(deps.catalog);
  }

  get maxBlobBytes(): number {
    return this.deps.maxBlobBytes;
  }

  /**
   * Streams a blob in; the server computes the hash. With `expectedHash`, content that hashes
   * differently is rejected and nothing is stored.
   * @throws InvalidHashError, BlobHashMismatchError, BlobTooLargeError
   */
  async put(source: BlobSource, options: { expectedHash?: string | undefined; mediaType?: string | undefined } = {}) {
    const expectedHash = options.expectedHash === undefined ? undefined : parseBlobHash(options.expectedHash, 'expected hash');
    const stored = await this.deps.blobs.put(source, { expectedHash, maxBytes: this.deps.maxBlobBytes });
    // Recorded after the bytes are safe: a blob in the catalog is always readable.
    await this.catalogWrites.record({ hash: stored.hash, size: stored.size, mediaType: options.mediaType ?? null });
    return stored;
  }

  /**
   * Streams many blobs in, one entry's content after the other, with their catalog rows written
   * together; for batched uploads. Stops at the first failure, which is returned with the blobs
   * stored before it rather than thrown: see `putMany` in put-many.ts.
   */
  async putMany(entries: AsyncIterable<BlobPutEntry>): Promise<PutManyOutcome> {
    return putMany(this.deps, entries);
  }

  /** Size of a stored blob, or null. @throws InvalidHashError */
  async stat(hash: string): Promise<{ size: number } | null> {
    return this.deps.blobs.stat(parseBlobHash(hash));
  }

  /**
   * The sizes of `hashes`, in the order given, all of which must be stored: a batched download
   * checks them before it sends a byte.
   * @throws InvalidHashError, InvalidInputError when asking about too many at once,
   * NotFoundError('blob') naming the first one (in the order given) that is not stored
   */
  async statAll(hashes: readonly string[]): Promise<{ hash: BlobHash; size: number }[]> {
    if (hashes.length > MAX_STAT_QUERY)
      throw new InvalidInputError('hashes', `at most ${MAX_STAT_QUERY} per request, got ${hashes.length}`);
    const parsed = hashes.map((h) => parseBlobHash(h));
    const sizes = new Array<number | null>(parsed.length);
    let next = 0;
    const worker = async () => {
      while (next < parsed.length) {
        const index = next++;
        sizes[index] = (await this.deps.blobs.stat(parsed[index]!))?.size ?? null;
      }
    };
    await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, parsed.length) }, worker));
    return parsed.map((hash, index) => {
      const size = sizes[index];
      if (size === null || size === undefined) throw new NotFoundError('blob', hash);
      return { hash, size };
    });
  }

  /**
   * Opens a blob, whole or a byte range [start, end).
   * @throws InvalidHashError, NotFoundError('blob'), InvalidInputError for a bad range
   */
  async open(hash: string, range?: { start: number; end: number }): Promise<AsyncIterable<Uint8Array>> {
    const blob = parseBlobHash(hash);
    return this.deps.blobs.get(blob, range ? { start: range.start, end: range.end } : { verify: true });
  }

  /**
   * Which of `hashes` the server does not have, in the order given, so a client uploads only those.
   * @throws InvalidHashError, InvalidInputError when asking about too many at once
   */
  async missing(hashes: readonly string[]): Promise<BlobHash[]> {
    if (hashes.length > MAX_MISSING_QUERY)
      throw new InvalidInputError('hashes', `at most ${MAX_MISSING_QUERY} per request, got ${hashes.length}`);
    const parsed = hashes.map((h) => parseBlobHash(h));
    const known = await this.deps.catalog.sizes([...new Set(parsed)]);
    return parsed.filter((h) => !known.has(h));
  }
}
