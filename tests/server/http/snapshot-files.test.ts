import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { commitItems, getSnapshot, memberToken, ok, type SeedItem } from './provision-fixture.ts';

const test = suite('snapshot files and manifests');
let api: TestServer;
let snapshot: string;
let items: SeedItem[];

test.before(async () => {
  api = await startTestServer();
  items = [
    { path: 'img/1.jpg', bytes: randomBytes(600_000), annotations: { label: 'cat' }, meta: { split: 'train' } },
    { path: 'img/2.jpg', bytes: randomBytes(1000), annotations: { label: 'dog' }, meta: { split: 'val' } },
    { path: 'notes/a b?#%.txt', bytes: Buffer.from('odd name\n') },
    { path: 'notes/empty', bytes: Buffer.alloc(0) },
  ];
  snapshot = await commitItems(api, { dataset: 'pets', items });
});

test.after(async () => {
  await api?.close();
});

const fileUrl = (path: string) => `files/${path.split('/').map(encodeURIComponent).join('/')}`;

async function readEdges(via?: string) {
  const data = await ok(api, `query($h: String!) { lineage(project: "default", hash: $h, direction: DOWNSTREAM, kinds: [READ], first: 500) { edges { node { details } } } }`, { h: snapshot });
  const all = data.lineage.edges.map((e: { node: { details: { via: string } } }) => e.node.details) as { via: string }[];
  return via === undefined ? all : all.filter((d) => d.via === via);
}

test('a file is read in place: whole, by range, with its blob as ETag and immutable caching', async () => {
  const [big] = items;
  const whole = await getSnapshot(api, snapshot, fileUrl(big!.path));
  assert.is(whole.status, 200);
  assert.ok(Buffer.from(await whole.arrayBuffer()).equals(big!.bytes));
  const blob = whole.headers.get('x-sheaf-blob')!;
  assert.is(whole.headers.get('etag'), `"${blob}"`);
  assert.match(whole.headers.get('cache-control')!, /immutable/);
  assert.is(whole.headers.get('content-type'), 'application/octet-stream');
  assert.is(whole.headers.get('content-length'), String(big!.bytes.byteLength));

  const part = await getSnapshot(api, snapshot, fileUrl(big!.path), { headers: { range: 'bytes=100-299' } });
  assert.is(part.status, 206);
  assert.is(part.headers.get('content-range'), `bytes 100-299/${big!.bytes.byteLength}`);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(big!.bytes.subarray(100, 300)));
  const tail = await getSnapshot(api, snapshot, fileUrl(big!.path), { headers: { range: 'bytes=-10' } });
  assert.ok(Buffer.from(await tail.arrayBuffer()).equals(big!.bytes.subarray(-10)));

  const beyond = await getSnapshot(api, snapshot, fileUrl(big!.path), { headers: { range: `bytes=${big!.bytes.byteLength}-` } });
  assert.is(beyond.status, 416);
  assert.is(beyond.headers.get('content-range'), `bytes */${big!.bytes.byteLength}`);
  const cached = await getSnapshot(api, snapshot, fileUrl(big!.path), { headers: { 'if-none-match': `"${blob}"` } });
  assert.is(cached.status, 304);
  const head = await getSnapshot(api, snapshot, fileUrl(big!.path), { method: 'HEAD' });
  assert.is(head.status, 200);
  assert.is(head.headers.get('content-length'), String(big!.bytes.byteLength));

  const odd = await getSnapshot(api, snapshot, fileUrl('notes/a b?#%.txt'));
  assert.is(await odd.text(), 'odd name\n');
  const empty = await getSnapshot(api, snapshot, fileUrl('notes/empty'));
  assert.is(empty.status, 200);
  assert.is((await empty.arrayBuffer()).byteLength, 0);
});

