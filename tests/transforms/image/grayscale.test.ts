import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { imageGrayscale } from '../../../transforms/image/grayscale.ts';
import { bytesOf, contextOf, inputOf, invalidParam, outputOf } from '../transform-input.ts';
import { halfTransparentPng, headerOf, pixelsOf, raccoon } from './image-fixtures.ts';

const test = suite('image.grayscale');
const params = imageGrayscale.parseParams;

test('a colour photograph becomes a one-channel JPEG of the same size and path', async () => {
  const output = await outputOf(imageGrayscale, inputOf('r/raccoon-6.jpg', raccoon(6), { meta: { a: 1 } }), params({}));
  const header = await headerOf(bytesOf(output));
  const source = await headerOf(raccoon(6));
  assert.equal([header.format, header.channels, header.width, header.height], ['jpeg', 1, source.width, source.height]);
  assert.is(output.path, 'r/raccoon-6.jpg');
  assert.equal(output.meta, { a: 1, width: source.width, height: source.height, channels: 1 });
});

test('transparency is flattened onto the background: one channel, no alpha', async () => {
  const png = await halfTransparentPng(10, 4);
  const white = bytesOf(await outputOf(imageGrayscale, inputOf('a.png', png), params({})));
  const header = await headerOf(white);
  assert.equal([header.format, header.channels, header.hasAlpha], ['png', 1, false]);
  // Decoded for reading, sharp widens it to sRGB: every channel holds the gray value.
  const onWhite = await pixelsOf(white);
  const gray = (pixels: typeof onWhite, x: number) => pixels.data[x * pixels.channels];
  assert.is(gray(onWhite, 9), 255, 'transparent pixel on white');
  const red = gray(onWhite, 0)!;
  assert.ok(red > 30 && red < 150, `red as gray: ${red}`);
  const onBlack = await pixelsOf(bytesOf(await outputOf(imageGrayscale, inputOf('a.png', png), params({ background: '#000' }))));
  assert.is(gray(onBlack, 9), 0, 'transparent pixel on black');
});

test('deterministic bytes; quality changes them', async () => {
  const input = inputOf('r.jpg', raccoon(7));
  const a = bytesOf(await outputOf(imageGrayscale, input, params({})));
  const b = bytesOf(await outputOf(imageGrayscale, input, params({})));
  const c = bytesOf(await outputOf(imageGrayscale, input, params({ quality: '60' })));
  assert.ok(a.equals(b));
  assert.not.ok(a.equals(c));
});

test('a truncated image is rejected', async () => {
  const bytes = raccoon(8);
  assert.equal(await imageGrayscale.apply(inputOf('t.jpg', bytes.subarray(0, 5000)), params({}), contextOf()), { rejected: 'image is corrupt or truncated' });
});

test('parameters', () => {
  assert.equal(params({}), { background: '#ffffff', quality: 90 });
  assert.is(invalidParam(() => params({ quality: 'high' })).field, 'quality');
  assert.is(invalidParam(() => params({ width: 3 })).field, 'width');
});

test.run();
