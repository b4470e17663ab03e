/**
 * The file copies of an export from the server's blob store, shared between the main thread
 * and one worker thread (copy-worker.ts): `copyBatch` runs on both over the same lists, the
 * main thread taking chunks of files from the front and the worker from the back until they
 * meet. Files in path order are grouped by directory, so the two threads mostly create files
 * in different directories and do not queue on one directory's lock.
 */
import type * as fs from 'node:fs';

/** Files claimed at a time: small enough that neither thread waits long for the other at the end. */
export const COPY_CHUNK = 16;

/** Files up to this size are read and written (one fewer call than copyFile + chmod); larger ones copied by the kernel, or reflinked. */
export const READ_WRITE_MAX_BYTES = 64 * 1024;

/** What both threads copy, by index; every array has one entry per file. */
export interface CopyTask {
  /** Stored blob files to copy from. */
  readonly sources: readonly string[];
  /** Where each copy goes in the end. */
  readonly targets: readonly string[];
  /** The temporary name a replacing copy is written under before its rename over the target; null: created in place (exclusively). */
  readonly temps: readonly (string | null)[];
  /** Expected sizes; a stored file of another size is not copied. */
  readonly sizes: readonly number[];
  /** The mode copies are created with (0666 less the umask, as writeFile gives). */
  readonly mode: number;
  /** Files claimed at a time (COPY_CHUNK). */
  readonly chunk: number;
  /** Files up to this size are read and written, larger ones copied with copyFile (READ_WRITE_MAX_BYTES). */
  readonly readWriteMaxBytes: number;
  /** Shared: the unclaimed range [front, back) packed as front * 2^32 + back. */
  readonly claims: BigInt64Array;
  /** Shared: set to 1 once a thread meets an error that ends copying (the rest is not copied). */
  readonly stop: Int32Array;
}

/** What one thread did. */
export interface BatchOutcome {
  /** Indexes of the files copied into place. */
  readonly copied: number[];
  readonly bytes: number;
  /** The store cannot be read from here (EACCES, EPERM): nothing more is copied. */
  readonly refused: boolean;
  /** An error that is the export's to report (not a blob missing from the store). */
  readonly failure: { readonly index: number; readonly code: string; readonly message: string } | null;
}

/**
 * Copies files of `task` until none is left unclaimed or `task.stop` is set, taking chunks from
 * the front (`fromFront`) or the back. A new file is created exclusively with `task.mode`
 * (EEXIST is a failure: someone else's file, which stays); a replacing one under its temporary
 * name, renamed over the target. A partial file is removed. A blob whose stored file is gone
 * (ENOENT) or has another size is left out of `copied`, to be downloaded, which checks it.
 *
 * Self-contained — no imports, no module constants, no nested functions — because the worker
 * runs it from its source text: `fileSystem` is node:fs and `buffer` a scratch buffer of more
 * than `task.readWriteMaxBytes` bytes.
 * `onCopied` is called after each file this thread copies.
 */
export function copyBatch(fileSystem: typeof fs, task: CopyTask, fromFront: boolean, buffer: Uint8Array, onCopied?: (index: number) => void): BatchOutcome {
  const copied: number[] = [];
  let bytes = 0;
  let refused = false;
  let failure: BatchOutcome['failure'] = null;
  claiming: while (Atomics.load(task.stop, 0) === 0) {
    const claims = Atomics.load(task.claims, 0);
    const front = Number(claims >> 32n);
    const back = Number(claims & 0xffffffffn);
    if (front >= back) break;
    const start = fromFront ? front : Math.max(front, back - task.chunk);
    const end = fromFront ? Math.min(back, front + task.chunk) : back;
    const next = fromFront ? (BigInt(end) << 32n) | BigInt(back) : (BigInt(front) << 32n) | BigInt(start);
    if (Atomics.compareExchange(task.claims, 0, claims, next) !== claims) continue;
    for (let step = 0; step < end - start; step++) {
      const index = fromFront ? start + step : end - 1 - step;
      const size = task.sizes[index]!;
      const target = task.temps[index] ?? task.targets[index]!;
      let created = false;
      try {
        if (size <= task.readWriteMaxBytes) {
          const input = fileSystem.openSync(task.sources[index]!, 'r');
          let read: number;
          try {
            // One byte more than expected, so a stored file of another size is seen in the same call.
            read = fileSystem.readSync(input, buffer, 0, size + 1, 0);
          } finally {
            fileSystem.closeSync(input);
          }
          if (read !== size) continue;
          const output = fileSystem.openSync(target, 'wx', task.mode);
          created = true;
          try {
            if (fileSystem.writeSync(output, buffer, 0, size, 0) !== size) throw Object.assign(new Error(`short write to ${target}`), { code: 'EIO' });
          } finally {
            fileSystem.closeSync(output);
          }
        } else {
          if (fileSystem.statSync(task.sources[index]!).size !== size) continue;
          fileSystem.copyFileSync(task.sources[index]!, target, fileSystem.constants.COPYFILE_EXCL);
          created = true;
          // copyFile gives the copy the store's read-only mode.
          fileSystem.chmodSync(target, task.mode);
        }
        if (target !== task.targets[index]) fileSystem.renameSync(target, task.targets[index]!);
      } catch (error) {
        const code = String((error as NodeJS.ErrnoException).code ?? '');
        // A file in the way before this thread created one (EEXIST) is someone else's and stays.
        if (created || code !== 'EEXIST') fileSystem.rmSync(target, { force: true });
        if (code === 'ENOENT') continue;
        Atomics.store(task.stop, 0, 1);
        if (code === 'EACCES' || code === 'EPERM') refused = true;
        else failure = { index, code, message: (error as Error).message };
        break claiming;
      }
      copied.push(index);
      bytes += size;
      onCopied?.(index);
    }
  }
  return { copied, bytes, refused, failure };
}
