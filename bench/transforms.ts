import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openImage } from '../adapters/image/open-image.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { target, timeMs, type BenchResult } from './result.ts';

const PHOTOS = new URL('../../shared/data/images/raccoon_voc_subset/images/', import.meta.url).pathname;
const MAX_PIXELS = 100_000_000;
const RESIZE = { width: 224, height: 224, mode: 'letterbox' } as const;

/**
 * Image resize over 2,000 photos as a transform job, against a plain sharp loop over the same
 * bytes in the same run (the same concurrency the transform uses); then the same transform
 * after 1% of the input changed, which should cost a small part of the first run.
 */
export async function benchTransforms(options: { large: boolean; workDir: string; log: (line: string) => void }): Promise<BenchResult[]> {
  const count = options.large ? 10_000 : 2_000;
  const work = join(options.workDir, `transforms-${process.pid}`);
  await mkdir(work, { recursive: true });
  options.log(`making ${count} photos from the raccoon set…`);
  const photos = await variantsOf(await sourcePhotos(), count);

  options.log('plain sharp loop…');
  const loopMs = await timeMs(() => forEachConcurrently(photos, 4, (bytes) => resized(bytes)));

  // One client sends thousands of requests here: the per-credential request budget is off.
  const server = await startServer(loadConfig({}, { port: 0, dataDir: join(work, 'server'), logLevel: 'silent', rateLimitPerMinute: 0 }));
  const token = server.bootstrapToken!;
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (!response.ok || body.errors) throw new Error(`${response.status} ${JSON.stringify(body)}`);
    return body.data;
  };
  const upload = async (bytes: Uint8Array) => {
    const response = await fetch(`${server.url}/v1/projects/default/blobs`, { method: 'PUT', body: Buffer.from(bytes), headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { hash: string }).hash;
  };
  const stage = async (changes: { path: string; blob: string }[]) => {
    for (let i = 0; i < changes.length; i += 1000)
      await gql(`mutation($c: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "photos", branch: "main", changes: $c) { __typename } }`, { c: changes.slice(i, i + 1000) });
    await gql(`mutation { commit(project: "default", dataset: "photos", branch: "main", message: "photos") { __typename } }`);
  };
  const run = async () => {
    const started = await gql(`mutation($p: JSON) { runTransform(project: "default", transform: "image.resize", params: $p, input: "photos@main", outputDataset: "photos", outputBranch: "small") { ... on Job { id } } }`, { p: RESIZE });
    for (;;) {
      const { job } = await gql(`query($id: String!) { job(project: "default", id: $id) { ... on Job { state result failure { message } } } }`, { id: started.runTransform.id });
      if (job.state === 'succeeded') return job.result as { computed: number };
      if (job.state === 'failed' || job.state === 'cancelled') throw new Error(`transform ${job.state}: ${job.failure?.message}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  try {
    await gql(`mutation { createDataset(project: "default", name: "photos") { __typename } }`);
    const changes = [];
    for (const [i, bytes] of photos.entries()) changes.push({ path: `p/${String(i).padStart(5, '0')}.jpg`, blob: await upload(bytes) });
    await stage(changes);

    options.log('transform job over every photo…');
    let first = { computed: 0 };
    const firstMs = await timeMs(async () => (first = await run()));
    options.log('1% of the photos changed, transform again…');
    const changed = [];
    for (let i = 0; i < count / 100; i++) {
      const index = i * 100;
      changed.push({ path: changes[index]!.path, blob: await upload(await openImage(photos[index]!, { maxPixels: MAX_PIXELS }).flop().jpeg({ quality: 85 }).toBuffer()) });
    }
    await stage(changed);
    let second = { computed: 0 };
    const secondMs = await timeMs(async () => (second = await run()));
    return [
      {
        name: `image.resize transform, ${count} photos`,
        value: (count / firstMs) * 1000,
        unit: 'images/s',
        baseline: { name: 'sharp loop', value: (count / loopMs) * 1000 },
        ratio: loopMs / firstMs,
        target: target('>= 0.9x the sharp loop', loopMs / firstMs >= 0.9),
        note: `computed ${first.computed}; the job also reads each photo from the blob store, stores and fsyncs each output, memoizes it and commits the output snapshot`,
      },
      {
        name: `image.resize after 1% changed`,
        value: secondMs / 1000,
        unit: 's',
        baseline: { name: 'first run (s)', value: firstMs / 1000 },
        ratio: secondMs / firstMs,
        target: target('<= 5% of the first run', secondMs / firstMs <= 0.05),
        note: `recomputed ${second.computed} of ${count}`,
      },
    ];
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

async function sourcePhotos(): Promise<Buffer[]> {
  const names = (await readdir(PHOTOS)).filter((n) => n.endsWith('.jpg')).sort();
  return Promise.all(names.map((n) => readFile(join(PHOTOS, n))));
}

/** `count` distinct JPEGs: each source photo cropped a little differently. */
async function variantsOf(sources: Buffer[], count: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  await forEachConcurrently(Array.from({ length: count }, (_, i) => i), 4, async (i) => {
    const source = sources[i % sources.length]!;
    const image = openImage(source, { maxPixels: MAX_PIXELS });
    const { width = 100, height = 100 } = await image.metadata();
    const trim = 1 + Math.floor(i / sources.length);
    out[i] = await openImage(source, { maxPixels: MAX_PIXELS })
      .extract({ left: trim % 40, top: trim % 30, width: width - 40, height: height - 30 })
      .jpeg({ quality: 85 })
      .toBuffer();
  });
  return out;
}

function resized(bytes: Buffer): Promise<Buffer> {
  return openImage(bytes, { maxPixels: MAX_PIXELS }).resize(RESIZE.width, RESIZE.height, { fit: 'contain', background: '#000000' }).jpeg({ quality: 90 }).toBuffer();
}

async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
