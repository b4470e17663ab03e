import { createHash, randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  asBody,
  base64Sha256,
  blobUrl,
  errorCode,
  HALF_DUPLEX,
  headStatus,
  put,
  putOk,
  randomChunks,
  rawExchange,
  sha256,
  UNKNOWN,
} from './blob-client.ts';
import { eventually, MiB, startBlobServer, type BlobServer } from './http-fixture.ts';

const test = suite('blob upload routes');
let server: BlobServer; // maxBlobBytes 1 MiB

test.before(async () => {
  server = await startBlobServer({ maxBlobBytes: MiB });
});
test.after(async () => {
  await server?.close();
});

test('uploading the same bytes again answers 200 with created false', async () => {
  const bytes = randomBytes(1000);
  const first = await put(server, bytes);
  assert.is(first.status, 201);
  const again = await put(server, bytes);
  assert.is(again.status, 200);
  assert.equal(await again.json(), { hash: sha256(bytes), size: 1000, created: false });
  await first.body?.cancel();
});

test('an empty body is a blob too', async () => {
  const res = await put(server, Buffer.alloc(0));
  assert.ok(res.status === 201 || res.status === 200);
  const { hash } = (await res.json()) as { hash: string };
  const got = await fetch(blobUrl(server, hash));
  assert.is(got.status, 200);
  assert.is((await got.arrayBuffer()).byteLength, 0);
});

test('a matching Content-Digest or X-Sheaf-Expected-Hash is accepted', async () => {
  const bytes = randomBytes(2000);
  const res = await put(server, bytes, { 'content-digest': `sha-256=:${base64Sha256(bytes)}:` });
  assert.is(res.status, 201);
  assert.is(((await res.json()) as { hash: string }).hash, sha256(bytes));

  const other = randomBytes(2000);
  const both = await put(server, other, {
    'content-digest': `sha-512=:${createHash('sha512').update(other).digest('base64')}:, sha-256=:${base64Sha256(other)}:`,
    'x-sheaf-expected-hash': sha256(other),
  });
  assert.is(both.status, 201);
  await both.body?.cancel();
});

test('a Content-Digest naming only other algorithms is ignored', async () => {
  const bytes = randomBytes(300);
  const res = await put(server, bytes, { 'content-digest': `sha-512=:${createHash('sha512').update(bytes).digest('base64')}:` });
  assert.is(res.status, 201);
  await res.body?.cancel();
});

test('a wrong Content-Digest is refused with 422 and nothing is stored', async () => {
  const bytes = randomBytes(5000);
  const claimed = randomBytes(32).toString('base64');
  const res = await put(server, bytes, { 'content-digest': `sha-256=:${claimed}:` });
  assert.is(res.status, 422);
  const body = (await res.json()) as { error: { code: string; data: { expected: string; actual: string } } };
  assert.is(body.error.code, 'BLOB_HASH_MISMATCH');
  assert.is(body.error.data.actual, sha256(bytes));
  assert.is(body.error.data.expected, Buffer.from(claimed, 'base64').toString('hex'));
  assert.is(await headStatus(server, sha256(bytes)), 404);

  const streamed = await put(server, randomChunks(300_000), { 'x-sheaf-expected-hash': UNKNOWN });
  assert.is(streamed.status, 422);
  await streamed.body?.cancel();
});

test('malformed digest headers are refused with 400', async () => {
  const bytes = randomBytes(100);
  const good = base64Sha256(bytes);
  for (const digest of [
    'sha-256=abc',
    `sha-256=:${good.slice(0, 20)}:`,
    `sha-256=:${good.replace('=', '')}`,
    'sha-256=:!!!!:',
    'SHA 256',
    `sha-256=:${good}:, ,`,
  ]) {
    const res = await put(server, bytes, { 'content-digest': digest });
    assert.is(res.status, 400, digest);
    assert.is(await errorCode(res), 'INVALID_INPUT', digest);
  }
  for (const claimed of ['xyz', sha256(bytes).toUpperCase()]) {
    const res = await put(server, bytes, { 'x-sheaf-expected-hash': claimed });
    assert.is(res.status, 400, claimed);
    assert.is(await errorCode(res), 'INVALID_HASH');
  }
  const disagreeing = await put(server, bytes, { 'content-digest': `sha-256=:${good}:`, 'x-sheaf-expected-hash': UNKNOWN });
  assert.is(disagreeing.status, 400);
  await disagreeing.body?.cancel();
  assert.is(await headStatus(server, sha256(bytes)), 404);
});

