import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseByteRange } from '../../../server/http/byte-range.ts';

const test = suite('parseByteRange');

test('single ranges', () => {
  const partial = (start: number, end: number) => ({ kind: 'partial', start, end });
  assert.equal(parseByteRange('bytes=0-99', 1000), partial(0, 100));
  assert.equal(parseByteRange('bytes=900-', 1000), partial(900, 1000));
  assert.equal(parseByteRange('bytes=-1', 1000), partial(999, 1000));
  assert.equal(parseByteRange('bytes=-2000', 1000), partial(0, 1000));
  assert.equal(parseByteRange('bytes=10-99999999999999999999', 1000), partial(10, 1000));
  assert.equal(parseByteRange('Bytes = 5-5 ', 1000), partial(5, 6));
});

test('unsatisfiable ranges', () => {
  for (const [header, size] of [
    ['bytes=1000-', 1000],
    ['bytes=1000-1000', 1000],
    ['bytes=-0', 1000],
    ['bytes=0-', 0],
    ['bytes=-5', 0],
  ] as const)
    assert.equal(parseByteRange(header, size), { kind: 'unsatisfiable' }, `${header} of ${size}`);
});

test('ignored: absent, multiple, other units, malformed', () => {
  for (const header of [undefined, '', 'bytes=0-1,3-4', 'items=0-1', 'bytes=5-4', 'bytes=a-b', 'bytes=-', 'bytes', 'bytes=1-2-3'])
    assert.equal(parseByteRange(header, 1000), { kind: 'whole' }, String(header));
});

test.run();
