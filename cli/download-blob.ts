import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobClient } from './blob-client.ts';
import { CliError, ExitCode } from './cli-error.ts';

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
  const source = await blobs.download(blob.hash);
  const hash = createHash('sha256');
  let size = 0;
  const verify = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.byteLength;
      onBytes?.(chunk.byteLength);
      callback(null, chunk);
    },
  });
  await pipeline(source, verify, createWriteStream(path, { flags: 'wx' }));
  const actual = hash.digest('hex');
  if (actual !== blob.hash || size !== blob.size)
    throw new CliError('CORRUPT_OBJECT', `blob ${blob.hash} arrived as ${size} bytes hashing to ${actual}; expected ${blob.size} bytes`, {
      exitCode: ExitCode.unexpected,
    });
}
