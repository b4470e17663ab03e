import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../../core/labels/annotation.ts';
import type { Editor } from '../../../labeling-ui/src/annotations/editor.ts';
import { acceptProposal, isPendingProposal, rejectProposal } from '../../../labeling-ui/src/annotations/proposals.ts';
import { addBox, addKeypoints, addPolygon, clipBox, updateAnnotation } from '../../../labeling-ui/src/label/annotation-edits.ts';
import { pushHistory, redo, startHistory, undo } from '../../../labeling-ui/src/label/history.ts';
import { resizeBox, translate } from '../../../labeling-ui/src/label/shape-geometry.ts';
import { fitViewport, toImage, zoomAt } from '../../../labeling-ui/src/label/viewport.ts';

const test = suite('labeling view edits');
const editor: Editor = { user: 'lea', now: () => '2026-01-02T03:04:05.000Z' };
const proposal: Annotation = { id: 'm1', kind: 'box', label: 'dent', box: [10, 10, 20, 20], source: { type: 'model', model: 'det-v3', confidence: 0.42 } };
const size = { width: 100, height: 80 };

test('new shapes are normalised and clipped to the image, numbered a<n> above the highest id, and carry no source', () => {
  assert.equal(clipBox([90, 70, -30, 20], size.width, size.height), [60, 70, 30, 10]);
  assert.is(clipBox([120, 10, 5, 5], size.width, size.height), null);
  const [box] = addBox([], 'scratch', [1.234, 2, 3, 4]);
  // No source: the server stamps the labeler who submits it, as for text spans and series ranges.
  assert.equal(box, { id: 'a1', kind: 'box', label: 'scratch', box: [1.234, 2, 3, 4] });
  const shapes = addKeypoints(addPolygon(addBox([proposal, { ...proposal, id: 'a7' }], 'ok', [1, 1, 2, 2]), 'ok', [[0, 0], [5, 0], [0, 5]]), 'ok', [[1, 2, 2]], 2);
  assert.equal(shapes.slice(2).map((a) => [a.id, a.kind, a.source]), [['a8', 'box', undefined], ['a9', 'polygon', undefined], ['a10', 'keypoints', undefined]]);
  assert.equal(shapes[4], { id: 'a10', kind: 'keypoints', label: 'ok', points: [[1, 2, 2], [0, 0, 0]] });
});

test('accepting, rejecting and editing a proposal set its review and keep the model as source', () => {
  assert.ok(isPendingProposal(proposal));
  const [accepted] = acceptProposal([proposal], 'm1', editor);
  assert.equal(accepted!.review, { decision: 'accepted', by: 'lea', time: editor.now() });
  assert.equal(accepted!.source, proposal.source);
  const [rejected] = rejectProposal([proposal], 'm1', editor);
  assert.is(rejected!.review?.decision, 'rejected');
  const [edited] = updateAnnotation([proposal], 'm1', (a) => translate(a, 5, 0, size), editor);
  assert.equal(edited, { ...proposal, box: [15, 10, 20, 20], review: { decision: 'edited', by: 'lea', time: editor.now() } });
  // A human's own annotation has no review to set.
  const [mine] = updateAnnotation(addBox([], 'ok', [1, 1, 2, 2]), 'a1', (a) => a, editor);
  assert.is(mine!.review, undefined);
});

test('boxes resize by any handle, flip past the opposite edge, and stay inside the image', () => {
  assert.equal(resizeBox([10, 10, 20, 20], 'se', 5, 5, size), [10, 10, 25, 25]);
  assert.equal(resizeBox([10, 10, 20, 20], 'w', 30, 0, size), [30, 10, 10, 20]);
  assert.equal(resizeBox([10, 10, 20, 20], 'n', 0, -50, size), [10, 0, 20, 30]);
  assert.equal(translate(proposal, 500, -500, size), { ...proposal, box: [80, 0, 20, 20] });
});

test('undo and redo walk every edit; a new edit drops the redo steps', () => {
  let h = startHistory<number[]>([]);
  h = pushHistory(h, [1]);
  h = pushHistory(h, [1, 2]);
  h = undo(h);
  assert.equal(h.present, [1]);
  h = redo(h);
  assert.equal(h.present, [1, 2]);
  h = pushHistory(undo(undo(h)), [9]);
  assert.equal(h.present, [9]);
  assert.is(redo(h), h);
  assert.equal(undo(h).present, []);
  assert.is(undo(undo(h)).present, undo(h).present);
});

test('the viewport maps screen to original pixels, at any zoom', () => {
  const view = fitViewport({ width: 1000, height: 600 }, { width: 2000, height: 1000 });
  const [x, y] = toImage(view, { x: view.x + 100, y: view.y + 50 });
  assert.ok(Math.abs(x - 100 / view.scale) < 1e-9 && Math.abs(y - 50 / view.scale) < 1e-9);
  const zoomed = zoomAt(view, 3, { x: 400, y: 300 });
  assert.equal(toImage(zoomed, { x: 400, y: 300 }).map((v) => v.toFixed(6)), toImage(view, { x: 400, y: 300 }).map((v) => v.toFixed(6)));
});

test.run();
