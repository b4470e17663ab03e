import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleMemberOf } from '../../../core/provision/sample-key.ts';
import { shardOf } from '../../../core/provision/shard.ts';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { commitItems, getSnapshot, memberToken, ok, run, type SeedItem } from './provision-fixture.ts';
import { entriesOf } from './tar-client.ts';

const test = suite('snapshot tar streams');
let api: TestServer;
let work: string;
let snapshot: string;
let items: SeedItem[];

const LONG = `deep/${'d'.repeat(60)}/${'e'.repeat(60)}/file-with-a-long-name.bin`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test.before(async () => {
  api = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'sheaf-tar-'));
  items = [
    { path: 'a/0001.jpg', bytes: randomBytes(3000), annotations: { label: 'cat', author: 'ana' }, meta: { split: 'train' } },
    { path: 'a/0001.txt', bytes: Buffer.from('a cat on a mat\n') },
    { path: 'a/0002.jpg', bytes: randomBytes(700_000), annotations: 'dog', meta: { split: 'val' } },
    { path: 'a/0003.jpg', bytes: randomBytes(10), annotations: [{ label: 'cat', box: [1, 2, 3, 4] }, { label: 'dog', box: [5, 6, 7, 8] }] },
    { path: 'a/0003.seg.png', bytes: randomBytes(20) },
    { path: 'b/empty.txt', bytes: Buffer.alloc(0) },
    { path: 'b/ünïcødé name.txt', bytes: Buffer.from('unicode\n') },
    { path: LONG, bytes: randomBytes(50) },
    // A copy: two paths may share a blob.
    { path: 'c/copy.jpg', bytes: Buffer.from('') },
  ];
  items[items.length - 1] = { path: 'c/copy.jpg', bytes: items[0]!.bytes };
  snapshot = await commitItems(api, { dataset: 'images', items });
});

test.after(async () => {
  await api?.close();
  await rm(work, { recursive: true, force: true });
});

async function tarOf(query = '', init: Parameters<typeof getSnapshot>[3] = {}): Promise<Buffer> {
  const response = await getSnapshot(api, snapshot, `tar${query}`, init);
  assert.is(response.status, 200, await response.clone().text());
  assert.is(response.headers.get('content-type'), 'application/x-tar');
  return Buffer.from(await response.arrayBuffer());
}

async function systemTarList(tar: Buffer, verbose = false): Promise<string[]> {
  const file = join(work, `${sha256(tar)}.tar`);
  await writeFile(file, tar);
  const { stdout } = await run('tar', [verbose ? '-tvf' : '-tf', file], { env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' } });
  return stdout.split('\n').filter(Boolean);
}

test('the plain tar holds every item at its path; the system tar lists and extracts it, byte for byte', async () => {
  const tar = await tarOf();
  const sorted = [...items].sort((a, b) => (Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))));
  assert.equal(await systemTarList(tar), sorted.map((i) => i.path));
  for (const line of await systemTarList(tar, true)) assert.match(line, /^-r--r--r-- 0\/0 +\d+ 1970-01-01 00:00 /, line);

  const out = join(work, 'extracted');
  await run('mkdir', ['-p', out]);
  await run('tar', ['-xf', join(work, `${sha256(tar)}.tar`), '-C', out]);
  for (const item of items) assert.ok((await readFile(join(out, item.path))).equals(item.bytes), item.path);
});

test('the same hash and options give the same bytes', async () => {
  assert.is(sha256(await tarOf()), sha256(await tarOf()));
  assert.is(sha256(await tarOf('?layout=webdataset&shard=1/2')), sha256(await tarOf('?layout=webdataset&shard=1/2')));
});

