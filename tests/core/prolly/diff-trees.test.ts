import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NodeHash } from '../../../core/ids.ts';
import { comparePaths } from '../../../core/item-path.ts';
import type { Item } from '../../../core/model.ts';
import { diffTrees, sameItem, type ItemChange } from '../../../core/prolly/diff-trees.ts';
import { EMPTY_SNAPSHOT } from '../../../core/prolly/node-codec.ts';
import { NodeReader } from '../../../core/prolly/node-reader.ts';
import { seededRandom } from '../../helpers/random.ts';
import { makeItem, memoryTree } from '../../helpers/tree-fixtures.ts';

const test = suite('prolly tree: diff');

const paths = (n: number) => Array.from({ length: n }, (_, i) => `d/${String(i).padStart(6, '0')}`);

function naiveDiff(a: Map<string, Item>, b: Map<string, Item>): ItemChange[] {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort(comparePaths);
  const out: ItemChange[] = [];
  for (const key of keys) {
    const x = a.get(key) ?? null;
    const y = b.get(key) ?? null;
    if (x && y && sameItem(x, y)) continue;
    out.push({ path: key, before: x, after: y });
  }
  return out;
}

const summary = (changes: ItemChange[]) => changes.map((c) => `${c.before ? (c.after ? 'M' : 'D') : 'A'} ${c.path}`);

test('diff of equal snapshots is empty and reads nothing', async () => {
  const tree = memoryTree();
  const root = await tree.build(paths(1000).map((p) => makeItem(p)));
  const reads = tree.store.reads;
  assert.equal(await diffTrees(tree.reader, root, root), []);
  assert.is(tree.store.reads, reads);
});

test('random changes: the diff equals a naive diff of the item sets', async () => {
  for (const seed of [11, 12, 13, 14, 15]) {
    const random = seededRandom(seed);
    const tree = memoryTree();
    const before = new Map(paths(4000).map((p) => [p, makeItem(p)]));
    const rootA = await tree.build([...before.values()]);
    const after = new Map(before);
    const changes: (Item | string)[] = [];
    const n = 1 + Math.floor(random() * 300);
    const touched = new Set<string>();
    for (let k = 0; k < n; k++) {
      const r = random();
      const path = r < 0.3 ? `d/${String(Math.floor(random() * 5000)).padStart(6, '0')}x` : paths(4000)[Math.floor(random() * 4000)]!;
      if (touched.has(path)) continue;
      touched.add(path);
      if (r > 0.8 && after.has(path)) {
        after.delete(path);
        changes.push(path);
      } else {
        const item = makeItem(path, 1 + Math.floor(random() * 3));
        after.set(path, item);
        changes.push(item);
      }
    }
    const rootB = await tree.apply(rootA, changes);
    const expected = naiveDiff(before, after);
    assert.equal(summary(await diffTrees(tree.reader, rootA, rootB)), summary(expected), `seed ${seed}`);
    assert.equal(summary(await diffTrees(tree.reader, rootB, rootA)), summary(naiveDiff(after, before)), `seed ${seed} reversed`);
  }
});

test('diff against the empty snapshot lists every item; trees of different heights work', async () => {
  const tree = memoryTree();
  const items = paths(3000).map((p) => makeItem(p));
  const root = await tree.build(items);
  const small = await tree.build(items.slice(0, 3));
  assert.is((await diffTrees(tree.reader, EMPTY_SNAPSHOT, root)).length, 3000);
  const changes = await diffTrees(tree.reader, small, root);
  assert.is(changes.length, 2997);
  assert.ok(changes.every((c) => c.before === null));
});

test('pagination with after and limit walks the whole diff exactly once', async () => {
  const tree = memoryTree();
  const items = paths(5000).map((p) => makeItem(p));
  const a = await tree.build(items);
  const b = await tree.apply(a, items.filter((_, i) => i % 37 === 0).map((i) => makeItem(i.path, 5)));
  const all = await diffTrees(tree.reader, a, b);
  const paged: ItemChange[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await diffTrees(tree.reader, a, b, { after, limit: 25 });
    paged.push(...page);
    if (page.length < 25) break;
    after = page[page.length - 1]!.path;
  }
  assert.equal(summary(paged), summary(all));
  assert.is(all.length, Math.ceil(5000 / 37));
});

test('a small diff of a big tree reads few nodes from the store (equal subtrees are skipped)', async () => {
  const tree = memoryTree();
  const items = paths(50_000).map((p) => makeItem(p));
  const a = await tree.build(items);
  const b = await tree.apply(a, [makeItem('d/025000', 9), makeItem('d/040000', 9)]);
  // A cold reader over the same store: count the nodes it has to load.
  const cold = new NodeReader(tree.store);
  let loaded = 0;
  const getMany = tree.store.getMany.bind(tree.store);
  tree.store.getMany = async (hashes: readonly NodeHash[]) => {
    loaded += hashes.length;
    return getMany(hashes);
  };
  const changes = await diffTrees(cold, a, b);
  assert.equal(summary(changes), ['M d/025000', 'M d/040000']);
  const height = (await cold.get(a)).level;
  assert.ok(loaded <= 4 * (height + 1) + 4, `loaded ${loaded} nodes (height ${height}) out of ${tree.store.nodes.size}`);
});

test.run();
