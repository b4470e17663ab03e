import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { classificationMode, itemClasses, toggleItemClass } from '../../../labeling-ui/src/annotations/class-toggles.ts';
import type { Editor } from '../../../labeling-ui/src/annotations/editor.ts';

const test = suite('whole-item class toggles');
const editor: Editor = { user: 'lea', now: () => '2026-01-02T03:04:05.000Z' };
const proposal: Annotation = { id: 'm1', kind: 'box', label: 'dent', box: [10, 10, 20, 20], source: { type: 'model', model: 'det-v3', confidence: 0.42 } };
const classProposal: Annotation = { id: 'c1', kind: 'class', label: 'dent', source: { type: 'model', model: 'cls', confidence: 0.5 } };

test('single-label classification replaces the class, proposals included; multi-label toggles', () => {
  const single = toggleItemClass([classProposal, proposal], 'ok', 'single', editor);
  assert.equal(single.map((a) => [a.kind, a.label]), [['box', 'dent'], ['class', 'ok']]);
  assert.equal(toggleItemClass(single, 'ok', 'single', editor).map((a) => a.kind), ['box']);
  const multi = toggleItemClass(toggleItemClass([], 'ok', 'multi', editor), 'dent', 'multi', editor);
  assert.equal(multi.map((a) => a.label), ['ok', 'dent']);
  // Turning off a proposed class rejects it instead of deleting the record.
  const off = toggleItemClass([classProposal], 'dent', 'multi', editor);
  assert.is(off[0]!.review?.decision, 'rejected');
});

test('a rejected class proposal is kept but no longer counts: the class can be chosen again, as the labeler\'s own', () => {
  const off = toggleItemClass([classProposal], 'dent', 'multi', editor);
  assert.equal(off, [{ ...classProposal, review: { decision: 'rejected', by: 'lea', time: editor.now() } }]);
  assert.equal([...itemClasses(off)], []);
  const again = toggleItemClass(off, 'dent', 'multi', editor);
  // The new class gets the next a<n> id and no source: the server stamps the labeler.
  assert.equal(again, [off[0], { id: 'a1', kind: 'class', label: 'dent' }]);
  assert.equal([...itemClasses(again)], ['dent']);
  // Single-label: the server allows one class annotation in all, so the rejected one goes.
  assert.equal(toggleItemClass(off, 'ok', 'single', editor), [{ id: 'a1', kind: 'class', label: 'ok' }]);
});

test('the schema\'s tools choose the mode: classes is multi-label, class single-label, neither none', () => {
  const schema = (tools: LabelSchema['tools']): LabelSchema => ({ media: 'text', classes: [{ name: 'ok', color: '#00ff00' }], tools });
  assert.is(classificationMode(schema(['classes', 'span'])), 'multi');
  assert.is(classificationMode(schema(['class', 'span'])), 'single');
  assert.is(classificationMode(schema(['span'])), null);
});

test.run();
