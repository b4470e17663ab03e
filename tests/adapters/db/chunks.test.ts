import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chunks } from '../../../adapters/db/chunks.ts';

test('splits by count', () => {
  assert.equal([...chunks([1, 2, 3, 4, 5], 2)], [[1, 2], [3, 4], [5]]);
  assert.equal([...chunks([], 2)], []);
});

test('splits by weight, giving an oversized item a slice of its own', () => {
  assert.equal([...chunks([3, 3, 3, 10, 1], 100, (n) => n, 6)], [[3, 3], [3], [10], [1]]);
});

test.run();
