import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVersionStore } from '../adapters/db/kysely-version-store.ts';
import { migrateToLatest } from '../adapters/db/migrate.ts';
import { openDatabase } from '../adapters/db/open-database.ts';
import { parseBranchName, parseDatasetName, parseProjectName, type BlobHash, type SnapshotHash } from '../core/ids.ts';
import type { VersionStore } from '../core/ports.ts';
import { Versioning } from '../core/versioning/versioning.ts';
import { openTestDatabase } from '../tests/helpers/databases.ts';
import { medianMs, target, timeMs, type BenchResult } from './result.ts';

export type BenchDatabase = 'pglite' | 'postgres';

const project = parseProjectName('bench');
const main = parseBranchName('main');
const author = 'bench';
const ds = (name: string) => ({ project, dataset: parseDatasetName(name) });
const STAGE_BATCH = 50_000;

const blobOf = (i: number) => createHash('sha256').update(`blob ${i}`).digest('hex') as BlobHash;
const pathOf = (i: number) => `images/${String(Math.floor(i / 1000)).padStart(4, '0')}/${String(i).padStart(8, '0')}.jpg`;

/** Opens the database the way the server would: PGlite persisted on disk, or a fresh PostgreSQL database. */
async function openBenchStore(kind: BenchDatabase): Promise<{ store: VersionStore; close(): Promise<void> }> {
  if (kind === 'postgres') return openTestDatabase('postgres');
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-bench-db-'));
  const opened = await openDatabase({ dataDir: dir });
  await migrateToLatest(opened.db);
  return {
    store: createVersionStore(opened.db),
    async close() {
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Registers `count` blobs and stages one item per blob on `dataset`@main. */
async function stageItems(engine: Versioning, dataset: string, from: number, count: number, version = 0): Promise<void> {
  for (let start = from; start < from + count; start += STAGE_BATCH) {
    const end = Math.min(start + STAGE_BATCH, from + count);
    const hashes = Array.from({ length: end - start }, (_, k) => blobOf((start + k) * 7 + version));
    await engine.ctx.store.blobs.record(hashes.map((hash) => ({ hash, size: 4096 })));
    await engine.stage(
      ds(dataset),
      main,
      hashes.map((blob, k) => ({ path: pathOf(start + k), blob, meta: { i: start + k } })),
    );
  }
}

async function datasetOf(engine: Versioning, name: string, items: number): Promise<SnapshotHash> {
  await engine.createDataset(ds(name), author);
  await stageItems(engine, name, 0, items);
  return (await engine.commit(ds(name), main, { author, message: `${items} items` })).commit.snapshot;
}

/**
 * Commit, clone and diff at N items on one database: the scenarios of the core's cost model
 * (cost follows change, not size). Baselines are measured in the same run: a full rebuild for
 * the 1-item commit, a full scan of both snapshots for the diff.
 */
export async function benchVersioning(options: { large: boolean; database: BenchDatabase; log?: (line: string) => void }): Promise<BenchResult[]> {
  const log = options.log ?? (() => {});
  const n = options.large ? 1_000_000 : 10_000;
  const db = options.database;
  const label = (name: string) => `${name} [${db}]`;
  const results: BenchResult[] = [];
  const opened = await openBenchStore(db);
  try {
    const engine = new Versioning({ store: opened.store });
    await engine.createProject(project);
    await engine.createDataset(ds('big'), author);

    log(`staging ${n} items on ${db}…`);
    const stageMs = await timeMs(() => stageItems(engine, 'big', 0, n));
    results.push({ name: label(`stage ${n} items (blob catalog + staging)`), value: (n / stageMs) * 1000, unit: 'items/s' });

    log(`committing ${n} staged items…`);
    let snapshot!: SnapshotHash;
    const commitMs = await timeMs(async () => {
      snapshot = (await engine.commit(ds('big'), main, { author, message: 'all' })).commit.snapshot;
    });
    results.push({
      name: label(`commit ${n} staged items`),
      value: commitMs / 1000,
      unit: 's',
      target: options.large ? target('< 60 s at 1M', commitMs < 60_000) : undefined,
    });

    log('one-item commits…');
    let version = 1;
    const oneItemMs = await medianMs(5, async () => {
      await engine.stage(ds('big'), main, [{ path: pathOf(n >> 1), blob: blobOf(version++ * 7) }]);
      await engine.commit(ds('big'), main, { author, message: 'one item' });
    });
    results.push({
      name: label(`commit 1 changed item on ${n} items`),
      value: oneItemMs,
      unit: 'ms',
      baseline: { name: 'commit of the whole snapshot', value: commitMs },
      ratio: oneItemMs / commitMs,
      target: options.large ? target('< 100 ms at 1M', oneItemMs < 100) : undefined,
    });

    log('clones at several sizes…');
    const sizes = options.large ? [1_000, 100_000] : [1_000];
    let cloneIndex = 0;
    const clone = (at: string, from: string) => () =>
      engine.cloneDataset({ ref: ds(from), at }, ds(`clone-${cloneIndex++}`), author);
    for (const size of sizes) {
      const small = await datasetOf(engine, `size-${size}`, size);
      const ms = await medianMs(7, clone(small, `size-${size}`), true);
      results.push({ name: label(`clone a ${size}-item snapshot`), value: ms, unit: 'ms', target: target('< 10 ms', ms < 10) });
    }
    const cloneMs = await medianMs(7, clone('main', 'big'), true);
    results.push({ name: label(`clone a ${n}-item snapshot`), value: cloneMs, unit: 'ms', target: target('< 10 ms', cloneMs < 10) });

    for (const changes of [1, 1000]) {
      log(`diff with ${changes} changes…`);
      const before = (await engine.resolve(ds('big'), 'main')).snapshot;
      const step = Math.floor(n / changes);
      const hashes = Array.from({ length: changes }, (_, k) => blobOf(k * step * 7 + 3 + changes));
      await engine.ctx.store.blobs.record(hashes.map((hash) => ({ hash, size: 4096 })));
      await engine.stage(ds('big'), main, hashes.map((blob, k) => ({ path: pathOf(k * step), blob })));
      const after = (await engine.commit(ds('big'), main, { author, message: `${changes} changes` })).commit.snapshot;
      // Cold: a new engine has an empty node cache, so every node is read from the database.
      const coldMs = await medianMs(3, async () => {
        const cold = new Versioning({ store: opened.store });
        const diff = await cold.diff(before, after);
        if (diff.length !== changes) throw new Error(`diff found ${diff.length} changes, expected ${changes}`);
      });
      const warmMs = await medianMs(5, () => engine.diff(before, after), true);
      const scanMs = await timeMs(async () => {
        const cold = new Versioning({ store: opened.store });
        for (const snap of [before, after]) {
          let last: string | undefined;
          for (;;) {
            const page = await cold.listSnapshot(snap, { limit: 1000, after: last });
            if (page.length < 1000) break;
            last = page[page.length - 1]!.path;
          }
        }
      });
      const goal = changes === 1000 && options.large ? target('< 200 ms at 1M', coldMs < 200) : undefined;
      results.push({
        name: label(`diff ${changes} changes in ${n} items (cold cache)`),
        value: coldMs,
        unit: 'ms',
        baseline: { name: 'full scan of both snapshots', value: scanMs },
        ratio: coldMs / scanMs,
        target: goal,
      });
      results.push({ name: label(`diff ${changes} changes in ${n} items (warm cache)`), value: warmMs, unit: 'ms' });
    }
    void snapshot;
  } finally {
    await opened.close();
  }
  return results;
}
