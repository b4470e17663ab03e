import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../cli/cli-error.ts';
import { tarEntries } from '../../cli/tar-entries.ts';
import { tarOfFiles, type TarFile } from '../../cli/tar-of-files.ts';

const test = suite('tar of files, and reading tar entries');
let dir: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheaf-tar-'));
});
test.after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function fileOf(name: string, bytes: Buffer): Promise<TarFile> {
  const absolutePath = join(dir, name);
  await writeFile(absolutePath, bytes);
  return { absolutePath, blob: sha256(bytes), size: bytes.byteLength };
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

test('files go in as entries named by their hash and come out byte for byte, whatever the chunking', async () => {
  const contents = [randomBytes(0), randomBytes(511), randomBytes(512), randomBytes(700_000), randomBytes(3)];
  const files = await Promise.all(contents.map((bytes, i) => fileOf(`f${i}`, bytes)));
  let reported = 0;
  const tar = await collect(tarOfFiles(files, (n) => (reported += n)));
  assert.is(reported, contents.reduce((sum, bytes) => sum + bytes.byteLength, 0));
  for (const piece of [tar.byteLength, 1000, 7]) {
    const out: { name: string; bytes: Buffer }[] = [];
    for await (const entry of tarEntries(inPieces(tar, piece))) out.push({ name: entry.name, bytes: await collect(entry.content) });
    assert.equal(out.map((e) => e.name), files.map((f) => f.blob));
    for (const [i, bytes] of contents.entries()) assert.ok(out[i]!.bytes.equals(bytes), `entry ${i} differs`);
  }
});

test('a file whose size changed since it was hashed fails with FILE_CHANGED', async () => {
  const grown = await fileOf('grown', randomBytes(1000));
  await appendFile(grown.absolutePath, 'x');
  const shrunk = await fileOf('shrunk', randomBytes(1000));
  await writeFile(shrunk.absolutePath, randomBytes(999));
  for (const file of [grown, shrunk]) {
    const error = await collect(tarOfFiles([file])).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, CliError);
    assert.is((error as CliError).code, 'FILE_CHANGED');
  }
});

test('a tar cut short, or bytes that are no tar, fail with CORRUPT_OBJECT; a failing source with its own error', async () => {
  const tar = await collect(tarOfFiles([await fileOf('a', randomBytes(5000))]));
  for (const broken of [tar.subarray(0, 3000), randomBytes(2048)]) {
    const error = await (async () => {
      for await (const entry of tarEntries(inPieces(broken, 1000))) await collect(entry.content);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, CliError);
    assert.is((error as CliError).code, 'CORRUPT_OBJECT');
  }
  const gone = new CliError('UNREACHABLE', 'connection dropped');
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield tar.subarray(0, 1500);
    throw gone;
  }
  const error = await (async () => {
    for await (const entry of tarEntries(failing())) await collect(entry.content);
  })().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.is(error, gone);
});

test.run();
