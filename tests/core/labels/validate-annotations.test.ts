import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { validateAnnotations } from '../../../core/labels/validate-annotations.ts';

const test = suite('validateAnnotations');

const classes = [{ name: 'cat', color: '#000000' }, { name: 'dog', color: '#ffffff' }];
const image: LabelSchema = { media: 'image', classes, tools: ['class', 'box', 'polygon', 'keypoints'], keypoints: { names: ['nose', 'tail'] } };
const multi: LabelSchema = { media: 'image', classes, tools: ['classes'] };
const text: LabelSchema = { media: 'text', classes, tools: ['span'] };
const series: LabelSchema = { media: 'timeseries', classes, tools: ['range'] };

function refusedAt(value: unknown, schema: LabelSchema, field: string) {
  try {
    validateAnnotations(value, schema);
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.is((error as InvalidInputError).data.field, field, (error as Error).message);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(value)}`);
}

test('valid annotations of every kind pass as given', () => {
  const annotations = [
    { id: '1', kind: 'class', label: 'cat', source: { type: 'human', author: 'ann', time: '2026-01-01T00:00:00Z' } },
    { id: '2', kind: 'box', label: 'dog', box: [1, 2, 3.5, 4], source: { type: 'model', model: 'det', confidence: 0.3 }, review: { decision: 'accepted', by: 'ann' } },
    { id: '3', kind: 'polygon', label: 'cat', points: [[0, 0], [5, 0], [5, 5]] },
    { id: '4', kind: 'keypoints', label: 'cat', points: [[1, 1, 2], [0, 0, 0]], box: [0, 0, 2, 2] },
    { id: '5', kind: 'mask', label: 'dog', rle: { size: [4, 4], counts: [3, 13] }, attributes: { iscrowd: 1 } },
  ];
  assert.is(validateAnnotations(annotations, image), annotations);
  assert.equal(validateAnnotations([], image), []);
  validateAnnotations([{ id: 'a', kind: 'class', label: 'cat' }, { id: 'b', kind: 'class', label: 'dog' }], multi);
  validateAnnotations([{ id: 'a', kind: 'span', label: 'cat', start: 3, end: 3 }], text);
  validateAnnotations([{ id: 'a', kind: 'range', label: 'cat', start: -1.5, end: 2 }], series);
});

test('every problem is refused at its location', () => {
  refusedAt({}, image, 'annotations');
  refusedAt([{ id: '1', kind: 'blob', label: 'cat' }], image, 'annotations/0/kind');
  refusedAt([{ id: '1', kind: 'span', label: 'cat', start: 0, end: 1 }], image, 'annotations/0/kind');
  refusedAt([{ id: '', kind: 'class', label: 'cat' }], image, 'annotations/0/id');
  refusedAt([{ id: '1', kind: 'box', label: 'cat', box: [0, 0, 1, 1] }, { id: '1', kind: 'box', label: 'cat', box: [0, 0, 1, 1] }], image, 'annotations/1/id');
  refusedAt([{ id: '1', kind: 'class', label: 'cow' }], image, 'annotations/0/label');
  refusedAt([{ id: '1', kind: 'class', label: 'cat' }, { id: '2', kind: 'class', label: 'dog' }], image, 'annotations/1');
  refusedAt([{ id: '1', kind: 'box', label: 'cat', box: [0, 0, 0, 1] }], image, 'annotations/0/box');
  refusedAt([{ id: '1', kind: 'box', label: 'cat', box: [0, 0, 1] }], image, 'annotations/0/box');
  refusedAt([{ id: '1', kind: 'box', label: 'cat', box: [0, '0', 1, 1] }], image, 'annotations/0/box/1');
  refusedAt([{ id: '1', kind: 'box', label: 'cat', box: [0, 0, 1, 1], colour: 'red' }], image, 'annotations/0/colour');
  refusedAt([{ id: '1', kind: 'polygon', label: 'cat', points: [[0, 0], [1, 1]] }], image, 'annotations/0/points');
  refusedAt([{ id: '1', kind: 'polygon', label: 'cat', points: [[0, 0], [1, 1], [2, null]] }], image, 'annotations/0/points/2/1');
  refusedAt([{ id: '1', kind: 'keypoints', label: 'cat', points: [[1, 1, 2]] }], image, 'annotations/0/points');
  refusedAt([{ id: '1', kind: 'keypoints', label: 'cat', points: [[1, 1, 2], [1, 1, 3]] }], image, 'annotations/0/points/1/2');
  refusedAt([{ id: '1', kind: 'mask', label: 'cat', rle: { size: [0, 4], counts: '' } }], image, 'annotations/0/rle/size');
  refusedAt([{ id: '1', kind: 'span', label: 'cat', start: 4, end: 3 }], text, 'annotations/0/end');
  refusedAt([{ id: '1', kind: 'span', label: 'cat', start: 0.5, end: 3 }], text, 'annotations/0/start');
  refusedAt([{ id: '1', kind: 'range', label: 'cat', start: 2, end: 1 }], series, 'annotations/0/end');
  refusedAt([{ id: '1', kind: 'class', label: 'cat', source: { type: 'model', model: 'm', confidence: 1.5 } }], image, 'annotations/0/source/confidence');
  refusedAt([{ id: '1', kind: 'class', label: 'cat', source: { type: 'oracle' } }], image, 'annotations/0/source/type');
  refusedAt([{ id: '1', kind: 'class', label: 'cat', review: { decision: 'maybe', by: 'ann' } }], image, 'annotations/0/review/decision');
  refusedAt([{ id: '1', kind: 'class', label: 'cat', source: { type: 'human', author: 'ann', time: 'yesterday' } }], image, 'annotations/0/source/time');
});

test.run();
