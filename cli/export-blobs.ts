import { randomBytes } from 'node:crypto';
import { constants, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../core/hash.ts';
import type { BlobClient } from './blob-client.ts';
import { CliError, ExitCode } from './cli-error.ts';
import { downloadBatch } from './download-batch.ts';
import { writeVerified } from './download-blob.ts';
import { mapConcurrent } from './map-concurrent.ts';
import type { Progress } from './progress.ts';
import { planTransfers, TRANSFER_CONCURRENCY } from './transfer-batches.ts';

// Blobs up to this size are collected in memory, checked, and written with blocking calls: for
// a small file, open, write and close take microseconds each, against several times that in
// thread-pool round trips (an export of 10,000 files of 4 KiB spent most of its time there).
const SMALL_WRITE_BYTES = 64 * 1024;

/** A blob and every file that gets its content. */
interface BlobFiles {
  readonly hash: string;
  readonly size: number;
  readonly paths: string[];
  /** Per path: whether a file is there to be replaced. */
  readonly replace: boolean[];
}

/**
 * Writes each `files[i].blob` to `files[i].path` (their directories are created), downloading
 * each distinct blob once: small ones many to a request (tar batches), large ones one per
 * request (see planTransfers). Every download is checked against its hash before it reaches
 * an item's name: a small blob is checked in memory, then written; a large one is written into
 * a temporary file in `root` (dot-named) while it is checked, then renamed into place. A file
 * that is there already (`replace`) is never written into: its new content goes to a temporary
 * file renamed over it. (A new small file is written in place, which costs a fraction of a
 * rename; until the export's manifest is written last, the directory is not a finished export
 * anyway.) Files sharing a blob are copies of the first. `progress` counts the bytes of every
 * file written.
 * @throws CliError NOT_FOUND, CORRUPT_OBJECT, UNREACHABLE…; a file system error. Temporary files
 * of a failed download are removed.
 */
export async function exportBlobs(
  blobs: BlobClient,
  files: readonly { blob: string; size: number; path: string; replace?: boolean | undefined }[],
  root: string,
  progress: Progress,
): Promise<void> {
  const byBlob = new Map<string, BlobFiles>();
  for (const { blob, size, path, replace = false } of files) {
    const known = byBlob.get(blob);
    if (known) {
      known.paths.push(path);
      known.replace.push(replace);
    } else {
      byBlob.set(blob, { hash: blob, size, paths: [path], replace: [replace] });
    }
  }
  const directories = new Map<string, Promise<unknown>>();
  const ensureDirectory = (dir: string) => {
    let made = directories.get(dir);
    if (!made) directories.set(dir, (made = mkdir(dir, { recursive: true })));
    return made;
  };
  // A random part per export, so no name can be taken by a leftover of an interrupted one, and a
  // counter per file, cheaper than a random name each.
  const prefix = join(root, `.sheaf-download-${randomBytes(8).toString('hex')}-`);
  let made = 0;
  const temporary = () => `${prefix}${(made++).toString(36)}`;

  const directoriesMade = new Set<string>();
  const placeSmall = async (blob: BlobFiles, content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of content) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size > blob.size) break;
    }
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const actual = sha256Hex(bytes);
    if (actual !== blob.hash || size !== blob.size)
      throw new CliError('CORRUPT_OBJECT', `blob ${blob.hash} arrived as ${size} bytes hashing to ${actual}; expected ${blob.size} bytes`, {
        exitCode: ExitCode.unexpected,
      });
    for (const [i, path] of blob.paths.entries()) {
      const dir = dirname(path);
      if (!directoriesMade.has(dir)) {
        mkdirSync(dir, { recursive: true });
        directoriesMade.add(dir);
      }
      const target = blob.replace[i] ? temporary() : path;
      try {
        writeFileSync(target, bytes, { flag: 'wx' });
        if (target !== path) renameSync(target, path);
      } catch (error) {
        // Someone else's file, if it was there before: left alone.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(target, { force: true });
        throw error;
      }
      progress.add(blob.size);
    }
  };

  const place = async (blob: BlobFiles, content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) => {
    if (blob.size <= SMALL_WRITE_BYTES) return placeSmall(blob, content);
    const parts = blob.paths.map(temporary);
    try {
      await writeVerified(content, blob, parts[0]!, (n) => progress.add(n));
      for (const part of parts.slice(1)) {
        await copyFile(parts[0]!, part, constants.COPYFILE_EXCL);
        progress.add(blob.size);
      }
      for (const [i, path] of blob.paths.entries()) {
        await ensureDirectory(dirname(path));
        await rename(parts[i]!, path);
      }
    } catch (error) {
      await Promise.all(parts.map((part) => rm(part, { force: true })));
      throw error;
    }
  };

  const { batches, singles } = planTransfers([...byBlob.values()], (blob) => blob.size);
  const requests = [
    ...batches.map((batch) => () => downloadBatch(blobs, batch, place)),
    ...singles.map((blob) => async () => place(blob, await blobs.download(blob.hash))),
  ];
  await mapConcurrent(requests, TRANSFER_CONCURRENCY, (request) => request());
}
