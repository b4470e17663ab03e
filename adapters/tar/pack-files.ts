import { END_OF_ARCHIVE, fileHeaderLength, paddingLength, writeFileHeader } from './tar-header.ts';
import { SEND_CHUNK_BYTES } from './tar-sink.ts';

/** A regular file to put in a tar stream: its name, its size, and how to read its bytes. */
export interface TarFileSource {
  readonly name: string;
  readonly size: number;
  open(): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>>;
  /**
   * Optional, for small files: the whole content, read with blocking calls. From the page cache
   * that takes microseconds, where the thread-pool round trips of an asynchronous read cost
   * several times more.
   */
  readSync?(): Uint8Array;
  /**
   * Optional, for small files, preferred over `readSync`: reads the whole content with blocking
   * calls into `target` at `offset`, where `size + 1` bytes are free (one more than announced,
   * so a longer file is noticed), and returns how many bytes it read. The packer reads into
   * the chunk it is about to send: no buffer per file, and no copy. Throws what a failed read
   * or verification throws.
   */
  readInto?(target: Uint8Array, offset: number): number;
}

// Small files are read ahead of their turn, several at once: one at a time, a tar of many small
// files waits on each file's open and read in turn, leaving the disk and the thread pool idle.
const READ_AHEAD_MAX_FILE = 1024 * 1024;
const READ_AHEAD_FILES = 32;
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/**
 * A tar stream of `files`, in order, produced as the consumer reads, in chunks of about
 * SEND_CHUNK_BYTES (memory is bounded by one chunk and the read-ahead). Headers are
 * deterministic: mode 0444, mtime 0, uid and gid 0, no user or group names; names that do not
 * fit a ustar header (over 100 bytes without a split, or not ASCII) get a pax header, as
 * tar-stream writes it (tar-header.ts). The output is the same, byte for byte, for the same
 * files.
 *
 * Files with `readInto` (else `readSync`) are read in their turn with it, straight into the
 * chunk being filled, between chunks handed to the consumer. Other files up to 1 MiB are read
 * whole a few dozen files (at most 16 MiB) ahead of the packer, so their reads overlap; larger
 * ones are streamed in their turn. Either way a file's last chunk is held back until its reader
 * has finished, so a reader that verifies at the end (a blob store checking the hash) and fails
 * leaves the stream short of that entry's size: the client sees a truncated tar, never a
 * complete entry with wrong bytes. A reader giving other than `size` bytes fails the stream the
 * same way. A consumer that stops early stops the reading. `counted` is told the file bytes
 * (not headers) handed on.
 * @throws (from the stream) what a reader throws, or an Error for a size mismatch
 */
export async function* packFiles(files: AsyncIterable<TarFileSource>, counted?: (byteLength: number) => void): AsyncGenerator<Uint8Array> {
  const out = new ChunkWriter(counted);
  for await (const { file, content } of readAhead(files)) {
    const { name, size } = file;
    const headerLength = fileHeaderLength(name);
    if (file.readInto) {
      // Header, content, and room for one byte more than announced, in one piece of the chunk.
      const at = out.reserve(headerLength + size + Math.max(1, paddingLength(size)));
      const { buffer } = out;
      writeFileHeader(buffer, at, name, size);
      const got = file.readInto(buffer, at + headerLength);
      if (got !== size) throw sizeMismatch(file, got);
      buffer.fill(0, at + headerLength + size, at + headerLength + size + paddingLength(size));
      out.advance(headerLength + size + paddingLength(size));
      out.count(size);
    } else if (file.readSync) {
      const bytes = file.readSync();
      if (bytes.byteLength !== size) throw sizeMismatch(file, bytes.byteLength);
      out.header(name, size, headerLength);
      out.copy(bytes);
      out.zeros(paddingLength(size));
      out.count(size);
    } else {
      out.header(name, size, headerLength);
      let held: Uint8Array | undefined;
      let total = 0;
      for await (const chunk of content ? await content : await file.open()) {
        total += chunk.byteLength;
        if (total > size) throw sizeMismatch(file, total);
        if (held !== undefined) {
          out.copy(held);
          out.count(held.byteLength);
          yield* out.ready();
        }
        held = chunk;
      }
      if (total !== size) throw sizeMismatch(file, total);
      if (held !== undefined) {
        out.copy(held);
        out.count(held.byteLength);
      }
      out.zeros(paddingLength(size));
    }
    yield* out.ready();
  }
  out.copy(END_OF_ARCHIVE);
  out.finish();
  yield* out.ready();
}

