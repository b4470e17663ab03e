import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { annotationChanges } from '../../../labeling-ui/src/datasets/annotation-changes.ts';

const test = suite('annotation changes between commits');

test('annotation changes match annotations by id', () => {
  const box = { id: 'a1', kind: 'box', label: 'raccoon', box: [1, 2, 3, 4] } as const;
  const moved = { ...box, box: [5, 2, 3, 4] } as const;
  const cls = { id: 'a2', kind: 'class', label: 'raccoon' } as const;
  const span = { id: 'a3', kind: 'span', label: 'place', start: 0, end: 5 } as const;
  assert.equal(
    annotationChanges([box, cls], [moved, span]).map((c) => [c.change, c.id]),
    [['changed', 'a1'], ['added', 'a3'], ['removed', 'a2']],
  );
  assert.equal(annotationChanges(null, []), []);
  assert.equal(annotationChanges([{ ...box, attributes: { b: 1, a: 2 } }], [{ ...box, attributes: { a: 2, b: 1 } }]), [], 'key order is no change');
});

test.run();
