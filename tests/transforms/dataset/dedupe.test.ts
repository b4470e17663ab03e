import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasetDedupe } from '../../../transforms/dataset/dedupe.ts';
import { raccoon } from '../image/image-fixtures.ts';
import { inputOf, invalidParam, keptBlobOf, runDataset } from '../transform-input.ts';

const test = suite('dataset.dedupe');
const params = datasetDedupe.parseParams;

test('the first path of each identical blob is kept, listing the others; unique items untouched', async () => {
  const one = raccoon(15);
  const two = raccoon(16);
  const inputs = [
    inputOf('b/copy.jpg', one, { annotations: { label: 'raccoon', author: 'bo' } }),
    inputOf('a/original.jpg', one, { meta: { source: 'voc' }, annotations: { label: 'raccoon' } }),
    inputOf('c/other.jpg', two),
    inputOf('d/again.jpg', one),
    inputOf('e/unique.jpg', raccoon(17), { meta: { k: 1 } }),
    inputOf('z/other-copy.jpg', two),
  ];
  const { outputs, rejections } = await runDataset(datasetDedupe, inputs, params({}));
  assert.equal(rejections, []);
  assert.equal(
    outputs.map((output) => [output.path, output.meta]),
    [
      ['a/original.jpg', { source: 'voc', duplicates: ['b/copy.jpg', 'd/again.jpg'] }],
      ['c/other.jpg', { duplicates: ['z/other-copy.jpg'] }],
      ['e/unique.jpg', { k: 1 }],
    ],
  );
  assert.is(keptBlobOf(outputs[0]!), inputs[1]!.blob);
  assert.equal(outputs[0]!.annotations, { label: 'raccoon' });
});

test('deterministic; nothing to do gives the input back', async () => {
  const inputs = [inputOf('x', 'a'), inputOf('y', 'b')];
  const first = await runDataset(datasetDedupe, inputs, params({}));
  assert.equal(first, await runDataset(datasetDedupe, inputs, params({})));
  assert.equal(first.outputs.map((output) => [output.path, keptBlobOf(output), output.meta]), [['x', inputs[0]!.blob, {}], ['y', inputs[1]!.blob, {}]]);
});

test('parameters: none taken', () => {
  assert.is(invalidParam(() => params({ by: 'blob' })).field, 'by');
});

test.run();
