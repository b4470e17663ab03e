import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from '../../../server/http/metrics.ts';
import { eventually, startBlobServer, type BlobServer } from './http-fixture.ts';

const test = suite('metrics');
let server: BlobServer;

test.before(async () => {
  server = await startBlobServer();
});
test.after(async () => {
  await server?.close();
});

/** The value of the sample `name{labels}` (labels as printed), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(): Promise<string> {
  const res = await fetch(`${server.url}/metrics`);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  return res.text();
}

test('request durations are labelled by route pattern, method and status', async () => {
  const bytes = randomBytes(4096);
  const put = await fetch(`${server.url}/v1/projects/files/blobs`, { method: 'PUT', body: bytes });
  const { hash } = (await put.json()) as { hash: string };
  const got = await fetch(`${server.url}/v1/projects/files/blobs/${hash}`);
  await got.arrayBuffer();
  const missing = await fetch(`${server.url}/v1/projects/files/blobs/${'ab'.repeat(32)}`, { method: 'HEAD' });
  assert.is(missing.status, 404);
  await (await fetch(`${server.url}/no/such/path/${hash}`)).text();

  const text = await eventually(async () => {
    const scraped = await scrape();
    return sample(scraped, 'http_request_duration_seconds_count', { route: 'unmatched' }) ? scraped : undefined;
  }, 'the last request in the histogram');
  assert.match(text, /# TYPE http_request_duration_seconds histogram/);
  assert.is(sample(text, 'http_request_duration_seconds_count', { method: 'PUT', route: '/v1/projects/:project/blobs', status: '201' }), 1);
  assert.is(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/v1/projects/:project/blobs/:hash', status: '200' }), 1);
  assert.is(sample(text, 'http_request_duration_seconds_count', { method: 'HEAD', route: '/v1/projects/:project/blobs/:hash', status: '404' }), 1);
  assert.is(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' }), 1);
  assert.ok(
    (sample(text, 'http_request_duration_seconds_bucket', { method: 'GET', route: '/v1/projects/:project/blobs/:hash', status: '200', le: '+Inf' }) ?? 0) >= 1,
  );
  assert.not.ok(text.includes(hash), 'no raw path, hence no hash, in any label');
});

test('blob bytes moved are counted', async () => {
  const before = await scrape();
  const uploadedBefore = sample(before, 'sheaf_blob_bytes_uploaded_total') ?? 0;
  const downloadedBefore = sample(before, 'sheaf_blob_bytes_downloaded_total') ?? 0;

  const bytes = randomBytes(10_000);
  const put = await fetch(`${server.url}/v1/projects/files/blobs`, { method: 'PUT', body: bytes });
  const { hash } = (await put.json()) as { hash: string };
  await (await fetch(`${server.url}/v1/projects/files/blobs/${hash}`)).arrayBuffer();
  await (await fetch(`${server.url}/v1/projects/files/blobs/${hash}`, { headers: { range: 'bytes=0-99' } })).arrayBuffer();

  const after = await scrape();
  assert.is(sample(after, 'sheaf_blob_bytes_uploaded_total'), uploadedBefore + 10_000);
  // Counted as chunks are handed to the response, so complete once the client has the bytes.
  assert.is(sample(after, 'sheaf_blob_bytes_downloaded_total'), downloadedBefore + 10_100);
});

test('default process metrics are there, and each createMetrics has its own registry', async () => {
  const text = await scrape();
  assert.match(text, /^process_cpu_user_seconds_total /m);
  assert.match(text, /^nodejs_heap_size_used_bytes /m);
  const other = createMetrics();
  assert.is.not(other.registry, server.metrics.registry);
  assert.is(sample(await other.registry.metrics(), 'sheaf_blob_bytes_uploaded_total'), 0);
});

test.run();