test('an upload declaring more than the limit is refused with 413 before it is read', async () => {
  const bytes = randomBytes(MiB + 1);
  const res = await put(server, bytes);
  assert.is(res.status, 413);
  assert.is(await errorCode(res), 'BLOB_TOO_LARGE');
  assert.is(await headStatus(server, sha256(bytes)), 404);
  assert.is(await headStatus(server, UNKNOWN), 404, 'the server answers the next request');
});

test('an upload streaming past the limit is refused with 413 and nothing is stored', async () => {
  const sent: Buffer[] = [];
  const res = await put(server, randomChunks(MiB + 200_000, sent));
  assert.is(res.status, 413);
  assert.is(await errorCode(res), 'BLOB_TOO_LARGE');
  assert.is(await headStatus(server, sha256(Buffer.concat(sent))), 404);
  assert.is(await headStatus(server, UNKNOWN), 404, 'the server answers the next request');
});

test('a client streaming far past the limit still gets its 413', async () => {
  // Much more than the server reads after refusing, so it must close the connection.
  const res = await put(server, randomChunks(64 * MiB));
  assert.is(res.status, 413);
  assert.is(await errorCode(res), 'BLOB_TOO_LARGE');
  assert.is(await headStatus(server, UNKNOWN), 404, 'the server answers the next request');
});

test('after refusing a body, the server reads the rest so the connection serves the next request', async () => {
  const body = randomBytes(MiB + 300_000);
  const head = `HEAD /v1/projects/files/blobs/${UNKNOWN} HTTP/1.1\r\nHost: test\r\n\r\n`;
  const declared = await rawExchange(
    server,
    [`PUT /v1/projects/files/blobs HTTP/1.1\r\nHost: test\r\nContent-Length: ${body.byteLength}\r\n\r\n`, body, head],
    2,
  );
  assert.equal(declared, ['HTTP/1.1 413', 'HTTP/1.1 404']);
  const chunked = await rawExchange(
    server,
    [
      `PUT /v1/projects/files/blobs HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n${body.byteLength.toString(16)}\r\n`,
      body,
      '\r\n0\r\n\r\n',
      head,
    ],
    2,
  );
  assert.equal(chunked, ['HTTP/1.1 413', 'HTTP/1.1 404']);
});

test('a body far past what the server reads after refusing gets its 413 before the connection closes', async () => {
  const chunk = randomBytes(64 * 1024);
  const framed = Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  const statuses = await rawExchange(
    server,
    [`PUT /v1/projects/files/blobs HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n`, ...Array.from({ length: 512 }, () => framed)],
    2,
  );
  assert.equal(statuses, ['HTTP/1.1 413']);
});

