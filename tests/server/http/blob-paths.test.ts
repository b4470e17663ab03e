import { readFile, stat } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestServer, type As, type TestServer } from '../../helpers/test-server.ts';
import { commitItems, getSnapshot, memberToken, ok } from './provision-fixture.ts';

const test = suite('blob paths');
let exposed: TestServer;
let hidden: TestServer;

test.before(async () => {
  [exposed, hidden] = await Promise.all([startTestServer({ exposeBlobPaths: true }), startTestServer()]);
});

test.after(async () => {
  await Promise.all([exposed?.close(), hidden?.close()]);
});

function askPaths(api: TestServer, hashes: unknown, as: As & { project?: string } = {}): Promise<Response> {
  return fetch(`${api.url}/v1/projects/${as.project ?? 'default'}/blobs/paths`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...api.headers(as) },
    body: JSON.stringify({ hashes }),
  });
}

test('off by default: 404 with a reason, after authentication', async () => {
  const hash = await hidden.upload('anything');
  const response = await askPaths(hidden, [hash]);
  assert.is(response.status, 404);
  assert.match(((await response.json()) as { error: { message: string } }).error.message, /SHEAF_EXPOSE_BLOB_PATHS/);
  assert.is((await askPaths(hidden, [hash], { token: null })).status, 401);
});

test('when exposed: the read-only file of each blob the project holds, null for others', async () => {
  const bytes = Buffer.from('stored once, linked many times');
  const hash = await exposed.upload(bytes);
  await ok(exposed, `mutation { createProject(name: "other") { __typename ... on Error { message } } }`);
  const theirs = await exposed.upload('only in other', { project: 'other' });
  const response = await askPaths(exposed, [hash, theirs, 'a'.repeat(64)]);
  assert.is(response.status, 200);
  const { paths } = (await response.json()) as { paths: (string | null)[] };
  assert.is(paths.length, 3);
  assert.ok((await readFile(paths[0]!)).equals(bytes));
  assert.is((await stat(paths[0]!)).mode & 0o777, 0o444);
  assert.equal(paths.slice(1), [null, null]);

  const viewer = await memberToken(exposed, 'vic', 'default', 'viewer');
  assert.is((await askPaths(exposed, [hash], { token: viewer })).status, 200);
  const outsider = await memberToken(exposed, 'oz', 'other', 'owner');
  assert.is((await askPaths(exposed, [hash], { token: outsider })).status, 403);
  assert.is((await askPaths(exposed, ['nope'])).status, 400);
  assert.is((await askPaths(exposed, 'nope')).status, 400);
  assert.is((await askPaths(exposed, Array.from({ length: 10_001 }, () => hash))).status, 400);
});

test('a manifest asked with paths=1 carries each item\'s blob file when exposed, and nothing more otherwise', async () => {
  for (const api of [exposed, hidden]) {
    const snapshot = await commitItems(api, { dataset: 'listed', items: [{ path: 'a.txt', bytes: Buffer.from('linked by the manifest') }] });
    const response = await getSnapshot(api, snapshot, 'manifest?paths=1');
    assert.is(response.status, 200);
    const [line] = (await response.text()).trim().split('\n').map((l) => JSON.parse(l) as { blob: string; file?: string });
    if (api === exposed) {
      assert.is(response.headers.get('x-sheaf-blob-paths'), '1');
      assert.is(await readFile(line!.file!, 'utf8'), 'linked by the manifest');
    } else {
      assert.is(response.headers.get('x-sheaf-blob-paths'), null);
      assert.is(line!.file, undefined);
    }
    assert.is((await getSnapshot(api, snapshot, 'manifest?paths=yes')).status, 400);
  }
});

test.run();
