import { randomBytes } from 'node:crypto';
import { chmodSync, constants, copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ExportFile } from './link-files.ts';
import type { Progress } from './progress.ts';
import { isStoredBlobFile, SYNC_READ_MAX_BYTES, verifyStoredBlob } from './stored-blob-file.ts';

/** What `copyFiles` did: how many it copied, and those left to download. */
export interface CopyOutcome {
  readonly copied: number;
  readonly rest: ExportFile[];
}

// Errors meaning the store cannot be read from here at all (another user's store, a
// restrictive mount): the rest is downloaded, which reports a real problem of the target itself.
const NO_ACCESS = new Set(['EACCES', 'EPERM']);
// The blob's file is gone (collected since the manifest was read): downloading it tells.
const NOT_THIS_ONE = new Set(['ENOENT']);

/**
 * Copies each file from the server's stored blob on this machine (`sources`: blob hash → file
 * path, from the manifest or POST …/blobs/paths) instead of downloading it, as `cp` does: the
 * kernel copies the bytes (copy_file_range, or a reflink on filesystems that share extents),
 * nothing crosses a socket. Stored blobs were checked against their hash when they were
 * written and are never rewritten (0444; a new version of an item is a new blob), so a copy is
 * not re-hashed unless `verify` — then each stored file is read and checked first
 * (CORRUPT_OBJECT if it does not match), and the checked bytes are written.
 *
 * Each copy gets the mode a written file gets (0666 less the umask), not the store's 0444, so
 * an export is the same whichever way its bytes came. A replaced file gets its copy under a
 * temporary name first, renamed over it; a new file is created exclusively (an existing one is
 * an EEXIST error). Files are left to download (in `rest`) when their blob has no path, when the
 * paths do not name files on this machine (checked on the first one), when the store cannot be
 * read (then no further copy is tried), or when a blob's file is missing. Files up to
 * SYNC_READ_MAX_BYTES are copied with blocking calls (microseconds each, less than a round trip
 * through the thread pool); larger ones on the thread pool.
 * @throws CliError CORRUPT_OBJECT with `verify`; a filesystem error other than those
 */
export async function copyFiles(
  files: readonly ExportFile[],
  sources: ReadonlyMap<string, string>,
  root: string,
  progress: Progress,
  options: { verify: boolean },
): Promise<CopyOutcome> {
  const rest: ExportFile[] = [];
  const first = files.find((file) => sources.has(file.blob));
  if (first === undefined || !isStoredBlobFile(sources.get(first.blob)!, first)) return { copied: 0, rest: [...files] };
  // What writeFile gives a new file; a copy would otherwise keep the store's read-only mode.
  const mode = 0o666 & ~process.umask();
  const directories = new Set<string>();
  const prefix = join(root, `.sheaf-copy-${randomBytes(8).toString('hex')}-`);
  let made = 0;
  let copied = 0;
  let refused = false;
  for (const file of files) {
    const source = sources.get(file.blob);
    if (refused || source === undefined || basename(source) !== file.blob) {
      rest.push(file);
      continue;
    }
    const directory = dirname(file.path);
    if (!directories.has(directory)) {
      mkdirSync(directory, { recursive: true });
      directories.add(directory);
    }
    let checked: Buffer | undefined;
    const target = file.replace ? `${prefix}${(made++).toString(36)}` : file.path;
    try {
      if (options.verify) checked = await verifyStoredBlob(source, file);
      if (checked !== undefined) {
        writeFileSync(target, checked, { flag: 'wx', mode });
      } else if (file.size <= SYNC_READ_MAX_BYTES) {
        copyFileSync(source, target, constants.COPYFILE_EXCL);
        chmodSync(target, mode);
      } else {
        await copyFile(source, target, constants.COPYFILE_EXCL);
        await chmod(target, mode);
      }
      if (target !== file.path) renameSync(target, file.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      // A new file's path was checked to be free before the export began, so what is there now
      // is this copy's own partial file; EEXIST means someone else's file, which stays.
      if (code !== 'EEXIST') rmSync(target, { force: true });
      if (NO_ACCESS.has(code)) refused = true;
      else if (!NOT_THIS_ONE.has(code)) throw error;
      rest.push(file);
      continue;
    }
    copied++;
    progress.add(file.size);
  }
  return { copied, rest };
}