test('an unknown path is 404; a malformed one 400; another project\'s reader 403', async () => {
  const missing = await getSnapshot(api, snapshot, fileUrl('img/3.jpg'));
  assert.is(missing.status, 404);
  assert.is(((await missing.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  assert.is((await getSnapshot(api, snapshot, 'files/img/')).status, 400);
  assert.is((await getSnapshot(api, snapshot, 'files/img%2F..%2Fimg/1.jpg')).status, 400);
  // A directory is not an item.
  assert.is((await getSnapshot(api, snapshot, 'files/img')).status, 404);
  await ok(api, `mutation { createProject(name: "elsewhere") { __typename ... on Error { message } } }`);
  const outsider = await memberToken(api, 'olga', 'elsewhere', 'owner');
  assert.is((await getSnapshot(api, snapshot, fileUrl('img/2.jpg'), { token: outsider })).status, 403);
  assert.is((await getSnapshot(api, snapshot, fileUrl('img/2.jpg'), { token: outsider, project: 'elsewhere' })).status, 404);
});

test('file reads leave one lineage edge per reader and snapshot a minute', async () => {
  const reader = await memberToken(api, 'rita', 'default', 'viewer');
  const before = (await readEdges('file')).length;
  for (let i = 0; i < 5; i++) assert.is((await getSnapshot(api, snapshot, fileUrl('img/2.jpg'), { token: reader })).status, 200);
  assert.is((await getSnapshot(api, snapshot, fileUrl('img/1.jpg'), { token: reader, method: 'HEAD' })).status, 200);
  assert.is((await readEdges('file')).length, before + 1);
});

test('the manifest is JSON Lines of the selected items in path order', async () => {
  const response = await getSnapshot(api, snapshot, 'manifest');
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'application/jsonl');
  const lines = (await response.text()).split('\n');
  assert.is(lines.pop(), '');
  const parsed = lines.map((line) => JSON.parse(line) as { path: string; blob: string; size: number; meta: unknown; annotations: unknown });
  assert.equal(parsed.map((l) => l.path), items.map((i) => i.path));
  assert.equal(Object.keys(parsed[0]!), ['path', 'blob', 'size', 'meta', 'annotations']);
  assert.equal(parsed[0]!.annotations, { label: 'cat' });
  assert.equal(parsed.map((l) => l.size), items.map((i) => i.bytes.byteLength));
  const downloaded = await fetch(`${api.url}/v1/projects/default/blobs/${parsed[1]!.blob}`, { headers: api.headers() });
  assert.ok(Buffer.from(await downloaded.arrayBuffer()).equals(items[1]!.bytes));

  const dogs = await (await getSnapshot(api, snapshot, `manifest?filter=${encodeURIComponent('meta.split = val')}`)).text();
  assert.equal(dogs.trim().split('\n').map((l) => (JSON.parse(l) as { path: string }).path), ['img/2.jpg']);
  const notes = await (await getSnapshot(api, snapshot, 'manifest?prefix=notes/&shard=0/1')).text();
  assert.is(notes.trim().split('\n').length, 2);
  const exported = (await readEdges('export')).length;
  await (await getSnapshot(api, snapshot, 'manifest?via=export&prefix=img/')).text();
  assert.equal((await readEdges('export')).slice(exported), [{ via: 'export', prefix: 'img/' }]);
  assert.is((await getSnapshot(api, snapshot, 'manifest?via=tar')).status, 400);
  assert.is((await getSnapshot(api, snapshot, 'manifest?layout=webdataset')).status, 400);
});

test('a client records the export it assembled itself; only as an export, with a valid selection', async () => {
  const post = (body: unknown, hash = snapshot) =>
    fetch(`${api.url}/v1/projects/default/snapshots/${hash}/reads`, { method: 'POST', headers: { 'content-type': 'application/json', ...api.headers() }, body: JSON.stringify(body) });
  const before = (await readEdges('export')).length;
  const recorded = await post({ via: 'export', filter: 'label = cat' });
  assert.is(recorded.status, 201);
  assert.match(((await recorded.json()) as { id: string }).id, /^[0-9a-f-]{36}$/);
  assert.equal((await readEdges('export')).slice(before), [{ via: 'export', filter: 'label = cat' }]);
  assert.is((await post({ via: 'tar' })).status, 400);
  assert.is((await post({ via: 'export', filter: 'label =' })).status, 400);
  assert.is((await post({ via: 'export', extra: 1 })).status, 400);
  assert.is((await post({ via: 'export' }, 'e'.repeat(64))).status, 404);
});

test.run();
