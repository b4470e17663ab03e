import { createHash } from 'node:crypto';
import { close, open, write } from 'node:fs';
import { promisify } from 'node:util';
import type { BlobClient } from './blob-client.ts';
import { CliError, ExitCode } from './cli-error.ts';

// The callback forms cost less CPU per small file than FileHandle's promises.
const openFile = promisify(open);
const writeFile = promisify(write);
const closeFile = promisify(close);

/**
 * Downloads a blob into a new file at `path` (which must not exist), checking sha256 and size
 * while writing: a truncated or corrupt download fails with CORRUPT_OBJECT (exit 3) instead of
 * leaving wrong bytes behind. The caller removes `path` on failure.
 * @throws CliError NOT_FOUND, CORRUPT_OBJECT, UNREACHABLE…
 */
export async function downloadBlob(
  blobs: BlobClient,
  blob: { hash: string; size: number },
  path: string,
  onBytes?: (bytes: number) => void,
): Promise<void> {
  await writeVerified(await blobs.download(blob.hash), blob, path, onBytes);
}

/**
 * Writes the content of `blob` from `source` into a new file at `path` (which must not exist),
 * checking sha256 and size while writing. The caller removes `path` on failure.
 * @throws CliError CORRUPT_OBJECT (exit 3) when the bytes are not the blob's; the source's error.
 */
export async function writeVerified(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  blob: { hash: string; size: number },
  path: string,
  onBytes?: (bytes: number) => void,
): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  const fd = await openFile(path, 'wx');
  try {
    for await (const chunk of source) {
      // The write runs on the thread pool while this thread hashes the same bytes.
      const written = writeAll(fd, chunk);
      hash.update(chunk);
      size += chunk.byteLength;
      await written;
      onBytes?.(chunk.byteLength);
    }
  } finally {
    await closeFile(fd);
  }
  const actual = hash.digest('hex');
  if (actual !== blob.hash || size !== blob.size)
    throw new CliError('CORRUPT_OBJECT', `blob ${blob.hash} arrived as ${size} bytes hashing to ${actual}; expected ${blob.size} bytes`, {
      exitCode: ExitCode.unexpected,
    });
}

/** Writes the whole chunk: a write call may accept fewer bytes than asked. */
async function writeAll(fd: number, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) offset += (await writeFile(fd, chunk, offset, chunk.byteLength - offset, null)).bytesWritten;
}
