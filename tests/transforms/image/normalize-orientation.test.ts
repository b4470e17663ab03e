import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { imageNormalizeOrientation } from '../../../transforms/image/normalize-orientation.ts';
import { bytesOf, contextOf, inputOf, invalidParam, keptBlobOf, outputOf } from '../transform-input.ts';
import { exifJpeg, grayGradientPng, headerOf, pixelsOf, raccoon } from './image-fixtures.ts';

const test = suite('image.normalize-orientation');
const params = imageNormalizeOrientation.parseParams;

test('a sideways JPEG (orientation 6) is turned upright and loses its EXIF', async () => {
  // Stored 40 × 20 with a white top row; orientation 6 shows it turned 90° clockwise, so
  // upright it is 20 × 40 with the white row on the right.
  const jpeg = await exifJpeg(40, 20, 6);
  const before = await headerOf(jpeg);
  assert.equal([before.orientation, Boolean(before.exif)], [6, true], 'the fixture carries EXIF');
  const output = await outputOf(imageNormalizeOrientation, inputOf('cam/img.jpg', jpeg, { meta: { camera: 1 } }), params({}));
  assert.is(output.path, 'cam/img.jpg');
  const after = await headerOf(bytesOf(output));
  assert.equal([after.width, after.height, after.orientation, after.exif, after.icc, after.xmp], [20, 40, undefined, undefined, undefined, undefined]);
  assert.equal(output.meta, { camera: 1, orientation: 6, width: 20, height: 40, channels: 3 });
  const { data, width, channels } = await pixelsOf(bytesOf(output));
  const at = (x: number, y: number) => data[(y * width + x) * channels]!;
  assert.ok(at(19, 20) > 200 && at(0, 20) < 50, `right column white, left black: ${at(19, 20)}, ${at(0, 20)}`);
});

test('EXIF with orientation 1 is stripped without turning', async () => {
  const output = await outputOf(imageNormalizeOrientation, inputOf('a.jpg', await exifJpeg(40, 20, 1)), params({}));
  const after = await headerOf(bytesOf(output));
  assert.equal([after.width, after.height, after.exif], [40, 20, undefined]);
  assert.is(output.meta.orientation, 1);
});

test('an upright image without metadata is kept as it is', async () => {
  const png = await grayGradientPng(8, 8);
  const input = inputOf('g.png', png, { annotations: { label: 'x' } });
  const output = await outputOf(imageNormalizeOrientation, input, params({}));
  assert.is(keptBlobOf(output), input.blob);
  assert.equal(output.meta, { orientation: 1, width: 8, height: 8, channels: 1 });
  assert.equal(output.annotations, { label: 'x' });
  // The raccoon photos are upright and carry no EXIF either.
  assert.is(keptBlobOf(await outputOf(imageNormalizeOrientation, inputOf('r.jpg', raccoon(13)), params({}))), inputOf('r.jpg', raccoon(13)).blob);
});

test('deterministic bytes; quality changes them', async () => {
  const input = inputOf('a.jpg', await exifJpeg(64, 32, 8));
  const a = bytesOf(await outputOf(imageNormalizeOrientation, input, params({})));
  const b = bytesOf(await outputOf(imageNormalizeOrientation, input, params({})));
  const c = bytesOf(await outputOf(imageNormalizeOrientation, input, params({ quality: 30 })));
  assert.ok(a.equals(b));
  assert.not.ok(a.equals(c));
});

test('damage found even when the image would be kept: truncated body rejected', async () => {
  const jpeg = raccoon(14);
  assert.equal(await imageNormalizeOrientation.apply(inputOf('t.jpg', jpeg.subarray(0, jpeg.length - 2000)), params({}), contextOf()), {
    rejected: 'image is corrupt or truncated',
  });
});

test('parameters', () => {
  assert.equal(params({}), { quality: 90 });
  assert.is(invalidParam(() => params({ quality: 0 })).field, 'quality');
});

test.run();
