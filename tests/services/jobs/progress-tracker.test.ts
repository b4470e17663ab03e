import { setTimeout as sleep } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import type { JobProgress } from '../../../services/jobs/job.ts';
import { ProgressTracker } from '../../../services/jobs/progress-tracker.ts';

const test = suite('progress tracker');

function tracker(options: { now?: () => number; intervalMs?: number } = {}) {
  const saved: JobProgress[] = [];
  const progress = new ProgressTracker({ save: async (p) => void saved.push(p), intervalMs: options.intervalMs ?? 40, now: options.now });
  return { progress, saved };
}

test('rate is items per second over the recent window, and the time left follows from it', () => {
  let now = 1_000_000;
  const { progress } = tracker({ now: () => now });
  progress.report(0, 100);
  assert.is(progress.current()!.rate, null, 'no rate from one report');
  now += 200;
  progress.report(4, 100);
  assert.is(progress.current()!.rate, null, 'no rate over less than half a second');
  for (let i = 0; i < 10; i++) {
    now += 1000;
    progress.report(4 + (i + 1) * 5, 100);
  }
  const current = progress.current()!;
  assert.is(current.done, 54);
  assert.ok(Math.abs(current.rate! - 5) < 0.01, `rate ${current.rate}`);
  assert.ok(Math.abs(current.etaSeconds! - 46 / 5) < 0.01, `eta ${current.etaSeconds}`);
  // The window forgets old speed: after ten seconds at 1 item/s the rate is about 1.
  for (let i = 0; i < 12; i++) {
    now += 1000;
    progress.report(55 + i, 100);
  }
  assert.ok(Math.abs(progress.current()!.rate! - 1) < 0.2, `rate ${progress.current()!.rate}`);
  void progress.close();
});

test('without a total there is no time left; going backwards starts the rate afresh', () => {
  let now = 0;
  const { progress } = tracker({ now: () => now });
  progress.report(0);
  now += 1000;
  progress.report(10);
  assert.is(progress.current()!.total, null);
  assert.is(progress.current()!.etaSeconds, null);
  assert.ok(progress.current()!.rate! > 0);
  now += 100;
  progress.report(2, 10);
  assert.is(progress.current()!.rate, null);
  void progress.close();
});

test('writes are throttled, never overlap, and the last report is always written', async () => {
  const { progress, saved } = tracker({ intervalMs: 40 });
  for (let i = 1; i <= 1000; i++) progress.report(i, 5000);
  await sleep(20);
  assert.equal(saved.map((p) => p.done), [1000], 'a burst of reports makes one write, of the latest');
  progress.report(1001, 5000);
  progress.report(1002, 5000);
  assert.is(saved.length, 1, 'not again before the interval');
  await sleep(80);
  assert.equal(saved.map((p) => p.done), [1000, 1002]);
  progress.report(1003, 5000);
  const last = await progress.close();
  assert.is(last!.done, 1003, 'close hands back the last report for the final write');
  progress.report(1004, 5000);
  await sleep(80);
  assert.is(saved.length, 2, 'nothing is written after close');
});

test('a failed write is reported and tried again with the next report', async () => {
  let fail = true;
  const errors: unknown[] = [];
  const saved: number[] = [];
  const progress = new ProgressTracker({
    intervalMs: 10,
    save: async (p) => {
      if (fail) throw new Error('database gone');
      saved.push(p.done);
    },
    onError: (error) => errors.push(error),
  });
  progress.report(1, 3);
  await sleep(30);
  assert.is(errors.length, 1);
  fail = false;
  progress.report(2, 3);
  await sleep(30);
  assert.equal(saved, [2]);
  await progress.close();
});

test('impossible counts are refused', () => {
  const { progress } = tracker();
  assert.throws(() => progress.report(-1, 10), (e: unknown) => e instanceof InvalidInputError);
  assert.throws(() => progress.report(Number.NaN), (e: unknown) => e instanceof InvalidInputError);
  assert.throws(() => progress.report(11, 10), (e: unknown) => e instanceof InvalidInputError);
  void progress.close();
});

test.run();
