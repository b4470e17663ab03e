import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { imageRgb } from '../../../transforms/image/rgb.ts';
import { bytesOf, contextOf, inputOf, invalidParam, outputOf } from '../transform-input.ts';
import { grayGradientPng, halfTransparentPng, headerOf, pixelsOf, raccoon } from './image-fixtures.ts';

const test = suite('image.rgb');
const params = imageRgb.parseParams;

test('one-channel grayscale becomes three equal channels', async () => {
  const gray = await grayGradientPng(16, 2);
  assert.is((await headerOf(gray)).channels, 1, 'the fixture has one channel');
  const output = await outputOf(imageRgb, inputOf('g.png', gray), params({}));
  assert.is((await headerOf(bytesOf(output))).channels, 3);
  const { data, channels } = await pixelsOf(bytesOf(output));
  assert.is(channels, 3);
  assert.is(output.meta.channels, 3);
  assert.equal([...data.subarray(15 * 3, 16 * 3)], [255, 255, 255]);
  for (let i = 0; i < data.length; i += 3) assert.ok(data[i] === data[i + 1] && data[i] === data[i + 2], `pixel ${i / 3}`);
});

test('alpha is flattened onto the background colour', async () => {
  const output = await outputOf(imageRgb, inputOf('a.png', await halfTransparentPng(8, 2)), params({ background: '#102030' }));
  const { data, channels } = await pixelsOf(bytesOf(output));
  assert.is(channels, 3);
  assert.equal([...data.subarray(0, 3)], [255, 0, 0]);
  assert.equal([...data.subarray(7 * 3, 8 * 3)], [0x10, 0x20, 0x30]);
});

test('an RGB photograph stays 3-channel, deterministic', async () => {
  const input = inputOf('r.jpg', raccoon(9));
  const a = await outputOf(imageRgb, input, params({}));
  const b = await outputOf(imageRgb, input, params({}));
  assert.is(a.meta.channels, 3);
  assert.ok(bytesOf(a).equals(bytesOf(b)));
});

test('a corrupt image is rejected', async () => {
  assert.equal(await imageRgb.apply(inputOf('x.png', new Uint8Array(0)), params({}), contextOf()), { rejected: 'image is empty' });
});

test('parameters', () => {
  assert.equal(invalidParam(() => params({ background: '#12345' })), { field: 'background', reason: 'must be a colour #rrggbb or #rgb' });
});

test.run();
