import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Annotation } from '../core/labels/annotation.ts';
import { createScratchDatabase } from '../tests/helpers/databases.ts';
import { startServerProcess } from '../tests/helpers/server-process.ts';
import type { BenchDatabase } from './versioning.ts';
import { target, timeMs, type BenchResult } from './result.ts';

const BOXES_PER_ITEM = 5;
const CLASSES = ['car', 'person', 'bicycle', 'dog', 'cat', 'truck', 'bus', 'sign'];
const MAX_SECONDS = 10;
const MAX_RSS_MB = 512;
// Items per stageItems request: well under the request size limit with five boxes each.
const STAGE_BATCH = 1000;

/**
 * Export of a snapshot of 100,000 box annotations (20,000 items × 5 boxes; 100,000 items ×
 * 5 with --large) as COCO without media, through the HTTP route the CLI uses, from `sheaf
 * serve` running as a child process: time, and that process's resident-memory high-water mark
 * during the export (Linux VmHWM, reset just before). Baseline in the same run: JSON.stringify
 * of the very same annotation list, written to a file — what exporting costs with the whole
 * list in memory and no format at all.
 */
export async function benchLabelExport(options: { large: boolean; database: BenchDatabase; workDir: string; log: (line: string) => void }): Promise<BenchResult[]> {
  const count = options.large ? 100_000 : 20_000;
  const annotations = count * BOXES_PER_ITEM;
  const work = join(options.workDir, `label-export-${process.pid}`);
  await mkdir(work, { recursive: true });
  // The server runs as its own process, as in production, so its memory is measured alone.
  const scratch = options.database === 'postgres' ? await createScratchDatabase() : undefined;
  const env = { SHEAF_RATE_LIMIT_PER_MINUTE: '0', ...(scratch ? { DATABASE_URL: scratch.url } : {}) };
  let server = await startServerProcess(join(work, 'server'), env);
  const token = server.bootstrapToken!;
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (!response.ok || body.errors || /Error"/.test(JSON.stringify(body.data))) throw new Error(`${response.status} ${JSON.stringify(body)}`);
    return body.data;
  };
  try {
    options.log(`committing ${count} items with ${annotations} boxes…`);
    await gql(`mutation { createDataset(project: "default", name: "boxes") { __typename } }`);
    const put = await fetch(`${server.url}/v1/projects/default/blobs`, { method: 'PUT', body: 'media is not exported here', headers: { authorization: `Bearer ${token}` } });
    const blob = ((await put.json()) as { hash: string }).hash;
    for (let start = 0; start < count; start += STAGE_BATCH) {
      const changes = [];
      for (let i = start; i < Math.min(count, start + STAGE_BATCH); i++)
        changes.push({ path: `images/${String(i).padStart(6, '0')}.jpg`, blob, meta: { width: 1280, height: 720 }, annotations: boxesOf(i) });
      await gql(`mutation($c: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "boxes", branch: "main", changes: $c) { __typename } }`, { c: changes });
    }
    const committed = await gql(`mutation { commit(project: "default", dataset: "boxes", branch: "main", message: "boxes") { ... on CommitResult { commit { snapshot { hash } } } } }`);
    const snapshot = committed.commit.commit.snapshot.hash as string;

    // A fresh process serves the export: the building above leaves its own heap behind.
    await server.stop();
    server = await startServerProcess(join(work, 'server'), env);
    const pid = server.child.pid!;
    options.log('exporting as COCO…');
    const rssBeforeMb = memoryOf(pid).rss / 2 ** 20;
    resetPeak(pid);
    const out = join(work, 'export.tar');
    const exportMs = await timeMs(async () => {
      const response = await fetch(`${server.url}/v1/projects/default/snapshots/${snapshot}/export?format=coco&media=0`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok || !response.body) throw new Error(`export: ${response.status} ${await response.text()}`);
      const file = createWriteStream(out);
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) if (!file.write(chunk)) await once(file, 'drain');
      file.end();
      await once(file, 'finish');
    });
    const peakMb = memoryOf(pid).peak / 2 ** 20;
    const tarBytes = (await stat(out)).size;

    options.log('baseline: JSON.stringify of the same annotations…');
    const all: unknown[] = [];
    for (let i = 0; i < count; i++) all.push(...boxesOf(i));
    const baselineMs = await timeMs(() => writeFile(join(work, 'baseline.json'), JSON.stringify(all)));

    return [
      {
        name: `label export, COCO, ${annotations} boxes (${count} items), media=0, ${options.database}`,
        value: exportMs / 1000,
        unit: 's',
        baseline: { name: 'JSON.stringify + write', value: baselineMs / 1000 },
        ratio: exportMs / baselineMs,
        target: target(`< ${MAX_SECONDS} s`, exportMs < MAX_SECONDS * 1000),
        note: `${(tarBytes / 2 ** 20).toFixed(1)} MiB tar`,
      },
      {
        name: `label export, COCO, ${annotations} boxes: server peak RSS, ${options.database}`,
        value: peakMb,
        unit: 'MB',
        baseline: { name: 'idle server RSS', value: rssBeforeMb },
        ratio: peakMb / rssBeforeMb,
        target: target(`< ${MAX_RSS_MB} MB`, peakMb < MAX_RSS_MB),
        note: `a freshly started sheaf serve process${scratch ? '' : ' (embedded PGlite included)'}: VmHWM, reset just before the export`,
      },
    ];
  } finally {
    await server.stop();
    await scratch?.drop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Resident memory of a process now and at its high-water mark, in bytes (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Resets a process's VmHWM to its current RSS (Linux: `5` into clear_refs), so the peak is the export's. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Five boxes of item `i`, as an import would have made them (deterministic, no time). */
function boxesOf(i: number): Annotation[] {
  const boxes: Annotation[] = [];
  for (let j = 0; j < BOXES_PER_ITEM; j++)
    boxes.push({
      id: `a${j + 1}`,
      kind: 'box',
      label: CLASSES[(i + j) % CLASSES.length]!,
      box: [(i * 7 + j * 97) % 1000, (i * 13 + j * 53) % 600, 20 + ((i + j) % 200), 10 + ((i * j) % 100)],
      source: { type: 'import', format: 'coco' },
    });
  return boxes;
}

