import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DiskPreviewCache, type PreviewKey } from '../../../services/previews/preview-cache.ts';
import { bytesOf } from './preview-fixture.ts';

const test = suite('DiskPreviewCache');
let dir: string;

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheaf-preview-cache-'));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = (overrides: Partial<PreviewKey> = {}): PreviewKey => ({
  blob: 'ab'.repeat(32),
  width: 1280,
  format: 'jpeg',
  version: 'v1',
  ...overrides,
});

test('a miss, then a put, then hits with the same bytes', async () => {
  const cache = new DiskPreviewCache({ root: join(dir, 'previews') });
  assert.is(await cache.get(key()), null);
  const bytes = randomBytes(50_000);
  await cache.put(key(), bytes);
  for (let i = 0; i < 2; i++) {
    const hit = await cache.get(key());
    assert.ok(hit);
    assert.is(hit.size, bytes.byteLength);
    assert.ok((await bytesOf(hit.stream())).equals(bytes));
  }
  assert.equal(cache.stats(), { hits: 2, misses: 1, writes: 1 });
  assert.is(cache.pathOf(key()), join(dir, 'previews', 'ab', `${'ab'.repeat(32)}.w1280.v1.jpg`));
});

test('width, format and version are part of the key', async () => {
  const cache = new DiskPreviewCache({ root: dir });
  await cache.put(key(), Buffer.from('jpeg at 1280'));
  assert.is(await cache.get(key({ width: 640 })), null);
  assert.is(await cache.get(key({ format: 'webp' })), null);
  assert.is(await cache.get(key({ version: 'v2' })), null);
  await cache.put(key({ format: 'webp' }), Buffer.from('webp at 1280'));
  assert.is((await bytesOf((await cache.get(key({ format: 'webp' })))!.stream())).toString(), 'webp at 1280');
  assert.is((await bytesOf((await cache.get(key()))!.stream())).toString(), 'jpeg at 1280');
});

test('concurrent puts of one key leave one complete file and no temp files', async () => {
  const cache = new DiskPreviewCache({ root: dir });
  const bytes = randomBytes(200_000);
  await Promise.all(Array.from({ length: 8 }, () => cache.put(key(), bytes)));
  assert.ok((await bytesOf((await cache.get(key()))!.stream())).equals(bytes));
  assert.equal(await readdir(join(dir, 'tmp')), []);
});

test('an empty file is not a preview', async () => {
  const cache = new DiskPreviewCache({ root: dir });
  await mkdir(dirname(cache.pathOf(key())), { recursive: true });
  await writeFile(cache.pathOf(key()), '');
  assert.is(await cache.get(key()), null);
  assert.is(cache.stats().misses, 1);
});

test('clearing the directory while in use: reads miss, writes work again, open readers keep their file', async () => {
  const cache = new DiskPreviewCache({ root: join(dir, 'previews') });
  const bytes = randomBytes(10_000);
  await cache.put(key(), bytes);
  const open = await cache.get(key());
  await rm(join(dir, 'previews'), { recursive: true, force: true });
  assert.ok((await bytesOf(open!.stream())).equals(bytes), 'an open reader still reads the whole file');
  assert.is(await cache.get(key()), null);
  await cache.put(key(), bytes);
  assert.ok(await cache.get(key()));
});

test('a failed write leaves nothing behind and is reported', async () => {
  const cache = new DiskPreviewCache({ root: dir });
  // A directory where the preview's file should go: the rename fails.
  await mkdir(join(cache.pathOf(key()), 'blocker'), { recursive: true });
  try {
    await cache.put(key(), Buffer.from('x'));
    assert.unreachable('the put should fail');
  } catch (error) {
    assert.not.instance(error, assert.Assertion);
  }
  assert.equal(await readdir(join(dir, 'tmp')), []);
  assert.is(cache.stats().writes, 0);
});

test.run();
