import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { blobUrl, errorCode, headStatus, putOk, rawExchange, sha256, UNKNOWN } from './blob-client.ts';
import { corruptStoredBlob, MiB, startBlobServer, type BlobServer } from './http-fixture.ts';
import { entriesOf, postFetch, postTar, tarOf, type TarAnswer } from './tar-client.ts';

const test = suite('blob tar routes');
let server: BlobServer; // maxBlobBytes 1 MiB

test.before(async () => {
  server = await startBlobServer({ maxBlobBytes: MiB });
});
test.after(async () => {
  await server?.close();
});

const blobsOf = (count: number, maxSize: number) =>
  Array.from({ length: count }, (_, i) => randomBytes(i === 0 ? 0 : Math.floor(Math.random() * maxSize)));
const named = (contents: Buffer[]) => contents.map((bytes) => ({ name: sha256(bytes), bytes }));

test('many blobs go up in one tar and come back in one tar, byte for byte and in order', async () => {
  const contents = blobsOf(300, 20_000);
  const res = await postTar(server, await tarOf(named(contents)));
  assert.is(res.status, 200);
  const answer = (await res.json()) as TarAnswer;
  assert.equal(
    answer.blobs,
    contents.map((bytes) => ({ hash: sha256(bytes), size: bytes.byteLength, created: true })),
  );
  const again = (await (await postTar(server, await tarOf(named(contents.slice(0, 3))))).json()) as TarAnswer;
  assert.equal(again.blobs.map((b) => b.created), [false, false, false]);

  const hashes = [...contents].reverse().map((bytes) => sha256(bytes));
  const fetched = await postFetch(server, { hashes });
  assert.is(fetched.status, 200);
  assert.is(fetched.headers.get('content-type'), 'application/x-tar');
  const entries = await entriesOf(new Uint8Array(await fetched.arrayBuffer()));
  assert.equal(entries.map((e) => e.name), hashes);
  assert.ok(entries.every((e) => e.type === 'file'));
  for (const [i, bytes] of [...contents].reverse().entries()) assert.ok(entries[i]!.bytes.equals(bytes), `entry ${i} differs`);
  const single = await fetch(blobUrl(server, hashes[7]!));
  assert.ok(Buffer.from(await single.arrayBuffer()).equals(entries[7]!.bytes));
});

test('a tar written by another tool is accepted: a blob larger than one read, names in a pax header', async () => {
  const big = randomBytes(MiB - 1);
  const tar = await tarOf([{ name: sha256(big), bytes: big }]);
  assert.is((await postTar(server, tar)).status, 200);
  assert.is(await headStatus(server, sha256(big)), 200);
  // An empty archive is two zero blocks: nothing to store, nothing wrong.
  const empty = await postTar(server, Buffer.alloc(1024));
  assert.is(empty.status, 200);
  assert.equal(await empty.json(), { blobs: [] });
});

test('content not matching its entry name: 422, the entries before it are stored and listed', async () => {
  const contents = blobsOf(6, 5000);
  const wrong = randomBytes(3000);
  const entries = [...named(contents.slice(0, 4)), { name: UNKNOWN, bytes: wrong }, ...named(contents.slice(4))];
  const res = await postTar(server, await tarOf(entries));
  assert.is(res.status, 422);
  const answer = (await res.json()) as TarAnswer;
  assert.is(answer.error?.code, 'BLOB_HASH_MISMATCH');
  assert.equal(answer.error?.data, { expected: UNKNOWN, actual: sha256(wrong) });
  // Entries after the bad one may have been stored while it was being checked; never it.
  assert.equal(answer.blobs.slice(0, 4).map((b) => b.hash), contents.slice(0, 4).map((b) => sha256(b)));
  for (const bytes of contents.slice(0, 4)) assert.is(await headStatus(server, sha256(bytes)), 200);
  assert.is(await headStatus(server, sha256(wrong)), 404);
  assert.is(await headStatus(server, UNKNOWN), 404);
});

test('an entry name that is not a blob hash: 400 INVALID_HASH', async () => {
  const first = randomBytes(100);
  for (const name of ['hello.txt', UNKNOWN.toUpperCase(), `dir/${UNKNOWN}`, `${UNKNOWN}0`]) {
    const res = await postTar(server, await tarOf([{ name: sha256(first), bytes: first }, { name, bytes: randomBytes(10) }]));
    assert.is(res.status, 400, name);
    const answer = (await res.json()) as TarAnswer;
    assert.is(answer.error?.code, 'INVALID_HASH', name);
    assert.equal(answer.blobs.map((b) => b.hash), [sha256(first)], name);
  }
});

test('an entry that is not a regular file: 400, and nothing of it is stored', async () => {
  for (const type of ['directory', 'symlink', 'fifo'] as const) {
    const res = await postTar(server, await tarOf([{ name: UNKNOWN, type }]));
    assert.is(res.status, 400, type);
    const answer = (await res.json()) as TarAnswer;
    assert.is(answer.error?.code, 'INVALID_INPUT', type);
    assert.match(answer.error!.message, /only regular files/);
    assert.equal(answer.blobs, []);
  }
});

test('more than 10,000 entries: 400 once the 10,001st arrives', async () => {
  const empty = new Uint8Array();
  const entries = Array.from({ length: 10_001 }, () => ({ name: sha256(empty), bytes: empty }));
  const res = await postTar(server, await tarOf(entries));
  assert.is(res.status, 400);
  const answer = (await res.json()) as TarAnswer;
  assert.is(answer.error?.code, 'INVALID_INPUT');
  assert.match(answer.error!.message, /at most 10000 tar entries/);
  assert.is(answer.blobs.length, 10_000);
});