test('prefix and filter select items', async () => {
  assert.equal((await entriesOf(await tarOf('?prefix=b/'))).map((e) => e.name), ['b/empty.txt', 'b/ünïcødé name.txt']);
  const cats = await entriesOf(await tarOf(`?filter=${encodeURIComponent('label = cat')}`));
  assert.equal(cats.map((e) => e.name), ['a/0001.jpg', 'a/0003.jpg']);
  const train = await entriesOf(await tarOf(`?filter=${encodeURIComponent('meta.split in (train, test) or size > 500000')}`));
  assert.equal(train.map((e) => e.name), ['a/0001.jpg', 'a/0002.jpg']);
});

test('shards partition the snapshot: disjoint, together everything, by the documented hash', async () => {
  const all = (await entriesOf(await tarOf())).map((e) => e.name);
  for (const count of [1, 2, 3, 7]) {
    const seen: string[] = [];
    for (let index = 0; index < count; index++) {
      const names = (await entriesOf(await tarOf(`?shard=${index}/${count}`))).map((e) => e.name);
      for (const name of names) assert.is(shardOf(name, count), index, name);
      seen.push(...names);
    }
    assert.equal([...seen].sort(), [...all].sort(), `${count} shards`);
    assert.is(new Set(seen).size, seen.length, `${count} shards overlap`);
  }
});

test('WebDataset: samples are consecutive, with a .json of their labels and a .cls of a single class', async () => {
  const tar = await tarOf('?layout=webdataset');
  const names = await systemTarList(tar);
  assert.equal(names, [
    'a/0001.jpg',
    'a/0001.txt',
    'a/0001.json',
    'a/0001.cls',
    'a/0002.jpg',
    'a/0002.json',
    'a/0002.cls',
    'a/0003.jpg',
    'a/0003.seg.png',
    'a/0003.json',
    'b/empty.txt',
    'b/ünïcødé name.txt',
    'c/copy.jpg',
    LONG,
  ]);
  const entries = new Map((await entriesOf(tar)).map((e) => [e.name, e.bytes]));
  assert.equal(JSON.parse(entries.get('a/0001.json')!.toString()), { annotations: { author: 'ana', label: 'cat' }, meta: { split: 'train' } });
  assert.is(entries.get('a/0001.cls')!.toString(), 'cat');
  assert.is(entries.get('a/0002.cls')!.toString(), 'dog');
  // Two boxes are a detection, not a class.
  assert.not.ok(entries.has('a/0003.cls'));
  assert.ok(entries.get('a/0002.jpg')!.equals(items[2]!.bytes));

  const numbered = new Map((await entriesOf(await tarOf('?layout=webdataset&classes=dog,cat'))).map((e) => [e.name, e.bytes.toString()]));
  assert.is(numbered.get('a/0001.cls'), '1');
  assert.is(numbered.get('a/0002.cls'), '0');
  // A filter keeps whole samples: the caption comes with the cat.
  const cats = (await entriesOf(await tarOf(`?layout=webdataset&filter=${encodeURIComponent('label=cat')}`))).map((e) => e.name);
  assert.equal(cats, ['a/0001.jpg', 'a/0001.txt', 'a/0001.json', 'a/0001.cls', 'a/0003.jpg', 'a/0003.seg.png', 'a/0003.json']);
  // Shards go by sample key, so a sample never straddles two shards.
  const shard = (await entriesOf(await tarOf('?layout=webdataset&shard=0/2'))).map((e) => e.name);
  for (const name of shard) assert.is(shardOf(sampleMemberOf(name).key, 2), 0, name);
});

test('WebDataset samples whose members are not adjacent in path order are still written together', async () => {
  const hash = await commitItems(api, {
    dataset: 'nested',
    items: [
      { path: 'x/1', bytes: Buffer.from('no extension') },
      { path: 'x/1-b.jpg', bytes: Buffer.from('sibling') },
      { path: 'x/1.a', bytes: Buffer.from('a') },
      { path: 'x/1.d/2.jpg', bytes: Buffer.from('inside a dotted directory') },
      { path: 'x/1.z', bytes: Buffer.from('z') },
    ],
  });
  const response = await getSnapshot(api, hash, 'tar?layout=webdataset');
  const names = await systemTarList(Buffer.from(await response.arrayBuffer()));
  assert.equal(names, ['x/1-b.jpg', 'x/1.d/2.jpg', 'x/1', 'x/1.a', 'x/1.z']);
});

