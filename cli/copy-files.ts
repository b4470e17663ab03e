import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { constants, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, copyFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { COPY_CHUNK, copyBatch, READ_WRITE_MAX_BYTES, type CopyTask } from './copy-batch.ts';
import { CopyWorker } from './copy-worker.ts';
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

/** Below this many small files a second thread costs more to start than it saves. */
const WORKER_MIN_FILES = 500;

// Asked once: each call is a system call, and an export asks as its manifest arrives.
let cores: number | undefined;

/** Whether copying `files` small files pays for a second thread: enough of them, and a second core. */
export function copyThreadPays(files: number): boolean {
  return files >= WORKER_MIN_FILES && (cores ??= availableParallelism()) > 1;
}

/**
 * Copies each file from the server's stored blob on this machine (`sources`: blob hash → file
 * path, from the manifest or POST …/blobs/paths) instead of downloading it, as `cp` does:
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
 * read (then no further copy is tried), or when a blob's file is missing.
 *
 * Files up to SYNC_READ_MAX_BYTES are copied with blocking calls (microseconds each, less than
 * a round trip through the thread pool) — read and written up to READ_WRITE_MAX_BYTES, copied
 * by the kernel (copy_file_range, or a reflink) above — and, from WORKER_MIN_FILES of them on a
 * machine with more than one core, on two threads: creating files is kernel time that one
 * thread cannot overlap; the second is `options.worker` when the caller started it early (it
 * is closed when not needed). `threads` overrides the choice. Larger files are copied on the
 * thread pool, one at a time.
 * @throws CliError CORRUPT_OBJECT with `verify`; a filesystem error other than those
 */
export async function copyFiles(
  files: readonly ExportFile[],
  sources: ReadonlyMap<string, string>,
  root: string,
  progress: Progress,
  options: { verify: boolean; threads?: 1 | 2; worker?: CopyWorker | undefined },
): Promise<CopyOutcome> {
  const first = files.find((file) => sources.has(file.blob));
  if (first === undefined || !isStoredBlobFile(sources.get(first.blob)!, first)) return { copied: 0, rest: [...files] };
  // What writeFile gives a new file; a copy would otherwise keep the store's read-only mode.
  const mode = 0o666 & ~process.umask();
  const prefix = join(root, `.sheaf-copy-${randomBytes(8).toString('hex')}-`);
  let made = 0;
  const temporary = (file: ExportFile) => (file.replace ? `${prefix}${(made++).toString(36)}` : null);
  const fromStore = files.filter((file) => basename(sources.get(file.blob) ?? '') === file.blob);
  let directory = '';
  // Made here, before either thread copies: files in path order come a directory at a time.
  for (const file of fromStore) {
    const parent = dirname(file.path);
    if (parent === directory) continue;
    mkdirSync(parent, { recursive: true });
    directory = parent;
  }

  const blocking = options.verify ? [] : fromStore.filter((file) => file.size <= SYNC_READ_MAX_BYTES);
  const task: CopyTask = {
    sources: blocking.map((file) => sources.get(file.blob)!),
    targets: blocking.map((file) => file.path),
    temps: blocking.map(temporary),
    sizes: blocking.map((file) => file.size),
    mode,
    chunk: COPY_CHUNK,
    readWriteMaxBytes: READ_WRITE_MAX_BYTES,
    claims: new BigInt64Array(new SharedArrayBuffer(8)),
    stop: new Int32Array(new SharedArrayBuffer(4)),
  };
  Atomics.store(task.claims, 0, BigInt(blocking.length));
  const threads = options.threads ?? (copyThreadPays(blocking.length) ? 2 : 1);
  if (threads === 1) options.worker?.close();
  const worker = threads === 2 ? (options.worker ?? CopyWorker.start()).run(task, READ_WRITE_MAX_BYTES + 1) : null;
  const buffer = Buffer.allocUnsafe(READ_WRITE_MAX_BYTES + 1);
  const own = copyBatch(fs, task, true, buffer, (index) => progress.add(task.sizes[index]!));
  const other = await worker;
  if (other) progress.add(other.bytes);
  const failure = own.failure ?? other?.failure;
  if (failure) throw Object.assign(new Error(failure.message), { code: failure.code });
  const done = new Set([...own.copied, ...(other?.copied ?? [])].map((index) => blocking[index]!));
  const tried = new Set(blocking);
  let copied = done.size;
  let refused = own.refused || other?.refused === true;

  const rest: ExportFile[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const source = sources.get(file.blob);
    if (refused || tried.has(file) || source === undefined || basename(source) !== file.blob) {
      rest.push(file);
      continue;
    }
    let checked: Buffer | undefined;
    const target = temporary(file) ?? file.path;
    try {
      if (options.verify) checked = await verifyStoredBlob(source, file);
      if (checked !== undefined) {
        writeFileSync(target, checked, { flag: 'wx', mode });
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