test('a truncated tar is 400, cut inside an entry or between entries; what came whole is stored', async () => {
  const contents = blobsOf(3, 4000).map((b) => Buffer.concat([b, randomBytes(600)]));
  const tar = await tarOf(named(contents));
  const withoutEnd = tar.subarray(0, tar.byteLength - 1024);
  for (const [what, body] of [
    ['inside the last entry', withoutEnd.subarray(0, withoutEnd.byteLength - 700)],
    ['inside a header', withoutEnd.subarray(0, withoutEnd.byteLength - sizeOnDisk(contents[2]!) + 100)],
    ['before the end-of-archive blocks', withoutEnd],
    ['inside the end-of-archive blocks', tar.subarray(0, tar.byteLength - 512)],
  ] as const) {
    const res = await postTar(server, body);
    assert.is(res.status, 400, what);
    const answer = (await res.json()) as TarAnswer;
    assert.is(answer.error?.code, 'INVALID_INPUT', what);
    assert.equal(answer.blobs.slice(0, 2).map((b) => b.hash), contents.slice(0, 2).map((b) => sha256(b)), what);
  }
  for (const junk of [Buffer.from('not a tar at all'), randomBytes(4096), Buffer.alloc(0)]) {
    const res = await postTar(server, junk);
    assert.is(res.status, 400);
    assert.is(((await res.json()) as TarAnswer).error?.code, 'INVALID_INPUT');
  }
});

test('an entry over the size limit: 413 from its header, before its bytes are read', async () => {
  const small = randomBytes(10);
  const big = randomBytes(MiB + 1);
  const res = await postTar(server, await tarOf([{ name: sha256(small), bytes: small }, { name: sha256(big), bytes: big }]));
  assert.is(res.status, 413);
  const answer = (await res.json()) as TarAnswer;
  assert.is(answer.error?.code, 'BLOB_TOO_LARGE');
  assert.equal(answer.blobs.map((b) => b.hash), [sha256(small)]);
  assert.is(await headStatus(server, sha256(big)), 404);
});

test('a tar upload declaring more than 64 × maxBlobBytes is refused before it is read', async () => {
  const head = `POST /v1/projects/files/blobs/tar HTTP/1.1\r\nHost: x\r\nContent-Length: ${64 * MiB + 1}\r\n\r\n`;
  assert.equal(await rawExchange(server, [head], 1), ['HTTP/1.1 413']);
  const encoded = await fetch(`${server.url}/v1/projects/files/blobs/tar`, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: Buffer.alloc(1024) });
  assert.is(encoded.status, 415);
});

test('fetch of an unknown blob is 404 before any of the tar is sent', async () => {
  const known = await putOk(server, randomBytes(50));
  const res = await postFetch(server, { hashes: [known, UNKNOWN, known] });
  assert.is(res.status, 404);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = (await res.json()) as { error: { code: string; data: { id: string } } };
  assert.is(body.error.code, 'NOT_FOUND');
  assert.is(body.error.data.id, UNKNOWN);
});

test('fetch of nothing is an empty archive; malformed requests are 400', async () => {
  const empty = await postFetch(server, { hashes: [] });
  assert.is(empty.status, 200);
  assert.equal(await entriesOf(new Uint8Array(await empty.arrayBuffer())), []);
  for (const body of ['not json', '{}', '{"hashes":"abc"}', '{"hashes":[1]}', JSON.stringify({ hashes: ['xyz'] })]) {
    const res = await postFetch(server, body);
    assert.is(res.status, 400, body);
    assert.ok(['INVALID_INPUT', 'INVALID_HASH'].includes(await errorCode(res)), body);
  }
  const tooMany = await postFetch(server, { hashes: Array.from({ length: 10_001 }, () => UNKNOWN) });
  assert.is(tooMany.status, 400);
  assert.is(await errorCode(tooMany), 'INVALID_INPUT');
});

test('a corrupt blob cuts the fetched tar short, and is logged', async () => {
  const good = randomBytes(2000);
  const bytes = randomBytes(3000);
  const hash = await putOk(server, bytes);
  await putOk(server, good);
  await corruptStoredBlob(server.store, hash, bytes[0]!);

  let failed = false;
  try {
    const res = await postFetch(server, { hashes: [sha256(good), hash] });
    await entriesOf(new Uint8Array(await res.arrayBuffer()));
  } catch {
    failed = true;
  }
  assert.ok(failed, 'the client must see the download fail');
  const logged = server.log.lines().find((line) => line.msg === 'tar download failed after the response started');
  assert.is((logged?.err as { type?: string } | undefined)?.type, 'CorruptObjectError');
});

test('tar traffic is counted in the blob byte metrics', async () => {
  const scrape = async (name: string) => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? 0);
  };
  const uploaded = await scrape('sheaf_blob_bytes_uploaded_total');
  const downloaded = await scrape('sheaf_blob_bytes_downloaded_total');
  const contents = [randomBytes(1000), randomBytes(2000)];
  const tar = await tarOf(named(contents));
  assert.is((await postTar(server, tar)).status, 200);
  await (await postFetch(server, { hashes: contents.map((b) => sha256(b)) })).arrayBuffer();
  // Uploads count the request body as received; downloads count blob content handed on.
  assert.is(await scrape('sheaf_blob_bytes_uploaded_total'), uploaded + tar.byteLength);
  assert.is(await scrape('sheaf_blob_bytes_downloaded_total'), downloaded + 3000);
});

/** Bytes an entry takes in a tar: its header block and its content padded to whole blocks. */
function sizeOnDisk(bytes: Uint8Array): number {
  return 512 + Math.ceil(bytes.byteLength / 512) * 512;
}

test.run();
