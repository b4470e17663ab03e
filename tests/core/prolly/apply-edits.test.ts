import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NodeHash } from '../../../core/ids.ts';
import { comparePaths } from '../../../core/item-path.ts';
import type { Item } from '../../../core/model.ts';
import { MAX_NODE_BYTES } from '../../../core/prolly/format.ts';
import { EMPTY_SNAPSHOT } from '../../../core/prolly/node-codec.ts';
import { applyEdits } from '../../../core/prolly/apply-edits.ts';
import { EditSource } from '../../../core/prolly/edit-source.ts';
import { NodeReader } from '../../../core/prolly/node-reader.ts';
import { NodeWriter } from '../../../core/prolly/node-writer.ts';
import { getItem, scanItems, treeTotals } from '../../../core/prolly/read-tree.ts';
import type { ChildRef, InternalNode, LeafNode } from '../../../core/prolly/tree-node.ts';
import { seededRandom, shuffle } from '../../helpers/random.ts';
import { makeItem, memoryTree } from '../../helpers/tree-fixtures.ts';

const test = suite('prolly tree: apply edits');

const paths = (n: number, prefix = 'img') => Array.from({ length: n }, (_, i) => `${prefix}/${String(i).padStart(6, '0')}.jpg`);

/** Walks the whole tree checking structural invariants; returns its items in order. */
async function checkTree(reader: NodeReader, root: NodeHash): Promise<Item[]> {
  const items: Item[] = [];
  async function visit(hash: NodeHash, expectedLevel: number | undefined, isRoot: boolean): Promise<{ key: string; count: number; bytes: number }> {
    const node = await reader.get(hash);
    if (expectedLevel !== undefined) assert.is(node.level, expectedLevel, 'child one level down');
    if (isRoot && node.level > 0) assert.ok(node.entries.length > 1, 'root of height > 0 has several children');
    if (node.level === 0) {
      const leaf = node as LeafNode;
      for (const item of leaf.entries) {
        if (items.length) assert.ok(comparePaths(items[items.length - 1]!.path, item.path) < 0, 'items strictly sorted');
        items.push(item);
      }
      if (!isRoot) assert.ok(leaf.entries.length > 0, 'non-root leaves are not empty');
      return { key: leaf.entries.at(-1)?.path ?? '', count: leaf.entries.length, bytes: leaf.entries.reduce((s, i) => s + i.size, 0) };
    }
    let count = 0;
    let bytes = 0;
    for (const child of (node as InternalNode).entries as ChildRef[]) {
      const seen = await visit(child.hash, node.level - 1, false);
      assert.is(child.key, seen.key, 'ref key is the last key of the child');
      assert.is(child.count, seen.count, 'ref count matches subtree');
      assert.is(child.bytes, seen.bytes, 'ref bytes match subtree');
      count += seen.count;
      bytes += seen.bytes;
    }
    return { key: (node.entries.at(-1) as ChildRef).key, count, bytes };
  }
  await visit(root, undefined, true);
  return items;
}

test('the empty snapshot has a fixed hash, and deleting everything returns to it', async () => {
  const tree = memoryTree();
  const root = await tree.build(paths(500).map((p) => makeItem(p)));
  assert.is.not(root, EMPTY_SNAPSHOT);
  const emptied = await tree.apply(root, paths(500));
  assert.is(emptied, EMPTY_SNAPSHOT);
  assert.equal(await checkTree(tree.reader, emptied), []);
});

test('a large build has several levels, sorted items and consistent totals', async () => {
  const tree = memoryTree();
  const items = shuffle(paths(20_000).map((p) => makeItem(p, 1)), seededRandom(1));
  const root = await tree.build(items);
  const rootNode = await tree.reader.get(root);
  assert.ok(rootNode.level >= 2, `height ${rootNode.level}`);
  const listed = await checkTree(tree.reader, root);
  assert.is(listed.length, 20_000);
  const totals = await treeTotals(tree.reader, root);
  assert.is(totals.count, 20_000);
  assert.is(totals.bytes, items.reduce((s, i) => s + i.size, 0));
});

test('history independence: random edit sequences reach the hash of a fresh build', async () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const random = seededRandom(seed);
    const tree = memoryTree();
    const universe = paths(3000, `s${seed}`);
    const state = new Map<string, Item>();
    let root = EMPTY_SNAPSHOT;
    const rounds = 5 + Math.floor(random() * 20);
    for (let round = 0; round < rounds; round++) {
      const batch = new Map<string, Item | string>();
      const size = 1 + Math.floor(random() * (random() < 0.3 ? 1500 : 40));
      for (let k = 0; k < size; k++) {
        const path = universe[Math.floor(random() * universe.length)]!;
        if (random() < 0.3) batch.set(path, path);
        else batch.set(path, makeItem(path, Math.floor(random() * 4)));
      }
      root = await tree.apply(root, [...batch.values()]);
      for (const [path, change] of batch) typeof change === 'string' ? state.delete(path) : state.set(path, change);
    }
    const fresh = memoryTree();
    const expected = await fresh.build([...state.values()]);
    assert.is(root, expected, `seed ${seed}: same items, same hash`);
    const listed = await checkTree(tree.reader, root);
    assert.equal(listed.map((i) => i.path), [...state.keys()].sort(comparePaths));
  }
});

