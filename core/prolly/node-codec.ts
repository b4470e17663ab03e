import { canonicalJson, type JsonObject, type JsonValue } from '../canonical-json.ts';
import { hashObject } from '../hash.ts';
import type { BlobHash, NodeHash } from '../ids.ts';
import type { ItemPath } from '../item-path.ts';
import type { Item } from '../model.ts';
import type { ChildRef, Entry, TreeNode } from './tree-node.ts';

/**
 * Canonical node encoding (docs/hashing.md): the canonical JSON of
 *   {"entries": [...], "level": n}
 * where a leaf entry is [path, blob, size, meta, annotations] and an internal entry is
 * [lastPath, childHash, itemCount, byteCount]. The node's address is hashObject('node', bytes).
 */

export function encodeLeafEntry(item: Item): string {
  return (
    `[${JSON.stringify(item.path)},"${item.blob}",${item.size},` +
    `${canonicalJson(item.meta, 'meta')},${canonicalJson(item.annotations, 'annotations')}]`
  );
}

export function encodeChildEntry(ref: ChildRef): string {
  return `[${JSON.stringify(ref.key)},"${ref.hash}",${ref.count},${ref.bytes}]`;
}

export function encodeEntry(entry: Entry): string {
  return 'path' in entry ? encodeLeafEntry(entry) : encodeChildEntry(entry);
}

/** Builds a node's canonical bytes and address from its already-encoded entries. */
export function encodeNode(level: number, encodedEntries: readonly string[]): { hash: NodeHash; bytes: Buffer } {
  const bytes = Buffer.from(`{"entries":[${encodedEntries.join(',')}],"level":${level}}`, 'utf8');
  return { hash: hashObject('node', bytes) as NodeHash, bytes };
}

/** Parses canonical node bytes. Callers verify the hash first; this only checks the shape. */
export function decodeNode(bytes: Uint8Array): TreeNode {
  const raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as {
    entries: unknown[][];
    level: number;
  };
  if (!raw || !Array.isArray(raw.entries) || !Number.isInteger(raw.level) || raw.level < 0)
    throw new Error('malformed tree node');
  if (raw.level === 0) {
    const entries: Item[] = raw.entries.map((e) => ({
      path: e[0] as ItemPath,
      blob: e[1] as BlobHash,
      size: e[2] as number,
      meta: e[3] as JsonObject,
      annotations: e[4] as JsonValue,
    }));
    return { level: 0, entries };
  }
  const entries: ChildRef[] = raw.entries.map((e) => ({
    key: e[0] as ItemPath,
    hash: e[1] as NodeHash,
    count: e[2] as number,
    bytes: e[3] as number,
  }));
  return { level: raw.level, entries };
}

/** The empty snapshot: one leaf with no entries. Its hash is the same everywhere. */
export const EMPTY_NODE = encodeNode(0, []);
export const EMPTY_SNAPSHOT: NodeHash = EMPTY_NODE.hash;
