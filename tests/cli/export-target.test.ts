import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../cli/cli-error.ts';
import { checkExportTarget, exportTargets } from '../../cli/export-target.ts';

const test = suite('export target');
let root: string;

test.before.each(async () => {
  root = await mkdtemp(join(tmpdir(), 'sheaf-export-'));
});
test.after.each(async () => {
  await rm(root, { recursive: true, force: true });
});

async function code(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    assert.instance(error, CliError);
    return (error as CliError).code;
  }
  return 'none';
}

test('a missing or empty directory is accepted; a non-empty one or a file is refused', async () => {
  await checkExportTarget(join(root, 'new'));
  await checkExportTarget(root);
  await writeFile(join(root, 'f'), 'x');
  assert.is(await code(() => checkExportTarget(root)), 'DIRECTORY_NOT_EMPTY');
  assert.is(await code(() => checkExportTarget(join(root, 'f'))), 'NOT_A_DIRECTORY');
  await mkdir(join(root, 'hidden-only'));
  await writeFile(join(root, 'hidden-only/.x'), 'x');
  assert.is(await code(() => checkExportTarget(join(root, 'hidden-only'))), 'DIRECTORY_NOT_EMPTY');
});

test('item paths map to files strictly inside the root', () => {
  assert.equal(exportTargets('/out', ['a', 'b/c/d.jpg']), ['/out/a', '/out/b/c/d.jpg']);
});

test('paths that could escape the root or clash are refused before anything is written', async () => {
  for (const path of ['../up', 'a/../../up', '/abs', 'a\\b', 'a//b', 'x\n']) assert.is(await code(() => exportTargets('/out', [path])), 'INVALID_PATH', path);
  assert.is(await code(() => exportTargets('/out', ['sheaf.json'])), 'PATH_CONFLICT');
  assert.is(await code(() => exportTargets('/out', ['a', 'a/b'])), 'PATH_CONFLICT');
  assert.equal(exportTargets('/out', ['sub/sheaf.json', 'a.b', 'a/b']), ['/out/sub/sheaf.json', '/out/a.b', '/out/a/b']);
});

test.run();
