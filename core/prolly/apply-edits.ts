import type { NodeHash } from '../ids.ts';
import { comparePaths } from '../item-path.ts';
import type { Item } from '../model.ts';
import { Chunker } from './chunker.ts';
import { EditSource, type Edit } from './edit-source.ts';
import { LevelCursor, prefetchPaths } from './level-cursor.ts';
import { EMPTY_SNAPSHOT, encodeEntry } from './node-codec.ts';
import type { NodeReader } from './node-reader.ts';
import type { NodeWriter } from './node-writer.ts';
import { keyOf, type ChildRef, type Entry, type InternalNode } from './tree-node.ts';

/**
 * Applies sorted item edits to the tree at `root` and returns the new root.
 *
 * The result is exactly the tree that chunking the final item list from scratch would give
 * (so the hash is history-independent), but only the touched part is rebuilt: on each level,
 * re-chunking starts at the first node an edit falls in and stops as soon as a new boundary
 * lands on an old node's end with no edit left inside — from there the old nodes are reused.
 * The refs of the rebuilt nodes then become the edits of the level above. Cost is
 * O(edits · node size · height).
 */
export async function applyEdits(
  ctx: { reader: NodeReader; writer: NodeWriter },
  root: NodeHash,
  edits: EditSource<Item>,
): Promise<NodeHash> {
  const rootNode = await ctx.reader.get(root);
  let source: EditSource<Entry> = edits as EditSource<Entry>;
  for (let level = 0; level < rootNode.level; level++) {
    const next = await rewriteLevel(ctx, root, level, source);
    if (next.length === 0) {
      await ctx.writer.flush();
      return root;
    }
    source = EditSource.of(next);
  }
  const refs = await chunkAll(ctx, rootNode.level, rootNode.entries, source);
  const newRoot = await buildUp(ctx, rootNode.level, refs);
  await ctx.writer.flush();
  return newRoot;
}

/** Rebuilds the touched nodes of one level below the root; returns edits for the level above. */
async function rewriteLevel(
  ctx: { reader: NodeReader; writer: NodeWriter },
  root: NodeHash,
  level: number,
  edits: EditSource<Entry>,
): Promise<Edit<ChildRef>[]> {
  const upward = new Map<string, ChildRef | null>();
  const replaced = new Map<string, NodeHash>();
  let prefetched = -1;
  for (let first = await edits.peekAsync(); first; first = await edits.peekAsync()) {
    if (edits.pagesLoaded !== prefetched) {
      prefetched = edits.pagesLoaded;
      await prefetchPaths(ctx.reader, root, level, edits.pageKeys());
    }
    const cursor = await LevelCursor.seek(ctx.reader, root, level, first.key);
    const node = new NodeBuilder(ctx, level);
    for (;;) {
      const oldRef = cursor.currentRef!;
      // The old node goes away unless an identical one is rebuilt (checked below).
      upward.set(oldRef.key, null);
      replaced.set(oldRef.key, oldRef.hash);
      const last = cursor.isLast;
      await mergeInto(node, cursor.current.entries, edits, last ? undefined : oldRef.key, (ref) =>
        upward.set(ref.key, ref),
      );
      // In sync: the new chunking has a boundary where the old node ended, and every edit up
      // to here is consumed, so all following old nodes stay as they are.
      if (node.isEmpty) break;
      if (last) {
        const ref = await node.finish();
        upward.set(ref.key, ref);
        break;
      }
      await cursor.next();
    }
  }
  const result: Edit<ChildRef>[] = [];
  for (const [key, ref] of upward) {
    if (ref && replaced.get(key) === ref.hash) continue;
    result.push({ key, entry: ref });
  }
  return result.sort((a, b) => comparePaths(a.key, b.key));
}

/**
 * Feeds `entries` merged with the edits whose key is <= `upTo` (all remaining edits when
 * `upTo` is undefined) into `node`, reporting each node it completes.
 */
async function mergeInto(
  node: NodeBuilder,
  entries: readonly Entry[],
  edits: EditSource<Entry>,
  upTo: string | undefined,
  onNode: (ref: ChildRef) => void,
): Promise<void> {
  let i = 0;
  for (;;) {
    let edit = edits.peek();
    if (edit === undefined && (await edits.fill())) edit = edits.peek();
    if (edit !== undefined && upTo !== undefined && comparePaths(edit.key, upTo) > 0) edit = undefined;
    const entry = entries[i];
    if (entry === undefined && edit === undefined) return;
    const order = entry === undefined ? 1 : edit === undefined ? -1 : comparePaths(keyOf(entry), edit.key);
    let ref: ChildRef | undefined;
    if (order < 0) {
      ref = await node.push(entry!);
      i++;
    } else {
      edits.shift();
      if (order === 0) i++;
      if (edit!.entry) ref = await node.push(edit!.entry);
    }
    if (ref) onNode(ref);
  }
}

/** Chunks a whole level (old entries merged with all edits) into nodes. */
async function chunkAll(
  ctx: { reader: NodeReader; writer: NodeWriter },
  level: number,
  entries: readonly Entry[],
  edits: EditSource<Entry>,
): Promise<ChildRef[]> {
  const refs: ChildRef[] = [];
  const node = new NodeBuilder(ctx, level);
  await mergeInto(node, entries, edits, undefined, (ref) => refs.push(ref));
  if (!node.isEmpty) refs.push(await node.finish());
  return refs;
}

/**
 * Given the nodes of `level`, returns the root: adds levels while a level has more than one
 * node, and drops root levels that have a single child, so the tree's height is a function of
 * its items alone (a tree is never taller than chunking from scratch would make it).
 */
async function buildUp(
  ctx: { reader: NodeReader; writer: NodeWriter },
  level: number,
  refs: ChildRef[],
): Promise<NodeHash> {
  if (refs.length === 0) return EMPTY_SNAPSHOT;
  while (refs.length > 1) {
    level++;
    refs = await chunkAll(ctx, level, refs, EditSource.of<Entry>([]));
  }
  let hash = refs[0]!.hash;
  for (let node = await ctx.reader.get(hash); node.level > 0 && node.entries.length === 1; ) {
    hash = (node as InternalNode).entries[0]!.hash;
    node = await ctx.reader.get(hash);
  }
  return hash;
}

/** Accumulates entries of one level and cuts them into nodes where the chunker says. */
class NodeBuilder {
  private readonly chunker: Chunker;
  private entries: Entry[] = [];
  private encoded: string[] = [];

  constructor(
    private readonly ctx: { writer: NodeWriter },
    private readonly level: number,
  ) {
    this.chunker = new Chunker(level);
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** Adds an entry; returns the ref of the node it completed, if it did. */
  async push(entry: Entry): Promise<ChildRef | undefined> {
    const text = encodeEntry(entry);
    this.entries.push(entry);
    this.encoded.push(text);
    if (!this.chunker.push(keyOf(entry), Buffer.byteLength(text, 'utf8'))) return undefined;
    return this.finish();
  }

  /** Closes the current node (the end of a level always ends a node). */
  async finish(): Promise<ChildRef> {
    const ref = await this.ctx.writer.write(this.level, this.entries, this.encoded);
    this.chunker.reset();
    this.entries = [];
    this.encoded = [];
    return ref;
  }
}
