import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { runCli, type CliRun } from '../e2e/run-cli.ts';
import { commitItems, ok, type SeedItem } from '../server/http/provision-fixture.ts';

const test = suite('sheaf export: incremental, partial, linked');
let api: TestServer;
let plain: TestServer;
let root: string;
let dirs = 0;

test.before(async () => {
  [api, plain] = await Promise.all([startTestServer({ exposeBlobPaths: true }), startTestServer()]);
  root = await mkdtemp(join(tmpdir(), 'sheaf-export-'));
});

test.after(async () => {
  await Promise.all([api?.close(), plain?.close()]);
  await rm(root, { recursive: true, force: true });
});

const newDir = () => join(root, `dir-${++dirs}`);
const sheaf = (server: TestServer, ...args: string[]): Promise<CliRun> => runCli([...args, '--server', server.url, '--json'], { SHEAF_TOKEN: server.adminToken });
function done(run: CliRun): any {
  assert.is(run.code, 0, `exit ${run.code}: ${run.stdout.toString()} ${run.stderr}`);
  return run.json;
}

/** Every file under `dir` (sheaf.json excluded) with its bytes, inode and modification time. */
async function filesOf(dir: string, base = dir, into = new Map<string, { bytes: Buffer; ino: number; mtimeMs: number; mode: number }>()) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await filesOf(full, base, into);
    else if (!(dir === base && entry.name === 'sheaf.json')) {
      const info = await stat(full);
      into.set(relative(base, full), { bytes: await readFile(full), ino: info.ino, mtimeMs: info.mtimeMs, mode: info.mode & 0o777 });
    }
  }
  return into;
}

function assertHolds(files: Awaited<ReturnType<typeof filesOf>>, items: readonly SeedItem[]) {
  assert.equal([...files.keys()].sort(), items.map((i) => i.path).sort());
  for (const item of items) assert.ok(files.get(item.path)!.bytes.equals(item.bytes), item.path);
}

const labeled = (i: number, label: string): SeedItem => ({ path: `img/${String(i).padStart(3, '0')}.jpg`, bytes: randomBytes(500 + i), annotations: { label }, meta: { split: i % 5 ? 'train' : 'val' } });

test('export then push into a new dataset gives the same snapshot; pushing an export back changes nothing', async () => {
  const source = newDir();
  for (let i = 0; i < 20; i++) {
    await mkdir(join(source, `d${i % 3}`), { recursive: true });
    await writeFile(join(source, `d${i % 3}`, `f${i}.bin`), randomBytes(100 * i));
  }
  await writeFile(join(source, 'empty'), '');
  done(await sheaf(api, 'dataset', 'create', 'raw'));
  const pushed = done(await sheaf(api, 'push', source, '--dataset', 'raw', '-m', 'files'));
  const out = newDir();
  const exported = done(await sheaf(api, 'export', 'raw@main', out));
  assert.is(exported.snapshot, pushed.snapshot);
  assert.equal([exported.written, exported.removed, exported.unchanged, exported.incremental], [21, 0, 0, false]);
  done(await sheaf(api, 'dataset', 'create', 'again'));
  const repushed = done(await sheaf(api, 'push', out, '--dataset', 'again', '-m', 'round trip'));
  assert.is(repushed.snapshot, pushed.snapshot);
  const same = done(await sheaf(api, 'push', out, '--dataset', 'raw', '-m', 'unchanged'));
  assert.equal([same.snapshot, same.added, same.modified, same.removed], [pushed.snapshot, 0, 0, 0]);
});

