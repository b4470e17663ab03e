import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ForbiddenError, InvalidHashError, NotFoundError } from '../../../core/errors.ts';
import { ImageTooLargeError, NotAnImageError } from '../../../services/previews/preview-errors.ts';
import { PreviewService } from '../../../services/previews/preview-service.ts';
import { grayPng } from '../../adapters/image/png-fixture.ts';
import { bytesOf, decoded, OTHER, PHOTOS, sidewaysJpeg, solidJpeg, startPreviewFixture, transparentPng, type PreviewFixture } from './preview-fixture.ts';

const test = suite('PreviewService');
let f: PreviewFixture;
let photo: string; // a 4000 × 3000 JPEG

test.before(async () => {
  f = await startPreviewFixture();
  photo = await f.store(await solidJpeg(4000, 3000));
});
test.after(async () => {
  await f?.close();
});

async function render(hash: string, width?: number, format: 'jpeg' | 'webp' = 'jpeg') {
  const preview = await f.previews.preview(f.owner, PHOTOS, hash, { format, ...(width === undefined ? {} : { width }) });
  const content = await preview.open();
  const bytes = await bytesOf(content.body);
  assert.is(bytes.byteLength, content.size, 'the announced size is the size sent');
  return { preview, bytes, image: await decoded(bytes) };
}

async function rejection(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  return assert.unreachable('expected a failure');
}

test('widths are clamped to 64…2048, 1280 by default', () => {
  assert.is(PreviewService.clampWidth(undefined), 1280);
  assert.is(PreviewService.clampWidth(10), 64);
  assert.is(PreviewService.clampWidth(640), 640);
  assert.is(PreviewService.clampWidth(100_000), 2048);
});

test('a 4000 × 3000 JPEG fits within the bound, keeping its aspect ratio', async () => {
  const cases: [number | undefined, number, number][] = [
    [undefined, 1280, 960],
    [500, 500, 375],
    [10, 64, 48],
    [9000, 2048, 1536],
  ];
  for (const [width, w, h] of cases) {
    const { preview, image } = await render(photo, width);
    assert.equal([image.format, image.width, image.height], ['jpeg', w, h], `width ${width}`);
    assert.is(preview.mediaType, 'image/jpeg');
    assert.is(preview.key.width, w);
  }
});

test('never enlarged; WebP on request; transparency on white in JPEG', async () => {
  const small = await f.store(await transparentPng(300, 200));
  const jpeg = await render(small, 1280);
  assert.equal([jpeg.image.width, jpeg.image.height], [300, 200]);
  assert.equal([...jpeg.image.data.subarray(0, 3)], [255, 255, 255], 'transparent pixels become white');
  const webp = await render(small, 100, 'webp');
  assert.equal([webp.image.format, webp.image.width, webp.image.height], ['webp', 100, 67]);
  assert.is(webp.preview.mediaType, 'image/webp');
  assert.is(webp.image.channels, 4, 'WebP keeps the alpha');
  assert.is.not(webp.preview.etag, (await f.previews.preview(f.owner, PHOTOS, small, { width: 100, format: 'jpeg' })).etag);
});

test('turned upright by the EXIF orientation', async () => {
  const sideways = await f.store(await sidewaysJpeg(400, 200));
  const { image } = await render(sideways, 1280);
  assert.equal([image.width, image.height], [200, 400]);
  const at = (x: number, y: number) => image.data[(y * image.width + x) * image.channels]!;
  // The stored top rows are white; turned 90° clockwise they are the right-hand columns.
  assert.ok(at(197, 200) > 200, `right column is white (${at(197, 200)})`);
  assert.ok(at(2, 200) < 50, `left column is black (${at(2, 200)})`);
  assert.ok(at(100, 2) < 50, `top row is black (${at(100, 2)})`);
});

test('the second request is answered from the cache without decoding again', async () => {
  const hash = await f.store(await solidJpeg(800, 600));
  const before = { renders: f.renders.length, stats: f.cache.stats() };
  const first = await render(hash, 320);
  assert.is(f.renders.length, before.renders + 1);
  const second = await render(hash, 320);
  assert.is(f.renders.length, before.renders + 1, 'no second decode');
  assert.ok(second.bytes.equals(first.bytes), 'the same bytes');
  const stats = f.cache.stats();
  assert.is(stats.hits, before.stats.hits + 1);
  assert.is(stats.writes, before.stats.writes + 1);
  // Another width or format is another preview.
  await render(hash, 321);
  await render(hash, 320, 'webp');
  assert.is(f.renders.length, before.renders + 3);
});

