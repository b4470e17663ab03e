import { randomBytes } from 'node:crypto';
import { close, closeSync, createReadStream, open as openFile, openSync, read, readSync, writeFile } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { BlobHashMismatchError, CorruptObjectError, InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { sha256Hex, StreamingSha256 } from '../../core/hash.ts';
import type { BlobHash } from '../../core/ids.ts';
import type { BlobPutOptions, BlobReadOptions, BlobSource, BlobStore } from '../../core/ports.ts';
import { ByteLimit, checkBlobHash, checkChunk, maxBytesOf, resolveRange } from './blob-options.ts';

export interface FsBlobStoreOptions {
  /** Directory holding the blobs, created on first write. The server uses `./.sheaf/blobs`. */
  readonly root: string;
}

type PutResult = { hash: BlobHash; size: number; created: boolean };

// Larger than the stream default (64 KiB): fewer thread-pool round trips per megabyte read.
const READ_CHUNK_BYTES = 256 * 1024;
// Blobs are immutable: read-only from birth, so a stray write elsewhere fails loudly.
const BLOB_MODE = 0o444;
// The callback form chains open, write, fsync and close without a FileHandle and its promises,
// which measured up to half less CPU per small put than the FileHandle calls.
const writeFileFlushed = promisify(writeFile);
const openForReading = promisify(openFile);
const readInto = promisify(read);
const closeFile = promisify(close);
// Whole blobs up to one read chunk are read with one call: setting up a read stream costs more
// than reading a small file (a tar of 10,000 small blobs spent most of its time there).
const WHOLE_READ_MAX_BYTES = READ_CHUNK_BYTES;

/**
 * A BlobStore on a local filesystem. A blob lives at `root/ab/cd/<hash>` (two fan-out levels
 * keep directories small at millions of blobs). A put streams into a uniquely named file under
 * `root/tmp/`, fsyncs it and renames it into place, so a blob file is either absent or
 * complete, even across crashes; concurrent writers of one blob rename identical bytes over
 * each other. The directory is not fsynced after the rename: a power failure right after a put
 * can lose that blob, but never leave a partial one. `root/tmp/` holds only in-flight writes
 * and the leftovers of crashed processes.
 */
export class FsBlobStore implements BlobStore {
  /** Absolute path of the store's directory. */
  readonly root: string;
  /** Absolute path of the directory for in-flight writes. */
  readonly tmpDir: string;
  // Fan-out directories known to exist: a put then needs no mkdir call.
  private readonly knownDirs = new Set<string>();
  private tmpDirReady: Promise<unknown> | null = null;
  // Unique per instance, so processes and stores sharing a root never pick the same temp name.
  private readonly tmpPrefix = `${process.pid}-${randomBytes(6).toString('hex')}-`;
  private tmpSeq = 0;

  constructor(options: FsBlobStoreOptions) {
    this.root = resolve(options.root);
    this.tmpDir = `${this.root}/tmp`;
  }

  /**
   * Where the blob with this hash is (or would be) stored.
   * @throws InvalidHashError for a malformed hash.
   */
  pathOf(hash: BlobHash): string {
    checkBlobHash(hash);
    return `${this.dirOf(hash)}/${hash}`;
  }

  /**
   * Stores the source's bytes under their sha256; see BlobStore.put. A Uint8Array source must
   * not be modified until the returned promise settles.
   * @throws BlobTooLargeError, BlobHashMismatchError (nothing stored), InvalidInputError for a
   * bad `maxBytes` or a chunk that is not a Uint8Array, the source's own error, or a
   * filesystem error. A failed put leaves no temp file behind.
   */
  async put(source: BlobSource, options?: BlobPutOptions): Promise<PutResult> {
    const limit = new ByteLimit(maxBytesOf(options));
    if (source instanceof Uint8Array) {
      limit.add(source.byteLength);
      return this.putBytes(source, options?.expectedHash);
    }
    return this.putStream(source, limit, options?.expectedHash);
  }

  /** Size of a stored blob, or null. @throws InvalidHashError for a malformed hash. */
  async stat(hash: BlobHash): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(hash))).size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /**
   * Streams the bytes `[start, end)` of a stored blob from disk. `verify` re-hashes a read that
   * covers the whole blob; ranged reads are not verified.
   * @throws InvalidHashError, NotFoundError('blob'), InvalidInputError for a bad range, all
   * before any byte is produced; the stream fails with CorruptObjectError when `verify` finds
   * changed bytes, and with NotFoundError if the blob is deleted before the read starts.
   */
  async get(hash: BlobHash, options?: BlobReadOptions): Promise<AsyncIterable<Uint8Array>> {
    const file = this.pathOf(hash);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError('blob', hash);
      throw error;
    }
    const { start, end, whole } = resolveRange(options, size);
    // The file is opened on first iteration, so a stream that is never read holds no descriptor.
    return readBlob(file, hash, start, end, options?.verify === true && whole);
  }

  /**
   * The whole bytes of a stored blob whose size the caller knows (the catalog and items carry
   * it), read with blocking calls: open, one read, close — no stat, no thread-pool round trips.
   * For small blobs read many at a time from the page cache, where each call takes microseconds
   * and the round trips would cost several times more; a caller reading from a cold disk blocks
   * its thread for the disk's latency. Verified against the hash only when `verify` (files are
   * verified when stored and never rewritten: see docs/provisioning.md).
   * @throws InvalidHashError, NotFoundError('blob'), CorruptObjectError when the file is not
   * `size` bytes long or, with `verify`, hashes differently
   */
  readWholeSync(hash: BlobHash, size: number, options?: { verify?: boolean }): Uint8Array {
    // One byte more than the blob should have, so a longer file is noticed.
    const bytes = Buffer.allocUnsafe(size + 1);
    return bytes.subarray(0, this.readWholeInto(hash, size, bytes, 0, options));
  }

  /**
   * `readWholeSync` into `target` at `offset`, where `size + 1` bytes must be free (one more,
   * so a longer file is noticed): a caller packing many small blobs into one buffer allocates
   * nothing per blob. Returns how many bytes it read: `size` for a blob of that size. The byte
   * after them may be overwritten.
   * @throws as readWholeSync, and InvalidInputError when `target` has no room for `size + 1`
   * bytes at `offset`; nothing else of `target` is touched
   */
  readWholeInto(hash: BlobHash, size: number, target: Uint8Array, offset: number, options?: { verify?: boolean }): number {
    if (offset + size + 1 > target.byteLength) throw new InvalidInputError('target', `no room for ${size + 1} bytes at ${offset} of ${target.byteLength}`);
    const file = this.pathOf(hash);
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError('blob', hash);
      throw error;
    }
    let length = 0;
    try {
      // Asking for one byte more than `size` shows a longer file in the same read; a regular
      // file reads short only at its end, so a read stopping at `size` needs no second read
      // to probe for it.
      for (let n = -1; n === -1 || (length < size && n !== 0); length += n) n = readSync(fd, target, offset + length, size + 1 - length, length);
    } finally {
      closeSync(fd);
    }
    // Another length is other content: reported by what it hashes to, like a failed verification.
    if (length !== size || options?.verify) {
      const actual = sha256Hex(target.subarray(offset, offset + length));
      if (actual !== hash) throw new CorruptObjectError('blob', hash, actual);
    }
    return length;
  }

  /** Removes a blob; returns whether it existed. @throws InvalidHashError for a malformed hash. */
  async delete(hash: BlobHash): Promise<boolean> {
    try {
      await unlink(this.pathOf(hash));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  // Bytes in memory are hashed before touching the disk, so a duplicate or a mismatch costs no
  // write, and the temp file is filled with one write call.
  private async putBytes(bytes: Uint8Array, expected: BlobHash | undefined): Promise<PutResult> {
    const hash = sha256Hex(bytes) as BlobHash;
    if (expected !== undefined && expected !== hash) throw new BlobHashMismatchError(expected, hash);
    const size = bytes.byteLength;
    const dir = this.dirOf(hash);
    if (!(await this.isAbsent(dir, hash))) return { hash, size, created: false };
    const tmp = await this.tempPath();
    try {
      await writeFileFlushed(tmp, bytes, { flag: 'wx', mode: BLOB_MODE, flush: true });
    } catch (error) {
      await removeQuietly(tmp);
      throw error;
    }
    await this.moveIntoPlace(tmp, dir, hash);
    return { hash, size, created: true };
  }

  private async putStream(
    source: AsyncIterable<Uint8Array>,
    limit: ByteLimit,
    expected: BlobHash | undefined,
  ): Promise<PutResult> {
    const hasher = new StreamingSha256();
    const tmp = await this.writeTemp(async (handle) => {
      for await (const chunk of source) {
        checkChunk(chunk);
        limit.add(chunk.byteLength);
        // The write runs on the thread pool while this thread hashes the same bytes; the next
        // chunk is only pulled once both are done, in case the source reuses its buffer.
        const written = writeAll(handle, chunk);
        hasher.update(chunk);
        await written;
      }
    });
    const hash = hasher.digestHex() as BlobHash;
    const size = hasher.size;
    try {
      if (expected !== undefined && expected !== hash) throw new BlobHashMismatchError(expected, hash);
      const dir = this.dirOf(hash);
      if (!(await this.isAbsent(dir, hash))) {
        await removeQuietly(tmp);
        return { hash, size, created: false };
      }
      await this.moveIntoPlace(tmp, dir, hash);
      return { hash, size, created: true };
    } catch (error) {
      await removeQuietly(tmp);
      throw error;
    }
  }

  /** A fresh temp file name, once the temp directory exists. */
  private async tempPath(): Promise<string> {
    this.tmpDirReady ??= mkdir(this.tmpDir, { recursive: true }).catch((error: unknown) => {
      this.tmpDirReady = null;
      throw error;
    });
    await this.tmpDirReady;
    return `${this.tmpDir}/${this.tmpPrefix}${(this.tmpSeq++).toString(36)}`;
  }

  /** Creates, fills and fsyncs a temp file; on any failure removes it and rethrows. */
  private async writeTemp(fill: (handle: FileHandle) => Promise<void>): Promise<string> {
    const tmp = await this.tempPath();
    const handle = await open(tmp, 'wx', BLOB_MODE);
    try {
      await fill(handle);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await removeQuietly(tmp);
      throw error;
    }
    try {
      await handle.close();
    } catch (error) {
      await removeQuietly(tmp);
      throw error;
    }
    return tmp;
  }

  /**
   * Makes sure the fan-out directory exists and tells whether the blob is absent. A directory
   * this call had to create cannot hold the blob yet, which spares the stat call for most puts
   * into a young store.
   */
  private async isAbsent(dir: string, hash: BlobHash): Promise<boolean> {
    if (!this.knownDirs.has(dir)) {
      // Recursive mkdir resolves to the first directory it created, undefined if none.
      const created = await mkdir(dir, { recursive: true });
      this.knownDirs.add(dir);
      if (created !== undefined) return true;
    }
    try {
      await stat(`${dir}/${hash}`);
      return false;
    } catch (error) {
      if (isMissing(error)) return true;
      throw error;
    }
  }

  private async moveIntoPlace(tmp: string, dir: string, hash: BlobHash): Promise<void> {
    const file = `${dir}/${hash}`;
    try {
      await rename(tmp, file);
    } catch (error) {
      if (!isMissing(error)) {
        await removeQuietly(tmp);
        throw error;
      }
      // The cached fan-out directory was removed behind our back (by a cleanup of empty
      // directories, say): create it again and retry once.
      try {
        await mkdir(dir, { recursive: true });
        await rename(tmp, file);
      } catch (retryError) {
        this.knownDirs.delete(dir);
        await removeQuietly(tmp);
        throw retryError;
      }
    }
  }

  private dirOf(hash: string): string {
    return `${this.root}/${hash.slice(0, 2)}/${hash.slice(2, 4)}`;
  }
}

async function* readBlob(
  file: string,
  hash: BlobHash,
  start: number,
  end: number,
  verify: boolean,
): AsyncGenerator<Uint8Array> {
  if (start === 0 && end > 0 && end <= WHOLE_READ_MAX_BYTES) {
    yield await readSmallBlob(file, hash, end, verify);
    return;
  }
  const hasher = verify ? new StreamingSha256() : null;
  if (end > start) {
    try {
      // createReadStream's `end` is inclusive.
      for await (const chunk of createReadStream(file, { start, end: end - 1, highWaterMark: READ_CHUNK_BYTES })) {
        hasher?.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError('blob', hash);
      throw error;
    }
  }
  if (hasher) {
    const actual = hasher.digestHex();
    if (actual !== hash) throw new CorruptObjectError('blob', hash, actual);
  }
}

/**
 * The first `end` bytes of a small blob, read with one read call (its size is known from the
 * stat before); verified, before any byte is handed out, when asked.
 */
async function readSmallBlob(file: string, hash: BlobHash, end: number, verify: boolean): Promise<Uint8Array> {
  let fd: number;
  try {
    fd = await openForReading(file, 'r');
  } catch (error) {
    if (isMissing(error)) throw new NotFoundError('blob', hash);
    throw error;
  }
  const bytes = Buffer.allocUnsafe(end);
  let length = 0;
  try {
    // A read may return fewer bytes than asked; 0 means the file is shorter than it was.
    for (let n = -1; length < end && n !== 0; length += n) n = (await readInto(fd, bytes, length, end - length, length)).bytesRead;
  } finally {
    await closeFile(fd);
  }
  const read = bytes.subarray(0, length);
  if (verify) {
    const actual = sha256Hex(read);
    if (actual !== hash) throw new CorruptObjectError('blob', hash, actual);
  }
  return read;
}

/** Writes the whole chunk: a write call may accept fewer bytes than asked. */
async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

async function removeQuietly(file: string): Promise<void> {
  await unlink(file).catch(() => undefined);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