test('an export over an earlier one touches only the diff, and says so', async () => {
  const v1 = Array.from({ length: 50 }, (_, i) => labeled(i, i % 2 ? 'cat' : 'dog'));
  await commitItems(api, { dataset: 'pets', items: v1 });
  const out = newDir();
  assert.equal(pick(done(await sheaf(api, 'export', 'pets', out))), { written: 50, removed: 0, unchanged: 0, incremental: false });
  const before = await filesOf(out);

  // v2: 3 changed, 2 added, 4 removed, one relabeled (its bytes unchanged).
  const changed = [labeled(1, 'cat'), labeled(2, 'dog'), labeled(3, 'cat')];
  const added = [labeled(100, 'cat'), labeled(101, 'dog')];
  const removed = v1.slice(10, 14).map((i) => i.path);
  const relabeled = { ...v1[20]!, annotations: { label: 'bird' } };
  const v2snapshot = await commitItems(api, { dataset: 'pets', create: false, items: [...changed, ...added, relabeled], remove: removed });
  const v2 = [...v1.filter((i) => !removed.includes(i.path) && !changed.some((c) => c.path === i.path)), ...changed, ...added];
  const second = done(await sheaf(api, 'export', 'pets@main', out));
  assert.equal(pick(second), { written: 5, removed: 4, unchanged: 43, incremental: true });
  assert.is(second.snapshot, v2snapshot);
  const after = await filesOf(out);
  assertHolds(after, v2);
  const rewritten = new Set([...changed, ...added].map((i) => i.path));
  for (const [path, file] of after) {
    if (rewritten.has(path)) continue;
    // Untouched: the very same file, not a copy with the same bytes.
    assert.is(file.ino, before.get(path)!.ino, path);
    assert.is(file.mtimeMs, before.get(path)!.mtimeMs, path);
  }
  const manifest = JSON.parse(await readFile(join(out, 'sheaf.json'), 'utf8'));
  assert.is(manifest.snapshot, v2snapshot);
  assert.equal(manifest.items.find((i: { path: string }) => i.path === relabeled.path).annotations, { label: 'bird' });
  assert.equal(manifest.items.map((i: { path: string }) => i.path), v2.map((i) => i.path).sort());
  assert.not.ok(existsSync(join(out, 'img', String(10).padStart(3, '0') + '.jpg')));

  assert.equal(pick(done(await sheaf(api, 'export', 'pets', out))), { written: 0, removed: 0, unchanged: 48, incremental: true });

  // A file no export wrote is never overwritten.
  const more = labeled(102, 'cat');
  await commitItems(api, { dataset: 'pets', create: false, items: [more] });
  await writeFile(join(out, more.path), 'mine');
  const refused = await sheaf(api, 'export', 'pets', out);
  assert.is(refused.code, 1);
  assert.is(refused.json.error.code, 'PATH_CONFLICT');
  assert.is(await readFile(join(out, more.path), 'utf8'), 'mine');
  assert.is(JSON.parse(await readFile(join(out, 'sheaf.json'), 'utf8')).snapshot, v2snapshot);
});

test('an unknown snapshot hash (its manifest is asked for at once) fails with NOT_FOUND and creates nothing', async () => {
  const dir = newDir();
  const missing = await sheaf(api, 'export', '0'.repeat(64), dir);
  assert.is(missing.code, 1);
  assert.is(missing.json.error.code, 'NOT_FOUND');
  assert.match(missing.json.error.message, 'name its dataset');
  assert.not.ok(existsSync(dir));
});

test('partial checkout by filter and prefix; changing the selection compares the lists', async () => {
  const items = Array.from({ length: 12 }, (_, i) => labeled(i, ['cat', 'dog', 'bird'][i % 3]!));
  await commitItems(api, { dataset: 'zoo', items });
  const out = newDir();
  const cats = done(await sheaf(api, 'export', 'zoo', out, '--filter', 'label = cat and meta.split = train'));
  const expected = items.filter((i) => (i.annotations as { label: string }).label === 'cat' && (i.meta as { split: string }).split === 'train');
  assert.is(cats.written, expected.length);
  assertHolds(await filesOf(out), expected);

  // A dog becomes a cat without new bytes: it enters the selection, so its file is written.
  const convert = { ...items[1]!, annotations: { label: 'cat' } };
  await commitItems(api, { dataset: 'zoo', create: false, items: [convert] });
  assert.equal(pick(done(await sheaf(api, 'export', 'zoo', out, '--filter', 'label = cat and meta.split = train'))), { written: 1, removed: 0, unchanged: expected.length, incremental: true });
  assertHolds(await filesOf(out), [...expected, convert]);

  const all = done(await sheaf(api, 'export', 'zoo', out));
  assert.equal(pick(all), { written: 12 - expected.length - 1, removed: 0, unchanged: expected.length + 1, incremental: true });
  const prefixed = done(await sheaf(api, 'export', 'zoo', newDir(), '--prefix', 'img/00'));
  assert.is(prefixed.items, 10);

  const bad = await sheaf(api, 'export', 'zoo', newDir(), '--filter', 'label =');
  assert.is(bad.code, 1);
  assert.is(bad.json.error.code, 'INVALID_INPUT');
  assert.match(bad.json.error.message, /filter/);
});

