import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { imageConvert } from '../../../transforms/image/convert.ts';
import { bytesOf, contextOf, inputOf, invalidParam, outputOf } from '../transform-input.ts';
import { halfTransparentPng, headerOf, pixelsOf, raccoon } from './image-fixtures.ts';

const test = suite('image.convert');
const params = imageConvert.parseParams;

test('JPEG to PNG and WebP: extension, media type and format change', async () => {
  for (const [format, path, mediaType] of [
    ['png', 'photos/raccoon-10.png', 'image/png'],
    ['webp', 'photos/raccoon-10.webp', 'image/webp'],
  ] as const) {
    const output = await outputOf(imageConvert, inputOf('photos/raccoon-10.jpg', raccoon(10), { annotations: ['raccoon'] }), params({ format }));
    assert.equal([output.path, output.mediaType], [path, mediaType]);
    assert.is((await headerOf(bytesOf(output))).format, format);
    assert.equal(output.annotations, ['raccoon']);
  }
});

test('PNG to JPEG flattens transparency onto the background', async () => {
  const output = await outputOf(imageConvert, inputOf('a.png', await halfTransparentPng(16, 16)), params({ format: 'jpeg', background: '#0000ff' }));
  assert.is(output.path, 'a.jpg');
  const { data, channels } = await pixelsOf(bytesOf(output));
  const right = [...data.subarray(15 * channels, 15 * channels + 3)];
  assert.ok(right[0]! < 10 && right[1]! < 10 && right[2]! > 245, `transparent → blue, got ${right}`);
});

test('lossless WebP keeps every pixel', async () => {
  const png = await halfTransparentPng(12, 6);
  const output = await outputOf(imageConvert, inputOf('a.png', png), params({ format: 'webp', lossless: 'true' }));
  assert.ok((await pixelsOf(bytesOf(output))).data.equals((await pixelsOf(png)).data));
  const again = await outputOf(imageConvert, inputOf('a.png', png), params({ format: 'webp', lossless: 'true' }));
  assert.ok(bytesOf(again).equals(bytesOf(output)), 'deterministic WebP');
});

test('lossy WebP and PNG are deterministic too', async () => {
  for (const raw of [{ format: 'webp', quality: 70 }, { format: 'png', quality: 90 }]) {
    const input = inputOf('r.jpg', raccoon(18));
    const a = bytesOf(await outputOf(imageConvert, input, params(raw)));
    const b = bytesOf(await outputOf(imageConvert, input, params(raw)));
    assert.ok(a.equals(b), raw.format);
  }
});

test('deterministic; quality changes the bytes; an image already in the format keeps its path', async () => {
  const input = inputOf('r.jpeg', raccoon(11));
  const a = await outputOf(imageConvert, input, params({ format: 'jpeg', quality: 80 }));
  const b = await outputOf(imageConvert, input, params({ format: 'jpeg', quality: 80 }));
  const c = await outputOf(imageConvert, input, params({ format: 'jpeg', quality: 40 }));
  assert.is(a.path, 'r.jpeg');
  assert.ok(bytesOf(a).equals(bytesOf(b)));
  assert.ok(bytesOf(c).length < bytesOf(a).length);
});

test('a corrupt image is rejected', async () => {
  assert.equal(await imageConvert.apply(inputOf('x.jpg', raccoon(12).subarray(0, 300)), params({ format: 'png' }), contextOf()), {
    rejected: 'image is corrupt or truncated',
  });
});

test('parameters', () => {
  assert.equal(params({ format: 'webp' }), { format: 'webp', quality: 90, lossless: false, background: '#ffffff' });
  assert.equal(invalidParam(() => params({})), { field: 'format', reason: 'must be one of jpeg, png, webp' });
  assert.is(invalidParam(() => params({ format: 'gif' })).field, 'format');
  assert.equal(invalidParam(() => params({ format: 'webp', lossless: 'maybe' })), { field: 'lossless', reason: 'must be true or false' });
});

test.run();
