import { InvalidInputError, NotFoundError } from '../core/errors.ts';
import { errorCodeOf, type AccessControl } from './access/access-control.ts';
import { guardedMutation } from './access/guarded-mutation.ts';
import type { ProjectGrants } from './access/project-grants.ts';
import type { Actor } from './actor.ts';
import type { AuditRecorder } from './audit/audit-event.ts';
import { digestOf } from './audit/digest.ts';
import { parseBlobHash, type BlobHash, type SnapshotHash } from '../core/ids.ts';
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
 * Blobs up to this size may be read with blocking calls by `provisionReaderOf`: from the page
 * cache a blocking read of 256 KiB takes tens of microseconds, where the three thread-pool round
 * trips of an asynchronous open, read and close cost more (the tar stream of 2,000 photos of
 * 128 KiB went from 0.56–0.60× to 0.64–0.67× of `tar | cat`, in turns, three runs each). A read
 * that must go to the disk blocks the event loop for its seek whatever its size. The same as the
 * store's whole-read size, so a blob read in one call either way.
 */
export const SYNC_READ_MAX_BYTES = 256 * 1024;

/** A store that can read a whole blob of known size synchronously (FsBlobStore). */
export interface SyncBlobReads {
  readWholeSync(hash: BlobHash, size: number, options?: { verify?: boolean }): Uint8Array;
  /** Like readWholeSync, into `target` at `offset`, where `size + 1` bytes are free; returns the bytes read. */
  readWholeInto(hash: BlobHash, size: number, target: Uint8Array, offset: number, options?: { verify?: boolean }): number;
}

/** How provisioning reads the blobs of a snapshot it has checked: see BlobService.provisionReaderOf. */
export interface ProvisionReader {
  /** Streams a blob whole. */
  open(hash: BlobHash): Promise<AsyncIterable<Uint8Array>>;
  /**
   * Reads a blob of `size` bytes (at most SYNC_READ_MAX_BYTES) whole with blocking calls into
   * `target` at `offset`, where `size + 1` bytes are free; returns the bytes read. Null when
   * the store cannot read into a buffer.
   */
  readonly readSmallInto: ((hash: BlobHash, size: number, target: Uint8Array, offset: number) => number) | null;
}

/** A batched download, checked up front: the blobs' sizes, and how to open each of them. */
export interface BlobBatch {
  readonly entries: { hash: BlobHash; size: number }[];
  /** Opens one of `entries` (verified as it is read); any other hash is not found. */
  open(hash: string): Promise<AsyncIterable<Uint8Array>>;
  /**
   * Reads one of `entries` of at most SYNC_READ_MAX_BYTES whole with blocking calls, verified
   * against its hash; null when the store has no synchronous reads.
   */
  readonly readSmall: ((hash: string, size: number) => Uint8Array) | null;
}

export interface BlobServiceDeps {
  readonly blobs: BlobStore;
  readonly catalog: BlobCatalog;
  readonly maxBlobBytes: number;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  readonly grants: ProjectGrants;
}

/**
 * Uploads and downloads of content-addressed blobs, per project: bytes are stored once in the
 * blob store and recorded in the catalog, and each project holds the blobs uploaded to it
 * (`ProjectGrants`). Reads and "which are missing" answer from the project's own blobs, so a
 * hash known from elsewhere grants nothing and reveals nothing; uploading bytes the store
 * already has costs their transfer, which proves the uploader has them.
 */
export class BlobService {
  private readonly catalogWrites: GroupedCatalogWrites;

  constructor(private readonly deps: BlobServiceDeps) {
    this.catalogWrites = new GroupedCatalogWrites(deps.catalog);
  }

  get maxBlobBytes(): number {
    return this.deps.maxBlobBytes;
  }

  /**
   * Streams a blob into the project; the server computes the hash. With `expectedHash`,
   * content that hashes differently is rejected and nothing is stored.
   * @throws ForbiddenError without `data.write`, InvalidHashError, BlobHashMismatchError, BlobTooLargeError
   */
  async put(
    actor: Actor | null,
    project: string,
    source: BlobSource,
    options: { expectedHash?: string | undefined; mediaType?: string | undefined } = {},
  ) {
    const request = { project, permission: 'data.write' as const, action: 'blob.upload' };
    const record = { target: null, inputs: { expectedHash: options.expectedHash ?? null } };
    return guardedMutation(this.deps, actor, request, record, async () => {
      const expectedHash = options.expectedHash === undefined ? undefined : parseBlobHash(options.expectedHash, 'expected hash');
      const stored = await this.deps.blobs.put(source, { expectedHash, maxBytes: this.deps.maxBlobBytes });
      // Recorded after the bytes are safe: a blob in the catalog is always readable.
      await this.catalogWrites.record({ hash: stored.hash, size: stored.size, mediaType: options.mediaType ?? null });
      await this.deps.grants.grantBlobs(project, [stored.hash]);
      return stored;
    }, (stored) => ({ hash: stored.hash, size: stored.size }));
  }

