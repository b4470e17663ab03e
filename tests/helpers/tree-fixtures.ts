import { createHash } from 'node:crypto';
import type { BlobHash } from '../../core/ids.ts';
import { comparePaths, type ItemPath } from '../../core/item-path.ts';
import type { Item } from '../../core/model.ts';
import { applyEdits } from '../../core/prolly/apply-edits.ts';
import { EditSource } from '../../core/prolly/edit-source.ts';
import { EMPTY_SNAPSHOT } from '../../core/prolly/node-codec.ts';
import { NodeReader } from '../../core/prolly/node-reader.ts';
import { NodeWriter } from '../../core/prolly/node-writer.ts';
import type { NodeHash } from '../../core/ids.ts';
import { MemoryNodeStore } from '../../adapters/memory/memory-node-store.ts';

export function fakeBlob(seed: string): BlobHash {
  return createHash('sha256').update(seed).digest('hex') as BlobHash;
}

/** A deterministic item; `version` changes its blob and meta. */
export function makeItem(path: string, version = 0): Item {
  return {
    path: path as ItemPath,
    blob: fakeBlob(`${path}#${version}`),
    size: 100 + (path.length * 7 + version) % 900,
    meta: version % 3 === 0 ? {} : { v: version, tags: ['a', version] },
    annotations: version % 2 === 0 ? null : { label: `class-${version % 5}` },
  };
}

export function memoryTree() {
  const store = new MemoryNodeStore();
  const reader = new NodeReader(store);
  const writer = new NodeWriter(store, reader);
  const ctx = { reader, writer };
  return {
    store,
    reader,
    /** Applies puts (Item) and deletes (string path) in one batch. */
    async apply(root: NodeHash, changes: (Item | string)[]): Promise<NodeHash> {
      const edits = changes
        .map((c) => (typeof c === 'string' ? { key: c, entry: null } : { key: c.path as string, entry: c }))
        .sort((x, y) => comparePaths(x.key, y.key));
      return applyEdits(ctx, root, EditSource.of(edits));
    },
    async build(items: Item[]): Promise<NodeHash> {
      return this.apply(EMPTY_SNAPSHOT, items);
    },
  };
}
