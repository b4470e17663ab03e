import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { blankImage } from '../adapters/image/open-image.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { ensureUiBuilt, launchBrowser } from '../tests/helpers/browser.ts';
import { target, type BenchResult } from './result.ts';

const LABELER = 'bench-labeler';
const PASSWORD = 'bench labeler password';
/** Distinct images: the measured items never share a blob, so no swap is helped by a cached preview. */
const DISTINCT_IMAGES = 120;
const MEASURED = 50;
const SCHEMA = {
  media: 'image',
  classes: [
    { name: 'ok', color: '#16a34a', hotkey: '1' },
    { name: 'scratch', color: '#f59e0b', hotkey: '2' },
    { name: 'dent', color: '#dc2626', hotkey: '3' },
  ],
  tools: ['box', 'polygon', 'class'],
};

/**
 * The labeling UI in a real browser over a labeling project of 100,000 items (tiny generated
 * images, built through the services):
 * - next item: from pressing Enter (submit) to the next item painted, p50 and p95 over 50
 *   items, read in the page from the `sheaf:next-item` measure the UI records; the labeler
 *   works at a human pace, so before each Enter the queue has its three items loaded ahead;
 * - project open: the server time of the first `labelingProject` and `nextTasks` requests
 *   (request sent → first byte, as the browser timed them);
 * - baseline, same run and page: a plain `fetch('/healthz')` round trip.
 */
export async function benchLabelingUi(options: { large: boolean; workDir: string; log: (line: string) => void }): Promise<BenchResult[]> {
  const items = 100_000;
  const work = join(options.workDir, `labeling-ui-${process.pid}`);
  await mkdir(work, { recursive: true });
  options.log('building the UI…');
  await ensureUiBuilt();
  // One page sends many requests here: the per-credential request budget is off.
  const server = await startServer(loadConfig({}, { port: 0, dataDir: join(work, 'server'), logLevel: 'silent', rateLimitPerMinute: 0 }));
  const token = server.bootstrapToken!;
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown };
    const failed = body.data && Object.values(body.data).find((v) => typeof v?.__typename === 'string' && v.__typename.endsWith('Error'));
    if (!response.ok || body.errors || failed) throw new Error(`${response.status} ${JSON.stringify(body)}`);
    return body.data;
  };
  const browser = await launchBrowser();
  try {
    options.log(`making ${DISTINCT_IMAGES} images and ${items} items…`);
    const blobs: string[] = [];
    for (let i = 0; i < DISTINCT_IMAGES; i++) {
      const bytes = await blankImage({ width: 320, height: 240, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 } })
        .jpeg()
        .toBuffer();
      const response = await fetch(`${server.url}/v1/projects/default/blobs`, { method: 'PUT', body: bytes, headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
      blobs.push(((await response.json()) as { hash: string }).hash);
    }
    const admin = (await server.services.identity.authenticate({ bearer: token }))!.actor;
    const at = { project: 'default', dataset: 'parts' };
    await server.services.datasets.createDataset(admin, at);
    for (let from = 0; from < items; from += 5_000) {
      const changes = Array.from({ length: Math.min(5_000, items - from) }, (_, k) => {
        const i = from + k;
        return { path: `parts/${String(i).padStart(6, '0')}.jpg`, blob: blobs[i % DISTINCT_IMAGES]!, meta: { width: 320, height: 240 } };
      });
      await server.services.datasets.stage(admin, at, 'main', changes);
    }
    await server.services.datasets.commit(admin, at, 'main', { message: `${items} parts` });
    await gql(`mutation { createBranch(project: "default", dataset: "parts", name: "to-label") { __typename } }`);
    await gql(`mutation($p: String!) { createUser(name: "${LABELER}", password: $p) { __typename } }`, { p: PASSWORD });
    await gql(`mutation { setMember(project: "default", user: "${LABELER}", role: "labeler", branches: ["parts@to-label"]) { __typename } }`);
    await gql(`mutation($s: JSON!) { createLabelingProject(project: "default", name: "parts", dataset: "parts", branch: "to-label", schema: $s) { id } }`, { s: SCHEMA });
    await gql(`mutation { setLabelingMember(project: "default", labelingProject: "parts", user: "${LABELER}", role: "labeler") { user } }`);

    options.log('labeling in the browser…');
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(`${server.url}/#/login`);
    await page.getByTestId('login-name').fill(LABELER);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('signed-in-user').waitFor();
    // The server's part of opening the project: request sent → first byte of the answer, for the
    // first labelingProject and nextTasks requests, as the browser timed them.
    const open = new Map<string, number>();
    page.on('requestfinished', (request) => {
      const operation = /^\s*(?:query|mutation)\s+(LabelingProject|NextTasks)\b/.exec((request.postDataJSON() as { query?: string } | null)?.query ?? '')?.[1];
      const timing = request.timing();
      if (operation && !open.has(operation)) open.set(operation, timing.responseStart - timing.requestStart);
    });
    await page.goto(`${server.url}/#/label/default/parts`);
    await page.getByTestId('canvas-image').waitFor();

    for (let i = 0; i < MEASURED; i++) {
      await page.locator('[data-testid="labeling-workspace"][data-ready="3"]').waitFor();
      const before = (await page.getByTestId('item-path').textContent())!;
      await page.keyboard.press('Enter');
      await page.getByTestId('item-path').filter({ hasNotText: before }).waitFor();
    }
    await page.waitForFunction((n) => performance.getEntriesByName('sheaf:next-item').length >= n, MEASURED);
    const swaps = await page.evaluate(() => performance.getEntriesByName('sheaf:next-item').map((e) => e.duration));
    const health = await page.evaluate(async (n) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        await (await fetch('/healthz', { cache: 'no-store' })).text();
        times.push(performance.now() - start);
      }
      return times;
    }, MEASURED);

    const p = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
    const healthP50 = p(health, 0.5);
    const baseline = { name: 'fetch /healthz p50', value: healthP50 };
    if (open.size !== 2) throw new Error(`opening the project made no ${open.has('NextTasks') ? 'labelingProject' : 'nextTasks'} request`);
    const openMs = [...open.values()].reduce((a, b) => a + b, 0);
    return [
      { name: `labeling UI: submit → next item p50 (${items} items)`, value: p(swaps, 0.5), unit: 'ms', baseline, ratio: p(swaps, 0.5) / healthP50, target: target('< 50 ms', p(swaps, 0.5) < 50) },
      { name: `labeling UI: submit → next item p95 (${items} items)`, value: p(swaps, 0.95), unit: 'ms', baseline, ratio: p(swaps, 0.95) / healthP50, target: target('< 50 ms', p(swaps, 0.95) < 50) },
      {
        name: `labeling UI: project open, server time (${items} items)`,
        value: openMs,
        unit: 'ms',
        baseline,
        ratio: openMs / healthP50,
        note: `request sent → first byte: ${[...open].map(([op, ms]) => `${op} ${ms.toFixed(1)} ms`).join(', ')}`,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}
