import { BlobHashMismatchError, CorruptObjectError, NotFoundError } from '../../core/errors.ts';
import { sha256Hex, StreamingSha256 } from '../../core/hash.ts';
import type { BlobHash } from '../../core/ids.ts';
import type { BlobPutOptions, BlobReadOptions, BlobSource, BlobStore } from '../../core/ports.ts';
import { ByteLimit, checkBlobHash, checkChunk, maxBytesOf, resolveRange } from './blob-options.ts';

export interface MemoryBlobStoreOptions {
  /**
   * The backing map, hash → bytes. Pass the same map to two stores to model a restart, or keep
   * a reference to inspect or damage stored bytes in tests.
   */
  readonly blobs?: Map<string, Buffer> | undefined;
}

/**
 * A BlobStore held in process memory, with the same semantics and errors as the filesystem
 * adapter. Stores and returns copies, so callers can never alter a stored blob in place.
 */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs: Map<string, Buffer>;

  constructor(options: MemoryBlobStoreOptions = {}) {
    this.blobs = options.blobs ?? new Map();
  }

  /**
   * Stores a copy of the source's bytes under their sha256.
   * @throws BlobTooLargeError, BlobHashMismatchError (nothing stored), InvalidInputError for a
   * bad `maxBytes` or a chunk that is not a Uint8Array, or whatever the source throws.
   */
  async put(source: BlobSource, options?: BlobPutOptions): Promise<{ hash: BlobHash; size: number; created: boolean }> {
    const limit = new ByteLimit(maxBytesOf(options));
    let bytes: Buffer;
    let hash: BlobHash;
    if (source instanceof Uint8Array) {
      limit.add(source.byteLength);
      bytes = Buffer.from(source);
      hash = sha256Hex(bytes) as BlobHash;
    } else {
      const hasher = new StreamingSha256();
      const chunks: Buffer[] = [];
      for await (const chunk of source) {
        checkChunk(chunk);
        limit.add(chunk.byteLength);
        // Copied now: a source may reuse its buffer for the next chunk.
        const copy = Buffer.from(chunk);
        hasher.update(copy);
        chunks.push(copy);
      }
      bytes = Buffer.concat(chunks);
      hash = hasher.digestHex() as BlobHash;
    }
    const expected = options?.expectedHash;
    if (expected !== undefined && expected !== hash) throw new BlobHashMismatchError(expected, hash);
    const created = !this.blobs.has(hash);
    if (created) this.blobs.set(hash, bytes);
    return { hash, size: bytes.byteLength, created };
  }

  /** @throws InvalidHashError for a malformed hash. */
  async stat(hash: BlobHash): Promise<{ size: number } | null> {
    checkBlobHash(hash);
    const bytes = this.blobs.get(hash);
    return bytes ? { size: bytes.byteLength } : null;
  }

  /**
   * Reads a copy of the stored bytes in `[start, end)`. `verify` re-hashes the stored bytes
   * when the read covers the whole blob.
   * @throws InvalidHashError, NotFoundError('blob'), InvalidInputError for a bad range; the
   * stream fails with CorruptObjectError when `verify` finds changed bytes.
   */
  async get(hash: BlobHash, options?: BlobReadOptions): Promise<AsyncIterable<Uint8Array>> {
    checkBlobHash(hash);
    const bytes = this.blobs.get(hash);
    if (!bytes) throw new NotFoundError('blob', hash);
    const { start, end, whole } = resolveRange(options, bytes.byteLength);
    const copy = Buffer.from(bytes.subarray(start, end));
    const verify = options?.verify === true && whole;
    return (async function* () {
      if (copy.byteLength > 0) yield copy;
      if (verify) {
        const actual = sha256Hex(copy);
        if (actual !== hash) throw new CorruptObjectError('blob', hash, actual);
      }
    })();
  }

  /** @throws InvalidHashError for a malformed hash. */
  async delete(hash: BlobHash): Promise<boolean> {
    checkBlobHash(hash);
    return this.blobs.delete(hash);
  }
}