test('concurrent requests for the same missing preview decode once', async () => {
  const hash = await f.store(await solidJpeg(1200, 900));
  const before = f.renders.length;
  const results = await Promise.all(Array.from({ length: 5 }, () => render(hash, 200)));
  assert.is(f.renders.length, before + 1);
  for (const { bytes } of results) assert.ok(bytes.equals(results[0]!.bytes));
});

test('a blob that is not an image: NotAnImageError, nothing cached', async () => {
  const before = f.cache.stats().writes;
  for (const bytes of [Buffer.from('just some text, not an image\n'), (await solidJpeg(100, 100)).subarray(0, 300)]) {
    const hash = await f.store(bytes);
    const preview = await f.previews.preview(f.owner, PHOTOS, hash, { format: 'jpeg' });
    const error = await rejection(() => preview.open());
    assert.instance(error, NotAnImageError);
    assert.is((error as NotAnImageError).code, 'NOT_AN_IMAGE');
  }
  assert.is(f.cache.stats().writes, before);
});

test('an image declaring more pixels than allowed is refused before decoding', async () => {
  // 20000 × 20000 declared in under a kilobyte.
  const bomb = await f.store(grayPng(20_000, 20_000, 1));
  const error = await rejection(async () => (await f.previews.preview(f.owner, PHOTOS, bomb, { format: 'jpeg' })).open());
  assert.instance(error, ImageTooLargeError);
  assert.is((error as ImageTooLargeError).code, 'IMAGE_TOO_LARGE');

  const strict = await startPreviewFixture({ maxImagePixels: 10_000, maxSourceBytes: 50_000 });
  try {
    const big = await strict.store(await solidJpeg(200, 200));
    assert.instance(await rejection(async () => (await strict.previews.preview(strict.owner, PHOTOS, big, { format: 'jpeg' })).open()), ImageTooLargeError);
    const small = await strict.store(await solidJpeg(100, 100));
    await (await strict.previews.preview(strict.owner, PHOTOS, small, { format: 'jpeg' })).open();
    // A blob over maxSourceBytes is refused without being read or decoded.
    const heavy = await strict.store(Buffer.alloc(60_000, 1));
    const rendersBefore = strict.renders.length;
    assert.instance(await rejection(async () => (await strict.previews.preview(strict.owner, PHOTOS, heavy, { format: 'jpeg' })).open()), ImageTooLargeError);
    assert.is(strict.renders.length, rendersBefore);
  } finally {
    await strict.close();
  }
});

test("access is the blob's: another project's blob is not found, another project is forbidden", async () => {
  // The stranger owns OTHER, which does not hold the photo.
  assert.instance(await rejection(() => f.previews.preview(f.stranger, OTHER, photo, { format: 'jpeg' })), NotFoundError);
  assert.instance(await rejection(() => f.previews.preview(f.stranger, PHOTOS, photo, { format: 'jpeg' })), ForbiddenError);
  assert.instance(await rejection(() => f.previews.preview(f.owner, PHOTOS, 'not-a-hash', { format: 'jpeg' })), InvalidHashError);
  // Once OTHER holds the same bytes, its owner sees the preview too.
  const again = await f.store(await solidJpeg(4000, 3000), OTHER);
  assert.is(again, photo);
  const preview = await f.previews.preview(f.stranger, OTHER, photo, { format: 'jpeg' });
  assert.ok((await bytesOf((await preview.open()).body)).byteLength > 0);
});

test('previews are files under the cache root, nothing left in its temp directory', async () => {
  const hash = await f.store(await solidJpeg(640, 480));
  await render(hash, 256);
  const dir = join(f.cache.root, hash.slice(0, 2));
  assert.ok((await readdir(dir)).includes(`${hash}.w256.v1.jpg`));
  assert.equal(await readdir(join(f.cache.root, 'tmp')), []);
});

test.run();
