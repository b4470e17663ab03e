import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BlobHashMismatchError,
  BlobTooLargeError,
  CorruptObjectError,
  InvalidInputError,
  NotFoundError,
} from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import type { BlobHash } from '../../core/ids.ts';
import type { BlobReadOptions, BlobStore } from '../../core/ports.ts';

/** What a conformance run needs to look behind an adapter's interface; each part is optional. */
export interface BlobStoreConformanceHooks<S extends BlobStore> {
  /** Changes the stored bytes of `hash` without the store knowing, so `verify` must notice. */
  tamper?(store: S, hash: BlobHash): Promise<void>;
  /** Temp files the store holds; after every put has settled there must be none. */
  tempFiles?(store: S): Promise<string[]>;
  /** How many blobs the store holds. */
  countBlobs?(store: S): Promise<number>;
}

type Opened<S> = { store: S; cleanup(): Promise<void> };

const EMPTY_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY = EMPTY_HEX as BlobHash;
const FIXTURES: { name: string; bytes: Buffer; hash: string }[] = [
  { name: '"hello\\n"', bytes: Buffer.from('hello\n'), hash: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' },
  { name: '"abc"', bytes: Buffer.from('abc'), hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
  { name: '1 MiB of zeros', bytes: Buffer.alloc(1 << 20), hash: '30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58' },
];

/**
 * The BlobStore conformance suite: defines and runs one uvu suite named `name` against the
 * adapter that `open` creates. Every test gets a fresh, empty store from `open` and calls its
 * `cleanup` afterwards. Checks needing a hook are skipped when the hook is absent.
 */
export function blobStoreConformance<S extends BlobStore>(
  name: string,
  open: () => Promise<Opened<S>>,
  hooks: BlobStoreConformanceHooks<S> = {},
): void {
  const test = suite(`BlobStore conformance: ${name}`);
  let opened: Opened<S> | null = null;
  const current = (): S => {
    if (!opened) throw new Error('no store is open');
    return opened.store;
  };
  test.before.each(async () => {
    opened = await open();
  });
  test.after.each(async () => {
    await opened?.cleanup();
    opened = null;
  });

  /** Asserts the store holds exactly `n` blobs and no temp files, as far as the hooks can see. */
  async function assertHolds(n: number): Promise<void> {
    if (hooks.countBlobs) assert.is(await hooks.countBlobs(current()), n, 'blob count');
    if (hooks.tempFiles) assert.equal(await hooks.tempFiles(current()), [], 'temp files left behind');
  }

  test('put then get returns the same bytes, for a byte array and for a stream of chunks', async () => {
    const store = current();
    const bytes = patterned(300_000, 1);
    const put = await store.put(bytes);
    assert.equal(put, { hash: sha256Hex(bytes), size: bytes.length, created: true });
    assert.equal(await store.stat(put.hash), { size: bytes.length });
    assert.ok((await read(store, put.hash)).equals(bytes));

    const other = patterned(200_000, 2);
    const streamed = await store.put(chunksOf(other, [1, 0, 65_536, 7, 100_000]));
    assert.equal(streamed, { hash: sha256Hex(other), size: other.length, created: true });
    assert.ok((await read(store, streamed.hash)).equals(other));
    await assertHolds(2);
  });

  test('the empty blob has the sha256 of no bytes, from bytes or from an empty stream', async () => {
    const store = current();
    assert.equal(await store.put(new Uint8Array(0)), { hash: EMPTY, size: 0, created: true });
    assert.equal(await store.put(chunksOf(Buffer.alloc(0), [])), { hash: EMPTY, size: 0, created: false });
    assert.equal(await store.stat(EMPTY), { size: 0 });
    assert.is((await read(store, EMPTY, { verify: true })).length, 0);
  });

  test('known contents get their known sha256', async () => {
    const store = current();
    for (const fixture of FIXTURES) {
      const put = await store.put(fixture.bytes);
      assert.is(put.hash, fixture.hash, fixture.name);
      assert.ok((await read(store, put.hash, { verify: true })).equals(fixture.bytes), fixture.name);
    }
  });

  test('putting the same bytes again is a no-op reporting created: false', async () => {
    const store = current();
    const bytes = patterned(10_000, 3);
    const first = await store.put(bytes);
    assert.is(first.created, true);
    assert.equal(await store.put(bytes), { ...first, created: false });
    assert.equal(await store.put(chunksOf(bytes, [4096])), { ...first, created: false });
    assert.ok((await read(store, first.hash)).equals(bytes));
    await assertHolds(1);
  });

  test('a stored blob is a copy: changing the source or a read chunk later does not alter it', async () => {
    const store = current();
    const bytes = patterned(1000, 4);
    const original = Buffer.from(bytes);
    const { hash } = await store.put(bytes);
    bytes.fill(0);
    for await (const chunk of await store.get(hash)) chunk.fill(0);
    assert.ok((await read(store, hash, { verify: true })).equals(original));
  });

  test('expectedHash: a match stores, a mismatch throws and stores nothing', async () => {
    const store = current();
    const bytes = patterned(5000, 5);
    const hash = sha256Hex(bytes) as BlobHash;
    const wrong = sha256Hex('something else') as BlobHash;
    for (const source of [() => bytes, () => chunksOf(bytes, [1000])]) {
      await rejects(store.put(source(), { expectedHash: wrong }), BlobHashMismatchError, (error) => {
        assert.is(error.code, 'BLOB_HASH_MISMATCH');
        assert.equal(error.data, { expected: wrong, actual: hash });
      });
      assert.is(await store.stat(hash), null);
      assert.is(await store.stat(wrong), null);
      await assertHolds(0);
    }
    assert.equal(await store.put(chunksOf(bytes, [999]), { expectedHash: hash }), { hash, size: 5000, created: true });
    assert.equal(await store.put(bytes, { expectedHash: hash }), { hash, size: 5000, created: false });
  });

  test('maxBytes: exactly the limit stores, one byte more throws and stores nothing', async () => {
    const store = current();
    const bytes = patterned(4097, 6);
    const hash = sha256Hex(bytes) as BlobHash;
    for (const source of [() => bytes, () => chunksOf(bytes, [4096, 1])]) {
      await rejects(store.put(source(), { maxBytes: 4096 }), BlobTooLargeError, (error) => {
        assert.is(error.code, 'BLOB_TOO_LARGE');
        assert.equal(error.data, { maxBytes: 4096 });
      });
      assert.is(await store.stat(hash), null);
      await assertHolds(0);
    }
    const fits = await store.put(chunksOf(bytes.subarray(0, 4096), [1024]), { maxBytes: 4096 });
    assert.is(fits.size, 4096);
    assert.is((await store.put(new Uint8Array(0), { maxBytes: 0 })).hash, EMPTY);
    await rejects(store.put(bytes, { maxBytes: -1 }), InvalidInputError, (e) => assert.is(e.code, 'INVALID_INPUT'));
    await rejects(store.put(bytes, { maxBytes: 1.5 }), InvalidInputError);
  });

  test('maxBytes stops reading an endless source and closes it', async () => {
    const store = current();
    let closed = false;
    async function* endless() {
      try {
        for (;;) yield new Uint8Array(64 * 1024);
      } finally {
        closed = true;
      }
    }
    await rejects(store.put(endless(), { maxBytes: 1 << 20 }), BlobTooLargeError);
    assert.ok(closed, 'the source was closed');
    await assertHolds(0);
  });

  test('a source that fails midway rejects the put with its error and leaves nothing behind', async () => {
    const store = current();
    const bytes = patterned(200_000, 7);
    const failure = new Error('connection reset');
    async function* failing() {
      yield bytes.subarray(0, 100_000);
      yield bytes.subarray(100_000, 150_000);
      throw failure;
    }
    await rejects(store.put(failing()), Error, (error) => assert.is(error, failure));
    await rejects(store.put(chunksOf(bytes, [1000]).withChunk('not bytes')), InvalidInputError);
    assert.is(await store.stat(sha256Hex(bytes) as BlobHash), null);
    await assertHolds(0);
  });

  test('ranges: start, end, both, empty, and across chunk boundaries', async () => {
    const store = current();
    const bytes = patterned(700_000, 8);
    const { hash } = await store.put(bytes);
    const cases: [BlobReadOptions, number, number][] = [
      [{}, 0, 700_000],
      [{ start: 10 }, 10, 700_000],
      [{ end: 10 }, 0, 10],
      [{ start: 10, end: 20 }, 10, 20],
      [{ start: 100_000, end: 600_001 }, 100_000, 600_001],
      [{ start: 5, end: 5 }, 5, 5],
      [{ start: 700_000 }, 700_000, 700_000],
      [{ start: 0, end: 700_000, verify: true }, 0, 700_000],
      [{ start: 1, verify: true }, 1, 700_000],
    ];
    for (const [options, start, end] of cases)
      assert.ok((await read(store, hash, options)).equals(bytes.subarray(start, end)), JSON.stringify(options));
  });

  test('invalid ranges throw InvalidInputError before anything is read', async () => {
    const store = current();
    const { hash } = await store.put(patterned(1000, 9));
    const invalid: BlobReadOptions[] = [
      { start: -1 },
      { end: -1 },
      { end: 1001 },
      { start: 1001 },
      { start: 11, end: 10 },
      { start: 1.5 },
      { end: 2.5 },
      { start: Number.NaN },
      { end: Number.POSITIVE_INFINITY },
    ];
    for (const options of invalid)
      await rejects(store.get(hash, options), InvalidInputError, (error) =>
        assert.is(error.code, 'INVALID_INPUT', JSON.stringify(options)),
      );
  });

  test('a missing blob: get throws NotFoundError, stat is null, delete is false', async () => {
    const store = current();
    const missing = sha256Hex('never stored') as BlobHash;
    await rejects(store.get(missing), NotFoundError, (error) => {
      assert.is(error.code, 'NOT_FOUND');
      assert.equal(error.data, { kind: 'blob', id: missing });
    });
    await rejects(store.get(missing, { start: 0, end: 0 }), NotFoundError);
    assert.is(await store.stat(missing), null);
    assert.is(await store.delete(missing), false);
  });

  test('a malformed hash is rejected as invalid input, never used as a name', async () => {
    const store = current();
    for (const bad of ['../../etc/passwd', 'ABC', EMPTY_HEX.toUpperCase(), `${EMPTY_HEX}0`])
      for (const call of [() => store.get(bad as BlobHash), () => store.stat(bad as BlobHash), () => store.delete(bad as BlobHash)])
        await rejects(call(), InvalidInputError, (error) => assert.is(error.code, 'INVALID_HASH'));
  });

  test('verify passes intact blobs and fails the stream of a tampered one', async () => {
    const store = current();
    const bytes = patterned(500_000, 10);
    const { hash } = await store.put(bytes);
    assert.ok((await read(store, hash, { verify: true })).equals(bytes));
    if (!hooks.tamper) return;
    await hooks.tamper(store, hash);
    const unverified = await read(store, hash);
    assert.is(unverified.length, bytes.length, 'reads without verify do not check');
    assert.not.ok(unverified.equals(bytes), 'the tamper hook changed the bytes');
    await rejects(read(store, hash, { verify: true }), CorruptObjectError, (error) => {
      assert.is(error.code, 'CORRUPT_OBJECT');
      assert.is(error.data.kind, 'blob');
      assert.is(error.data.hash, hash);
      assert.is(error.data.actual, sha256Hex(unverified));
    });
  });

  test('50 concurrent puts of the same bytes all succeed and leave one blob', async () => {
    const store = current();
    const bytes = patterned(64 * 1024, 11);
    const hash = sha256Hex(bytes);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.put(i % 2 ? bytes : chunksOf(bytes, [8192]))),
    );
    for (const result of results) assert.equal([result.hash, result.size], [hash, bytes.length]);
    assert.ok(results.some((result) => result.created), 'at least one put created the blob');
    assert.ok((await read(store, hash as BlobHash, { verify: true })).equals(bytes));
    await assertHolds(1);
  });

  test('concurrent puts of different bytes each store their own blob', async () => {
    const store = current();
    const blobs = Array.from({ length: 100 }, (_, i) => patterned(4096 + i, 100 + i));
    const results = await Promise.all(blobs.map((bytes, i) => store.put(i % 3 ? bytes : chunksOf(bytes, [1000]))));
    assert.is(new Set(results.map((result) => result.hash)).size, 100);
    for (const [i, result] of results.entries()) {
      assert.is(result.created, true);
      assert.ok((await read(store, result.hash, { verify: true })).equals(blobs[i]!));
    }
    await assertHolds(100);
  });

  test('delete removes a blob once; it can be stored again', async () => {
    const store = current();
    const bytes = patterned(2000, 12);
    const { hash } = await store.put(bytes);
    const other = await store.put(patterned(2000, 13));
    assert.is(await store.delete(hash), true);
    assert.is(await store.stat(hash), null);
    await rejects(store.get(hash), NotFoundError);
    assert.is(await store.delete(hash), false);
    assert.equal(await store.stat(other.hash), { size: 2000 });
    await assertHolds(1);
    assert.is((await store.put(bytes)).created, true);
    assert.ok((await read(store, hash)).equals(bytes));
  });

  test.run();
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function patterned(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * Yields `bytes` as copies cut at the given sizes in turn (the last size repeats), and then an
 * optional extra chunk, to feed a put a malformed stream.
 */
function chunksOf(bytes: Uint8Array, sizes: number[]) {
  let extra: unknown[] = [];
  const iterable = {
    async *[Symbol.asyncIterator]() {
      let offset = 0;
      for (let i = 0; offset < bytes.length; i++) {
        const size = sizes[Math.min(i, sizes.length - 1)] ?? bytes.length;
        yield Buffer.from(bytes.subarray(offset, offset + size));
        offset += size;
      }
      for (const chunk of extra) yield chunk as Uint8Array;
    },
    withChunk(chunk: unknown) {
      extra = [chunk];
      return iterable;
    },
  };
  return iterable;
}

async function read(store: BlobStore, hash: BlobHash, options?: BlobReadOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(hash, options)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Awaits `promise`, which must reject with an instance of `type`; then runs `check` on it. */
async function rejects<T>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
  check?: (error: T) => void,
): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, type, `expected ${type.name}, got ${String(error)}`);
    check?.(error as T);
    return;
  }
  assert.unreachable(`expected ${type.name}`);
}
