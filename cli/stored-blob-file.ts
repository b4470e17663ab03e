import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { sha256Hex } from '../core/hash.ts';
import { CliError, ExitCode } from './cli-error.ts';

/** A blob as an export knows it: its hash and size. */
export interface BlobRef {
  readonly blob: string;
  readonly size: number;
}

/**
 * Stored blobs up to this size are read whole with one blocking call to be hashed: for a small
 * file that costs microseconds, against several times that in thread-pool round trips.
 */
export const SYNC_READ_MAX_BYTES = 1024 * 1024;

/**
 * Whether `path` (a blob path the server gave) names `file`'s blob on this machine: its name
 * is the hash, as stores name blob files, and a file of the blob's size is there. One stat:
 * enough to tell a server on this machine from one whose paths mean nothing here.
 */
export function isStoredBlobFile(path: string, file: BlobRef): boolean {
  if (basename(path) !== file.blob) return false;
  try {
    return statSync(path).size === file.size;
  } catch {
    return false;
  }
}

/**
 * Reads the stored blob file `path` and checks it against `file`'s hash and size, for an export
 * asked to re-hash what it takes from the server's store. Returns the bytes of a small blob
 * (up to SYNC_READ_MAX_BYTES, read with one blocking call), so the caller can write them
 * instead of reading the file again; undefined for a larger one (streamed through the hash).
 * @throws CliError CORRUPT_OBJECT (exit 3) when the stored bytes are not the blob's; a
 * filesystem error reading it
 */
export async function verifyStoredBlob(path: string, file: BlobRef): Promise<Buffer | undefined> {
  let actual: string;
  let size: number;
  let bytes: Buffer | undefined;
  if (file.size <= SYNC_READ_MAX_BYTES) {
    bytes = readFileSync(path);
    size = bytes.byteLength;
    actual = sha256Hex(bytes);
  } else {
    const hash = createHash('sha256');
    size = 0;
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).byteLength;
    }
    actual = hash.digest('hex');
  }
  if (actual !== file.blob || size !== file.size)
    throw new CliError('CORRUPT_OBJECT', `the server's stored file ${path} holds ${size} bytes hashing to ${actual}, not blob ${file.blob} (${file.size} bytes)`, {
      exitCode: ExitCode.unexpected,
    });
  return bytes;
}
