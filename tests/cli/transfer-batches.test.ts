import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BATCH_MAX_BLOBS, BATCH_MAX_BYTES, BATCHED_BLOB_MAX_BYTES, planTransfers } from '../../cli/transfer-batches.ts';

const test = suite('planTransfers');
const MiB = 1024 * 1024;

test('small blobs go in order into batches bounded by count and bytes; large ones alone', () => {
  const sizes = [...Array.from({ length: BATCH_MAX_BLOBS + 10 }, () => 1), BATCHED_BLOB_MAX_BYTES + 1, 5];
  const { batches, singles } = planTransfers(sizes, (size) => size);
  assert.equal(batches.map((b) => b.length), [BATCH_MAX_BLOBS, 11]);
  assert.equal(singles, [BATCHED_BLOB_MAX_BYTES + 1]);

  const big = Array.from({ length: 9 }, () => 16 * MiB);
  const byBytes = planTransfers(big, (size) => size);
  assert.ok(byBytes.batches.every((b) => b.reduce((sum, size) => sum + size, 0) <= BATCH_MAX_BYTES));
  assert.equal(byBytes.batches.map((b) => b.length), [4, 4, 1]);
  assert.equal(planTransfers([], (size: number) => size), { batches: [], singles: [] });
});

test.run();
