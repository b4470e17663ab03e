import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { blobUrl, errorCode, put, putOk, randomChunks, sha256, UNKNOWN } from './blob-client.ts';
import { corruptStoredBlob, MiB, startBlobServer, type BlobServer } from './http-fixture.ts';

const test = suite('blob download routes');
let server: BlobServer; // maxBlobBytes 16 MiB, for multi-megabyte round trips

test.before(async () => {
  server = await startBlobServer({ maxBlobBytes: 16 * MiB });
});
test.after(async () => {
  await server?.close();
});

test('a streamed multi-megabyte upload downloads byte for byte, with caching headers', async () => {
  const sent: Buffer[] = [];
  const res = await put(server, randomChunks(5 * MiB + 12_345, sent));
  const original = Buffer.concat(sent);
  assert.is(res.status, 201);
  const hash = sha256(original);
  assert.equal(await res.json(), { hash, size: original.byteLength, created: true });
  assert.is(res.headers.get('location'), `/v1/projects/files/blobs/${hash}`);

  const got = await fetch(blobUrl(server, hash));
  assert.is(got.status, 200);
  assert.is(got.headers.get('content-length'), String(original.byteLength));
  assert.is(got.headers.get('etag'), `"${hash}"`);
  assert.is(got.headers.get('accept-ranges'), 'bytes');
  assert.is(got.headers.get('cache-control'), 'private, max-age=31536000, immutable');
  assert.is(got.headers.get('content-type'), 'application/octet-stream');
  const chunks: Uint8Array[] = [];
  for await (const chunk of got.body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  assert.ok(Buffer.concat(chunks).equals(original), 'downloaded bytes differ');
});

test('HEAD and GET: 200 with length, 400 for a malformed hash, 404 for an unknown one', async () => {
  const bytes = randomBytes(777);
  const hash = await putOk(server, bytes);
  const head = await fetch(blobUrl(server, hash), { method: 'HEAD' });
  assert.is(head.status, 200);
  assert.is(head.headers.get('content-length'), '777');
  assert.is(head.headers.get('etag'), `"${hash}"`);

  for (const method of ['HEAD', 'GET']) {
    for (const malformed of ['nothex', hash.toUpperCase(), hash + '0']) {
      const res = await fetch(blobUrl(server, malformed), { method });
      assert.is(res.status, 400, `${method} ${malformed}`);
      assert.is(res.headers.get('cache-control'), 'no-store');
      if (method === 'GET') assert.is(await errorCode(res), 'INVALID_HASH');
    }
    const unknown = await fetch(blobUrl(server, UNKNOWN), { method });
    assert.is(unknown.status, 404, method);
    if (method === 'GET') assert.is(await errorCode(unknown), 'NOT_FOUND');
  }
});

test('byte ranges', async () => {
  const bytes = randomBytes(1000);
  const hash = await putOk(server, bytes);
  const ranged = (range: string, headers: Record<string, string> = {}) =>
    fetch(blobUrl(server, hash), { headers: { range, ...headers } });

  const cases: [string, number, number][] = [
    ['bytes=10-19', 10, 20],
    ['bytes=990-5000', 990, 1000],
    ['bytes=-100', 900, 1000],
    ['bytes=-5000', 0, 1000],
    ['bytes=500-', 500, 1000],
    ['bytes=0-0', 0, 1],
  ];
  for (const [range, start, end] of cases) {
    const res = await ranged(range);
    assert.is(res.status, 206, range);
    assert.is(res.headers.get('content-range'), `bytes ${start}-${end - 1}/1000`, range);
    assert.is(res.headers.get('content-length'), String(end - start), range);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(start, end)), range);
  }

  for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
    const res = await ranged(range);
    assert.is(res.status, 416, range);
    assert.is(res.headers.get('content-range'), 'bytes */1000', range);
    assert.is(await errorCode(res), 'RANGE_NOT_SATISFIABLE');
  }

  for (const range of ['bytes=0-1,5-6', 'bytes=20-10', 'items=0-1', 'bytes=abc']) {
    const res = await ranged(range);
    assert.is(res.status, 200, range);
    assert.is(res.headers.get('content-range'), null, range);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes), range);
  }

  const matching = await ranged('bytes=0-9', { 'if-range': `"${hash}"` });
  assert.is(matching.status, 206);
  await matching.body?.cancel();
  const stale = await ranged('bytes=0-9', { 'if-range': `"${UNKNOWN}"` });
  assert.is(stale.status, 200);
  await stale.body?.cancel();
});

test('If-None-Match with the ETag answers 304', async () => {
  const hash = await putOk(server, randomBytes(100));
  for (const tag of [`"${hash}"`, `W/"${hash}"`, `"${UNKNOWN}", "${hash}"`, '*']) {
    const res = await fetch(blobUrl(server, hash), { headers: { 'if-none-match': tag } });
    assert.is(res.status, 304, tag);
    assert.is(res.headers.get('etag'), `"${hash}"`);
  }
  const other = await fetch(blobUrl(server, hash), { headers: { 'if-none-match': `"${UNKNOWN}"` } });
  assert.is(other.status, 200);
  await other.body?.cancel();
});

for (const size of [3000, 700_000]) test(`a corrupt blob of ${size} bytes is never delivered as a complete response`, async () => {
  const bytes = randomBytes(size);
  const hash = await putOk(server, bytes);
  await corruptStoredBlob(server.store, hash, bytes[0]!);

  // A blob that fits in one read chunk is held back until verified: the connection closes before
  // even the status line went out. A larger one fails part-way through its body.
  let failed = false;
  try {
    await (await fetch(blobUrl(server, hash))).arrayBuffer();
  } catch {
    failed = true;
  }
  assert.ok(failed, 'the client must see the download fail');
  const logged = server.log
    .lines()
    .find((line) => line.msg === 'blob download failed after the response started' && (line.err as { message: string }).message.includes(hash));
  assert.ok(logged, 'the failure is logged');
  assert.is((logged!.err as { type: string }).type, 'CorruptObjectError');
});

test.run();
