import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sha256Hex } from '../../../core/hash.ts';

const WRITER = fileURLToPath(new URL('./blob-writer-process.ts', import.meta.url));

/** Every file of the store's fan-out directories, as [relative path, bytes]. */
async function blobFiles(root: string): Promise<[string, Buffer][]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(root.length + 1));
  return Promise.all(files.filter((f) => !f.startsWith('tmp/')).map(async (f) => [f, await readFile(join(root, f))] as [string, Buffer]));
}

/** Starts the writer, lets it acknowledge `puts` blobs, then kills it; resolves to the acknowledged hashes. */
async function killWriterAfter(root: string, puts: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, root], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const exited = once(child, 'exit');
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.split('\n').length > puts) resolve();
    });
    child.on('exit', () => resolve());
  });
  child.kill('SIGKILL');
  const [code, signal] = await exited;
  assert.is(signal, 'SIGKILL', `the writer was killed mid-write (exit code ${code})`);
  return out.split('\n').filter((line) => /^[0-9a-f]{64}$/.test(line));
}

const test = suite('FsBlobStore after a killed writer');
let dir = '';
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheaf-fs-blob-crash-'));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a writer killed mid-batch leaves only complete blobs at final names, acknowledged ones included', async () => {
  const root = join(dir, 'blobs');
  const acknowledged = new Set<string>();
  // Several kills at different points of the writes, into the same store.
  for (const puts of [5, 40, 90]) for (const hash of await killWriterAfter(root, puts)) acknowledged.add(hash);
  const files = await blobFiles(root);
  assert.ok(files.length >= acknowledged.size);
  for (const [path, bytes] of files) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    assert.is(`${name.slice(0, 2)}/${name.slice(2, 4)}/${name}`, path, 'a blob is at root/ab/cd/<hash>');
    assert.is(sha256Hex(bytes), name, `${path} holds exactly the bytes it is named after`);
  }
  const stored = new Set(files.map(([path]) => path.slice(path.lastIndexOf('/') + 1)));
  for (const hash of acknowledged) assert.ok(stored.has(hash), `acknowledged ${hash} is stored`);
});

test.run();
