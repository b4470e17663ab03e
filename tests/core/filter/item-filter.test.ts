import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonValue } from '../../../core/canonical-json.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import { labelsOf, singleClassOf } from '../../../core/filter/item-labels.ts';
import { compileFilter, type FilterableItem } from '../../../core/filter/match-filter.ts';
import { MAX_FILTER_CHARS, MAX_FILTER_DEPTH, parseFilter } from '../../../core/filter/parse-filter.ts';

const test = suite('item filters');

const item = (path: string, annotations: JsonValue = null, meta: JsonValue = {}, size = 100): FilterableItem => ({ path, blob: 'b'.repeat(64), size, meta, annotations });
const ITEMS = [
  item('train/cat-1.jpg', { label: 'cat', author: 'ana' }, { split: 'train', camera: { id: 7 } }, 1000),
  item('train/dog-1.jpg', 'dog', { split: 'train', tags: ['night', 'blurry'] }, 5000),
  item('val/cat-2.png', [{ label: 'cat', box: [0, 0, 1, 1] }, { label: 'bird', box: [2, 2, 3, 3], confidence: 0.4 }], { split: 'val', reviewed: true }),
  item('val/unlabeled.png', null, { split: 'val', reviewed: false, score: null }),
  item('test/3.txt', { class: 3 }, { split: 'test', version: '10' }),
];

function select(filter: string): string[] {
  const matches = compileFilter(parseFilter(filter));
  return ITEMS.filter(matches).map((i) => i.path);
}

test('label, meta and annotations fields; =, !=, in, not in', () => {
  assert.equal(select('label=cat'), ['train/cat-1.jpg', 'val/cat-2.png']);
  assert.equal(select('label = "dog"'), ['train/dog-1.jpg']);
  assert.equal(select('meta.split=train'), ['train/cat-1.jpg', 'train/dog-1.jpg']);
  assert.equal(select('annotations.label in (cat,dog)'), ['train/cat-1.jpg', 'val/cat-2.png']);
  assert.equal(select('label in (bird, dog)'), ['train/dog-1.jpg', 'val/cat-2.png']);
  assert.equal(select('label not in (cat)'), ['train/dog-1.jpg', 'val/unlabeled.png', 'test/3.txt']);
  // != means "no value equals": the two-label image has a cat.
  assert.equal(select('label != cat'), select('not label = cat'));
  assert.equal(select('meta.camera.id = 7'), ['train/cat-1.jpg']);
  assert.equal(select('meta.tags = night'), ['train/dog-1.jpg']);
  assert.equal(select('annotations.1.label = bird'), ['val/cat-2.png']);
  assert.equal(select('annotations.confidence < 0.5'), ['val/cat-2.png']);
});

test('literals: unquoted numbers, booleans and null match JSON values and their spelling; quoted ones only strings', () => {
  assert.equal(select('label = 3'), ['test/3.txt']);
  assert.equal(select('label = "3"'), []);
  assert.equal(select('meta.version = 10'), ['test/3.txt']);
  assert.equal(select('meta.reviewed = true'), ['val/cat-2.png']);
  assert.equal(select('meta.reviewed = "true"'), []);
  assert.equal(select('meta.score = null'), ['val/unlabeled.png']);
});

test('order comparisons, globs, exists, and/or/not with parentheses', () => {
  assert.equal(select('size >= 1000'), ['train/cat-1.jpg', 'train/dog-1.jpg']);
  assert.equal(select('size < 1e3'), ['val/cat-2.png', 'val/unlabeled.png', 'test/3.txt']);
  // A numeric literal compares numbers only; "10" is a string.
  assert.equal(select('meta.version > 9'), []);
  assert.equal(select('meta.split < "train"'), ['test/3.txt']);
  assert.equal(select('path ~ "*.png"'), ['val/cat-2.png', 'val/unlabeled.png']);
  assert.equal(select('path ~ train/*'), ['train/cat-1.jpg', 'train/dog-1.jpg']);
  assert.equal(select('path ~ "?al/*"'), ['val/cat-2.png', 'val/unlabeled.png']);
  assert.equal(select('path ~ "val/cat-2.pn"'), []);
  assert.equal(select('annotations exists'), ['train/cat-1.jpg', 'train/dog-1.jpg', 'val/cat-2.png', 'test/3.txt']);
  assert.equal(select('meta.score exists'), []);
  assert.equal(select('not annotations exists'), ['val/unlabeled.png']);
  assert.equal(select('meta.split = val and not label = cat or label = dog'), ['train/dog-1.jpg', 'val/unlabeled.png']);
  assert.equal(select('meta.split = val and (not label = cat or label = dog)'), ['val/unlabeled.png']);
  assert.throws(() => select('META.split = val'), /unknown field/);
  assert.equal(select('meta.split = val AND label = cat'), ['val/cat-2.png']);
  assert.equal(select("path = 'train/cat-1.jpg' or path == \"test/3.txt\""), ['train/cat-1.jpg', 'test/3.txt']);
  assert.equal(select('path = "a \\"quoted\\" name"'), []);
});

test('bad syntax is an InvalidInputError on the filter, naming where', () => {
  const cases: [string, RegExp][] = [
    ['', /ends/],
    ['label', /operator.*ends|ends/],
    ['label =', /value.*ends/],
    ['label = cat and', /ends/],
    ['color = red', /unknown field "color" at column 1/],
    ['meta..x = 1', /empty key/],
    ['path.x = 1', /unknown field/],
    ['label = (cat)', /expected a value.*column 9/],
    ['label in cat', /expected "\(" after "in"/],
    ['label in (cat', /close the list/],
    ['(label = cat', /close the "\(" at column 1/],
    ['label = cat)', /unexpected "\)" at column 12/],
    ['label ! cat', /"!"/],
    ['label = "cat', /unterminated string/],
    ['label not cat', /expected "in" after "not"/],
    ['= cat', /expected a field/],
  ];
  for (const [text, reason] of cases) {
    try {
      parseFilter(text);
      assert.unreachable(`${JSON.stringify(text)} parsed`);
    } catch (error) {
      assert.instance(error, InvalidInputError, text);
      assert.is((error as InvalidInputError).data.field, 'filter', text);
      assert.match((error as InvalidInputError).data.reason, reason, text);
    }
  }
  assert.throws(() => parseFilter('x'.repeat(MAX_FILTER_CHARS + 1)), (e: unknown) => e instanceof InvalidInputError);
  assert.throws(() => parseFilter(`${'not '.repeat(MAX_FILTER_DEPTH + 2)}label = cat`), /deeper/);
  assert.throws(() => parseFilter(`label in (${Array.from({ length: 1001 }, (_, i) => i).join(',')})`), /at most 1000/);
});

test('the class label rule: label, then class; arrays carry their elements\' labels; a single class is one', () => {
  assert.equal(labelsOf({ label: 'cat', class: 'x' }), ['cat']);
  assert.equal(labelsOf({ label: null, class: 2 }), [2]);
  assert.equal(labelsOf([{ label: 'a' }, 'b', [{ label: 'nested' }], { box: [] }]), ['a', 'b']);
  assert.equal(labelsOf(null), []);
  assert.equal(labelsOf(true), []);
  assert.is(singleClassOf('cat'), 'cat');
  assert.is(singleClassOf([{ class: 4 }]), 4);
  assert.is(singleClassOf([{ label: 'a' }, { label: 'a' }]), undefined);
  assert.is(singleClassOf({ box: [1] }), undefined);
});

test.run();
