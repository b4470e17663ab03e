import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { preferredFormat, previewRoutes } from '../../../server/http/preview-routes.ts';
import { requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { grayPng } from '../../adapters/image/png-fixture.ts';
import { startTestServer } from '../../helpers/test-server.ts';
import { decoded, OTHER, PHOTOS, solidJpeg, startPreviewFixture, type PreviewFixture } from '../../services/previews/preview-fixture.ts';
import { capturingLogger, serve, type Served } from './http-fixture.ts';

const test = suite('preview routes');
let f: PreviewFixture;
let http: Served;
let photo: string; // a 4000 × 3000 JPEG in PHOTOS

// What Chrome sends for an <img>.
const BROWSER_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

test.before(async () => {
  f = await startPreviewFixture();
  const app = new Koa<RequestState>();
  app.use(requestContext(capturingLogger().logger));
  // Authentication has its own tests: the header names who is asking.
  app.use((ctx, next) => {
    ctx.state.actor = ctx.get('x-as') === 'stranger' ? f.stranger : f.owner;
    return next();
  });
  const router = previewRoutes({ previews: f.previews });
  app.use(router.routes()).use(router.allowedMethods());
  http = await serve(app);
  photo = await f.store(await solidJpeg(4000, 3000));
});
test.after(async () => {
  await http?.close();
  await f?.close();
});

const url = (hash: string, query = '', project = PHOTOS) => `${http.url}/v1/projects/${project}/blobs/${hash}/preview${query}`;

async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

test('answers a JPEG scaled to fit, with immutable private caching and an ETag', async () => {
  const response = await fetch(url(photo));
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'image/jpeg');
  assert.is(response.headers.get('cache-control'), 'private, max-age=31536000, immutable');
  assert.is(response.headers.get('vary'), 'Accept');
  assert.is(response.headers.get('etag'), `"${photo}.w1280.v1.jpeg"`);
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.is(response.headers.get('content-length'), String(bytes.byteLength));
  const image = await decoded(bytes);
  assert.equal([image.format, image.width, image.height], ['jpeg', 1280, 960]);

  const small = await decoded(Buffer.from(await (await fetch(url(photo, '?width=300'))).arrayBuffer()));
  assert.equal([small.width, small.height], [300, 225]);
  const clamped = await fetch(url(photo, '?width=1'));
  assert.is(clamped.headers.get('etag'), `"${photo}.w64.v1.jpeg"`);
  assert.equal([(await decoded(Buffer.from(await clamped.arrayBuffer()))).width], [64]);
});

test('WebP when the Accept header prefers it', async () => {
  const response = await fetch(url(photo, '?width=400'), { headers: { accept: BROWSER_ACCEPT } });
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'image/webp');
  assert.is(response.headers.get('etag'), `"${photo}.w400.v1.webp"`);
  const image = await decoded(Buffer.from(await response.arrayBuffer()));
  assert.equal([image.format, image.width, image.height], ['webp', 400, 300]);
});

test('Accept negotiation', () => {
  assert.is(preferredFormat(''), 'jpeg');
  assert.is(preferredFormat('*/*'), 'jpeg');
  assert.is(preferredFormat('image/*'), 'jpeg');
  assert.is(preferredFormat(BROWSER_ACCEPT), 'webp');
  assert.is(preferredFormat('image/webp,*/*'), 'webp');
  assert.is(preferredFormat('image/jpeg, image/webp'), 'jpeg');
  assert.is(preferredFormat('image/jpeg;q=0.5, image/webp'), 'webp');
  assert.is(preferredFormat('image/webp;q=0.5, image/jpeg'), 'jpeg');
  assert.is(preferredFormat('image/webp;q=0, */*'), 'jpeg');
  assert.is(preferredFormat('IMAGE/WEBP ; q=1 , image/*;q=0.9'), 'webp');
});

