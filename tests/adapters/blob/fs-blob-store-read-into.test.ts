import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsBlobStore } from '../../../adapters/blob/fs-blob-store.ts';
import { CorruptObjectError, InvalidInputError, NotFoundError } from '../../../core/errors.ts';
import { sha256Hex } from '../../../core/hash.ts';
import type { BlobHash } from '../../../core/ids.ts';

const test = suite('FsBlobStore.readWholeInto');
let dir = '';
let store: FsBlobStore;
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheaf-fs-read-into-'));
  store = new FsBlobStore({ root: join(dir, 'blobs') });
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A target filled with a marker byte, to see which bytes a read touched. */
const marked = (length: number) => Buffer.alloc(length, 0xaa);

for (const size of [0, 1, 511, 512, 4096, 70_000])
  test(`a blob of ${size} bytes lands at the offset, nothing before it is touched`, async () => {
    const bytes = randomBytes(size);
    const { hash } = await store.put(bytes);
    const target = marked(100 + size + 1 + 50);
    for (const verify of [false, true]) {
      assert.is(store.readWholeInto(hash, size, target, 100, { verify }), size);
      assert.ok(target.subarray(100, 100 + size).equals(bytes), 'the blob');
      assert.ok(target.subarray(0, 100).equals(marked(100)), 'before the offset');
      assert.ok(target.subarray(100 + size + 1).equals(marked(50)), 'past the extra byte');
    }
    assert.ok(Buffer.from(store.readWholeSync(hash, size)).equals(bytes), 'readWholeSync reads the same');
  });

test('a file longer or shorter than the size given is corrupt, even without verify', async () => {
  const bytes = randomBytes(3000);
  const { hash } = await store.put(bytes);
  const file = store.pathOf(hash);
  await chmod(file, 0o644);
  await appendFile(file, Buffer.from('x'));
  assert.throws(() => store.readWholeInto(hash, 3000, marked(4000), 0), (error: unknown) => error instanceof CorruptObjectError);
  await truncate(file, 2999);
  assert.throws(() => store.readWholeInto(hash, 3000, marked(4000), 0), (error: unknown) => error instanceof CorruptObjectError);
});

test('with verify, changed bytes of the right length are corrupt; without, they are read as stored', async () => {
  const bytes = randomBytes(1000);
  const { hash } = await store.put(bytes);
  const file = store.pathOf(hash);
  await chmod(file, 0o644);
  await rm(file);
  const changed = Buffer.from(bytes);
  changed[0] = changed[0]! ^ 0xff;
  await writeFile(file, changed);
  assert.throws(() => store.readWholeInto(hash, 1000, marked(1001), 0, { verify: true }), (error: unknown) => error instanceof CorruptObjectError);
  const target = marked(1001);
  assert.is(store.readWholeInto(hash, 1000, target, 0), 1000);
  assert.ok(target.subarray(0, 1000).equals(changed));
});

test('a missing blob is not found; a target without room for size + 1 bytes is refused before reading', async () => {
  const missing = sha256Hex(randomBytes(8)) as BlobHash;
  assert.throws(() => store.readWholeInto(missing, 10, marked(11), 0), (error: unknown) => error instanceof NotFoundError);
  const { hash } = await store.put(randomBytes(10));
  const target = marked(20);
  assert.throws(() => store.readWholeInto(hash, 10, target, 10), (error: unknown) => error instanceof InvalidInputError);
  assert.ok(target.equals(marked(20)), 'untouched');
});

test.run();
