import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { imageResize } from '../../../transforms/image/resize.ts';
import { bytesOf, contextOf, inputOf, invalidParam, outputOf } from '../transform-input.ts';
import { gif, halfTransparentPng, headerOf, pixelsOf, raccoon } from './image-fixtures.ts';

const test = suite('image.resize');
const params = (raw: Record<string, string | number>) => imageResize.parseParams(raw);

test('fit keeps the aspect ratio inside the box; meta records size and mapping', async () => {
  // raccoon-1.jpg is 650 × 417.
  const input = inputOf('raccoons/raccoon-1.jpg', raccoon(1), { meta: { source: 'voc' }, annotations: { label: 'raccoon' } });
  const output = await outputOf(imageResize, input, params({ width: 325, height: 325 }));
  assert.is(output.path, 'raccoons/raccoon-1.jpg');
  assert.is(output.mediaType, 'image/jpeg');
  assert.equal(output.annotations, { label: 'raccoon' });
  const decoded = await headerOf(bytesOf(output));
  assert.equal([decoded.format, decoded.width, decoded.height], ['jpeg', 325, 209]);
  assert.equal(output.meta, {
    source: 'voc',
    resize: { from: [650, 417], scale: [0.5, 209 / 417], offset: [0, 0] },
    width: 325,
    height: 209,
    channels: 3,
  });
});

test('fill, stretch and letterbox give exactly the requested size', async () => {
  for (const mode of ['fill', 'stretch', 'letterbox']) {
    const output = await outputOf(imageResize, inputOf('r.jpg', raccoon(2)), params({ width: 96, height: 64, mode }));
    const decoded = await headerOf(bytesOf(output));
    assert.equal([decoded.width, decoded.height], [96, 64], mode);
    assert.equal([output.meta.width, output.meta.height], [96, 64], mode);
  }
});

test('letterbox pads with the background colour, centred; fill crops instead of padding', async () => {
  // 40 × 20, left half red and opaque, into 40 × 40: the image goes to rows 10..29.
  const png = await halfTransparentPng(40, 20);
  const boxed = await outputOf(imageResize, inputOf('a.png', png), params({ width: 40, height: 40, mode: 'letterbox', background: '#00ff00' }));
  const { data, width, channels } = await pixelsOf(bytesOf(boxed));
  const at = (x: number, y: number) => [...data.subarray((y * width + x) * channels, (y * width + x) * channels + channels)];
  assert.equal(at(0, 0), [0, 255, 0, 255], 'padding above');
  assert.equal(at(0, 39), [0, 255, 0, 255], 'padding below');
  assert.equal(at(5, 20), [255, 0, 0, 255], 'the image itself');
  assert.equal(boxed.meta.resize, { from: [40, 20], scale: [1, 1], offset: [0, 10] });

  const filled = await outputOf(imageResize, inputOf('a.png', png), params({ width: 20, height: 20, mode: 'fill' }));
  const cropped = await pixelsOf(bytesOf(filled));
  assert.equal([cropped.width, cropped.height], [20, 20]);
  assert.equal(filled.meta.resize, { from: [40, 20], scale: [1, 1], offset: [-10, 0] });
  // The centre crop keeps columns 10..29: red on the left half, transparent on the right.
  assert.equal([...cropped.data.subarray(0, 4)], [255, 0, 0, 255]);
  assert.is(cropped.data[(19) * 4 + 3], 0);
});

test('the same input and parameters give the same bytes; other parameters other bytes', async () => {
  const input = inputOf('r.jpg', raccoon(3));
  const once = bytesOf(await outputOf(imageResize, input, params({ width: 64, height: 64, mode: 'letterbox' })));
  const twice = bytesOf(await outputOf(imageResize, input, params({ width: 64, height: 64, mode: 'letterbox' })));
  assert.ok(once.equals(twice));
  const wider = bytesOf(await outputOf(imageResize, input, params({ width: 65, height: 64, mode: 'letterbox' })));
  const grey = bytesOf(await outputOf(imageResize, input, params({ width: 64, height: 64, mode: 'letterbox', background: '#808080' })));
  const rougher = bytesOf(await outputOf(imageResize, input, params({ width: 64, height: 64, mode: 'letterbox', quality: 50 })));
  for (const other of [wider, grey, rougher]) assert.not.ok(once.equals(other));
});

test('a corrupt image is rejected, the others are still resized', async () => {
  const good = raccoon(4);
  const inputs = [
    inputOf('a.jpg', good),
    inputOf('b.jpg', good.subarray(0, good.length >> 1)),
    inputOf('c.jpg', 'not an image at all'),
    inputOf('d.jpg', raccoon(5)),
  ];
  const results = [];
  for (const input of inputs) results.push(await imageResize.apply(input, params({ width: 32, height: 32 }), contextOf()));
  assert.ok(Array.isArray(results[0]) && Array.isArray(results[3]));
  assert.equal(results[1], { rejected: 'image is corrupt or truncated' });
  assert.equal(results[2], { rejected: 'image is not in a supported image format' });
});

test('an image over the pixel limit is rejected before decoding', async () => {
  const result = await imageResize.apply(inputOf('big.jpg', raccoon(1)), params({ width: 32, height: 32 }), contextOf({ maxImagePixels: 1000 }));
  assert.equal(result, { rejected: 'image has more than 1000 pixels' });
});

test('a format it does not write (GIF) becomes PNG, with the extension changed', async () => {
  const output = await outputOf(imageResize, inputOf('anim/x.gif', await gif(30, 10)), params({ width: 15, height: 15 }));
  assert.is(output.path, 'anim/x.png');
  assert.is(output.mediaType, 'image/png');
  assert.is((await headerOf(bytesOf(output))).format, 'png');
});

test('an aborted run throws its reason', async () => {
  const controller = new AbortController();
  controller.abort(new Error('cancelled'));
  try {
    await imageResize.apply(inputOf('r.jpg', raccoon(1)), params({ width: 8, height: 8 }), contextOf({ signal: controller.signal }));
    assert.unreachable('ran after the abort');
  } catch (error) {
    assert.is((error as Error).message, 'cancelled');
  }
});

test('parameters: strings from the CLI are coerced, defaults filled, bad values named', () => {
  assert.equal(params({ width: '224', height: '112' }), {
    width: 224,
    height: 112,
    mode: 'fit',
    background: '#000000',
    quality: 90,
  });
  assert.equal(params({ width: 1, height: 1, background: 'FfF' }).background, '#ffffff');
  assert.is(invalidParam(() => params({ height: 10 })).field, 'width');
  assert.equal(invalidParam(() => params({ width: '0', height: 10 })), { field: 'width', reason: 'must be an integer from 1 to 16384' });
  assert.is(invalidParam(() => params({ width: 2.5, height: 10 })).field, 'width');
  assert.equal(invalidParam(() => params({ width: 10, height: 10, mode: 'zoom' })), { field: 'mode', reason: 'must be one of fit, fill, stretch, letterbox' });
  assert.is(invalidParam(() => params({ width: 10, height: 10, background: 'red' })).field, 'background');
  assert.is(invalidParam(() => params({ width: 10, height: 10, quality: 101 })).field, 'quality');
  const unknown = invalidParam(() => params({ width: 10, height: 10, heigth: 5 }));
  assert.is(unknown.field, 'heigth');
  assert.match(unknown.reason, /is not a parameter of image\.resize \(known: width, height, mode, background, quality\)/);
});

test.run();
