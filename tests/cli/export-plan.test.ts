import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planByComparison, planFromChanges } from '../../cli/export-plan.ts';
import type { ApiItem } from '../../cli/item-queries.ts';

const test = suite('export plans');

const item = (path: string, blob: string, annotations: ApiItem['annotations'] = null): ApiItem => ({ path, blob: blob.repeat(64), size: 1, meta: {}, annotations });
const paths = (items: readonly ApiItem[]) => items.map((i) => i.path);

test('from changes: written when new or with other bytes, removed when gone or deselected, relabeled kept', () => {
  const previous = [item('a', 'a'), item('b', 'b', 'cat'), item('c', 'c', 'cat'), item('d', 'd', 'cat')];
  const cats = (i: ApiItem) => i.annotations === 'cat';
  const plan = planFromChanges(
    previous,
    [
      { path: 'b', before: item('b', 'b', 'cat'), after: item('b', 'b', 'dog') },
      { path: 'c', before: item('c', 'c', 'cat'), after: item('c', 'e', 'cat') },
      { path: 'd', before: item('d', 'd', 'cat'), after: null },
      { path: 'e', before: null, after: item('e', 'f', 'dog') },
      { path: 'f', before: item('f', 'f', 'dog'), after: item('f', 'f', 'cat') },
      { path: 'g', before: null, after: item('g', 'g', 'cat') },
    ],
    cats,
  );
  assert.equal(paths(plan.write), ['c', 'f', 'g']);
  assert.equal(plan.remove, ['b', 'd']);
  assert.equal(paths(plan.items), ['a', 'c', 'f', 'g']);
  assert.is(plan.unchanged, 1);
  const relabel = planFromChanges([item('a', 'a', 'cat')], [{ path: 'a', before: item('a', 'a', 'cat'), after: item('a', 'a', { label: 'cat' }) }], () => true);
  assert.equal([relabel.write.length, relabel.remove.length, relabel.unchanged], [0, 0, 1]);
  assert.equal(relabel.items[0]!.annotations, { label: 'cat' });
});

test('by comparison: same blob stays, others written, missing removed', () => {
  const plan = planByComparison([item('a', 'a'), item('b', 'b'), item('c', 'c')], [item('a', 'a'), item('b', 'x'), item('d', 'd')]);
  assert.equal(paths(plan.write), ['b', 'd']);
  assert.equal(plan.remove, ['c']);
  assert.is(plan.unchanged, 1);
});

test.run();