test('a client abandoning its upload leaves nothing stored and no error logged', async () => {
  const controller = new AbortController();
  const sent: Buffer[] = [];
  async function* slow(): AsyncGenerator<Uint8Array> {
    for await (const chunk of randomChunks(300_000, sent)) yield chunk;
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const id = 'abandoned-upload';
  await put(server, slow(), { 'x-request-id': id }, controller.signal).then(
    () => assert.unreachable('the upload was aborted'),
    () => {},
  );
  const ofRequest = () => server.log.lines().filter((line) => line.reqId === id);
  await eventually(() => ofRequest().some((line) => line.msg === 'client closed the connection'), 'the abort noted');
  await eventually(() => ofRequest().some((line) => line.msg === 'request' && line.aborted === true), 'an aborted request line');
  const lines = ofRequest();
  assert.not.ok(lines.some((line) => (line.level as number) >= 50), 'not an error');
  assert.is(await headStatus(server, sha256(Buffer.concat(sent))), 404);
});

test('exactly the limit is accepted', async () => {
  const res = await put(server, randomChunks(MiB));
  assert.is(res.status, 201);
  assert.is(((await res.json()) as { size: number }).size, MiB);
});

test('Content-Type is recorded as the media type; octet-stream is not', async () => {
  const png = randomBytes(64);
  const typed = await put(server, png, { 'content-type': 'image/png' });
  assert.is(typed.status, 201);
  const plain = randomBytes(64);
  const untyped = await put(server, plain, { 'content-type': 'application/octet-stream' });
  assert.is(untyped.status, 201);
  const rows = await server.database.db
    .selectFrom('blobs')
    .select(['hash', 'media_type'])
    .where('hash', 'in', [sha256(png), sha256(plain)])
    .execute();
  const byHash = new Map(rows.map((row) => [row.hash, row.media_type]));
  assert.is(byHash.get(sha256(png)), 'image/png');
  assert.is(byHash.get(sha256(plain)), null);

  const bad = await put(server, randomBytes(10), { 'content-type': 'not a type' });
  assert.is(bad.status, 400);
  await Promise.all([typed.body?.cancel(), untyped.body?.cancel(), bad.body?.cancel()]);
});

test('a Content-Encoding is refused with 415', async () => {
  const res = await put(server, randomBytes(10), { 'content-encoding': 'gzip' });
  assert.is(res.status, 415);
  assert.is(await errorCode(res), 'UNSUPPORTED_MEDIA_TYPE');
});

test('POST /v1/projects/files/blobs/missing lists the hashes the server lacks, in order', async () => {
  const a = await putOk(server, randomBytes(10));
  const b = await putOk(server, randomBytes(11));
  const c = 'cd'.repeat(32);
  const ask = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/v1/projects/files/blobs/missing`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  const res = await ask(JSON.stringify({ hashes: [UNKNOWN, a, c, b, UNKNOWN] }));
  assert.is(res.status, 200);
  assert.equal(await res.json(), { missing: [UNKNOWN, c, UNKNOWN] });

  const none = await ask(JSON.stringify({ hashes: [] }));
  assert.equal(await none.json(), { missing: [] });

  for (const body of [JSON.stringify({ hashes: ['nope'] }), JSON.stringify({ hashes: [42] })]) {
    const bad = await ask(body);
    assert.is(bad.status, 400, body);
    assert.is(await errorCode(bad), 'INVALID_HASH', body);
  }
  for (const body of ['{"hashes": [', '', JSON.stringify({ hashes: 'x' }), 'null', '[]']) {
    const bad = await ask(body);
    assert.is(bad.status, 400, body);
    assert.is(await errorCode(bad), 'INVALID_INPUT', body);
  }

  const huge = JSON.stringify({ hashes: Array.from({ length: 20_000 }, () => UNKNOWN) });
  const declared = await ask(huge);
  assert.is(declared.status, 413);
  assert.is(await errorCode(declared), 'PAYLOAD_TOO_LARGE');
  const streamed = await fetch(`${server.url}/v1/projects/files/blobs/missing`, {
    method: 'POST',
    body: asBody(
      (async function* () {
        yield Buffer.from(huge);
      })(),
    ),
    ...HALF_DUPLEX,
  });
  assert.is(streamed.status, 413);
  assert.is(await errorCode(streamed), 'PAYLOAD_TOO_LARGE');
  assert.is(await headStatus(server, UNKNOWN), 404, 'the server answers the next request');
});

test('every response carries an x-request-id; a valid one from the client is echoed back', async () => {
  const plain = await fetch(blobUrl(server, UNKNOWN), { method: 'HEAD' });
  assert.match(plain.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  const echoed = await fetch(blobUrl(server, 'bad'), { headers: { 'x-request-id': 'client.trace-42_A' } });
  assert.is(echoed.status, 400);
  assert.is(echoed.headers.get('x-request-id'), 'client.trace-42_A');
  await echoed.body?.cancel();
  for (const invalid of ['has space', 'x'.repeat(129), 'semi;colon']) {
    const res = await fetch(blobUrl(server, UNKNOWN), { method: 'HEAD', headers: { 'x-request-id': invalid } });
    const id = res.headers.get('x-request-id') ?? '';
    assert.is.not(id, invalid);
    assert.match(id, /^[0-9a-f-]{36}$/);
  }
  const refused = await put(server, randomChunks(MiB + 1));
  assert.is(refused.status, 413);
  assert.ok(refused.headers.get('x-request-id'));
  await refused.body?.cancel();
});

test.run();
