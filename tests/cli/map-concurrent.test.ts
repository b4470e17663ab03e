import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chunks, mapConcurrent } from '../../cli/map-concurrent.ts';

const test = suite('mapConcurrent');
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('keeps the order of results and never runs more than the limit at once', async () => {
  let running = 0;
  let peak = 0;
  const results = await mapConcurrent([5, 1, 4, 2, 3, 0, 2], 3, async (ms, i) => {
    running++;
    peak = Math.max(peak, running);
    await tick(ms);
    running--;
    return i * 10;
  });
  assert.equal(results, [0, 10, 20, 30, 40, 50, 60]);
  assert.is(peak, 3);
});

test('after a failure no new call starts, in-flight calls finish, the first error is thrown', async () => {
  const started: number[] = [];
  let finished = 0;
  try {
    await mapConcurrent([0, 1, 2, 3, 4, 5, 6, 7], 2, async (i) => {
      started.push(i);
      await tick(i === 1 ? 1 : 5);
      if (i === 1) throw new Error('boom');
      finished++;
    });
    assert.unreachable('expected the error');
  } catch (error) {
    assert.is((error as Error).message, 'boom');
  }
  assert.equal(started, [0, 1]);
  assert.is(finished, 1);
});

test('empty input, and chunks', async () => {
  assert.equal(await mapConcurrent([], 8, async () => 1), []);
  assert.equal(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.equal(chunks([], 2), []);
});

test.run();
