import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * sha256 (lowercase hex, the blob address) and size of a file, read as a stream so that
 * memory stays flat whatever the file size. `onBytes` reports progress.
 */
export async function hashFile(path: string, onBytes?: (bytes: number) => void): Promise<{ hash: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.byteLength;
    onBytes?.(bytes.byteLength);
  }
  return { hash: hash.digest('hex'), size };
}
