import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BlobClient } from '../../cli/blob-client.ts';
import { CliError } from '../../cli/cli-error.ts';
import { run } from '../../cli/run.ts';
import { ServerConnection } from '../../cli/server-connection.ts';
import { BATCH_MAX_BLOBS, BATCHED_BLOB_MAX_BYTES } from '../../cli/transfer-batches.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const test = suite('push and export move small blobs in batches');
let server: TestServer;
let root: string;

test.before(async () => {
  server = await startTestServer();
  root = await mkdtemp(join(tmpdir(), 'sheaf-batches-'));
});
test.after(async () => {
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function sheaf(...argv: string[]): Promise<any> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  const code = await run([...argv, '--server', server.url, '--json'], {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env: { SHEAF_TOKEN: server.adminToken },
  });
  assert.is(code, 0, `sheaf ${argv.join(' ')}: ${stdout} ${stderr}`);
  return JSON.parse(stdout);
}

/** Requests answered so far by route and method, from the server's own metrics. */
async function requests(method: string, route: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const pattern = new RegExp(`^http_request_duration_seconds_count\\{method="${method}",route="${route}",status="\\d+"\\} (\\d+)$`, 'gm');
  return [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

test('1,200 small files and one large one: three tar uploads and one PUT; export writes them all back', async () => {
  const files = new Map<string, Buffer>();
  for (let i = 0; i < 1200; i++) files.set(`d${i % 7}/f${i}.bin`, randomBytes(100 + (i % 50) * 40));
  // The same content under several names is sent once and written to each.
  const shared = randomBytes(3000);
  for (const path of ['same/a.bin', 'same/b.bin', 'other/c.bin']) files.set(path, shared);
  files.set('empty.txt', Buffer.alloc(0));
  files.set('large.bin', randomBytes(BATCHED_BLOB_MAX_BYTES + 1));
  const source = join(root, 'source');
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(source, path)), { recursive: true });
    await writeFile(join(source, path), bytes);
  }
  await sheaf('dataset', 'create', 'many');

  const tarsBefore = await requests('POST', '/v1/projects/:project/blobs/tar');
  const putsBefore = await requests('PUT', '/v1/projects/:project/blobs');
  const pushed = await sheaf('push', source, '--dataset', 'many', '-m', 'many small files');
  assert.is(pushed.added, files.size);
  const distinct = new Map([...files.values()].map((bytes) => [createHash('sha256').update(bytes).digest('hex'), bytes.byteLength]));
  assert.is(pushed.uploadedBytes, [...distinct.values()].reduce((a, b) => a + b, 0));
  const small = distinct.size - 1;
  assert.is(await requests('POST', '/v1/projects/:project/blobs/tar'), tarsBefore + Math.ceil(small / BATCH_MAX_BLOBS));
  assert.is(await requests('PUT', '/v1/projects/:project/blobs'), putsBefore + 1);

  const fetchesBefore = await requests('POST', '/v1/projects/:project/blobs/fetch');
  const getsBefore = await requests('GET', '/v1/projects/:project/blobs/:hash');
  const target = join(root, 'exported');
  const exported = await sheaf('export', 'many@main', target);
  assert.is(exported.items, files.size);
  assert.is(await requests('POST', '/v1/projects/:project/blobs/fetch'), fetchesBefore + Math.ceil(small / BATCH_MAX_BLOBS));
  assert.is(await requests('GET', '/v1/projects/:project/blobs/:hash'), getsBefore + 1);
  for (const [path, bytes] of files) assert.ok((await readFile(join(target, path))).equals(bytes), `${path} differs`);
});

test('a file that changed since it was hashed fails the batch with FILE_CHANGED or BLOB_HASH_MISMATCH', async () => {
  const client = new BlobClient(new ServerConnection(server.url, server.adminToken), 'default');
  const bytes = randomBytes(2000);
  const path = join(root, 'changing.bin');
  await writeFile(path, bytes);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error as CliError,
    );

  const resized = await failure(client.uploadFiles([{ absolutePath: path, blob: hash, size: 1999 }]));
  assert.instance(resized, CliError);
  assert.is(resized!.code, 'FILE_CHANGED');
  const rewritten = await failure(client.uploadFiles([{ absolutePath: path, blob: 'ab'.repeat(32), size: 2000 }]));
  assert.is(rewritten?.code, 'BLOB_HASH_MISMATCH');
  assert.equal(await client.missing(['ab'.repeat(32)]), new Set(['ab'.repeat(32)]));
});

test.run();
