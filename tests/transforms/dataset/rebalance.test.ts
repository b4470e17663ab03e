import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonValue } from '../../../core/canonical-json.ts';
import { datasetRebalance } from '../../../transforms/dataset/rebalance.ts';
import { inputOf, invalidParam, keptBlobOf, runDataset } from '../transform-input.ts';

const test = suite('dataset.rebalance');
const params = datasetRebalance.parseParams;

// 6 cats, 3 dogs, 1 bird, 2 items without a single class (none, and two labels).
const LABELS: JsonValue[] = ['cat', 'cat', 'cat', 'cat', 'cat', 'cat', 'dog', 'dog', 'dog', 'bird', null, [{ label: 'cat' }, { label: 'dog' }]];
const inputs = () => LABELS.map((label, i) => inputOf(`p/${String(i).padStart(2, '0')}.jpg`, `image ${i}`, { meta: { n: i }, annotations: label === null || Array.isArray(label) ? label : { label } }));
const labelOf = (annotations: JsonValue) => (annotations && !Array.isArray(annotations) && typeof annotations === 'object' ? (annotations.label as string) : undefined);

function count(outputs: { annotations: JsonValue }[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const output of outputs) {
    const label = labelOf(output.annotations) ?? '(none)';
    result[label] = (result[label] ?? 0) + 1;
  }
  return result;
}

const hash = (seed: string, path: string) => createHash('sha256').update(`${seed}\u0000${path}`).digest('hex');

test('oversample: every class up to the largest, copies at <path>#dup-N with the same blob', async () => {
  const source = inputs();
  const { outputs } = await runDataset(datasetRebalance, source, params({ strategy: 'oversample' }));
  assert.equal(count(outputs), { cat: 6, dog: 6, bird: 6, '(none)': 2 });
  const bird = outputs.filter((output) => labelOf(output.annotations) === 'bird');
  assert.equal(bird.map((output) => output.path), ['p/09.jpg', 'p/09.jpg#dup-2', 'p/09.jpg#dup-3', 'p/09.jpg#dup-4', 'p/09.jpg#dup-5', 'p/09.jpg#dup-6']);
  for (const copy of bird.slice(1)) {
    assert.is(keptBlobOf(copy), source[9]!.blob);
    assert.equal(copy.meta, { n: 9, duplicateOf: 'p/09.jpg' });
  }
  // Three dogs, three copies: each dog once.
  assert.equal(outputs.filter((output) => output.path.includes('#dup-') && labelOf(output.annotations) === 'dog').map((output) => output.path), ['p/06.jpg#dup-2', 'p/07.jpg#dup-2', 'p/08.jpg#dup-2']);
  assert.is(new Set(outputs.map((output) => output.path)).size, outputs.length, 'paths are unique');
});

test('oversample: copies go round in hash order', async () => {
  // 5 cats and 2 dogs: 3 copies of dogs, the dog with the lower hash twice.
  const source = ['cat', 'cat', 'cat', 'cat', 'cat', 'dog', 'dog'].map((label, i) => inputOf(`q/${i}.png`, `x${i}`, { annotations: label }));
  const { outputs } = await runDataset(datasetRebalance, source, params({ strategy: 'oversample', seed: 's1' }));
  const [low, high] = ['q/5.png', 'q/6.png'].sort((a, b) => (hash('s1', a) < hash('s1', b) ? -1 : 1));
  assert.equal(outputs.filter((output) => output.path.includes('#dup-')).map((output) => output.path).sort(), [`${high}#dup-2`, `${low}#dup-2`, `${low}#dup-3`].sort());
});

test('undersample: every class down to the smallest, keeping the lowest hashes', async () => {
  for (const seed of ['', 'other']) {
    const { outputs } = await runDataset(datasetRebalance, inputs(), params({ strategy: 'undersample', seed }));
    assert.equal(count(outputs), { cat: 1, dog: 1, bird: 1, '(none)': 2 });
    const cats = inputs().filter((input) => labelOf(input.annotations) === 'cat').map((input) => input.path);
    const expected = cats.sort((a, b) => (hash(seed, a) < hash(seed, b) ? -1 : 1))[0];
    assert.equal(outputs.filter((output) => labelOf(output.annotations) === 'cat').map((output) => output.path), [expected], `seed ${JSON.stringify(seed)}`);
  }
});

test('weights: inverse class frequency, N / (K · n), averaging 1; unclassed items untouched', async () => {
  const { outputs } = await runDataset(datasetRebalance, inputs(), params({ strategy: 'weights' }));
  assert.is(outputs.length, 12);
  const weightOf = (label: string) => outputs.find((output) => labelOf(output.annotations) === label)!.meta.weight as number;
  assert.ok(Math.abs(weightOf('cat') - 10 / 18) < 1e-12);
  assert.ok(Math.abs(weightOf('dog') - 10 / 9) < 1e-12);
  assert.ok(Math.abs(weightOf('bird') - 10 / 3) < 1e-12);
  const classed = outputs.filter((output) => output.meta.weight !== undefined);
  assert.is(classed.length, 10);
  assert.ok(Math.abs(classed.reduce((sum, output) => sum + (output.meta.weight as number), 0) / 10 - 1) < 1e-12);
  assert.equal(outputs[10]!.meta, { n: 10 });
});

test('by a meta key; deterministic', async () => {
  const source = ['a', 'a', 'a', 'b'].map((species, i) => inputOf(`m/${i}`, `x${i}`, { meta: { species } }));
  const run = async () => (await runDataset(datasetRebalance, source, params({ strategy: 'weights', by: 'meta.species' }))).outputs;
  const outputs = await run();
  assert.equal(outputs.map((output) => output.meta.weight), [4 / 6, 4 / 6, 4 / 6, 2]);
  assert.equal(await run(), outputs);
});

test('parameters', () => {
  assert.equal(params({ strategy: 'weights' }), { strategy: 'weights', by: 'label', seed: '' });
  assert.equal(invalidParam(() => params({})), { field: 'strategy', reason: 'must be one of oversample, undersample, weights' });
  assert.is(invalidParam(() => params({ strategy: 'weights', by: 'meta' })).field, 'by');
});

test.run();
