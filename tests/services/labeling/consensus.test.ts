import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../../core/labels/annotation.ts';
import { consensusOf } from '../../../services/labeling/consensus.ts';
import { kappaOf, labelerStats } from '../../../services/labeling/dashboard.ts';
import { labelersNeeded } from '../../../services/labeling/overlap.ts';
import { parseQueueOrder, sortKeyOf } from '../../../services/labeling/queue-order.ts';

const test = suite('consensus, agreement figures, overlap and queue keys');

const cls = (label: string, id = label): Annotation => ({ id, kind: 'class', label });
const box = (b: [number, number, number, number], id = 'b'): Annotation => ({ id, kind: 'box', label: 'dent', box: b });

test('class consensus: majority class set of three, staged from the earliest submission holding it', () => {
  // Pairs: (dent, ok) 0, (dent, dent) 1, (ok, dent) 0 → agreement 1/3.
  const three = [[cls('dent', 'x')], [cls('ok')], [cls('dent', 'y')]];
  assert.equal(consensusOf(three, 0.3), { outcome: 'done', annotations: [cls('dent', 'x')], agreement: 1 / 3, kind: 'class' });
  const review = consensusOf(three, 0.5);
  assert.equal([review.outcome, review.agreement], ['review', 1 / 3]);
  assert.equal(consensusOf([[cls('ok')], [cls('ok', 'z')]], 1), { outcome: 'done', annotations: [cls('ok')], agreement: 1, kind: 'class' });
});

test('geometry consensus: the first submission when the mean matched IoU reaches the threshold', () => {
  // IoU of [0,0,10,10] and [0,0,10,5]: 50 / 100 = 0.5.
  const pair = [[box([0, 0, 10, 10])], [box([0, 0, 10, 5])]];
  assert.equal(consensusOf(pair, 0.5), { outcome: 'done', annotations: [box([0, 0, 10, 10])], agreement: 0.5, kind: 'geometry' });
  assert.is(consensusOf(pair, 0.51).outcome, 'review');
  // A missed box counts as 0: one matched pair (IoU 1) over two boxes = 0.5.
  assert.is(consensusOf([[box([0, 0, 4, 4]), box([10, 10, 4, 4], 'c')], [box([0, 0, 4, 4])]], 0.9).agreement, 0.5);
});

test('nothing to mark: all empty agree, incomparable submissions go to review', () => {
  assert.equal(consensusOf([[], []], 0.9), { outcome: 'done', annotations: [], agreement: 1, kind: 'none' });
  const masks: Annotation[] = [{ id: 'm', kind: 'mask', label: 'dent', rle: { size: [2, 2], counts: [4] } }];
  assert.is(consensusOf([masks, []], 0.9).outcome, 'review');
});

test('kappa: Cohen\'s for two labelers, Fleiss\' for more, hand computed', () => {
  // Two raters, four items: a = [x,x,y,y], b = [x,y,y,y]; pₒ = 3/4; pₑ = (2·1 + 2·3)/16 = 1/2; κ = 0.5.
  assert.is(kappaOf([['x', 'x'], ['x', 'y'], ['y', 'y'], ['y', 'y']]), 0.5);
  // Three raters, two items, each unanimous on a different class: perfect agreement.
  assert.is(kappaOf([['x', 'x', 'x'], ['y', 'y', 'y']]), 1);
  assert.is(kappaOf([]), null);
});

test('labeler throughput: per hour over the active span, at least a minute', () => {
  const figures = { user: 'ann', submitted: 3, skipped: 0, accepted: 0, rejected: 0, medianSeconds: 90 };
  const t0 = new Date('2026-01-01T00:00:00Z');
  assert.is(labelerStats({ ...figures, firstSubmit: t0, lastSubmit: new Date(t0.getTime() + 180_000) }).perHour, 60);
  assert.is(labelerStats({ ...figures, submitted: 1, firstSubmit: t0, lastSubmit: t0 }).perHour, 60);
  assert.is(labelerStats({ ...figures, submitted: 0, firstSubmit: null, lastSubmit: null }).perHour, 0);
});

test('overlap picks a stable share of paths', () => {
  const paths = Array.from({ length: 2000 }, (_, i) => `img/${i}.jpg`);
  const chosen = paths.filter((p) => labelersNeeded(p, 2, 0.1) === 2);
  assert.ok(chosen.length > 150 && chosen.length < 250, `${chosen.length} of 2000`);
  assert.equal(paths.filter((p) => labelersNeeded(p, 2, 0.1) === 2), chosen, 'the same paths every time');
  assert.ok(chosen.every((p) => labelersNeeded(p, 3, 0.2) === 3), 'a larger share keeps the chosen ones');
  assert.is(labelersNeeded('x', 1, 1), 1);
  assert.is(labelersNeeded('x', 3, 1), 3);
});

test('queue keys sort JSON values naturally in code point order', () => {
  const values = [-1e9, -2.5, -0, 0, 1e-9, 3, 10, 2 ** 60];
  const keys = values.map((v) => sortKeyOf(v));
  assert.equal([...keys].sort(), keys);
  assert.ok(sortKeyOf(1e300) < sortKeyOf('a') && sortKeyOf('a') < sortKeyOf('b') && sortKeyOf('zzz') < sortKeyOf(undefined) && sortKeyOf(true) === sortKeyOf(undefined));
  const random = parseQueueOrder('random');
  const item = { path: 'img/1.jpg', meta: {}, annotations: null } as never;
  assert.is(random.keyOf(item, 'p1'), random.keyOf(item, 'p1'));
  assert.is.not(random.keyOf(item, 'p1'), random.keyOf(item, 'p2'));
  assert.is(parseQueueOrder('meta:priority').spec, 'meta:priority');
  assert.throws(() => parseQueueOrder('dataset:x'), /takes no argument/);
  assert.throws(() => parseQueueOrder('meta:'), /needs a key/);
});

test.run();
