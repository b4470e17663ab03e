import { close, closeSync, open, openSync, read, readSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Pack } from 'tar-stream';
import { CliError } from './cli-error.ts';
import { packedTar, sinkSettled, writeChunk } from '../adapters/tar/tar-sink.ts';

/** A file to send as a blob: where it is, and the hash and size it had when it was hashed. */
export interface TarFile {
  readonly absolutePath: string;
  readonly blob: string;
  readonly size: number;
  /** The entry's name; default the blob hash (a blob upload). A label import names files by their path. */
  readonly name?: string | undefined;
}

// Files are read in chunks of at most this much: memory stays flat whatever the file size.
const READ_CHUNK_BYTES = 256 * 1024;
// Files up to this size are read with synchronous calls, in one read. From the page cache (the
// file was just hashed) that takes microseconds, where the thread-pool round trips of open, read
// and close cost several times more CPU than the read itself, on both of a small machine's cores.
const SYNC_READ_MAX_BYTES = 64 * 1024;
// Blobs have no modification time; a fixed one makes the same files give the same tar.
const EPOCH = new Date(0);
// The callback forms cost less CPU per small file than FileHandle's promises.
const openFile = promisify(open);
const readFile = promisify(read);
const closeFile = promisify(close);

/**
 * A tar stream of `files`, one regular-file entry per file named by its blob hash, read from
 * disk as the consumer pulls (one file open at a time, never a whole file in memory). Each entry
 * declares the size the file had when hashed; `onBytes` is told the file bytes read.
 * @throws (from the stream) CliError FILE_CHANGED when a file's size is not the hashed one any
 * more; a read error of the file system.
 */
export async function* tarOfFiles(files: readonly TarFile[], onBytes?: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  yield* packedTar((pack) => writeFiles(pack, files, onBytes));
}

async function writeFiles(pack: Pack, files: readonly TarFile[], onBytes?: (bytes: number) => void): Promise<void> {
  for (const file of files) {
    if (pack.destroying) return;
    const entry = pack.entry({ name: file.name ?? file.blob, size: file.size, type: 'file', mtime: EPOCH });
    const settled = sinkSettled(entry);
    const read = file.size <= SYNC_READ_MAX_BYTES ? readSmall(file) : readChunks(file);
    for await (const chunk of read) {
      onBytes?.(chunk.byteLength);
      if (!(await writeChunk(entry, chunk))) return;
    }
    entry.end(undefined); // streamx's typings make the optional argument required
    await settled;
  }
  pack.finalize();
}

/** The whole file in one chunk (an empty file: none). @throws CliError FILE_CHANGED */
async function* readSmall(file: TarFile): AsyncGenerator<Uint8Array> {
  // One byte more than the file should have: a file that grew is noticed.
  const buffer = Buffer.allocUnsafe(file.size + 1);
  const fd = openSync(file.absolutePath, 'r');
  let bytesRead = 0;
  try {
    // Normally one read; a short one (some network file systems) is followed up to the size.
    let n: number;
    do {
      n = readSync(fd, buffer, bytesRead, buffer.byteLength - bytesRead, null);
      bytesRead += n;
    } while (n !== 0 && bytesRead < file.size);
  } finally {
    closeSync(fd);
  }
  if (bytesRead !== file.size) throw changed(file);
  if (bytesRead > 0) yield buffer.subarray(0, bytesRead);
}

/** The file in chunks of at most READ_CHUNK_BYTES. @throws CliError FILE_CHANGED */
async function* readChunks(file: TarFile): AsyncGenerator<Uint8Array> {
  const fd = await openFile(file.absolutePath, 'r');
  try {
    let sent = 0;
    for (;;) {
      // One byte more than the rest of the file: a short read means the end was reached, and a
      // file that grew is noticed.
      const want = Math.min(READ_CHUNK_BYTES, file.size - sent + 1);
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await readFile(fd, buffer, 0, want, null);
      sent += bytesRead;
      if (sent > file.size) throw changed(file);
      if (bytesRead > 0) yield buffer.subarray(0, bytesRead);
      if (bytesRead < want) break;
    }
    if (sent !== file.size) throw changed(file);
  } finally {
    await closeFile(fd);
  }
}

function changed(file: TarFile): CliError {
  return new CliError('FILE_CHANGED', `${file.absolutePath} changed while it was being pushed; push again`);
}