test('bad requests are refused before any byte of tar: bad filter, shard, layout, parameter, hash', async () => {
  const cases: [string, number, string][] = [
    [`tar?filter=${encodeURIComponent('label = ')}`, 400, 'INVALID_INPUT'],
    [`tar?filter=${encodeURIComponent('color = red')}`, 400, 'INVALID_INPUT'],
    ['tar?shard=2/2', 400, 'INVALID_INPUT'],
    ['tar?layout=zip', 400, 'INVALID_INPUT'],
    ['tar?filtr=label%3Dcat', 400, 'INVALID_INPUT'],
    ['tar?classes=cat', 400, 'INVALID_INPUT'],
    ['tar?prefix=a&prefix=b', 400, 'INVALID_INPUT'],
  ];
  for (const [route, status, code] of cases) {
    const response = await getSnapshot(api, snapshot, route);
    assert.is(response.status, status, route);
    assert.is(((await response.json()) as { error: { code: string } }).error.code, code, route);
  }
  const badHash = await fetch(`${api.url}/v1/projects/default/snapshots/abc/tar`, { headers: api.headers() });
  assert.is(badHash.status, 400);
  assert.is(((await badHash.json()) as { error: { code: string } }).error.code, 'INVALID_HASH');
  assert.is((await getSnapshot(api, 'f'.repeat(64), 'tar')).status, 404);
});

test('a viewer may tar; a member of another project is refused; another project\'s snapshot is not found', async () => {
  const viewer = await memberToken(api, 'vera', 'default', 'viewer');
  assert.is(sha256(await tarOf('', { token: viewer })), sha256(await tarOf()));

  await ok(api, `mutation { createProject(name: "other") { __typename ... on Error { message } } }`);
  const outsider = await memberToken(api, 'otto', 'other', 'owner');
  const refused = await getSnapshot(api, snapshot, 'tar', { token: outsider });
  assert.is(refused.status, 403);
  const otherSnapshot = await commitItems(api, { project: 'other', dataset: 'theirs', items: [{ path: 'secret.txt', bytes: Buffer.from('secret') }], as: { token: outsider } });
  assert.is((await getSnapshot(api, otherSnapshot, 'tar', { token: outsider, project: 'other' })).status, 200);
  const crossed = await getSnapshot(api, otherSnapshot, 'tar');
  assert.is(crossed.status, 404);
  assert.is(((await crossed.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  assert.is((await getSnapshot(api, snapshot, 'tar', { token: null })).status, 401);
  const labeler = await memberToken(api, 'lena', 'default', 'labeler');
  assert.is((await getSnapshot(api, snapshot, 'tar', { token: labeler })).status, 403);
});

test('each tar read is a lineage read edge with its layout and selection, listed downstream of the snapshot', async () => {
  const before = await readEdges(snapshot);
  await tarOf(`?layout=webdataset&shard=1/4&filter=${encodeURIComponent('label=cat')}`);
  const after = await readEdges(snapshot);
  assert.is(after.length, before.length + 1);
  const edge = after[after.length - 1]!;
  assert.equal(edge, {
    kind: 'READ',
    source: snapshot,
    target: null,
    actor: 'admin',
    details: { via: 'webdataset', shard: '1/4', filter: 'label=cat' },
  });
  // A refused or bad request records nothing.
  await getSnapshot(api, snapshot, 'tar?shard=9/4');
  assert.is((await readEdges(snapshot)).length, after.length);
});

async function readEdges(hash: string) {
  const data = await ok(api, `query($h: String!) { lineage(project: "default", hash: $h, direction: DOWNSTREAM, first: 500) { edges { node { kind source target actor details } } } }`, { h: hash });
  return data.lineage.edges.map((e: { node: unknown }) => e.node) as { kind: string; source: string; target: string | null; actor: string; details: unknown }[];
}

test.run();