test('the second request comes from the cache: no second decode', async () => {
  const hash = await f.store(await solidJpeg(900, 600));
  const before = f.renders.length;
  const first = Buffer.from(await (await fetch(url(hash, '?width=450'))).arrayBuffer());
  assert.is(f.renders.length, before + 1);
  const second = await fetch(url(hash, '?width=450'));
  assert.is(second.status, 200);
  assert.ok(Buffer.from(await second.arrayBuffer()).equals(first));
  assert.is(f.renders.length, before + 1, 'answered without decoding');
  assert.ok(f.cache.stats().hits >= 1);
});

test('If-None-Match on the ETag: 304 without decoding; HEAD announces the length', async () => {
  const hash = await f.store(await solidJpeg(500, 500));
  const first = await fetch(url(hash, '?width=100'));
  const etag = first.headers.get('etag')!;
  const length = first.headers.get('content-length');
  await first.arrayBuffer();
  const before = { renders: f.renders.length, hits: f.cache.stats().hits };
  const cached = await fetch(url(hash, '?width=100'), { headers: { 'if-none-match': etag } });
  assert.is(cached.status, 304);
  assert.is(cached.headers.get('etag'), etag);
  assert.is(cached.headers.get('cache-control'), 'private, max-age=31536000, immutable');
  assert.is(f.renders.length, before.renders);
  assert.is(f.cache.stats().hits, before.hits, 'not even the cache was read');
  // Another width is another representation.
  assert.is((await fetch(url(hash, '?width=101'), { headers: { 'if-none-match': etag } })).status, 200);
  const head = await fetch(url(hash, '?width=100'), { method: 'HEAD' });
  assert.is(head.status, 200);
  assert.is(head.headers.get('content-length'), length);
});

test("404 for another project's blob, 403 in a project without access, 400 for a bad hash or width", async () => {
  const notHeld = await fetch(url(photo, '', OTHER), { headers: { 'x-as': 'stranger' } });
  assert.is(notHeld.status, 404);
  assert.is(await errorOf(notHeld), 'NOT_FOUND');
  const forbidden = await fetch(url(photo), { headers: { 'x-as': 'stranger' } });
  assert.is(forbidden.status, 403);
  assert.is(await errorOf(forbidden), 'FORBIDDEN');
  const badHash = await fetch(url('abc'));
  assert.is(badHash.status, 400);
  assert.is(await errorOf(badHash), 'INVALID_HASH');
  for (const query of ['?width=abc', '?width=-5', '?width=1.5', '?width=1&width=2']) {
    const response = await fetch(url(photo, query));
    assert.is(response.status, 400, query);
    assert.is(await errorOf(response), 'INVALID_INPUT', query);
  }
});

test('415 for a text blob and for an image over the pixel limit, never cached', async () => {
  const text = await f.store(Buffer.from('{"not": "an image"}\n'));
  const response = await fetch(url(text));
  assert.is(response.status, 415);
  assert.is(await errorOf(response), 'NOT_AN_IMAGE');
  assert.is(response.headers.get('cache-control'), 'no-store');
  assert.is(response.headers.get('etag'), null);

  const bomb = await f.store(grayPng(30_000, 30_000, 1));
  const refused = await fetch(url(bomb));
  assert.is(refused.status, 415);
  assert.is(await errorOf(refused), 'IMAGE_TOO_LARGE');
});

test('the server serves previews next to the blobs', async () => {
  const server = await startTestServer();
  try {
    const hash = await server.upload(await solidJpeg(640, 480));
    const response = await fetch(`${server.url}/v1/projects/default/blobs/${hash}/preview?width=320`, { headers: server.headers() });
    assert.is(response.status, 200);
    assert.is(response.headers.get('content-type'), 'image/jpeg');
    const image = await decoded(Buffer.from(await response.arrayBuffer()));
    assert.equal([image.width, image.height], [320, 240]);
    const anonymous = await fetch(`${server.url}/v1/projects/default/blobs/${hash}/preview`);
    assert.is(anonymous.status, 401);
  } finally {
    await server.close();
  }
});

test.run();
