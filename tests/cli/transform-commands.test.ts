import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../e2e/run-cli.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const IMAGES = new URL('../../../shared/data/images/raccoon_voc_subset/images/', import.meta.url).pathname;
const test = suite('sheaf transform');
let api: TestServer;
const sheaf = (...args: string[]) => runCli([...args, '--server', api.url], { SHEAF_TOKEN: api.adminToken });

test.before(async () => {
  api = await startTestServer();
  const changes = [];
  for (const file of ['raccoon-2.jpg', 'raccoon-3.jpg']) changes.push({ path: file, blob: await api.upload(await readFile(join(IMAGES, file))) });
  await api.gql(`mutation { createDataset(project: "default", name: "photos") { __typename } }`);
  await api.gql(`mutation($c: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "photos", branch: "main", changes: $c) { __typename } }`, { c: changes });
  await api.gql(`mutation { commit(project: "default", dataset: "photos", branch: "main", message: "photos") { __typename } }`);
});
test.after(async () => {
  await api?.close();
});

test('transform list names the built-in transforms with their versions', async () => {
  const run = await sheaf('transform', 'list');
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout.toString(), /^image\.resize@1\s+item/m);
});

test('transform run waits for the job and prints the output hash; the rerun is memoized', async () => {
  const first = await sheaf('transform', 'run', 'image.grayscale', '--input', 'photos@main', '--output', 'photos@gray', '--json');
  assert.is(first.code, 0, first.stderr);
  assert.match(first.json.outputSnapshot, /^[0-9a-f]{64}$/);
  assert.equal([first.json.computed, first.json.memoized], [2, false]);
  const again = await sheaf('transform', 'run', 'image.grayscale', '--input', 'photos@main', '--output', 'photos@gray', '--json');
  assert.equal([again.json.outputSnapshot, again.json.memoized], [first.json.outputSnapshot, true]);
  const text = await sheaf('transform', 'run', 'image.resize', '--input', 'photos@main', '--output', 'photos@small', '--param', 'width=16', '--param', 'height=16');
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout.toString(), /^output [0-9a-f]{64}$/m);
});

test('a bad parameter is a usage of the API: exit 1 with its code, no job', async () => {
  const run = await sheaf('transform', 'run', 'image.resize', '--input', 'photos@main', '--output', 'photos', '--param', 'width=-1', '--json');
  assert.is(run.code, 1);
  assert.is(run.json?.error?.code, 'INVALID_INPUT');
  const malformed = await sheaf('transform', 'run', 'image.resize', '--input', 'photos@main', '--output', 'photos', '--param', 'width');
  assert.is(malformed.code, 2);
});

test.run();
