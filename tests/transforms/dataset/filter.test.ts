import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasetFilter } from '../../../transforms/dataset/filter.ts';
import { contextOf, inputOf, invalidParam, keptBlobOf } from '../transform-input.ts';

const test = suite('dataset.filter');
const params = datasetFilter.parseParams;

const ITEMS = [
  inputOf('img/a.jpg', 'a', { meta: { split: 'train', score: 0.9 }, annotations: { label: 'cat' } }),
  inputOf('img/b.jpg', 'bb', { meta: { split: 'test', score: 0.4 }, annotations: { label: 'dog' } }),
  inputOf('img/c.png', 'ccc', { meta: { split: 'train', score: 0.5 }, annotations: [{ label: 'bird', box: [1, 2, 3, 4] }] }),
  inputOf('notes/d.txt', 'dddd', { meta: { split: 'train' }, annotations: null }),
];

async function kept(where: string): Promise<string[]> {
  const paths: string[] = [];
  for (const input of ITEMS) {
    const result = await datasetFilter.apply(input, params({ where }), contextOf());
    assert.ok(Array.isArray(result));
    for (const output of result as { path: string; meta: unknown; annotations: unknown; content: unknown }[]) {
      assert.is(keptBlobOf(output as never), input.blob);
      assert.equal([output.meta, output.annotations], [input.meta, input.annotations]);
      paths.push(output.path);
    }
  }
  return paths;
}

test('predicates on meta, annotations, labels, path and size', async () => {
  assert.equal(await kept('meta.split=train'), ['img/a.jpg', 'img/c.png', 'notes/d.txt']);
  assert.equal(await kept('annotations.label in (cat, dog)'), ['img/a.jpg', 'img/b.jpg']);
  assert.equal(await kept('meta.score>=0.5'), ['img/a.jpg', 'img/c.png']);
  assert.equal(await kept('label = bird'), ['img/c.png']);
  assert.equal(await kept('meta.split = train and not path ~ "*.txt" and size < 3'), ['img/a.jpg']);
  assert.equal(await kept('meta.score exists or label = dog'), ['img/a.jpg', 'img/b.jpg', 'img/c.png']);
  assert.equal(await kept('meta.split = validation'), []);
});

test('a filter that does not parse is an error naming the parameter and the column', () => {
  assert.equal(invalidParam(() => params({ where: 'meta.split = train and' })), { field: 'where', reason: 'expected a field, but the filter ends' });
  assert.equal(invalidParam(() => params({ where: 'x = 1' })), {
    field: 'where',
    reason: 'unknown field "x" at column 1: use path, blob, size, label, meta.<key> or annotations.<key>',
  });
  assert.equal(invalidParam(() => params({})).field, 'where');
});

test('parameters keep the text as given', () => {
  assert.equal(params({ where: 'label=cat' }), { where: 'label=cat' });
});

test.run();
