import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonValue } from '../../../core/canonical-json.ts';
import { datasetSplit } from '../../../transforms/dataset/split.ts';
import { inputOf, invalidParam, keptBlobOf, runDataset } from '../transform-input.ts';

const test = suite('dataset.split');
const params = datasetSplit.parseParams;

const items = (n: number, annotate: (i: number) => JsonValue = () => null) =>
  Array.from({ length: n }, (_, i) => inputOf(`img/${String(i).padStart(5, '0')}.jpg`, `bytes ${i}`, { meta: { i }, annotations: annotate(i) }));

async function splits(inputs: ReturnType<typeof items>, raw: Record<string, string | number>) {
  const { outputs } = await runDataset(datasetSplit, inputs, params(raw));
  return new Map(outputs.map((output) => [output.path, output.meta.split as string]));
}

test('every item gets meta.split; blobs, annotations and other meta are kept; ratios hold roughly', async () => {
  const inputs = items(2000, (i) => ({ label: i % 2 ? 'cat' : 'dog' }));
  const { outputs } = await runDataset(datasetSplit, inputs, params({}));
  assert.is(outputs.length, 2000);
  const count = { train: 0, validation: 0, test: 0 } as Record<string, number>;
  for (const [i, output] of outputs.entries()) {
    assert.is(keptBlobOf(output), inputs[i]!.blob);
    assert.equal(output.annotations, inputs[i]!.annotations);
    assert.is(output.meta.i, i);
    count[output.meta.split as string]!++;
  }
  // Binomial: the standard deviation of the train count is about 18.
  assert.ok(Math.abs(count.train! - 1600) < 90 && Math.abs(count.validation! - 200) < 60 && Math.abs(count.test! - 200) < 60, JSON.stringify(count));
});

test('the documented hash decides: u = first 52 bits of sha256(seed NUL path)', async () => {
  const inputs = items(50);
  const got = await splits(inputs, { seed: 'exp-7', train: 0.5, validation: 0.3, test: 0.2 });
  for (const input of inputs) {
    const u = Number.parseInt(createHash('sha256').update(`exp-7\u0000${input.path}`).digest('hex').slice(0, 13), 16) / 2 ** 52;
    assert.is(got.get(input.path), u < 0.5 ? 'train' : u < 0.8 ? 'validation' : 'test', input.path);
  }
});

test('stable: an item keeps its split when others are added; the seed reshuffles', async () => {
  const small = await splits(items(300), {});
  const large = await splits(items(900), {});
  for (const [path, split] of small) assert.is(large.get(path), split, path);
  const reseeded = await splits(items(300), { seed: 'other' });
  assert.ok([...small].filter(([path, split]) => reseeded.get(path) !== split).length > 20);
  assert.equal(await splits(items(300), {}), small, 'deterministic');
});

test('a ratio of 0 gets no items', async () => {
  const got = await splits(items(500), { train: 0.9, validation: 0.1, test: 0 });
  assert.not.ok([...got.values()].includes('test'));
});

test('stratified: every class is cut in the ratios exactly (largest remainders), in hash order', async () => {
  // 10 cats, 7 dogs, 3 birds, 2 without a label.
  const labels = [...Array(10).fill('cat'), ...Array(7).fill('dog'), ...Array(3).fill('bird'), null, null];
  const inputs = items(labels.length, (i) => (labels[i] === null ? null : [{ label: labels[i], box: [0, 0, 1, 1] }]));
  const got = await splits(inputs, { train: 0.6, validation: 0.2, test: 0.2, stratify: 'label' });
  const tally = (label: string | null) => {
    const count = { train: 0, validation: 0, test: 0 } as Record<string, number>;
    labels.forEach((l, i) => l === label && count[got.get(inputs[i]!.path)!]!++);
    return count;
  };
  assert.equal(tally('cat'), { train: 6, validation: 2, test: 2 });
  assert.equal(tally('dog'), { train: 4, validation: 2, test: 1 }); // 4.2, 1.4, 1.4
  assert.equal(tally('bird'), { train: 2, validation: 1, test: 0 }); // 1.8, 0.6, 0.6
  assert.equal(tally(null), { train: 1, validation: 1, test: 0 }); // 1.2, 0.4, 0.4: a tie goes to the earlier split
  // Within a class, the lowest hashes go to train.
  const cats = inputs.filter((_, i) => labels[i] === 'cat').map((input) => ({ path: input.path, hash: createHash('sha256').update(`\u0000${input.path}`).digest('hex') }));
  cats.sort((a, b) => (a.hash < b.hash ? -1 : 1));
  assert.equal(cats.map((cat) => got.get(cat.path)), ['train', 'train', 'train', 'train', 'train', 'train', 'validation', 'validation', 'test', 'test']);
});

test('stratify by a meta key', async () => {
  const inputs = items(10, () => null).map((input, i) => inputOf(input.path, `b${i}`, { meta: { species: i < 5 ? 'a' : 'b' } }));
  const got = await splits(inputs, { train: 0.8, validation: 0.2, test: 0, stratify: 'meta.species' });
  const trainA = inputs.slice(0, 5).filter((input) => got.get(input.path) === 'train').length;
  assert.is(trainA, 4);
});

test('parameters', () => {
  assert.equal(params({}), { train: 0.8, validation: 0.1, test: 0.1, seed: '' });
  assert.equal(params({ train: '0.7', validation: '0.2', test: '0.1', seed: 's', stratify: 'annotations.class' }), {
    train: 0.7,
    validation: 0.2,
    test: 0.1,
    seed: 's',
    stratify: 'annotations.class',
  });
  assert.equal(invalidParam(() => params({ train: 0.5 })), { field: 'train', reason: 'train + validation + test must add up to 1' });
  assert.is(invalidParam(() => params({ train: -0.1, validation: 1, test: 0.1 })).field, 'train');
  assert.equal(invalidParam(() => params({ stratify: 'class' })), { field: 'stratify', reason: 'must be label, meta.<key> or annotations.<key>' });
});

test.run();
