import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BlobTooLargeError, InvalidInputError, InvalidPathError } from '../../../core/errors.ts';
import { spoolTar } from '../../../services/interchange/spool-tar.ts';
import { chunked, tarOf, type TestEntry } from './tar-fixture.ts';

const test = suite('spoolTar');
const LIMITS = { maxBytes: 1 << 20, maxFiles: 100 };
let root: string;
let outside: string;

test.before.each(async () => {
  const base = await mkdtemp(join(tmpdir(), 'sheaf-spool-test-'));
  root = join(base, 'root');
  outside = base;
  await import('node:fs/promises').then((fs) => fs.mkdir(root));
});
test.after.each(async () => {
  await rm(outside, { recursive: true, force: true });
});

async function spool(entries: readonly TestEntry[], limits = LIMITS) {
  return spoolTar(chunked(await tarOf(entries)), root, limits);
}

async function refused(entries: readonly TestEntry[], kind: new (...args: never[]) => Error, pattern: RegExp, limits = LIMITS) {
  try {
    await spool(entries, limits);
  } catch (error) {
    assert.instance(error, kind, String(error));
    assert.match((error as Error).message, pattern);
    // Nothing was ever written outside the spool directory.
    assert.equal((await readdir(outside)).sort(), ['root']);
    return;
  }
  assert.unreachable('the archive was accepted');
}

test('writes the regular files at their names, dropping a leading ./ and skipping directories', async () => {
  const spooled = await spool([
    { name: './', type: 'directory' },
    { name: './images/', type: 'directory' },
    { name: './images/a.jpg', content: 'jpeg bytes' },
    { name: 'annotations/instances.json', content: '{"images":[]}' },
    { name: 'empty.txt', content: '' },
  ]);
  assert.equal(spooled.files, ['images/a.jpg', 'annotations/instances.json', 'empty.txt']);
  assert.is(spooled.bytes, 'jpeg bytes'.length + '{"images":[]}'.length);
  assert.is(await readFile(join(root, 'images/a.jpg'), 'utf8'), 'jpeg bytes');
  assert.is(await readFile(join(root, 'empty.txt'), 'utf8'), '');
});

test('refuses names that climb out, absolute names and other unsafe names', async () => {
  await refused([{ name: '../evil.txt', content: 'x' }], InvalidPathError, /'\.\.' segment/);
  await refused([{ name: 'images/../../evil.txt', content: 'x' }], InvalidPathError, /'\.\.' segment/);
  await refused([{ name: '/etc/evil.txt', content: 'x' }], InvalidPathError, /absolute/);
  await refused([{ name: 'a\\b.txt', content: 'x' }], InvalidPathError, /backslash/);
});

test('refuses links, devices and FIFOs', async () => {
  await refused([{ name: 'link.jpg', type: 'symlink' }], InvalidInputError, /symlink entry/);
  await refused([{ name: 'hard.jpg', type: 'link' }], InvalidInputError, /link entry/);
  await refused([{ name: 'dev', type: 'character-device' }], InvalidInputError, /character-device entry/);
  await refused([{ name: 'disk', type: 'block-device' }], InvalidInputError, /block-device entry/);
  await refused([{ name: 'pipe', type: 'fifo' }], InvalidInputError, /fifo entry/);
});

test('refuses a name given twice, and a file where a folder is', async () => {
  await refused([{ name: 'a.txt', content: '1' }, { name: 'a.txt', content: '2' }], InvalidInputError, /appears twice/);
  await refused([{ name: 'a', content: '1' }, { name: 'a/b.txt', content: '2' }], InvalidInputError, /clashes/);
});

test('holds the limits on bytes and on files', async () => {
  await refused([{ name: 'a.bin', content: new Uint8Array(600) }, { name: 'b.bin', content: new Uint8Array(600) }], BlobTooLargeError, /1000/, {
    maxBytes: 1000,
    maxFiles: 10,
  });
  await refused([{ name: 'a', content: '1' }, { name: 'b', content: '2' }, { name: 'c', content: '3' }], InvalidInputError, /at most 2 files/, {
    maxBytes: 1000,
    maxFiles: 2,
  });
});

test('refuses a stream that is not a tar, and one cut short', async () => {
  try {
    await spoolTar(chunked(Buffer.from('{"this": "is json, not a tar"}'.repeat(40))), root, LIMITS);
    assert.unreachable('accepted');
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.match((error as Error).message, /tar/);
  }
  const whole = await tarOf([{ name: 'a.txt', content: 'x'.repeat(2000) }, { name: 'b.txt', content: 'y' }]);
  for (const cut of [1024, whole.byteLength - 1024]) {
    await rm(root, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(root));
    try {
      await spoolTar(chunked(whole.subarray(0, cut)), root, LIMITS);
      assert.unreachable(`accepted a tar cut at ${cut}`);
    } catch (error) {
      assert.instance(error, InvalidInputError, String(error));
    }
  }
});

test("passes on the source's own failure", async () => {
  const whole = await tarOf([{ name: 'a.txt', content: 'x'.repeat(5000) }]);
  const gone = new Error('client went away');
  async function* failing() {
    yield whole.subarray(0, 1500);
    throw gone;
  }
  try {
    await spoolTar(failing(), root, LIMITS);
    assert.unreachable('accepted');
  } catch (error) {
    assert.is(error, gone);
  }
});

test.run();
