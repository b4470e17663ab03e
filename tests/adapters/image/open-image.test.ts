import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { imageInputError, imageMetadata, openImage } from '../../../adapters/image/open-image.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import { grayPng } from './png-fixture.ts';

const test = suite('openImage');
const LIMIT = { maxPixels: 100_000_000 };
let dir: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheaf-image-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The InvalidInputError `promise` rejects with; fails if it resolves or rejects otherwise. */
async function invalidInput(promise: Promise<unknown>): Promise<InvalidInputError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, InvalidInputError);
    return error as InvalidInputError;
  }
  assert.unreachable('expected an InvalidInputError');
  throw new Error('unreachable');
}

test('a valid image: metadata from its header, and its pixels decode', async () => {
  const png = grayPng(40, 30);
  assert.equal(await imageMetadata(png, LIMIT), { width: 40, height: 30, format: 'png' });
  const { data, info } = await openImage(png, LIMIT).raw().toBuffer({ resolveWithObject: true });
  assert.equal([info.width, info.height, data.length], [40, 30, 40 * 30 * info.channels]);
  assert.equal([0, 1, 2, 3, 4].map((x) => data[x * info.channels]), [0, 1, 2, 3, 4]);
  const path = join(dir, 'valid.png');
  await writeFile(path, png);
  assert.equal(await imageMetadata(path, LIMIT), { width: 40, height: 30, format: 'png' });
});

test('a pixel bomb is refused from its header, before any decoding', async () => {
  // Under a kilobyte declaring 20000 × 20000 = 400 million pixels, with one row of data.
  const bomb = grayPng(20_000, 20_000, 1);
  assert.ok(bomb.length < 1024, `${bomb.length} bytes`);
  const error = await invalidInput(imageMetadata(bomb, LIMIT));
  assert.is(error.code, 'INVALID_INPUT');
  assert.equal(error.data, { field: 'image', reason: 'has more than 100000000 pixels' });
  // Refused by the limit, not by its missing rows: under a higher limit its header reads fine.
  assert.equal(await imageMetadata(bomb, { maxPixels: 400_000_000 }), { width: 20_000, height: 20_000, format: 'png' });
  // A pipeline fails the same way, and imageInputError names it.
  const decoding = await openImage(bomb, LIMIT).raw().toBuffer().then(
    () => assert.unreachable('decoded a pixel bomb'),
    (failure: unknown) => failure,
  );
  assert.equal(imageInputError(decoding, LIMIT)?.data, { field: 'image', reason: 'has more than 100000000 pixels' });
});

test('garbage, empty and damaged data are invalid input with a short reason', async () => {
  const garbage = await invalidInput(imageMetadata(Buffer.from('<?php echo "not an image"; ?>'), LIMIT));
  assert.is(garbage.data.reason, 'is not in a supported image format');
  assert.is((await invalidInput(imageMetadata(Buffer.alloc(0), LIMIT))).data.reason, 'is empty');
  const cutHeader = await invalidInput(imageMetadata(grayPng(40, 30).subarray(0, 30), LIMIT));
  assert.is(cutHeader.data.reason, 'is corrupt or truncated');

  // A header intact but the pixel data damaged: found when decoding, not from the header.
  const damaged = grayPng(40, 30);
  damaged.writeUInt8(damaged.readUInt8(damaged.length - 20) ^ 0xff, damaged.length - 20);
  assert.equal(await imageMetadata(damaged, LIMIT), { width: 40, height: 30, format: 'png' });
  const failure = await openImage(damaged, LIMIT).raw().toBuffer().then(
    () => assert.unreachable('decoded a damaged image'),
    (error: unknown) => error,
  );
  assert.is(imageInputError(failure, LIMIT)?.data.reason, 'is corrupt or truncated');
});

test('errors never show the file path', async () => {
  for (const [name, bytes] of [
    ['bomb.png', grayPng(20_000, 20_000, 1)],
    ['garbage.png', Buffer.from('garbage')],
    ['cut.png', grayPng(40, 30).subarray(0, 30)],
  ] as const) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const error = await invalidInput(imageMetadata(path, LIMIT));
    assert.not.match(error.message, dir);
    assert.not.match(JSON.stringify(error.data), dir);
  }
});

test('failures that are not the image are not invalid input', async () => {
  const missing = join(dir, 'missing.png');
  const error = await imageMetadata(missing, LIMIT).then(
    () => assert.unreachable('read a missing file'),
    (failure: unknown) => failure,
  );
  assert.not.instance(error, InvalidInputError);
  assert.is(imageInputError(new Error('Expected positive integer for width but received -1'), LIMIT), null);
  assert.is(imageInputError('not an error', LIMIT), null);
});

test('a limit of 0 would mean none to sharp: refused', () => {
  for (const maxPixels of [0, -1, 1.5, Number.NaN]) assert.throws(() => openImage(grayPng(1, 1), { maxPixels }), RangeError);
});

test.run();
