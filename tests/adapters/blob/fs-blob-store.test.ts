import { chmod, mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsBlobStore } from '../../../adapters/blob/fs-blob-store.ts';
import { NotFoundError } from '../../../core/errors.ts';
import { blobStoreConformance } from '../../conformance/blob-store.ts';

async function freshStore() {
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-fs-blob-'));
  return { dir, store: new FsBlobStore({ root: join(dir, 'blobs') }) };
}

/** Every regular file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

blobStoreConformance(
  'fs',
  async () => {
    const { dir, store } = await freshStore();
    return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
  {
    async tamper(store, hash) {
      const file = store.pathOf(hash);
      await chmod(file, 0o644);
      const handle = await open(file, 'r+');
      try {
        const first = Buffer.alloc(1);
        await handle.read(first, 0, 1, 0);
        await handle.write(Buffer.from([first[0]! ^ 0xff]), 0, 1, 0);
      } finally {
        await handle.close();
      }
    },
    tempFiles: (store) => filesUnder(store.tmpDir),
    countBlobs: async (store) => (await filesUnder(store.root)).filter((f) => !f.startsWith('tmp/')).length,
  },
);

const test = suite('FsBlobStore layout');
let dir = '';
let store: FsBlobStore;
test.before.each(async () => {
  ({ dir, store } = await freshStore());
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a blob is one read-only file at root/ab/cd/<hash> holding exactly the input bytes', async () => {
  const bytes = Buffer.from('hello\n');
  const { hash } = await store.put(bytes);
  assert.is(hash, '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
  const path = join(dir, 'blobs', '58', '91', hash);
  assert.is(store.pathOf(hash), path);
  assert.ok((await readFile(path)).equals(bytes));
  assert.is((await stat(path)).mode & 0o777, 0o444);
  assert.equal(await filesUnder(join(dir, 'blobs')), [`58/91/${hash}`]);
});

test('a streamed blob lands on disk byte for byte', async () => {
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
  async function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += 100_000) yield bytes.subarray(offset, offset + 100_000);
  }
  const { hash, size } = await store.put(chunks());
  assert.is(size, bytes.length);
  assert.ok((await readFile(store.pathOf(hash))).equals(bytes));
  assert.equal(await filesUnder(store.tmpDir), []);
});

test('a second store on the same root sees the blobs of the first (nothing is kept in memory)', async () => {
  const { hash } = await store.put(Buffer.from('shared'));
  const again = new FsBlobStore({ root: store.root });
  assert.equal(await again.stat(hash), { size: 6 });
  assert.is((await again.put(Buffer.from('shared'))).created, false);
  assert.is(await again.delete(hash), true);
  assert.is(await store.stat(hash), null);
  assert.is((await store.put(Buffer.from('shared'))).created, true);
});

test('a fan-out directory removed behind the store is created again', async () => {
  const { hash } = await store.put(Buffer.from('one'));
  await rm(join(store.root, String(hash).slice(0, 2)), { recursive: true });
  const again = await store.put(Buffer.from('one'));
  assert.equal(again, { hash, size: 3, created: true });
  assert.ok((await readFile(store.pathOf(hash))).equals(Buffer.from('one')));
});

test('a blob deleted between get and the first read fails the stream with NotFoundError', async () => {
  const { hash } = await store.put(Buffer.from('short-lived'));
  const stream = await store.get(hash);
  await store.delete(hash);
  try {
    for await (const _ of stream) assert.unreachable('no bytes expected');
    assert.unreachable('expected NotFoundError');
  } catch (error) {
    assert.instance(error, NotFoundError);
    assert.is((error as NotFoundError).code, 'NOT_FOUND');
  }
});

test.run();
