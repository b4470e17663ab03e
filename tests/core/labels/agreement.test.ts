import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../../core/labels/annotation.ts';
import { boxIoU, cohensKappa, fleissKappa, itemAgreement, polygonIoU } from '../../../core/labels/agreement.ts';
import { intervalIoU } from '../../../core/labels/iou.ts';
import { InvalidInputError } from '../../../core/errors.ts';

const close = (actual: number | null, expected: number, what = '') =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what} expected ${expected}, got ${actual}`);

const throwsInvalid = (work: () => unknown, field: string) => {
  try {
    work();
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.is((error as InvalidInputError).data.field, field);
    return;
  }
  assert.unreachable('expected an InvalidInputError');
};

const repeat = <T>(value: T, times: number): T[] => Array<T>(times).fill(value);

// ---------------------------------------------------------------------------------------------
const kappa = suite("Cohen's and Fleiss' kappa");

kappa("Cohen's kappa of the classic 50-item 2×2 table is 0.4", () => {
  // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no. pₒ = 35/50 = 0.7; rater a says yes 25 times,
  // rater b 30 times: pₑ = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
  const a = [...repeat('yes', 20), ...repeat('yes', 5), ...repeat('no', 10), ...repeat('no', 15)];
  const b = [...repeat('yes', 20), ...repeat('no', 5), ...repeat('yes', 10), ...repeat('no', 15)];
  close(cohensKappa(a, b), 0.4);
  close(cohensKappa(b, a), 0.4, 'symmetric:');
});

kappa("Cohen's kappa: perfect, opposite, certain-chance and undefined cases", () => {
  assert.is(cohensKappa(['a', 'b', 'c', 'a'], ['a', 'b', 'c', 'a']), 1);
  // pₒ = 0, pₑ = 0.5 → κ = −1.
  assert.is(cohensKappa(['y', 'n'], ['n', 'y']), -1);
  // Both raters gave every item the same class: pₑ = 1, κ = 0/0, read as perfect agreement.
  assert.is(cohensKappa(['ok', 'ok', 'ok'], ['ok', 'ok', 'ok']), 1);
  assert.is(cohensKappa([], []), null);
  // One rater always says "ok", the other half the time: pₒ = 0.5, pₑ = 0.5 → 0.
  assert.is(cohensKappa(['ok', 'ok', 'ok', 'ok'], ['ok', 'dent', 'ok', 'dent']), 0);
  throwsInvalid(() => cohensKappa(['a'], ['a', 'b']), 'ratings');
});

kappa("Fleiss' kappa of Wikipedia's 10 items × 5 categories × 14 raters is 0.210", () => {
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  // Σ n_ij² − n per row, over n(n − 1) = 182: 182, 46, 56, 80, 60, 84, 44, 32, 52, 52 → P̄ = 688/1820.
  // Column totals 20, 28, 39, 21, 32 of 140 → P̄ₑ = 4170/19600. Over 254800:
  // κ = (96320 − 54210) / (254800 − 54210) = 42110/200590 ≈ 0.20993.
  const k = fleissKappa(table);
  close(k, 42110 / 200590);
  assert.is(k!.toFixed(3), '0.210');
});

kappa("Fleiss' kappa: agreement, certain chance, undefined and refused tables", () => {
  // Every item unanimous, in different categories: P̄ = 1 → κ = 1.
  assert.is(fleissKappa([[3, 0], [0, 3], [3, 0]]), 1);
  // Every rater chose one category for every item: P̄ₑ = 1, read as perfect agreement.
  assert.is(fleissKappa([[0, 4], [0, 4]]), 1);
  // Two raters who always split: P_i = 0, pⱼ = ½ each, P̄ₑ = ½ → κ = −1.
  assert.is(fleissKappa([[1, 1], [1, 1]]), -1);
  assert.is(fleissKappa([]), null);
  assert.is(fleissKappa([[1, 0], [0, 1]]), null, 'one rater per item agrees with nobody');
  throwsInvalid(() => fleissKappa([[2, 1], [1, 1]]), 'counts');
  throwsInvalid(() => fleissKappa([[2, 1], [1, 1, 1]]), 'counts');
  throwsInvalid(() => fleissKappa([[2, -1, 2], [1, 1, 1]]), 'counts');
  throwsInvalid(() => fleissKappa([[1.5, 1.5], [1, 2]]), 'counts');
});

kappa.run();

// ---------------------------------------------------------------------------------------------
const iou = suite('box, polygon and interval IoU');

iou('boxes: known overlaps', () => {
  close(boxIoU([0, 0, 10, 10], [0, 0, 10, 10]), 1);
  // 5 × 5 overlap: 25 / (100 + 100 − 25).
  close(boxIoU([0, 0, 10, 10], [5, 5, 10, 10]), 25 / 175);
  // 1 × 2 overlap: 2 / (4 + 4 − 2).
  close(boxIoU([0, 0, 2, 2], [1, 0, 2, 2]), 1 / 3);
  // One inside the other: 25 / 100.
  close(boxIoU([0, 0, 10, 10], [2, 2, 5, 5]), 0.25);
  assert.is(boxIoU([0, 0, 10, 10], [10, 0, 10, 10]), 0, 'touching edges share no area');
  assert.is(boxIoU([0, 0, 10, 10], [30, 30, 1, 1]), 0);
  assert.is(boxIoU([3, 3, 0, 0], [3, 3, 0, 0]), 1, 'the same degenerate box');
  assert.is(boxIoU([3, 3, 0, 5], [4, 3, 0, 5]), 0);
  throwsInvalid(() => boxIoU([0, 0, -1, 5], [0, 0, 1, 1]), 'box');
  throwsInvalid(() => boxIoU([0, Number.NaN, 1, 5], [0, 0, 1, 1]), 'box');
});

// The L: a 4 × 4 square without its top-right 2 × 2 quarter (y grows downward; the shape is
// the same either way). Area 16 − 4 = 12.
const L: [number, number][] = [[0, 0], [4, 0], [4, 2], [2, 2], [2, 4], [0, 4]];
const square = (x: number, y: number, side: number): [number, number][] => [[x, y], [x + side, y], [x + side, y + side], [x, y + side]];

iou('polygons: an L-shaped (non-convex) polygon against squares, by hand', () => {
  // Square [1,3]²: its part with x > 2 and y > 2 (1 × 1) lies in the L's notch, so the
  // intersection is 4 − 1 = 3 and the union 12 + 4 − 3 = 13.
  close(polygonIoU(L, square(1, 1, 2)), 3 / 13);
  // Square [3,5]×[1,3]: only [3,4]×[1,2] is inside the L: 1 / (12 + 4 − 1).
  close(polygonIoU(L, square(3, 1, 2)), 1 / 15);
  // The notch [2,4]² is inside the L's convex hull but outside the L: nothing shared.
  close(polygonIoU(L, square(2, 2, 2)), 0);
  close(polygonIoU(L, L), 1);
  // Winding and starting vertex do not matter.
  close(polygonIoU([...L].reverse(), square(1, 1, 2)), 3 / 13);
  close(polygonIoU(L, [...square(1, 1, 2).slice(2), ...square(1, 1, 2).slice(0, 2)]), 3 / 13);
  // Convex polygons agree with boxIoU.
  close(polygonIoU(square(0, 0, 10), square(5, 5, 10)), boxIoU([0, 0, 10, 10], [5, 5, 10, 10]));
  assert.is(polygonIoU(L, square(100, 100, 2)), 0);
  throwsInvalid(() => polygonIoU([[0, 0], [1, 1]], L), 'polygon');
  throwsInvalid(() => polygonIoU(L, [[0, 0], [1, Number.POSITIVE_INFINITY], [2, 0]]), 'polygon');
});

iou('intervals', () => {
  close(intervalIoU([0, 10], [5, 15]), 5 / 15);
  assert.is(intervalIoU([0, 10], [10, 20]), 0);
  assert.is(intervalIoU([4, 4], [4, 4]), 1);
  throwsInvalid(() => intervalIoU([5, 2], [0, 1]), 'interval');
});

iou.run();

// ---------------------------------------------------------------------------------------------
const agreement = suite('itemAgreement');

let nextId = 0;
const cls = (label: string): Annotation => ({ id: `a${nextId++}`, kind: 'class', label });
const box = (label: string, b: [number, number, number, number]): Annotation => ({ id: `a${nextId++}`, kind: 'box', label, box: b });
const poly = (label: string, points: [number, number][]): Annotation => ({ id: `a${nextId++}`, kind: 'polygon', label, points });

agreement('classes: the share of labeler pairs with equal class sets', () => {
  // Pairs (1,2) agree, (1,3) and (2,3) do not: 1/3.
  const three = itemAgreement([[cls('ok')], [cls('ok')], [cls('dent')]]);
  assert.is(three.kind, 'class');
  close(three.score, 1 / 3);
  assert.equal(itemAgreement([[cls('ok')], [cls('ok')]]), { kind: 'class', score: 1 });
  // Multi-label: sets, whatever the order or repetition.
  assert.equal(itemAgreement([[cls('scratch'), cls('dent')], [cls('dent'), cls('scratch'), cls('dent')]]), { kind: 'class', score: 1 });
  assert.equal(itemAgreement([[cls('scratch'), cls('dent')], [cls('dent')]]), { kind: 'class', score: 0 });
  // Four labelers, two camps of two: 2 of 6 pairs agree.
  close(itemAgreement([[cls('a')], [cls('a')], [cls('b')], [cls('b')]]).score, 2 / 6);
  // A labeler who marked nothing disagrees with one who chose a class.
  assert.equal(itemAgreement([[cls('ok')], []]), { kind: 'class', score: 0 });
});

agreement('boxes: greedy one-to-one matching of same-label shapes, over the larger count', () => {
  const a = [box('car', [0, 0, 10, 10]), box('person', [20, 20, 10, 10])];
  const b = [box('person', [20, 20, 10, 10]), box('car', [5, 5, 10, 10])];
  // car: 25/175 = 1/7, person: 1 → (1/7 + 1) / 2.
  const two = itemAgreement([a, b]);
  assert.is(two.kind, 'geometry');
  close(two.score, (1 / 7 + 1) / 2);
  // An extra shape in b counts as a miss: (1/7 + 1) / 3.
  close(itemAgreement([a, [...b, box('car', [50, 50, 5, 5])]]).score, (1 / 7 + 1) / 3);
  // Same place, different labels: nothing matches.
  assert.equal(itemAgreement([[box('car', [0, 0, 10, 10])], [box('person', [0, 0, 10, 10])]]), { kind: 'geometry', score: 0 });
  // One-to-one: one box cannot match two identical ones.
  close(itemAgreement([[box('car', [0, 0, 10, 10]), box('car', [0, 0, 10, 10])], [box('car', [0, 0, 10, 10])]]).score, 1 / 2);
  // Greedy by IoU: b's box [1,0,10,10] goes to a's identical box (IoU 1), not to the first one
  // (IoU 9/11), leaving a's first box unmatched: 1 / 2.
  close(itemAgreement([[box('car', [0, 0, 10, 10]), box('car', [1, 0, 10, 10])], [box('car', [1, 0, 10, 10])]]).score, 1 / 2);
});

agreement('geometry: pairs averaged over labelers, empty agrees with empty, boxes against polygons', () => {
  // Pairs: ([], []) = 1, ([], [box]) = 0 twice → 1/3.
  close(itemAgreement([[], [], [box('dent', [0, 0, 4, 4])]]).score, 1 / 3);
  // Three labelers: (a,b) = 1, (a,c) = (b,c) = 1/7 → (1 + 2/7) / 3.
  const same = box('dent', [0, 0, 10, 10]);
  close(itemAgreement([[same], [same], [box('dent', [5, 5, 10, 10])]]).score, (1 + 2 / 7) / 3);
  // A box is compared with a polygon as its four corners: the L against box [1,1,2,2] is 3/13.
  close(itemAgreement([[poly('dent', L)], [box('dent', [1, 1, 2, 2])]]).score, 3 / 13);
  // Keypoints by their box; without one they are not compared.
  const keypoints = (b?: [number, number, number, number]): Annotation => ({
    id: `a${nextId++}`, kind: 'keypoints', label: 'person', points: [[1, 1, 2]], ...(b ? { box: b } : {}),
  });
  assert.equal(itemAgreement([[keypoints([0, 0, 10, 10])], [box('person', [0, 0, 10, 10])]]), { kind: 'geometry', score: 1 });
  assert.equal(itemAgreement([[keypoints()], [keypoints()]]), { kind: 'none', score: null });
});

agreement('spans and ranges by interval IoU', () => {
  const span = (label: string, start: number, end: number): Annotation => ({ id: `a${nextId++}`, kind: 'span', label, start, end });
  close(itemAgreement([[span('org', 0, 10)], [span('org', 5, 15)]]).score, 1 / 3);
  assert.equal(itemAgreement([[span('org', 0, 10)], [span('person', 0, 10)]]), { kind: 'geometry', score: 0 });
});

agreement('classes and shapes together: the lower of the two scores', () => {
  const shapes = [box('dent', [0, 0, 10, 10])];
  assert.equal(itemAgreement([[cls('bad'), ...shapes], [cls('bad'), ...shapes]]), { kind: 'geometry', score: 1 });
  assert.equal(itemAgreement([[cls('bad'), ...shapes], [cls('ok'), ...shapes]]), { kind: 'geometry', score: 0 });
  close(itemAgreement([[cls('bad'), ...shapes], [cls('bad'), box('dent', [5, 5, 10, 10])]]).score, 1 / 7);
});

agreement('nothing comparable, or nobody to compare with', () => {
  assert.equal(itemAgreement([[], []]), { kind: 'none', score: null });
  assert.equal(itemAgreement([]), { kind: 'none', score: null });
  const mask: Annotation = { id: 'm', kind: 'mask', label: 'dent', rle: { size: [2, 2], counts: [4] } };
  assert.equal(itemAgreement([[mask], [mask]]), { kind: 'none', score: null });
  assert.equal(itemAgreement([[cls('ok')]]), { kind: 'class', score: null });
  assert.equal(itemAgreement([[box('dent', [0, 0, 1, 1])]]), { kind: 'geometry', score: null });
});

agreement('malformed geometry is refused with a typed error', () => {
  throwsInvalid(() => itemAgreement([[box('dent', [0, 0, -5, 1])], [box('dent', [0, 0, 1, 1])]]), 'box');
  throwsInvalid(() => itemAgreement([[poly('dent', [[0, 0], [1, 1]])], [box('dent', [0, 0, 1, 1])]]), 'polygon');
  // Checked even when no other submission has a shape of its label to compare it with.
  throwsInvalid(() => itemAgreement([[box('scratch', [0, 0, 1, Number.NaN])], [box('dent', [0, 0, 1, 1])]]), 'box');
  throwsInvalid(() => itemAgreement([[{ id: 's', kind: 'span', label: 'org', start: 9, end: 3 }], []]), 'interval');
});

agreement.run();
