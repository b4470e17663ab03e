import { comparePaths } from '../core/item-path.ts';
import type { ApiItem } from './item-queries.ts';
import type { ManifestItem } from './snapshot-client.ts';

/** What an export does to its directory. */
export interface ExportPlan {
  /** The items the directory holds afterwards, in path order (the new sheaf.json). */
  readonly items: ApiItem[];
  /** Items whose file is written (new, or with other content than before). */
  readonly write: ManifestItem[];
  /** Paths whose file is removed. */
  readonly remove: string[];
  /** Files left as they are. */
  readonly unchanged: number;
}

/** One item that differs between the exported snapshot and the new one. */
export interface ItemChange {
  readonly path: string;
  readonly before: ApiItem | null;
  readonly after: ApiItem | null;
}

/** Every item written into an empty directory. */
export function fullPlan(items: ManifestItem[]): ExportPlan {
  return { items, write: items, remove: [], unchanged: 0 };
}

/**
 * Brings a directory holding `previous` to `next` by comparing the two lists: files whose
 * blob is the same stay; other new items are written; items no longer there are removed. Costs
 * the size of the lists; used when the selection changed or the old export has none recorded.
 */
export function planByComparison(previous: readonly ApiItem[], next: ManifestItem[]): ExportPlan {
  const before = new Map(previous.map((item) => [item.path, item]));
  const kept = new Set(next.map((item) => item.path));
  const write = next.filter((item) => before.get(item.path)?.blob !== item.blob);
  const remove = previous.filter((item) => !kept.has(item.path)).map((item) => item.path);
  return { items: next, write, remove, unchanged: next.length - write.length };
}

/**
 * Brings a directory holding `previous` (an export of snapshot A with some selection) to the
 * same selection of snapshot B, from the changes between A and B alone: cost follows the
 * changes, not the snapshot. `selected` is the selection both exports share. An item whose
 * meta or annotations changed but not its blob keeps its file; the manifest gets the new values.
 */
export function planFromChanges(previous: readonly ApiItem[], changes: Iterable<ItemChange>, selected: (item: ApiItem) => boolean): ExportPlan {
  const items = new Map(previous.map((item) => [item.path, item]));
  const write: ApiItem[] = [];
  const remove: string[] = [];
  for (const { path, after } of changes) {
    const held = items.get(path);
    if (after === null || !selected(after)) {
      if (held === undefined) continue;
      items.delete(path);
      remove.push(path);
      continue;
    }
    if (held?.blob !== after.blob) write.push(after);
    items.set(path, after);
  }
  const all = [...items.values()].sort((a, b) => comparePaths(a.path, b.path));
  return { items: all, write, remove, unchanged: all.length - write.length };
}
