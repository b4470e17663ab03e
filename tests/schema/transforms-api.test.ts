import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { imageMetadata } from '../../adapters/image/open-image.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const IMAGES = new URL('../../../shared/data/images/raccoon_voc_subset/images/', import.meta.url).pathname;
const test = suite('transforms through the API');
let api: TestServer;

test.before(async () => {
  api = await startTestServer();
});
test.after(async () => {
  await api?.close();
});

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await api.gql(query, variables);
  assert.not.ok(body.errors, JSON.stringify(body.errors));
  assert.not.match(JSON.stringify(body.data), /"__typename":"\w+Error"/, JSON.stringify(body.data));
  return body.data as T;
}

/** Runs a transform as a job and waits for it to end; returns the job. */
async function runTransform(transform: string, params: object, input = 'photos@main', outputDataset = 'thumbs'): Promise<any> {
  const started = await ok(
    `mutation($t: String!, $p: JSON, $i: String!, $o: String!) { runTransform(project: "default", transform: $t, params: $p, input: $i, outputDataset: $o) { __typename ... on Job { id } ... on Error { message } } }`,
    { t: transform, p: params, i: input, o: outputDataset },
  );
  for (;;) {
    const { job } = await ok(`query($id: String!) { job(project: "default", id: $id) { __typename ... on Job { state result failure { code message } progress { done total } } } }`, { id: started.runTransform.id });
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('transforms are listed with their versions', async () => {
  const { transforms } = await ok(`{ transforms { name version kind } }`);
  const names = transforms.map((t: { name: string }) => t.name);
  for (const name of ['image.resize', 'dataset.split', 'text.tokenize', 'audio.spectrogram', 'timeseries.standardize', 'video.frames']) assert.ok(names.includes(name), name);
});

test('image.resize on real photos: a job with progress, the output snapshot by hash, a memo hit on the rerun, lineage', async () => {
  const files = ['raccoon-1.jpg', 'raccoon-10.jpg', 'raccoon-11.jpg', 'raccoon-12.jpg'];
  const changes = [];
  for (const file of files) changes.push({ path: file, blob: await api.upload(await readFile(join(IMAGES, file))) });
  changes.push({ path: 'broken.jpg', blob: await api.upload('not a jpeg at all') });
  await ok(`mutation { createDataset(project: "default", name: "photos") { __typename } }`);
  await ok(`mutation { createDataset(project: "default", name: "thumbs") { __typename } }`);
  await ok(`mutation($c: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "photos", branch: "main", changes: $c) { __typename } }`, { c: changes });
  await ok(`mutation { commit(project: "default", dataset: "photos", branch: "main", message: "photos") { __typename } }`);

  const job = await runTransform('image.resize', { width: 64, height: 48, mode: 'letterbox' });
  assert.is(job.state, 'succeeded', JSON.stringify(job.failure));
  assert.equal([job.progress.done, job.progress.total], [5, 5]);
  assert.equal([job.result.computed, job.result.memoized], [5, false]);
  assert.equal(job.result.rejected.map((r: { path: string }) => r.path), ['broken.jpg']);

  const snapshot = await ok(`query($h: String!) { snapshot(project: "default", hash: $h) { ... on Snapshot { itemCount items { edges { node { path blob } } } } } }`, { h: job.result.outputSnapshot });
  assert.is(snapshot.snapshot.itemCount, 4);
  for (const { node } of snapshot.snapshot.items.edges) {
    const bytes = Buffer.from(await (await fetch(`${api.url}/v1/projects/default/blobs/${node.blob}`, { headers: api.headers() })).arrayBuffer());
    const meta = await imageMetadata(bytes, { maxPixels: 1e6 });
    assert.equal([meta.width, meta.height], [64, 48], node.path);
  }
  const head = await ok(`{ dataset(project: "default", name: "thumbs") { ... on Dataset { branch(name: "main") { head { id snapshot { hash } } } } } }`);
  assert.is(head.dataset.branch.head.snapshot.hash, job.result.outputSnapshot);

  const again = await runTransform('image.resize', { width: 64, height: 48, mode: 'letterbox' });
  assert.equal([again.result.memoized, again.result.outputSnapshot], [true, job.result.outputSnapshot]);
  const other = await runTransform('image.resize', { width: 32, height: 32 });
  assert.is.not(other.result.outputSnapshot, job.result.outputSnapshot);

  const lineage = await ok(`query($h: String!) { lineage(project: "default", hash: $h, direction: DOWNSTREAM, kinds: [DERIVED_FROM]) { edges { node { source target details } } } }`, { h: job.result.inputSnapshot });
  const targets = lineage.lineage.edges.map((e: any) => e.node.target);
  assert.ok(targets.includes(job.result.outputSnapshot) && targets.includes(other.result.outputSnapshot));
});

test('bad parameters are refused when the job is enqueued', async () => {
  const body = await api.gql(`mutation { runTransform(project: "default", transform: "image.resize", params: { width: -3 }, input: "photos@main", outputDataset: "thumbs") { __typename ... on Error { code message } } }`);
  assert.is(body.data?.runTransform?.__typename, 'InvalidInputError', JSON.stringify(body));
  const unknown = await api.gql(`mutation { runTransform(project: "default", transform: "no.such", input: "photos@main", outputDataset: "thumbs") { __typename ... on Error { code } } }`);
  assert.is(unknown.data?.runTransform?.__typename, 'InvalidInputError');
});

test.run();