test('history independence holds for one-at-a-time inserts in random order', async () => {
  const items = paths(400).map((p) => makeItem(p, 2));
  const tree = memoryTree();
  let root = EMPTY_SNAPSHOT;
  for (const item of shuffle([...items], seededRandom(42))) root = await tree.apply(root, [item]);
  assert.is(root, await memoryTree().build(items));
});

test('changing one item of a large tree rewrites only a path of nodes', async () => {
  const tree = memoryTree();
  const root = await tree.build(paths(20_000).map((p) => makeItem(p)));
  const before = tree.store.nodes.size;
  const height = (await tree.reader.get(root)).level;
  const edited = await tree.apply(root, [makeItem('img/010000.jpg', 7)]);
  assert.is.not(edited, root);
  const written = tree.store.nodes.size - before;
  assert.ok(written <= height + 3, `wrote ${written} nodes for height ${height}`);
  assert.is((await getItem(tree.reader, edited, 'img/010000.jpg'))?.blob, makeItem('img/010000.jpg', 7).blob);
  assert.is((await getItem(tree.reader, root, 'img/010000.jpg'))?.blob, makeItem('img/010000.jpg').blob, 'old snapshot unchanged');
});

test('edits on a cold cache load the nodes on their paths in a few batched reads', async () => {
  const tree = memoryTree();
  const root = await tree.build(paths(30_000).map((p) => makeItem(p)));
  const height = (await tree.reader.get(root)).level;
  const edits = paths(30_000).filter((_, i) => i % 150 === 0).map((p) => makeItem(p, 3));
  const cold = new NodeReader(tree.store);
  const ctx = { reader: cold, writer: new NodeWriter(tree.store, cold) };
  const readsBefore = tree.store.reads;
  const edited = await applyEdits(ctx, root, EditSource.of(edits.map((e) => ({ key: e.path, entry: e }))));
  const reads = tree.store.reads - readsBefore;
  assert.ok(reads <= 4 * (height + 1), `${reads} store reads for ${edits.length} edits at height ${height}`);
  assert.is(edited, await tree.apply(root, edits), 'same result as with a warm cache');
});

test('re-applying identical items returns the same root', async () => {
  const tree = memoryTree();
  const items = paths(5000).map((p) => makeItem(p));
  const root = await tree.build(items);
  assert.is(await tree.apply(root, items.slice(100, 300)), root);
  assert.is(await tree.apply(root, ['img/nope.jpg']), root, 'deleting an absent path changes nothing');
});

test('nodes stay under the maximum size even with keys chosen to avoid boundaries', async () => {
  const tree = memoryTree();
  const root = await tree.build(paths(3000).map((p) => ({ ...makeItem(p), meta: { pad: 'x'.repeat(900) } })));
  for (const bytes of tree.store.nodes.values()) assert.ok(bytes.byteLength <= MAX_NODE_BYTES + 2000, `node of ${bytes.byteLength} bytes`);
  await checkTree(tree.reader, root);
});

test('getItem and scanItems with prefix and after', async () => {
  const tree = memoryTree();
  const items = [...paths(3000, 'a'), ...paths(3000, 'b'), ...paths(10, 'c')].map((p) => makeItem(p));
  const root = await tree.build(items);
  assert.is((await getItem(tree.reader, root, 'b/000123.jpg'))?.path, 'b/000123.jpg');
  assert.is(await getItem(tree.reader, root, 'b/000123.jp'), undefined);
  assert.is(await getItem(tree.reader, root, 'zzz'), undefined);
  const scanned: string[] = [];
  for await (const item of scanItems(tree.reader, root, { prefix: 'b/' })) scanned.push(item.path);
  assert.is(scanned.length, 3000);
  assert.is(scanned[0], 'b/000000.jpg');
  const after: string[] = [];
  for await (const item of scanItems(tree.reader, root, { prefix: 'b/', after: 'b/002997.jpg' })) after.push(item.path);
  assert.equal(after, ['b/002998.jpg', 'b/002999.jpg']);
  const none: string[] = [];
  for await (const item of scanItems(tree.reader, root, { prefix: 'x/' })) none.push(item.path);
  assert.equal(none, []);
});

test('paths above U+FFFF sort by code point, as in SQL COLLATE "C"', async () => {
  const tree = memoryTree();
  const names = ['a\uFFFD', 'a😀', 'a\uE000', 'aé', 'a~'];
  const root = await tree.build(names.map((p) => makeItem(p)));
  const listed = (await checkTree(tree.reader, root)).map((i) => i.path);
  const byBytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.equal(listed, byBytes);
});

test.run();
