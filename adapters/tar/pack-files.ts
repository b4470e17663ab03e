import { END_OF_ARCHIVE, fileHeader, paddingAfter } from './tar-header.ts';
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
 * Files with `readSync` are read in their turn with it, between chunks handed to the consumer.
 * Other files up to 1 MiB are read whole a few dozen files (at most 16 MiB) ahead of the packer,
 * so their reads overlap; larger ones are streamed in their turn. Either way a file's last chunk
 * is held back until its reader has finished, so a reader that verifies at the end (a blob
 * store checking the hash) and fails leaves the stream short of that entry's size: the client
 * sees a truncated tar, never a complete entry with wrong bytes. A reader giving other than
 * `size` bytes fails the stream the same way. A consumer that stops early stops the reading.
 * `counted` is told the file bytes (not headers) handed on.
 * @throws (from the stream) what a reader throws, or an Error for a size mismatch
 */
export async function* packFiles(files: AsyncIterable<TarFileSource>, counted?: (byteLength: number) => void): AsyncGenerator<Uint8Array> {
  const out = new Chunks();
  for await (const { file, content } of readAhead(files)) {
    out.push(fileHeader(file.name, file.size));
    if (file.readSync) {
      const bytes = file.readSync();
      if (bytes.byteLength !== file.size) throw sizeMismatch(file, bytes.byteLength);
      out.push(bytes);
      counted?.(bytes.byteLength);
    } else {
      let held: Uint8Array | undefined;
      let total = 0;
      for await (const chunk of content ? await content : await file.open()) {
        total += chunk.byteLength;
        if (total > file.size) throw sizeMismatch(file, total);
        if (held !== undefined) {
          out.push(held);
          counted?.(held.byteLength);
          if (out.full) yield out.take();
        }
        held = chunk;
      }
      if (total !== file.size) throw sizeMismatch(file, total);
      if (held !== undefined) {
        out.push(held);
        counted?.(held.byteLength);
      }
    }
    out.push(paddingAfter(file.size));
    if (out.full) yield out.take();
  }
  out.push(END_OF_ARCHIVE);
  yield out.take();
}

/** Pieces joined into chunks of about SEND_CHUNK_BYTES: writing each small piece on its own costs more than its bytes. */
class Chunks {
  private parts: Uint8Array[] = [];
  private size = 0;

  get full(): boolean {
    return this.size >= SEND_CHUNK_BYTES;
  }

  push(part: Uint8Array): void {
    if (part.byteLength === 0) return;
    this.parts.push(part);
    this.size += part.byteLength;
  }

  take(): Uint8Array {
    const joined = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return joined;
  }
}

/**
 * `files` with the content of the small ones that have no `readSync` already being read, in
 * order. The reads run ahead within READ_AHEAD_FILES and READ_AHEAD_BYTES; a failed one fails
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
        if (file.readSync || file.size > READ_AHEAD_MAX_FILE) {
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
