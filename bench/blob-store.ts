import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFile as readFileCallback } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FsBlobStore } from '../adapters/blob/fs-blob-store.ts';
import { median, target, timeMs, type BenchResult } from './result.ts';

const SMALL_BYTES = 4096;
const SMALL_PER_DIR = 1000;
const LARGE_COUNT = 64;
const LARGE_BYTES = 16 * 1024 * 1024;
// Each put spends most of its time waiting for fsync, so many must be in flight to keep the
// disk and both cores busy; 16 to 128 measured the same within noise, past that the thread pool
// queue only grows.
const SMALL_CONCURRENCY = 32;
// Hashing is the bottleneck of one large put and runs on the main thread: two in flight overlap
// one file's fsync with the next file's hashing.
const LARGE_CONCURRENCY = 2;
const LARGE_READ_CHUNK = 1024 * 1024;
// The callback form costs less CPU per small file than the FileHandle-based promise API.
const readFile = promisify(readFileCallback);

export interface BenchBlobStoreOptions {
  /** 100,000 small files instead of 10,000. */
  readonly large: boolean;
  /** Scratch space; the benchmark works in a fresh directory inside it and removes it at the end. */
  readonly workDir: string;
  readonly log?: ((line: string) => void) | undefined;
}

/**
 * FsBlobStore throughput against `sha256sum` over the same files in the same run: many small
 * files (files/s, target 20,000/s) and large files (MB/s, target half of sha256sum's). Input
 * files are generated first and are not timed; both sides read them from the page cache.
 */
export async function benchBlobStore(options: BenchBlobStoreOptions): Promise<BenchResult[]> {
  const log = options.log ?? (() => undefined);
  await mkdir(options.workDir, { recursive: true });
  const dir = await mkdtemp(join(options.workDir, 'blob-store-'));
  try {
    const small = await benchSmallFiles(join(dir, 'small'), options.large ? 100_000 : 10_000, log);
    const large = await benchLargeFiles(join(dir, 'large'), log);
    return [small, large];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchSmallFiles(dir: string, count: number, log: (line: string) => void): Promise<BenchResult> {
  const source = join(dir, 'source');
  log(`writing ${count} files of ${SMALL_BYTES} bytes`);
  for (let first = 0; first < count; first += SMALL_PER_DIR) {
    const sub = join(source, String(first / SMALL_PER_DIR).padStart(4, '0'));
    await mkdir(sub, { recursive: true });
    const n = Math.min(SMALL_PER_DIR, count - first);
    const bytes = randomBytes(n * SMALL_BYTES);
    await forEachConcurrently(n, 16, (i) =>
      writeFile(join(sub, `${i}.bin`), bytes.subarray(i * SMALL_BYTES, (i + 1) * SMALL_BYTES)),
    );
  }

  // Shared VMs are noisy: take the median of a few runs, each into a fresh store. Stores are
  // only removed at the end, since freed inodes can slow the next file creations down.
  const runs = count > 10_000 ? 1 : 3;
  const baselineTimes: number[] = [];
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    log(`sha256sum (run ${run + 1}/${runs})`);
    baselineTimes.push(await timeMs(() => sha256sum(source)));
    log(`FsBlobStore.put, ${SMALL_CONCURRENCY} in flight (run ${run + 1}/${runs})`);
    const store = new FsBlobStore({ root: join(dir, `store-${run}`) });
    times.push(
      await timeMs(async () => {
        const files = await listFiles(source);
        await forEachConcurrently(files.length, SMALL_CONCURRENCY, async (i) => {
          await store.put(await readFile(files[i]!));
        });
      }),
    );
  }
  const ms = median(times);
  const baselineMs = median(baselineTimes);

  const perSecond = count / (ms / 1000);
  const baseline = count / (baselineMs / 1000);
  return {
    name: `blob-store: put ${count} files of 4 KiB`,
    value: perSecond,
    unit: 'files/s',
    baseline: { name: 'sha256sum', value: baseline },
    ratio: perSecond / baseline,
    target: target('>= 20000 files/s', perSecond >= 20_000),
    note: `median of ${runs}; ${SMALL_CONCURRENCY} puts in flight, each file read + hashed + written + fsynced + renamed into a fresh store; ${threadPool()}`,
  };
}

async function benchLargeFiles(dir: string, log: (line: string) => void): Promise<BenchResult> {
  const source = join(dir, 'source');
  await mkdir(source, { recursive: true });
  log(`writing ${LARGE_COUNT} files of ${LARGE_BYTES / 1024 / 1024} MiB`);
  const files: string[] = [];
  for (let i = 0; i < LARGE_COUNT; i++) {
    const file = join(source, `${String(i).padStart(2, '0')}.bin`);
    await writeFile(file, randomBytes(LARGE_BYTES));
    files.push(file);
  }

  log('sha256sum');
  const baselineMs = await timeMs(() => sha256sum(source));
  log(`FsBlobStore.put from read streams, ${LARGE_CONCURRENCY} in flight`);
  const store = new FsBlobStore({ root: join(dir, 'store') });
  const ms = await timeMs(() =>
    forEachConcurrently(files.length, LARGE_CONCURRENCY, async (i) => {
      await store.put(createReadStream(files[i]!, { highWaterMark: LARGE_READ_CHUNK }));
    }),
  );

  const megabytes = (LARGE_COUNT * LARGE_BYTES) / 1e6;
  const perSecond = megabytes / (ms / 1000);
  const baseline = megabytes / (baselineMs / 1000);
  return {
    name: `blob-store: put ${LARGE_COUNT} files of 16 MiB`,
    value: perSecond,
    unit: 'MB/s',
    baseline: { name: 'sha256sum', value: baseline },
    ratio: perSecond / baseline,
    target: target('>= 0.5x sha256sum', perSecond >= 0.5 * baseline),
    note: `${LARGE_CONCURRENCY} puts in flight, ${LARGE_READ_CHUNK / 1024} KiB reads, one fsync per file; ${threadPool()}`,
  };
}

/** Hashes every file under `dir` with coreutils, the way a user would. */
function sha256sum(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'find "$1" -type f -print0 | xargs -0 sha256sum > /dev/null', 'sh', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`sha256sum exited with ${code}`))));
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

/** Calls `work(i)` for i in [0, count) with at most `concurrency` calls running at once. */
async function forEachConcurrently(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function threadPool(): string {
  return `UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`;
}
