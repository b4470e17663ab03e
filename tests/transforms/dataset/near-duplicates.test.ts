import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { differenceHash, hammingDistance } from '../../../transforms/dataset/dhash.ts';
import { HammingIndex } from '../../../transforms/dataset/hamming-index.ts';
import { datasetNearDuplicates } from '../../../transforms/dataset/near-duplicates.ts';
import { raccoon } from '../image/image-fixtures.ts';
import { inputOf, invalidParam, keptBlobOf, runDataset } from '../transform-input.ts';

const test = suite('dataset.near-duplicates');
const params = datasetNearDuplicates.parseParams;
let inputs: ReturnType<typeof inputOf>[];

test.before(async () => {
  const original = raccoon(1);
  inputs = [
    inputOf('a/raccoon-1.jpg', original, { annotations: { label: 'raccoon' } }),
    // Made with sharp here: the same photo smaller and rougher, gray, cropped by 20 px, mirrored.
    inputOf('b/raccoon-1-small.jpg', await sharp(original).resize(200).jpeg({ quality: 50 }).toBuffer()),
    inputOf('c/raccoon-1-gray.png', await sharp(original).grayscale().png().toBuffer()),
    inputOf('d/raccoon-1-crop.jpg', await sharp(original).extract({ left: 20, top: 20, width: 600, height: 380 }).jpeg().toBuffer()),
    inputOf('e/raccoon-1-mirrored.jpg', await sharp(original).flop().jpeg().toBuffer()),
    // Other photographs; 4 and 23 are the closest pair of the 40 (19 bits apart).
    inputOf('f/raccoon-4.jpg', raccoon(4)),
    inputOf('g/raccoon-23.jpg', raccoon(23)),
    inputOf('h/raccoon-2.jpg', raccoon(2)),
    inputOf('i/broken.jpg', raccoon(3).subarray(0, 4000)),
    inputOf('j/notes.txt', 'not an image'),
  ];
});

test('mark: copies of the same photo point at the first; distinct photos and non-images untouched', async () => {
  const { outputs, rejections } = await runDataset(datasetNearDuplicates, inputs, params({}));
  assert.equal(rejections, [{ rejected: 'image is corrupt or truncated', path: 'i/broken.jpg' }]);
  assert.equal(outputs.map((output) => output.path), ['a/raccoon-1.jpg', 'b/raccoon-1-small.jpg', 'c/raccoon-1-gray.png', 'd/raccoon-1-crop.jpg', 'e/raccoon-1-mirrored.jpg', 'f/raccoon-4.jpg', 'g/raccoon-23.jpg', 'h/raccoon-2.jpg', 'j/notes.txt']);
  const meta = new Map(outputs.map((output) => [output.path, output.meta]));
  const dhash = meta.get('a/raccoon-1.jpg')!.dhash as string;
  assert.match(dhash, /^[0-9a-f]{16}$/);
  assert.equal(meta.get('b/raccoon-1-small.jpg'), { dhash, nearDuplicateOf: 'a/raccoon-1.jpg', nearDuplicateDistance: 0 });
  assert.equal(meta.get('c/raccoon-1-gray.png'), { dhash, nearDuplicateOf: 'a/raccoon-1.jpg', nearDuplicateDistance: 0 });
  // The crop is 7 bits away: over the default threshold of 6.
  for (const path of ['d/raccoon-1-crop.jpg', 'e/raccoon-1-mirrored.jpg', 'f/raccoon-4.jpg', 'g/raccoon-23.jpg', 'h/raccoon-2.jpg'])
    assert.equal(Object.keys(meta.get(path)!), ['dhash'], path);
  assert.equal(meta.get('j/notes.txt'), {});
  for (const [i, output] of outputs.entries()) assert.is(keptBlobOf(output), inputs.filter((input) => input.path !== 'i/broken.jpg')[i]!.blob);
  assert.equal(outputs[0]!.annotations, { label: 'raccoon' });
});

test('a wider threshold takes in the crop, never the other photographs', async () => {
  const { outputs } = await runDataset(datasetNearDuplicates, inputs, params({ threshold: '10' }));
  const crop = outputs.find((output) => output.path === 'd/raccoon-1-crop.jpg')!;
  assert.is(crop.meta.nearDuplicateOf, 'a/raccoon-1.jpg');
  assert.is(crop.meta.nearDuplicateDistance, hammingDistance(crop.meta.dhash as string, outputs[0]!.meta.dhash as string));
  assert.equal(outputs.filter((output) => output.meta.nearDuplicateOf !== undefined).map((output) => output.path), ['b/raccoon-1-small.jpg', 'c/raccoon-1-gray.png', 'd/raccoon-1-crop.jpg']);
});

test('drop: later members are left out, the first lists them', async () => {
  const { outputs } = await runDataset(datasetNearDuplicates, inputs, params({ action: 'drop' }));
  assert.equal(outputs.map((output) => output.path), ['a/raccoon-1.jpg', 'd/raccoon-1-crop.jpg', 'e/raccoon-1-mirrored.jpg', 'f/raccoon-4.jpg', 'g/raccoon-23.jpg', 'h/raccoon-2.jpg', 'j/notes.txt']);
  assert.equal(outputs[0]!.meta.nearDuplicates, ['b/raccoon-1-small.jpg', 'c/raccoon-1-gray.png']);
  assert.equal(await runDataset(datasetNearDuplicates, inputs, params({ action: 'drop' })), { outputs, rejections: [{ rejected: 'image is corrupt or truncated', path: 'i/broken.jpg' }] });
});

test('hashes: same pixels same hash; Hamming distance counts differing bits', async () => {
  assert.is(await differenceHash(raccoon(1), 1e8), await differenceHash(raccoon(1), 1e8));
  assert.is(hammingDistance('0000000000000000', 'ffffffffffffffff'), 64);
  assert.is(hammingDistance('8000000000000001', '0000000000000000'), 2);
  assert.is(hammingDistance('0123456789abcdef', '0123456789abcdef'), 0);
});

test('the index finds what a scan over every hash finds', () => {
  const hashes = Array.from({ length: 400 }, (_, i) => createHash('sha256').update(String(i)).digest('hex').slice(0, 16));
  // Near copies: flip a few bits of some hashes.
  for (let i = 0; i < 100; i++) hashes.push((BigInt('0x' + hashes[i]!) ^ BigInt(1 + (i % 7)) ^ (1n << BigInt(i % 64))).toString(16).padStart(16, '0'));
  const index = new HammingIndex();
  hashes.slice(0, 300).forEach((hash, id) => index.add(hash, id));
  for (const hash of hashes.slice(300)) {
    for (const radius of [0, 3, 12]) {
      let best: { id: number; distance: number } | undefined;
      hashes.slice(0, 300).forEach((other, id) => {
        const distance = hammingDistance(hash, other);
        if (distance <= radius && (!best || distance < best.distance)) best = { id, distance };
      });
      assert.equal(index.nearest(hash, radius), best);
    }
  }
});

test('parameters', () => {
  assert.equal(params({}), { threshold: 6, action: 'mark' });
  assert.is(invalidParam(() => params({ threshold: 65 })).field, 'threshold');
  assert.equal(invalidParam(() => params({ action: 'delete' })), { field: 'action', reason: 'must be one of mark, drop' });
});

test.run();