test('--link hard-links the server\'s read-only blob files; without exposed paths or across filesystems it copies', async () => {
  const items = Array.from({ length: 8 }, (_, i) => labeled(i, 'cat'));
  const snapshot = await commitItems(api, { dataset: 'linked', items });
  const out = newDir();
  const result = done(await sheaf(api, 'export', 'linked', out, '--link'));
  assert.equal([result.written, result.linked], [8, 8]);
  const blobRoot = await storeRoot();
  const files = await filesOf(out);
  assertHolds(files, items);
  for (const item of items) {
    const stored = await stat(join(blobRoot, ...blobPathOf(await blobOf(out, item.path))));
    assert.is(files.get(item.path)!.ino, stored.ino, item.path);
    assert.is(files.get(item.path)!.mode, 0o444);
  }

  // An incremental linked export replaces a link by renaming over it: the stored blob is untouched.
  const first = items[0]!;
  const firstBlob = join(blobRoot, ...blobPathOf(await blobOf(out, first.path)));
  const storedBefore = await readFile(firstBlob);
  const replacement = { ...first, bytes: randomBytes(700) };
  await commitItems(api, { dataset: 'linked', create: false, items: [replacement] });
  assert.equal(pick(done(await sheaf(api, 'export', 'linked', out, '--link'))), { written: 1, removed: 0, unchanged: 7, incremental: true });
  assert.ok((await readFile(join(out, first.path))).equals(replacement.bytes));
  assert.ok((await readFile(firstBlob)).equals(storedBefore));

  // Another filesystem: /dev/shm is a tmpfs.
  if (existsSync('/dev/shm')) {
    const shm = await mkdtemp('/dev/shm/sheaf-export-');
    try {
      const across = await sheaf(api, 'export', snapshot, join(shm, 'out'), '--link');
      const json = done(across);
      assert.equal([json.written, json.linked], [8, 0]);
      assert.match(across.stderr, /EXDEV/);
      assertHolds(await filesOf(join(shm, 'out')), items);
    } finally {
      await rm(shm, { recursive: true, force: true });
    }
  }

  // A server that does not expose paths.
  await commitItems(plain, { dataset: 'linked', items });
  const copied = await sheaf(plain, 'export', 'linked', newDir(), '--link');
  assert.equal([done(copied).written, copied.json.linked], [8, 0]);
  assert.match(copied.stderr, /SHEAF_EXPOSE_BLOB_PATHS/);
});

