import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { COPY_CHUNK, READ_WRITE_MAX_BYTES, type CopyTask } from '../../cli/copy-batch.ts';
import { copyFiles } from '../../cli/copy-files.ts';
import { CopyWorker } from '../../cli/copy-worker.ts';
import type { ExportFile } from '../../cli/link-files.ts';

const test = suite('copyFiles: copies from a blob store on one or two threads');
let root: string;
let dirs = 0;

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'sheaf-copy-files-'));
});

test.after(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Stored {
  readonly blob: string;
  readonly size: number;
  readonly bytes: Buffer;
}

/** A store like the server's: files named by their hash, read-only; sizes on both sides of READ_WRITE_MAX_BYTES. */
async function storeOf(count: number): Promise<{ store: string; blobs: Stored[]; sources: Map<string, string> }> {
  const store = join(root, `store-${++dirs}`);
  await mkdir(store);
  const blobs: Stored[] = [];
  const sources = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(i % 50 === 7 ? READ_WRITE_MAX_BYTES + 1000 + i : i * 13);
    const blob = createHash('sha256').update(bytes).digest('hex');
    await writeFile(join(store, blob), bytes, { mode: 0o444 });
    blobs.push({ blob, size: bytes.length, bytes });
    sources.set(blob, join(store, blob));
  }
  return { store, blobs, sources };
}

const counting = () => {
  const progress = { total: 0, add: (amount: number) => void (progress.total += amount), stop() {} };
  return progress;
};

const filesFor = (dir: string, blobs: readonly Stored[], replace = false): ExportFile[] =>
  blobs.map((stored, i) => ({ blob: stored.blob, size: stored.size, path: join(dir, `d${Math.floor(i / 40)}`, `f${String(i).padStart(4, '0')}.bin`), replace }));

for (const threads of [1, 2] as const) {
  test(`${threads} thread(s): every file in place with its bytes and the mode a written file gets; progress counts every byte`, async () => {
    const { blobs, sources } = await storeOf(300);
    const dir = join(root, `out-${++dirs}`);
    const files = filesFor(dir, blobs);
    const progress = counting();
    const outcome = await copyFiles(files, sources, dir, progress, { verify: false, threads });
    assert.is(outcome.copied, files.length);
    assert.equal(outcome.rest, []);
    const mode = 0o666 & ~process.umask();
    for (const [i, file] of files.entries()) {
      assert.ok((await readFile(file.path)).equals(blobs[i]!.bytes), file.path);
      assert.is((await stat(file.path)).mode & 0o777, mode);
    }
    assert.is(progress.total, blobs.reduce((sum, stored) => sum + stored.size, 0));
  });

  test(`${threads} thread(s): replaced files are renamed over the old ones, no temporary file is left`, async () => {
    const { blobs, sources } = await storeOf(120);
    const dir = join(root, `out-${++dirs}`);
    const files = filesFor(dir, blobs, true);
    for (const file of files) {
      await mkdir(join(file.path, '..'), { recursive: true });
      await writeFile(file.path, 'old');
    }
    const outcome = await copyFiles(files, sources, dir, counting(), { verify: false, threads });
    assert.is(outcome.copied, files.length);
    for (const [i, file] of files.entries()) assert.ok((await readFile(file.path)).equals(blobs[i]!.bytes));
    assert.equal((await readdir(dir)).filter((name) => name.startsWith('.sheaf-')), []);
  });

  test(`${threads} thread(s): a file in the way of a new one is an EEXIST error and stays as it was`, async () => {
    const { blobs, sources } = await storeOf(200);
    const dir = join(root, `out-${++dirs}`);
    const files = filesFor(dir, blobs);
    const taken = files[150]!;
    await mkdir(join(taken.path, '..'), { recursive: true });
    await writeFile(taken.path, 'not from an export');
    try {
      await copyFiles(files, sources, dir, counting(), { verify: false, threads });
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.is((error as NodeJS.ErrnoException).code, 'EEXIST');
    }
    assert.is(await readFile(taken.path, 'utf8'), 'not from an export');
  });

  test(`${threads} thread(s): a blob whose stored file is gone or has another size is left to download`, async () => {
    const { store, blobs, sources } = await storeOf(100);
    const dir = join(root, `out-${++dirs}`);
    const files = filesFor(dir, blobs);
    await rm(join(store, blobs[40]!.blob));
    await chmod(join(store, blobs[60]!.blob), 0o644);
    await writeFile(join(store, blobs[60]!.blob), 'shorter');
    const outcome = await copyFiles(files, sources, dir, counting(), { verify: false, threads });
    assert.equal(
      outcome.rest.map((file) => file.path),
      [files[40]!.path, files[60]!.path],
    );
    assert.is(outcome.copied, files.length - 2);
    assert.equal((await stat(files[60]!.path).catch(() => null)), null, 'no partial copy of the wrong-sized file');
  });
}

test('the copy thread runs the same copy from the back of the list', async () => {
  const { blobs, sources } = await storeOf(50);
  const dir = join(root, `out-${++dirs}`);
  await mkdir(dir);
  const task: CopyTask = {
    sources: blobs.map((stored) => sources.get(stored.blob)!),
    targets: blobs.map((_, i) => join(dir, `f${i}`)),
    temps: blobs.map(() => null),
    sizes: blobs.map((stored) => stored.size),
    mode: 0o640,
    chunk: COPY_CHUNK,
    readWriteMaxBytes: READ_WRITE_MAX_BYTES,
    claims: new BigInt64Array(new SharedArrayBuffer(8)),
    stop: new Int32Array(new SharedArrayBuffer(4)),
  };
  Atomics.store(task.claims, 0, BigInt(blobs.length));
  const outcome = await CopyWorker.start().run(task, READ_WRITE_MAX_BYTES + 1);
  assert.ok(outcome, 'the worker ran');
  assert.equal([...outcome.copied].sort((a, b) => a - b), blobs.map((_, i) => i));
  assert.is(outcome.copied[0], blobs.length - 1);
  assert.is(outcome.failure, null);
  for (const [i, stored] of blobs.entries()) assert.ok((await readFile(join(dir, `f${i}`))).equals(stored.bytes));
  assert.is(Atomics.load(task.claims, 0) >> 32n, Atomics.load(task.claims, 0) & 0xffffffffn, 'every file claimed');
});

test.run();
