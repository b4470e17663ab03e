import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FILE_READ_WINDOW_MS, ReadThrottle } from '../../../services/lineage/read-throttle.ts';

const test = suite('file read throttle');

test('one read per key per window; keys are independent; forgetting lets the next one through', () => {
  const throttle = new ReadThrottle();
  assert.ok(throttle.admit('ana/s1', 0));
  assert.not.ok(throttle.admit('ana/s1', 1));
  assert.not.ok(throttle.admit('ana/s1', FILE_READ_WINDOW_MS - 1));
  assert.ok(throttle.admit('bob/s1', 1));
  assert.ok(throttle.admit('ana/s2', 1));
  assert.ok(throttle.admit('ana/s1', FILE_READ_WINDOW_MS));
  assert.not.ok(throttle.admit('ana/s1', FILE_READ_WINDOW_MS + 10));
  throttle.forget('ana/s1');
  assert.ok(throttle.admit('ana/s1', FILE_READ_WINDOW_MS + 20));
});

test('old keys are pruned without losing the recent ones', () => {
  const throttle = new ReadThrottle(1000);
  for (let i = 0; i < 10_000; i++) throttle.admit(`old-${i}`, 0);
  assert.ok(throttle.admit('new', 5000));
  assert.not.ok(throttle.admit('new', 5001));
  assert.ok(throttle.admit('old-1', 5002));
});

test.run();
