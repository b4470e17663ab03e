import type { Pack } from 'tar-stream';
import { packedTar, sinkSettled, writeChunk, type TarSink } from './tar-sink.ts';

/** A regular file to put in a tar stream: its name, its size, and how to read its bytes. */
export interface TarFileSource {
  readonly name: string;
  readonly size: number;
  open(): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>>;
}

// Nothing about the machine or the moment goes into a header, so the same files give the same
// bytes: no modification time, no owner, read-only (the content is immutable).
const EPOCH = new Date(0);
const READ_ONLY = 0o444;
const EMPTY = Buffer.alloc(0);
// Small files are read ahead of their turn, several at once: one at a time, a tar of many small
// files waits on each file's open and read in turn, leaving the disk and the thread pool idle.
const READ_AHEAD_MAX_FILE = 1024 * 1024;
const READ_AHEAD_FILES = 32;
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/**
 * A tar stream of `files`, in order, produced as the consumer reads (one file at a time is
 * opened; the packer's buffer bounds memory). Headers are deterministic: mode 0444, mtime 0,
 * uid and gid 0, no user or group names; names that do not fit a ustar header (over 100 bytes
 * without a split, or not ASCII) get a pax header, as tar-stream writes it. The output is the
 * same, byte for byte, for the same files.
 *
 * Files up to 1 MiB are read whole a few dozen files (at most 16 MiB) ahead of the packer, so
 * their reads overlap; larger ones are streamed in their turn. Either way a file's last chunk
 * is held back until its reader has finished, so a reader that verifies at the end (a blob
 * store checking the hash) and fails leaves the stream short of that entry's size: the client
 * sees a truncated tar, never a complete entry with wrong bytes. A reader giving other than
 * `size` bytes fails the stream the same way. A consumer that stops early stops the reading.
 * `counted` is told the file bytes (not headers) handed on.
 * @throws (from the stream) what a reader throws, or an Error for a size mismatch
 */
export async function* packFiles(files: AsyncIterable<TarFileSource>, counted?: (byteLength: number) => void): AsyncGenerator<Uint8Array> {
  yield* packedTar((pack) => writeFiles(pack, files, counted));
}

async function writeFiles(pack: Pack, files: AsyncIterable<TarFileSource>, counted?: (byteLength: number) => void): Promise<void> {
  for await (const { file, content } of readAhead(files)) {
    if (pack.destroying) return;
    const header = { name: file.name, size: file.size, type: 'file' as const, mode: READ_ONLY, mtime: EPOCH, uid: 0, gid: 0 };
    let entry: TarSink | undefined;
    let settled: Promise<void> | undefined;
    let held: Uint8Array | undefined;
    let total = 0;
    for await (const chunk of content ? await content : await file.open()) {
      total += chunk.byteLength;
      if (total > file.size) throw sizeMismatch(file, total);
      if (held !== undefined) {
        if (entry === undefined) settled = sinkSettled((entry = pack.entry(header)));
        counted?.(held.byteLength);
        if (!(await writeChunk(entry, held))) return;
      }
      held = chunk;
    }
    if (total !== file.size) throw sizeMismatch(file, total);
    if (entry === undefined) {
      // The common case of a small file read in one chunk: handed over whole.
      settled = sinkSettled(pack.entry(header, held === undefined ? EMPTY : asBuffer(held)));
    } else {
      if (held !== undefined && !(await writeChunk(entry, held))) return;
      entry.end(undefined); // streamx's typings make the optional argument required
    }
    if (held !== undefined) counted?.(held.byteLength);
    await settled;
  }
  pack.finalize();
}

/**
 * `files` with the content of the small ones already being read, in order. The reads run
 * ahead within READ_AHEAD_FILES and READ_AHEAD_BYTES; a failed one fails when its file's turn
 * comes, not before.
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
        if (file.size > READ_AHEAD_MAX_FILE) {
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

// tar-stream takes content given with the header only as a Buffer.
function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function sizeMismatch(file: TarFileSource, got: number): Error {
  return new Error(`${file.name}: its reader gave ${got > file.size ? `more than ${file.size}` : got} bytes where ${file.size} were announced`);
}
