import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Progress } from './progress.ts';
import { isStoredBlobFile, verifyStoredBlob } from './stored-blob-file.ts';

/** A file an export puts in place: the blob it holds and where. */
export interface ExportFile {
  readonly blob: string;
  readonly size: number;
  /** Absolute path of the file. */
  readonly path: string;
  /** Whether a file of an earlier export is there and is to be replaced. */
  readonly replace: boolean;
}

/** What `linkFiles` did: how many it linked, and those left to copy. */
export interface LinkOutcome {
  readonly linked: number;
  readonly rest: ExportFile[];
}

// Errors meaning no link can be made here at all: another filesystem, a filesystem without
// hard links, or the kernel refusing links to files of another user (fs.protected_hardlinks).
const NO_LINKS = new Set(['EXDEV', 'EPERM', 'EACCES', 'ENOTSUP', 'EOPNOTSUPP']);
// Errors of one file only: the blob's file is gone, or has the most links it may have.
const NOT_THIS_ONE = new Set(['ENOENT', 'EMLINK']);

/**
 * Hard-links each file to the server's stored blob (`sources`: blob hash → file path on the
 * server's filesystem, from POST …/blobs/paths) instead of copying it: no bytes move, and the
 * export takes no space. Stored blobs are read-only (0444) and never rewritten — a new version
 * of an item is a new blob — so a link is safe as long as nobody changes its mode and writes
 * into it. A replaced file gets its link under a temporary name first, then renamed over it,
 * so no file is ever written in place. Linked files are not re-hashed — the server checked
 * their bytes when they were stored — unless `verify`: then each stored file is read and checked
 * before it is linked (CORRUPT_OBJECT if it does not match).
 *
 * Files are left to copy (in `rest`) when their blob has no path, when the paths do not name
 * files on this machine (checked on the first one), or when linking fails for a reason `warn`
 * is told once: another filesystem (EXDEV), no permission, no hard links on this filesystem —
 * then no further link is tried — or a blob file with the most links it may have (EMLINK).
 * The links are made with blocking calls: each takes microseconds, less than a round trip
 * through the thread pool.
 * @throws CliError CORRUPT_OBJECT with `verify`; a filesystem error other than those
 */
export async function linkFiles(
  files: readonly ExportFile[],
  sources: ReadonlyMap<string, string>,
  root: string,
  progress: Progress,
  warn: (message: string) => void,
  options: { verify: boolean } = { verify: false },
): Promise<LinkOutcome> {
  const rest: ExportFile[] = [];
  const first = files.find((file) => sources.has(file.blob));
  if (first === undefined) return { linked: 0, rest: [...files] };
  if (!isStoredBlobFile(sources.get(first.blob)!, first)) {
    warn('the server\'s blob paths are not files on this machine: copying instead of linking');
    return { linked: 0, rest: [...files] };
  }
  const directories = new Set<string>();
  const temporary = join(root, `.sheaf-link-${randomBytes(8).toString('hex')}`);
  let linked = 0;
  let refused: string | undefined;
  let skipped = 0;
  for (const file of files) {
    const source = sources.get(file.blob);
    if (refused !== undefined || source === undefined || basename(source) !== file.blob) {
      rest.push(file);
      continue;
    }
    const directory = dirname(file.path);
    if (!directories.has(directory)) {
      mkdirSync(directory, { recursive: true });
      directories.add(directory);
    }
    try {
      if (options.verify) await verifyStoredBlob(source, file);
      if (file.replace) {
        linkSync(source, temporary);
        renameSync(temporary, file.path);
      } else {
        linkSync(source, file.path);
      }
      linked++;
      progress.add(file.size);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (file.replace) rmSync(temporary, { force: true });
      if (NO_LINKS.has(code)) refused = `${code}: ${(error as Error).message}`;
      else if (NOT_THIS_ONE.has(code)) skipped++;
      else throw error;
      rest.push(file);
    }
  }
  if (refused !== undefined) warn(`cannot hard-link from the server's blob store (${refused}): copying the other files instead`);
  if (skipped > 0) warn(`${skipped} file(s) could not be linked (a blob file missing or at its link limit): copying those`);
  return { linked, rest };
}
