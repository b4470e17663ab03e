import { createHash, randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryBlobStore } from '../../adapters/blob/memory-blob-store.ts';
import type { BlobHash } from '../../core/ids.ts';
import type { BlobCatalog } from '../../core/ports.ts';
import { putMany, type BlobPutEntry } from '../../services/put-many.ts';

const test = suite('putMany');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function countingCatalog(fail = false) {
  const statements: BlobHash[][] = [];
  const catalog: BlobCatalog = {
    record: async (rows) => {
      if (fail) throw new Error('disk full');
      statements.push(rows.map((row) => row.hash));
    },
    sizes: async () => new Map(),
  };
  return { catalog, statements };
}

async function* chunked(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += 1000) yield bytes.subarray(i, i + 1000);
}

async function* entries(contents: Buffer[], claim: (bytes: Buffer, i: number) => string = sha256): AsyncGenerator<BlobPutEntry> {
  for (const [i, bytes] of contents.entries()) yield { content: chunked(bytes), expectedHash: claim(bytes, i) };
}

test('stores every entry in order, with their catalog rows in one statement', async () => {
  const blobs = new MemoryBlobStore();
  const { catalog, statements } = countingCatalog();
  const contents = Array.from({ length: 100 }, (_, i) => randomBytes(i * 50));
  const outcome = await putMany({ blobs, catalog, maxBlobBytes: 1 << 20 }, entries(contents));
  assert.is(outcome.failure, undefined);
  assert.equal(outcome.stored.map((s) => s.hash), contents.map(sha256));
  assert.equal(statements, [contents.map(sha256)]);
  for (const bytes of contents) assert.equal(await blobs.stat(sha256(bytes) as BlobHash), { size: bytes.byteLength });
});

test('the first wrong hash stops the puts; the blobs stored before it are recorded and returned', async () => {
  const blobs = new MemoryBlobStore();
  const { catalog, statements } = countingCatalog();
  const contents = Array.from({ length: 10 }, () => randomBytes(3000));
  const outcome = await putMany({ blobs, catalog, maxBlobBytes: 1 << 20 }, entries(contents, (bytes, i) => (i === 4 ? 'ab'.repeat(32) : sha256(bytes))));
  assert.is((outcome.failure?.error as { code?: string }).code, 'BLOB_HASH_MISMATCH');
  assert.equal(outcome.stored.slice(0, 4).map((s) => s.hash), contents.slice(0, 4).map(sha256));
  assert.not.ok(outcome.stored.some((s) => s.hash === sha256(contents[4]!)));
  assert.equal(statements.flat(), outcome.stored.map((s) => s.hash));
});

test('a failing entry source stops the puts with its error; a failing catalog acknowledges nothing', async () => {
  const broken = new Error('the stream broke');
  async function* failing(): AsyncGenerator<BlobPutEntry> {
    const bytes = randomBytes(10);
    yield { content: bytes, expectedHash: sha256(bytes) };
    throw broken;
  }
  const outcome = await putMany({ blobs: new MemoryBlobStore(), catalog: countingCatalog().catalog, maxBlobBytes: 100 }, failing());
  assert.is(outcome.failure?.error, broken);
  assert.is(outcome.stored.length, 1);

  const unrecorded = await putMany({ blobs: new MemoryBlobStore(), catalog: countingCatalog(true).catalog, maxBlobBytes: 1 << 20 }, entries([randomBytes(5)]));
  assert.equal(outcome.stored.length > 0 && unrecorded.stored, []);
  assert.is((unrecorded.failure?.error as Error).message, 'disk full');
});

test('content over the size limit fails with BLOB_TOO_LARGE', async () => {
  const outcome = await putMany({ blobs: new MemoryBlobStore(), catalog: countingCatalog().catalog, maxBlobBytes: 100 }, entries([randomBytes(101)]));
  assert.is((outcome.failure?.error as { code?: string }).code, 'BLOB_TOO_LARGE');
  assert.equal(outcome.stored, []);
});

test.run();
