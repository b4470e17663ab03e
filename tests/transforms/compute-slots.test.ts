import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ComputeSlots } from '../../services/transforms/compute-slots.ts';

const MiB = 1024 * 1024;
const test = suite('ComputeSlots');

/** Acquires a slot for each size in order; lists which were admitted once pending work has settled. */
async function admitted(slots: ComputeSlots, sizes: number[]) {
  const releases: (() => void)[] = [];
  const order: number[] = [];
  sizes.forEach((size, i) => void slots.acquire(size).then((release) => ((releases[i] = release), order.push(i))));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { order, releases };
}

test('up to `items` inputs of any size run at once, more only while the running ones are small', async () => {
  const slots = new ComputeSlots({ items: 2, smallItems: 4, smallBytes: 10 * MiB });
  const { order, releases } = await admitted(slots, [50 * MiB, 50 * MiB, 1 * MiB, 1 * MiB]);
  // Two large inputs take the two slots any size gets; the small ones wait: the running bytes are over the bound.
  assert.equal(order, [0, 1]);
  releases[0]!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(order, [0, 1, 2]);
  releases[1]!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(order, [0, 1, 2, 3]);
});

test('small inputs run up to `smallItems` at once, and the next one starts when one is released', async () => {
  const slots = new ComputeSlots({ items: 2, smallItems: 4, smallBytes: 10 * MiB });
  const { order, releases } = await admitted(slots, [1 * MiB, 1 * MiB, 1 * MiB, 1 * MiB, 1 * MiB]);
  assert.equal(order, [0, 1, 2, 3]);
  releases[2]!();
  releases[2]!(); // a second release of the same slot changes nothing
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(order, [0, 1, 2, 3, 4]);
});

test('inputs are admitted in order: a small one does not overtake a large one waiting', async () => {
  const slots = new ComputeSlots({ items: 1, smallItems: 3, smallBytes: 10 * MiB });
  const { order, releases } = await admitted(slots, [1 * MiB, 50 * MiB, 1 * MiB]);
  assert.equal(order, [0]);
  releases[0]!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(order, [0, 1]);
});

test.run();
