import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, truncate, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsBlobStore } from '../../../adapters/blob/fs-blob-store.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import type { BlobHash, SnapshotHash } from '../../../core/ids.ts';
import { SYNC_READ_MAX_BYTES } from '../../../services/blob-service.ts';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';
import { corruptStoredBlob } from './http-fixture.ts';
import { commitItems, getSnapshot } from './provision-fixture.ts';
import { entriesOf } from './tar-client.ts';

const test = suite('snapshot tar streams: verification');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let api: TestServer;
let dataDir: string;
let store: FsBlobStore;

test.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sheaf-tar-verify-'));
  api = await startTestServer({ dataDir });
  store = new FsBlobStore({ root: join(dataDir, 'blobs') });
});

test.after(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The whole body, or the error that cut it short. */
async function body(snapshot: string, query: string): Promise<{ bytes?: Buffer; error?: unknown }> {
  // A failure before the first chunk closes the connection before even the status line.
  try {
    const response = await getSnapshot(api, snapshot, `tar${query}`);
    assert.is(response.status, 200);
    return { bytes: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    return { error };
  }
}

for (const size of [3000, 200_000, 700_000])
  test(`a blob of ${size} bytes changed on disk is sent as stored by default, and cuts the stream short with verify=1`, async () => {
    const bytes = randomBytes(size);
    const snapshot = await commitItems(api, { dataset: `changed-${size}`, items: [{ path: 'a.bin', bytes }, { path: 'b.bin', bytes: randomBytes(10) }] });
    await corruptStoredBlob(store, sha256(bytes), bytes[0]!);

    const plain = await body(snapshot, '');
    assert.ok(plain.bytes, 'the default read completes');
    const entries = await entriesOf(plain.bytes!);
    assert.equal(entries.map((e) => e.name), ['a.bin', 'b.bin']);
    assert.is(entries[0]!.bytes[0], bytes[0]! ^ 0xff, 'the bytes as stored');

    const verified = await body(snapshot, '?verify=1');
    assert.ok(verified.error !== undefined || verified.bytes!.byteLength < 512 + size, 'a verified read never completes the changed entry');
  });

test('a blob whose file lost bytes fails the stream even without verify', async () => {
  const bytes = randomBytes(5000);
  const snapshot = await commitItems(api, { dataset: 'truncated', items: [{ path: 'a.bin', bytes }] });
  const path = store.pathOf(sha256(bytes) as BlobHash);
  await chmod(path, 0o644);
  await truncate(path, 4000);
  const { bytes: got, error } = await body(snapshot, '');
  assert.ok(error !== undefined || got!.byteLength < 512 + 5000, 'never a complete entry');
});

test('a blocking read of a blob over the limit is refused before reading, and leaves the buffer untouched', async () => {
  const bytes = randomBytes(SYNC_READ_MAX_BYTES + 1);
  const snapshot = (await commitItems(api, { dataset: 'over-limit', items: [{ path: 'big.bin', bytes }] })) as SnapshotHash;
  const admin = (await api.server.services.identity.authenticate({ bearer: api.adminToken }))!.actor;
  const reader = await api.server.services.blobs.provisionReaderOf(admin, 'default', snapshot, { verify: false });
  const target = Buffer.alloc(bytes.byteLength + 1, 7);
  assert.throws(() => reader.readSmallInto!(sha256(bytes) as BlobHash, bytes.byteLength, target, 0), (error: unknown) => error instanceof InvalidInputError && /at most/.test((error as Error).message));
  assert.ok(target.every((byte) => byte === 7), 'nothing read into the buffer');
  // The same blob streams whole.
  const chunks: Buffer[] = [];
  for await (const chunk of await reader.open(sha256(bytes) as BlobHash)) chunks.push(Buffer.from(chunk));
  assert.ok(Buffer.concat(chunks).equals(bytes));
});

test('verify takes only 1', async () => {
  const snapshot = await commitItems(api, { dataset: 'param', items: [{ path: 'a.bin', bytes: randomBytes(10) }] });
  const response = await getSnapshot(api, snapshot, 'tar?verify=yes');
  assert.is(response.status, 400);
  assert.is(((await response.json()) as { error: { code: string } }).error.code, 'INVALID_INPUT');
});

test.run();