  /**
   * Streams many blobs into the project, one entry's content after the other, with their
   * catalog rows written together; for batched uploads. Stops at the first failure, which is
   * returned with the blobs stored before it rather than thrown: see `putMany` in put-many.ts.
   * @throws ForbiddenError without `data.write` (before reading any entry)
   */
  async putMany(actor: Actor | null, project: string, entries: AsyncIterable<BlobPutEntry>): Promise<PutManyOutcome> {
    const allowed = await this.deps.access.require(actor, { project, permission: 'data.write', action: 'blob.upload' });
    const outcome = await putMany(this.deps, entries);
    const hashes = outcome.stored.map((b) => b.hash);
    await this.deps.grants.grantBlobs(project, hashes);
    await this.deps.audit.record({
      actor: allowed,
      action: 'blob.upload',
      project,
      target: null,
      inputs: { batch: true },
      outcome: outcome.failure ? 'failed' : 'ok',
      errorCode: outcome.failure ? errorCodeOf(outcome.failure.error) : null,
      result: { stored: digestOf(hashes) },
    });
    return outcome;
  }

  /** Size of a blob of the project, or null. @throws ForbiddenError without `blob.read`, InvalidHashError */
  async stat(actor: Actor | null, project: string, hash: string): Promise<{ size: number } | null> {
    const blob = parseBlobHash(hash);
    await this.deps.access.require(actor, { project, permission: 'blob.read', action: 'blob.read' });
    if ((await this.deps.grants.missingBlobs(project, [blob])).length) return null;
    return this.deps.blobs.stat(blob);
  }

