import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError, InvalidPathError } from '../../core/errors.ts';
import { directorySource } from '../../formats/directory-source.ts';

const test = suite('directorySource');
const RACCOONS = fileURLToPath(new URL('../../../shared/data/images/raccoon_voc_subset/', import.meta.url));
let dir: string;
let outside: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheaf-dirsource-'));
  outside = await mkdtemp(join(tmpdir(), 'sheaf-outside-'));
  await mkdir(join(dir, 'images', 'b'), { recursive: true });
  await writeFile(join(dir, 'labels.csv'), '\ufeffpath,label\r\nimages/a.jpg,cat\r\n');
  await writeFile(join(dir, 'images', 'b', 'z.txt'), 'z');
  await writeFile(join(dir, 'images', 'a.jpg'), 'not really an image');
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await symlink(join(dir, 'labels.csv'), join(dir, 'images', 'linked.csv'));
  await symlink(join(dir, 'images', 'b'), join(dir, 'folder-link'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.unreachable('expected a rejection');
  throw new Error('unreachable');
}

test('lists every regular file, sorted, with /-separated relative paths; links inside the root are files, linked folders are not followed', async () => {
  const source = directorySource(dir);
  assert.equal(await source.list(), ['images/a.jpg', 'images/b/z.txt', 'images/linked.csv', 'labels.csv']);
});

test('reads text without its byte-order mark and streams lines with 1-based numbers', async () => {
  const source = directorySource(dir);
  assert.is(await source.readText('labels.csv'), 'path,label\r\nimages/a.jpg,cat\r\n');
  const lines = [];
  for await (const line of source.lines('labels.csv')) lines.push(line);
  assert.equal(lines, [
    { line: 1, text: 'path,label' },
    { line: 2, text: 'images/a.jpg,cat' },
  ]);
});

test('exists is true for files only', async () => {
  const source = directorySource(dir);
  assert.is(await source.exists('images/a.jpg'), true);
  assert.is(await source.exists('images/linked.csv'), true);
  assert.is(await source.exists('images'), false);
  assert.is(await source.exists('images/missing.jpg'), false);
  assert.is(await source.exists('labels.csv/below'), false);
});

test('refuses .., absolute paths and backslashes with InvalidPathError', async () => {
  const source = directorySource(join(dir, 'images'));
  for (const path of ['../labels.csv', 'b/../../labels.csv', '/etc/passwd', join(dir, 'labels.csv'), 'b\\z.txt', './a.jpg', '']) {
    for (const call of [() => source.readText(path), () => source.exists(path), () => source.imageSize(path), () => source.lines(path)[Symbol.asyncIterator]().next()]) {
      const error = await rejection(call());
      assert.instance(error, InvalidPathError, `${path} is refused`);
    }
  }
});

test('refuses a symbolic link leading outside the root, in list and in reads', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sheaf-escape-'));
  try {
    await writeFile(join(root, 'ok.txt'), 'ok');
    await symlink(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    await symlink(outside, join(root, 'escape-dir'));
    const source = directorySource(root);
    assert.instance(await rejection(source.list()), InvalidInputError);
    assert.instance(await rejection(source.readText('escape.txt')), InvalidPathError);
    assert.instance(await rejection(source.exists('escape.txt')), InvalidPathError);
    assert.instance(await rejection(source.readText('escape-dir/secret.txt')), InvalidPathError);
    assert.is(await source.readText('ok.txt'), 'ok');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('imageSize reads a real photo and refuses a file that is not an image', async () => {
  const source = directorySource(RACCOONS);
  assert.equal(await source.imageSize('images/raccoon-1.jpg'), { width: 650, height: 417 });
  const error = await rejection(directorySource(dir).imageSize('images/a.jpg'));
  assert.instance(error, InvalidInputError);
});

test('imageSize refuses an image larger than the pixel limit', async () => {
  const error = await rejection(directorySource(RACCOONS, { maxImagePixels: 1000 }).imageSize('images/raccoon-1.jpg'));
  assert.instance(error, InvalidInputError);
  assert.match(error.message, /more than 1000 pixels/);
});

test.run();