// A chunk is filled up to this, then sent; an entry that does not fit the rest of one starts the next.
const CHUNK_CAPACITY = SEND_CHUNK_BYTES;

/**
 * The outgoing chunks, filled in place: writing each small header and file to a socket on its
 * own costs more than their bytes, and joining separate pieces costs a buffer per piece and a
 * copy. A chunk handed on is never written again (the socket may still hold it).
 */
class ChunkWriter {
  buffer: Buffer = Buffer.allocUnsafe(CHUNK_CAPACITY);
  private used = 0;
  private done: Uint8Array[] = [];
  // File bytes written since `counted` was last told: told a chunk at a time, not per file.
  private uncounted = 0;

  constructor(private readonly counted: ((byteLength: number) => void) | undefined) {}

  /** Notes `byteLength` bytes of file content written, for `counted`. */
  count(byteLength: number): void {
    this.uncounted += byteLength;
  }

  /**
   * The offset in `buffer` of `length` free bytes in a row, finishing the current chunk first
   * when it has less room (and making the next one larger when `length` needs it). Call
   * `advance` with what was written there.
   */
  reserve(length: number): number {
    if (this.used + length > this.buffer.byteLength) {
      this.finish();
      if (length > this.buffer.byteLength) this.buffer = Buffer.allocUnsafe(length);
    }
    return this.used;
  }

  advance(length: number): void {
    this.used += length;
    if (this.used >= CHUNK_CAPACITY) this.finish();
  }

  header(name: string, size: number, length: number): void {
    const at = this.reserve(length);
    writeFileHeader(this.buffer, at, name, size);
    this.advance(length);
  }

  /** Copies `bytes` into the chunks; a piece of a chunk's size or more is handed on as it is. */
  copy(bytes: Uint8Array): void {
    if (bytes.byteLength >= CHUNK_CAPACITY) {
      this.finish();
      this.done.push(bytes);
      return;
    }
    let from = 0;
    while (from < bytes.byteLength) {
      const n = Math.min(bytes.byteLength - from, this.buffer.byteLength - this.used);
      this.buffer.set(bytes.subarray(from, from + n), this.used);
      from += n;
      this.advance(n);
      if (this.used === this.buffer.byteLength) this.finish();
    }
  }

  zeros(length: number): void {
    if (length === 0) return;
    const at = this.reserve(length);
    this.buffer.fill(0, at, at + length);
    this.advance(length);
  }

  /** Closes the current chunk, if it holds anything, for `ready` to hand on. */
  finish(): void {
    if (this.used === 0) return;
    this.done.push(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(CHUNK_CAPACITY);
    this.used = 0;
  }

  /** The finished chunks, each once. */
  ready(): Uint8Array[] {
    if (this.done.length === 0) return NONE;
    const done = this.done;
    this.done = [];
    if (this.counted && this.uncounted > 0) {
      this.counted(this.uncounted);
      this.uncounted = 0;
    }
    return done;
  }
}

const NONE: Uint8Array[] = [];

/**
 * `files` with the content of the small ones that have no `readInto` or `readSync` already
 * being read, in order. The reads run ahead within READ_AHEAD_FILES and READ_AHEAD_BYTES; a failed one fails
 * when its file's turn comes, not before.
 */
async function* readAhead(files: AsyncIterable<TarFileSource>): AsyncGenerator<{ file: TarFileSource; content?: Promise<Uint8Array[]> }> {
  const source = files[Symbol.asyncIterator]();
  const window: { file: TarFileSource; content?: Promise<Uint8Array[]> }[] = [];
  let bytes = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && window.length < READ_AHEAD_FILES && bytes < READ_AHEAD_BYTES) {
        const next = await source.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const file = next.value;
        if (file.readInto || file.readSync || file.size > READ_AHEAD_MAX_FILE) {
          window.push({ file });
          continue;
        }
        const content = readAll(file);
        content.catch(() => undefined); // observed when its turn comes
        window.push({ file, content });
        bytes += file.size;
      }
      const first = window.shift();
      if (first === undefined) return;
      if (first.content) bytes -= first.file.size;
      yield first;
    }
  } finally {
    if (!exhausted) await source.return?.(undefined);
  }
}

async function readAll(file: TarFileSource): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await file.open()) chunks.push(chunk);
  return chunks;
}

function sizeMismatch(file: TarFileSource, got: number): Error {
  return new Error(`${file.name}: its reader gave ${got > file.size ? `more than ${file.size}` : got} bytes where ${file.size} were announced`);
}