  /**
   * The sizes of `hashes`, in the order given, all of which the project must hold, and a way to
   * open them: a batched download checks them all before it sends a byte.
   * @throws ForbiddenError, InvalidHashError, InvalidInputError when asking about too many at
   * once, NotFoundError('blob') naming the first one (in the order given) that is not there
   */
  async statAll(actor: Actor | null, project: string, hashes: readonly string[]): Promise<BlobBatch> {
    if (hashes.length > MAX_STAT_QUERY)
      throw new InvalidInputError('hashes', `at most ${MAX_STAT_QUERY} per request, got ${hashes.length}`);
    const parsed = hashes.map((h) => parseBlobHash(h));
    await this.deps.access.require(actor, { project, permission: 'blob.read', action: 'blob.read' });
    const [notHeld] = await this.deps.grants.missingBlobs(project, parsed);
    if (notHeld !== undefined) throw new NotFoundError('blob', notHeld);
    const sizes = new Array<number | null>(parsed.length);
    let next = 0;
    const worker = async () => {
      while (next < parsed.length) {
        const index = next++;
        sizes[index] = (await this.deps.blobs.stat(parsed[index]!))?.size ?? null;
      }
    };
    await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, parsed.length) }, worker));
    const entries = parsed.map((hash, index) => {
      const size = sizes[index];
      if (size === null || size === undefined) throw new NotFoundError('blob', hash);
      return { hash, size };
    });
    const listed = new Set<string>(parsed);
    return {
      entries,
      open: async (hash) => {
        if (!listed.has(hash)) throw new NotFoundError('blob', hash);
        return this.deps.blobs.get(hash as BlobHash, { verify: true });
      },
      readSmall: this.smallReader(listed),
    };
  }

  /** Blocking whole reads of listed small blobs, verified, when the store has them (FsBlobStore). */
  private smallReader(listed: ReadonlySet<string>): ((hash: string, size: number) => Uint8Array) | null {
    const store = this.deps.blobs as BlobStore & Partial<SyncBlobReads>;
    if (typeof store.readWholeSync !== 'function') return null;
    return (hash, size) => {
      if (!listed.has(hash)) throw new NotFoundError('blob', hash);
      checkBlockingReadSize(size);
      return store.readWholeSync!(hash as BlobHash, size, { verify: true });
    };
  }

  /**
   * Opens blobs of the project whose sizes the caller already knows (items carry them), for a
   * long batched read: checked up front like `statAll` (one question for all of them), without
   * asking the store about each, which for many small blobs costs as much as reading them. The
   * returned function opens one of `hashes` whole, verified as it is read; a blob gone from the
   * store fails there, with NotFoundError('blob').
   * @throws ForbiddenError, InvalidHashError, InvalidInputError when asking about too many at
   * once, NotFoundError('blob') naming the first one (in the order given) the project does not hold
   */
  async readerOf(actor: Actor | null, project: string, hashes: readonly string[]): Promise<(hash: string) => Promise<AsyncIterable<Uint8Array>>> {
    if (hashes.length > MAX_STAT_QUERY)
      throw new InvalidInputError('hashes', `at most ${MAX_STAT_QUERY} per request, got ${hashes.length}`);
    const parsed = hashes.map((h) => parseBlobHash(h));
    await this.deps.access.require(actor, { project, permission: 'blob.read', action: 'blob.read' });
    const [notHeld] = await this.deps.grants.missingBlobs(project, parsed);
    if (notHeld !== undefined) throw new NotFoundError('blob', notHeld);
    const listed = new Set<string>(parsed);
    return async (hash) => {
      if (!listed.has(hash)) throw new NotFoundError('blob', hash);
      return this.deps.blobs.get(hash as BlobHash, { verify: true });
    };
  }

  /**
   * Reads the blobs of a snapshot the project holds, for provisioning it whole: one check up
   * front (`blob.read`, and the snapshot), then no question per blob. A project holding a
   * snapshot holds every blob the snapshot's items name: a branch of the project moves only to
   * commits whose new items' blobs were checked against the project's grants (staging and
   * derived commits), or to commits the project already holds (branches, fast-forwards, clones
   * and merges within the project), and blob grants are never withdrawn while the project
   * exists. The caller passes only hashes named by the snapshot's items, whose sizes it knows.
   *
   * `open` streams a blob whole; `readSmallInto`, when the store can read into a buffer
   * (FsBlobStore), reads one of up to SYNC_READ_MAX_BYTES whole with blocking calls and no
   * stat into the caller's buffer (a packer's outgoing chunk), which for small files in the
   * page cache costs a fraction of the thread-pool round trips. Both verify against the hash
   * only when `verify`: stored blobs were verified when written, under their hash, by an
   * atomic rename, and are never rewritten (docs/provisioning.md); any other length than
   * `size` is reported as corrupt either way.
   * @throws ForbiddenError without `blob.read`, NotFoundError('snapshot') for a snapshot the
   * project does not hold; `open` and `readSmallInto` throw NotFoundError('blob') for a blob
   * gone from the store, CorruptObjectError for changed bytes; `readSmallInto`
   * InvalidInputError for a size over SYNC_READ_MAX_BYTES
   */
  async provisionReaderOf(actor: Actor | null, project: string, snapshot: SnapshotHash, options: { verify: boolean }): Promise<ProvisionReader> {
    await this.deps.access.require(actor, { project, permission: 'blob.read', action: 'blob.read' });
    if (!(await this.deps.grants.hasSnapshot(project, snapshot))) throw new NotFoundError('snapshot', snapshot);
    const { blobs } = this.deps;
    const verify = options.verify ? { verify: true } : undefined;
    const store = blobs as BlobStore & Partial<SyncBlobReads>;
    const readWholeInto = typeof store.readWholeInto === 'function' ? store.readWholeInto.bind(store) : null;
    return {
      open: (hash) => blobs.get(hash, verify),
      readSmallInto: readWholeInto && ((hash, size, target, offset) => {
        checkBlockingReadSize(size);
        return readWholeInto(hash, size, target, offset, verify);
      }),
    };
  }

  /**
   * Opens a blob of the project, whole (verified against its hash as it is read) or a byte
   * range [start, end).
   * @throws ForbiddenError, InvalidHashError, NotFoundError('blob'), InvalidInputError for a bad range
   */
  async open(actor: Actor | null, project: string, hash: string, range?: { start: number; end: number }): Promise<AsyncIterable<Uint8Array>> {
    const blob = parseBlobHash(hash);
    await this.deps.access.require(actor, { project, permission: 'blob.read', action: 'blob.read' });
    if ((await this.deps.grants.missingBlobs(project, [blob])).length) throw new NotFoundError('blob', blob);
    return this.deps.blobs.get(blob, range ? { start: range.start, end: range.end } : { verify: true });
  }

  /**
   * Which of `hashes` the project does not hold, in the order given, so a client uploads only
   * those. Blobs other projects hold count as missing: answering otherwise would tell anyone
   * what another project stores.
   * @throws ForbiddenError without `data.write`, InvalidHashError, InvalidInputError when asking about too many at once
   */
  async missing(actor: Actor | null, project: string, hashes: readonly string[]): Promise<BlobHash[]> {
    if (hashes.length > MAX_MISSING_QUERY)
      throw new InvalidInputError('hashes', `at most ${MAX_MISSING_QUERY} per request, got ${hashes.length}`);
    const parsed = hashes.map((h) => parseBlobHash(h));
    await this.deps.access.require(actor, { project, permission: 'data.write', action: 'blob.missing' });
    return (await this.deps.grants.missingBlobs(project, parsed)) as BlobHash[];
  }
}

/** @throws InvalidInputError for a blob too large to read with blocking calls (over SYNC_READ_MAX_BYTES) */
function checkBlockingReadSize(size: number): void {
  if (size > SYNC_READ_MAX_BYTES) throw new InvalidInputError('size', `blocking reads are for blobs of at most ${SYNC_READ_MAX_BYTES} bytes`);
}
