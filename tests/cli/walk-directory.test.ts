import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { walkDirectory } from '../../cli/walk-directory.ts';

const test = suite('walkDirectory');
let root: string;

test.before.each(async () => {
  root = await mkdtemp(join(tmpdir(), 'sheaf-walk-'));
});
test.after.each(async () => {
  await rm(root, { recursive: true, force: true });
});

test('regular files of nested directories, "/"-separated, in item path order; empty directories vanish', async () => {
  for (const dir of ['b/c/d', 'a', 'empty/inner']) await mkdir(join(root, dir), { recursive: true });
  for (const file of ['z.txt', 'b/c/d/deep.bin', 'b/one', 'a/x', 'a.txt', 'b/c/two']) await writeFile(join(root, file), file);
  const { files, skipped } = await walkDirectory(root);
  assert.equal(files.map((f) => f.path), ['a.txt', 'a/x', 'b/c/d/deep.bin', 'b/c/two', 'b/one', 'z.txt']);
  assert.equal(skipped, []);
  assert.is(files[2]!.absolutePath, join(root, 'b/c/d/deep.bin'));
  assert.ok(files.every((f) => !f.undecodable));
});

test('symbolic links to files and directories are skipped and reported, never followed', async () => {
  await mkdir(join(root, 'real'));
  await writeFile(join(root, 'real/file'), 'x');
  await symlink(join(root, 'real/file'), join(root, 'link-to-file'));
  await symlink(join(root, 'real'), join(root, 'link-to-dir'));
  await symlink('/nonexistent', join(root, 'dangling'));
  const { files, skipped } = await walkDirectory(root);
  assert.equal(files.map((f) => f.path), ['real/file']);
  assert.equal(skipped, [
    { path: 'dangling', reason: 'symbolic link' },
    { path: 'link-to-dir', reason: 'symbolic link' },
    { path: 'link-to-file', reason: 'symbolic link' },
  ]);
});

test('FIFOs are skipped as not regular files', async () => {
  try {
    execFileSync('mkfifo', [join(root, 'pipe')]);
  } catch {
    return; // no mkfifo on this system
  }
  await writeFile(join(root, 'file'), 'x');
  const { files, skipped } = await walkDirectory(root);
  assert.equal(files.map((f) => f.path), ['file']);
  assert.equal(skipped, [{ path: 'pipe', reason: 'not a regular file' }]);
});

test('names are walked as they are, including ones item paths refuse', async () => {
  await writeFile(join(root, 'back\\slash'), 'x');
  await writeFile(join(root, 'new\nline'), 'x');
  await writeFile(join(root, 'sheaf.json'), '{}');
  const { files } = await walkDirectory(root);
  assert.equal(files.map((f) => f.path), ['back\\slash', 'new\nline', 'sheaf.json']);
});

test('a name that is not UTF-8 is flagged, and so is everything under it', async () => {
  const latin1 = Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9])]);
  try {
    await mkdir(latin1);
  } catch {
    return; // the file system insists on UTF-8 names
  }
  await writeFile(Buffer.concat([latin1, Buffer.from('/inside')]), 'x');
  await writeFile(join(root, 'fine'), 'x');
  const { files } = await walkDirectory(root);
  assert.equal(files.map((f) => [f.path, f.undecodable]), [
    ['caf\ufffd/inside', true],
    ['fine', false],
  ]);
});

test('a missing root is an error', async () => {
  try {
    await walkDirectory(join(root, 'missing'));
    assert.unreachable('expected ENOENT');
  } catch (error) {
    assert.is((error as NodeJS.ErrnoException).code, 'ENOENT');
  }
});

test.run();
