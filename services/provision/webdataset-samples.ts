import { InvalidInputError } from '../../core/errors.ts';
import { comparePaths } from '../../core/item-path.ts';
import type { Item } from '../../core/model.ts';
import { sampleMemberOf } from '../../core/provision/sample-key.ts';

/** A WebDataset sample: the items sharing a key (core/provision/sample-key.ts), in path order. */
export interface Sample {
  readonly key: string;
  readonly members: { readonly item: Item; readonly extension: string }[];
}

/** Most items held back at once while their samples may still grow. */
export const MAX_PENDING_ITEMS = 10_000;

/**
 * Groups items arriving in path order into samples, each emitted whole once no later path can
 * belong to it. A sample's members are not always adjacent in path order: `a/1`, `a/1-x.jpg`,
 * `a/1.jpg` (sample `a/1` around sample `a/1-x`), or `a/1.d/2.jpg` between `a/1.a` and
 * `a/1.z`. But every member of sample K is K itself or starts with "K.", and paths sorting
 * below "K." (other than K) or starting with it form one range; once a path leaves it, K is
 * complete. Open samples therefore nest like a stack, and only their items are held: memory
 * follows the nesting, not the snapshot.
 * @throws InvalidInputError when more than MAX_PENDING_ITEMS items are held at once
 */
export async function* groupSamples(items: AsyncIterable<Item>): AsyncGenerator<Sample> {
  const open: Sample[] = [];
  let pending = 0;
  for await (const item of items) {
    const { key, extension } = sampleMemberOf(item.path);
    while (open.length > 0 && !stillOpen(open[open.length - 1]!.key, item.path)) {
      const done = open.pop()!;
      pending -= done.members.length;
      yield done;
    }
    const top = open[open.length - 1];
    if (top?.key === key) top.members.push({ item, extension });
    else open.push({ key, members: [{ item, extension }] });
    if (++pending > MAX_PENDING_ITEMS)
      throw new InvalidInputError('layout', `more than ${MAX_PENDING_ITEMS} items wait for their WebDataset samples to close near ${JSON.stringify(item.path)}`);
  }
  while (open.length > 0) yield open.pop()!;
}

/** Whether a path arriving after sample `key` began may still belong to it, or to a sample nested in its range. */
function stillOpen(key: string, path: string): boolean {
  const members = `${key}.`;
  return path.startsWith(members) || comparePaths(path, members) < 0;
}
