import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { parseLabelSchema } from '../../../core/labels/parse-label-schema.ts';

const test = suite('parseLabelSchema');

const base = { media: 'image', classes: [{ name: 'ok', color: '#00FF00', hotkey: '1' }, { name: 'dent', color: '#0000ff' }], tools: ['class', 'box'] };

function refusedAt(value: unknown, field: string) {
  try {
    parseLabelSchema(value);
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.is((error as InvalidInputError).data.field, field, (error as Error).message);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(value)}`);
}

test('a valid schema comes back plain and frozen, colours in lower case', () => {
  const schema = parseLabelSchema(base);
  assert.equal(schema, { media: 'image', classes: [{ name: 'ok', color: '#00ff00', hotkey: '1' }, { name: 'dent', color: '#0000ff' }], tools: ['class', 'box'] });
  assert.ok(Object.isFrozen(schema));
  const withKeypoints = parseLabelSchema({ ...base, tools: ['keypoints'], keypoints: { names: ['head', 'tail'], skeleton: [[0, 1]] } });
  assert.equal(withKeypoints.keypoints, { names: ['head', 'tail'], skeleton: [[0, 1]] });
  assert.equal(parseLabelSchema({ media: 'text', classes: [{ name: 'PER', color: '#123456' }], tools: ['span', 'classes'] }).tools, ['span', 'classes']);
});

test('every problem is refused at its location', () => {
  refusedAt(null, 'schema');
  refusedAt({ ...base, media: 'video' }, 'schema/media');
  refusedAt({ ...base, classes: [] }, 'schema/classes');
  refusedAt({ ...base, classes: [{ name: '', color: '#000000' }] }, 'schema/classes/0/name');
  refusedAt({ ...base, classes: [base.classes[0], { name: 'ok', color: '#000000' }] }, 'schema/classes/1/name');
  refusedAt({ ...base, classes: [{ name: 'x', color: 'red' }] }, 'schema/classes/0/color');
  refusedAt({ ...base, classes: [{ name: 'x', color: '#0000000' }] }, 'schema/classes/0/color');
  refusedAt({ ...base, classes: [{ name: 'x', color: '#000000', hotkey: 'ab' }] }, 'schema/classes/0/hotkey');
  refusedAt({ ...base, classes: [{ name: 'x', color: '#000000', hotkey: 'a' }, { name: 'y', color: '#000000', hotkey: 'A' }] }, 'schema/classes/1/hotkey');
  refusedAt({ ...base, classes: [{ name: 'x', color: '#000000', size: 3 }] }, 'schema/classes/0/size');
  refusedAt({ ...base, tools: [] }, 'schema/tools');
  refusedAt({ ...base, tools: ['brush'] }, 'schema/tools/0');
  refusedAt({ ...base, tools: ['box', 'box'] }, 'schema/tools/1');
  refusedAt({ ...base, tools: ['span'] }, 'schema/tools/0');
  refusedAt({ ...base, media: 'timeseries', tools: ['box'] }, 'schema/tools/0');
  refusedAt({ ...base, tools: ['class', 'classes'] }, 'schema/tools');
  refusedAt({ ...base, tools: ['keypoints'] }, 'schema/keypoints');
  refusedAt({ ...base, tools: ['keypoints'], keypoints: { names: ['a', 'a'] } }, 'schema/keypoints/names/1');
  refusedAt({ ...base, tools: ['keypoints'], keypoints: { names: ['a', 'b'], skeleton: [[0, 2]] } }, 'schema/keypoints/skeleton/0');
  refusedAt({ ...base, keypoints: { names: ['a'] } }, 'schema/keypoints');
  refusedAt({ ...base, extra: true }, 'schema/extra');
});

test.run();
