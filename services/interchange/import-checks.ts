import type { JsonObject } from '../../core/canonical-json.ts';
import { NotFoundError } from '../../core/errors.ts';
import { parseItemPath } from '../../core/item-path.ts';
import type { Item } from '../../core/model.ts';
import type { FormatError, FormatItem } from '../../formats/format.ts';

/** Existing items looked up at once when annotation-only records are checked. */
const LOOKUPS_IN_FLIGHT = 16;

/**
 * What the import's own checks add to the reader's: every item path valid and given once,
 * every media file named by a record present in the upload. Returns the errors, all of them.
 */
export function checkFormatItems(items: readonly FormatItem[], files: ReadonlySet<string>): FormatError[] {
  const errors: FormatError[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const file = item.media ?? item.path;
    try {
      parseItemPath(item.path);
    } catch (error) {
      errors.push({ file, entry: item.path, message: (error as Error).message });
      continue;
    }
    if (seen.has(item.path)) errors.push({ file, entry: item.path, message: 'two records give this item path' });
    seen.add(item.path);
    if (item.media !== null && !files.has(item.media))
      errors.push({ file: item.media, entry: item.path, message: 'the media file this record refers to is not in the import' });
  }
  return errors;
}

/**
 * The items annotation-only records (`media: null`) refer to, read from the branch's head
 * with `getItem`; a record whose item is not there becomes an error, as the contract of such
 * records asks.
 */
export async function existingItems(
  records: readonly FormatItem[],
  getItem: (path: string) => Promise<Item>,
): Promise<{ found: Map<string, Item>; errors: FormatError[] }> {
  const found = new Map<string, Item>();
  const errors: FormatError[] = [];
  // Records with a bad path are reported by checkFormatItems.
  const wanted = records.filter((record) => record.media === null && isItemPath(record.path));
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const record = wanted[next++]!;
      try {
        found.set(record.path, await getItem(record.path));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        errors.push({ file: record.path, entry: record.path, message: 'these annotations are for an item that is not on the branch (and the import holds no media for it)' });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_IN_FLIGHT, wanted.length) }, worker));
  // Lookups finish in any order; errors are listed in the records' order.
  const order = new Map(wanted.map((record, index) => [record.path, index]));
  errors.sort((a, b) => order.get(a.entry!)! - order.get(b.entry!)!);
  return { found, errors };
}

/** An annotation-only record's meta over the existing item's: the record's keys win, the others stay. */
export function mergedMeta(existing: JsonObject, record: JsonObject): JsonObject {
  return { ...existing, ...record };
}

function isItemPath(path: string): boolean {
  try {
    parseItemPath(path);
    return true;
  } catch {
    return false;
  }
}
