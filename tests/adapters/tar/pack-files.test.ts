import { randomBytes } from 'node:crypto';
import { pack as tarPack } from 'tar-stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packFiles, type TarFileSource } from '../../../adapters/tar/pack-files.ts';

const test = suite('packFiles');

/** What tar-stream's packer writes for the same files and headers: the format packFiles keeps. */
async function tarStreamBytes(files: readonly { name: string; bytes: Uint8Array }[]): Promise<Buffer> {
  const pack = tarPack();
  const collected = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const { name, bytes } of files) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name, size: bytes.byteLength, type: 'file', mode: 0o444, mtime: new Date(0), uid: 0, gid: 0 }, Buffer.from(bytes), (error) => (error ? reject(error) : resolve())),
    );
  }
  pack.finalize();
  return collected;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

type How = 'into' | 'sync' | 'async' | 'chunked';

/** Copies `bytes` into `target` at `offset` the way a blob store's readWholeInto does. */
function readInto(bytes: Uint8Array): (target: Uint8Array, offset: number) => number {
  return (target, offset) => {
    if (offset + bytes.byteLength + 1 > target.byteLength) throw new Error('no room for the content and one more byte');
    target.set(bytes, offset);
    return bytes.byteLength;
  };
}

async function* sources(files: readonly { name: string; bytes: Uint8Array }[], how: How): AsyncGenerator<TarFileSource> {
  for (const { name, bytes } of files) {
    const chunked = () => Array.from({ length: Math.ceil(bytes.byteLength / 1000) }, (_, i) => bytes.subarray(i * 1000, (i + 1) * 1000));
    yield {
      name,
      size: bytes.byteLength,
      open: async () => (how === 'chunked' ? chunked() : [bytes]),
      ...(how === 'sync' ? { readSync: () => bytes } : {}),
      ...(how === 'into' ? { readInto: readInto(bytes) } : {}),
    };
  }
}

const FILES = [
  { name: 'a/0001.jpg', bytes: randomBytes(3000) },
  { name: 'b/empty.txt', bytes: new Uint8Array(0) },
  { name: 'exactly-one-block', bytes: randomBytes(512) },
  { name: `deep/${'d'.repeat(60)}/${'e'.repeat(60)}/file-with-a-long-name.bin`, bytes: randomBytes(50) },
  { name: 'x'.repeat(100), bytes: randomBytes(1) },
  { name: 'y'.repeat(101), bytes: randomBytes(2) },
  { name: `${'p'.repeat(156)}/name`, bytes: randomBytes(3) },
  { name: 'b/ünïcødé name.txt', bytes: Buffer.from('unicode\n') },
  { name: `${'é'.repeat(40)}/${'z'.repeat(200)}`, bytes: randomBytes(70_000) },
  { name: 'big.bin', bytes: randomBytes(1_300_000) },
];

for (const how of ['into', 'sync', 'async', 'chunked'] as const)
  test(`the bytes are tar-stream's for the same files (${how} readers), ustar and pax names alike`, async () => {
    const expected = await tarStreamBytes(FILES);
    const actual = await collect(packFiles(sources(FILES, how)));
    assert.is(actual.byteLength, expected.byteLength);
    assert.ok(actual.equals(expected), 'byte for byte');
  });

test('many small files read into the chunks, mixed with the other readers, are tar-stream\'s bytes too', async () => {
  const files = Array.from({ length: 300 }, (_, i) => ({ name: `d${i % 7}/${'n'.repeat(i % 130)}${i}.bin`, bytes: randomBytes((i * 977) % 9000) }));
  const kinds: How[] = ['into', 'sync', 'async', 'chunked'];
  async function* mixed(): AsyncGenerator<TarFileSource> {
    let i = 0;
    for (const file of files) for await (const source of sources([file], kinds[i++ % kinds.length]!)) yield source;
  }
  assert.ok((await collect(packFiles(mixed()))).equals(await tarStreamBytes(files)));
});

test('a file read into the chunks is never opened, and every file byte is counted once', async () => {
  let opened = 0;
  async function* files(): AsyncGenerator<TarFileSource> {
    for (const size of [10, 4096, 70_000]) {
      const bytes = randomBytes(size);
      yield {
        name: `f${size}`,
        size,
        open: async () => {
          opened++;
          return [bytes];
        },
        readInto: readInto(bytes),
      };
    }
  }
  let counted = 0;
  await collect(packFiles(files(), (n) => (counted += n)));
  assert.is(opened, 0, 'not read ahead');
  assert.is(counted, 10 + 4096 + 70_000);
});

test('an empty list is the end-of-archive blocks alone', async () => {
  assert.ok((await collect(packFiles(sources([], 'sync')))).equals(await tarStreamBytes([])));
});

test('a reader giving another size than announced fails the stream before that entry is complete', async () => {
  const readers = [99, 101].flatMap((length) => [{ readSync: () => randomBytes(length) }, { readInto: readInto(randomBytes(length)) }]);
  for (const reader of readers) {
    async function* files(): AsyncGenerator<TarFileSource> {
      yield { name: 'ok', size: 10, open: async () => [randomBytes(10)], readSync: () => randomBytes(10) };
      yield { name: 'short', size: 100, open: async () => [randomBytes(100)], ...reader };
    }
    let sent = 0;
    const error = await (async () => {
      try {
        for await (const chunk of packFiles(files())) sent += chunk.byteLength;
      } catch (error) {
        return error as Error;
      }
      return null;
    })();
    assert.match(error?.message ?? '', /short: its reader gave/);
    assert.ok(sent < 512 + 512 + 512 + 100, 'the short entry is never complete');
  }
});

test('a reader failing at the end of its file leaves that entry short of its size', async () => {
  const bytes = randomBytes(200_000);
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield bytes.subarray(0, 100_000);
    yield bytes.subarray(100_000);
    throw new Error('corrupt');
  }
  async function* files(): AsyncGenerator<TarFileSource> {
    yield { name: 'bad', size: bytes.byteLength, open: async () => failing() };
  }
  let sent = 0;
  let failure: unknown;
  try {
    for await (const chunk of packFiles(files())) sent += chunk.byteLength;
  } catch (error) {
    failure = error;
  }
  assert.match(String(failure), /corrupt/);
  assert.ok(sent < 512 + bytes.byteLength, `sent ${sent}`);
});

test.run();