test('from a server on this machine, files are copied from its store (writable copies, not links); --verify re-hashes them; other servers are downloaded from', async () => {
  const items = [...Array.from({ length: 6 }, (_, i) => labeled(i, 'cat')), { path: 'big/one.bin', bytes: randomBytes(1024 * 1024 + 3), annotations: null, meta: {} }];
  await commitItems(api, { dataset: 'copied', items });
  const out = newDir();
  const result = done(await sheaf(api, 'export', 'copied', out));
  assert.equal([result.written, result.copied, result.downloaded, result.linked], [7, 7, 0, 0]);
  const blobRoot = await storeRoot();
  const files = await filesOf(out);
  assertHolds(files, items);
  const umask = process.umask();
  for (const item of items) {
    const stored = await stat(join(blobRoot, ...blobPathOf(await blobOf(out, item.path))));
    assert.is.not(files.get(item.path)!.ino, stored.ino, item.path);
    assert.is(files.get(item.path)!.mode, 0o666 & ~umask, item.path);
  }

  // An update copies its new file under a temporary name, renamed over the old one.
  const replacement = { ...items[0]!, bytes: randomBytes(900) };
  await commitItems(api, { dataset: 'copied', create: false, items: [replacement] });
  const update = done(await sheaf(api, 'export', 'copied', out));
  assert.equal([update.written, update.copied, update.unchanged], [1, 1, 6]);
  assert.ok((await readFile(join(out, replacement.path))).equals(replacement.bytes));
  assert.equal((await readdir(out)).filter((name) => name.startsWith('.sheaf')), []);

  // A stored file damaged behind the server's back (a disk fault): copies are not re-hashed, as
  // with cp, unless --verify, which refuses it before the manifest is written.
  const damaged = labeled(50, 'cat');
  await commitItems(api, { dataset: 'damaged', items: [damaged] });
  const probe = newDir();
  done(await sheaf(api, 'export', 'damaged', probe));
  const storedFile = join(blobRoot, ...blobPathOf(await blobOf(probe, damaged.path)));
  await chmod(storedFile, 0o644);
  await writeFile(storedFile, Buffer.from(damaged.bytes).fill(1));
  await chmod(storedFile, 0o444);
  const verified = newDir();
  const refused = await sheaf(api, 'export', 'damaged', verified, '--verify');
  assert.is(refused.code, 3, refused.stderr);
  assert.is(refused.json.error.code, 'CORRUPT_OBJECT');
  assert.not.ok(existsSync(join(verified, 'sheaf.json')));
  const linkRefused = await sheaf(api, 'export', 'damaged', newDir(), '--link', '--verify');
  assert.is(linkRefused.json.error.code, 'CORRUPT_OBJECT');
  assert.equal(pick(done(await sheaf(api, 'export', 'copied', newDir(), '--verify'))), { written: 7, removed: 0, unchanged: 0, incremental: false });

  // A server that does not expose its blob paths, as a remote one: every file is downloaded.
  await commitItems(plain, { dataset: 'copied', items });
  const remote = newDir();
  const fromRemote = await sheaf(plain, 'export', 'copied', remote);
  const downloaded = done(fromRemote);
  assert.equal([downloaded.written, downloaded.copied, downloaded.downloaded], [7, 0, 7]);
  assert.is(fromRemote.stderr, '', 'a plain export warns about nothing');
  assertHolds(await filesOf(remote), items);
});

test('exports are lineage read edges of the snapshot', async () => {
  const snapshot = await commitItems(api, { dataset: 'traced', items: [labeled(1, 'cat')] });
  const out = newDir();
  done(await sheaf(api, 'export', 'traced', out, '--filter', 'label=cat'));
  done(await sheaf(api, 'export', 'traced', out, '--filter', 'label=cat'));
  const data = await ok(api, `query($h: String!) { lineage(project: "default", hash: $h, direction: DOWNSTREAM) { edges { node { kind details } } } }`, { h: snapshot });
  assert.equal(data.lineage.edges.map((e: { node: unknown }) => e.node), [
    { kind: 'READ', details: { via: 'export', filter: 'label=cat' } },
    { kind: 'READ', details: { via: 'export', filter: 'label=cat' } },
  ]);
});

function pick(result: { written: number; removed: number; unchanged: number; incremental: boolean }) {
  const { written, removed, unchanged, incremental } = result;
  return { written, removed, unchanged, incremental };
}

async function blobOf(dir: string, path: string): Promise<string> {
  return JSON.parse(await readFile(join(dir, 'sheaf.json'), 'utf8')).items.find((i: { path: string }) => i.path === path).blob;
}

function blobPathOf(hash: string): string[] {
  return [hash.slice(0, 2), hash.slice(2, 4), hash];
}

/** Where the exposing server keeps its blobs, from its own answer. */
async function storeRoot(): Promise<string> {
  const hash = await api.upload('where is the store');
  const response = await fetch(`${api.url}/v1/projects/default/blobs/paths`, { method: 'POST', headers: { 'content-type': 'application/json', ...api.headers() }, body: JSON.stringify({ hashes: [hash] }) });
  const [path] = ((await response.json()) as { paths: string[] }).paths;
  return path!.slice(0, -(hash.length + 7));
}

test.run();
