import { InvalidPathError } from './errors.ts';

/** An item's key inside a snapshot: relative, '/'-separated, validated by `parseItemPath`. */
export type ItemPath = string & { readonly __itemPath: true };

export const MAX_PATH_BYTES = 1024;

// C0 controls, DEL and C1 controls: invisible in listings and dangerous in shells and archives.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Validates an item path so that it is safe to materialize under any directory: no absolute
 * paths, no '.' or '..' segments, no empty segments, no backslashes (a separator on Windows),
 * no control characters, valid UTF-8, at most 1024 bytes.
 * @throws InvalidPathError with the reason.
 */
export function parseItemPath(value: unknown): ItemPath {
  if (typeof value !== 'string') throw new InvalidPathError(String(value), 'is not a string');
  if (value.length === 0) throw new InvalidPathError(value, 'is empty');
  if (CONTROL.test(value)) throw new InvalidPathError(value, 'contains a NUL or control character');
  if (LONE_SURROGATE.test(value)) throw new InvalidPathError(value, 'is not valid Unicode');
  if (Buffer.byteLength(value, 'utf8') > MAX_PATH_BYTES)
    throw new InvalidPathError(value, `is longer than ${MAX_PATH_BYTES} bytes`);
  if (value.startsWith('/')) throw new InvalidPathError(value, 'is absolute');
  if (value.includes('\\')) throw new InvalidPathError(value, 'contains a backslash');
  for (const segment of value.split('/')) {
    if (segment === '') throw new InvalidPathError(value, 'has an empty segment');
    if (segment === '.' || segment === '..') throw new InvalidPathError(value, `has a '${segment}' segment`);
  }
  return value as ItemPath;
}

/**
 * Orders paths by Unicode code point, which equals the byte order of their UTF-8 encoding and
 * PostgreSQL's `COLLATE "C"`. Plain `<` compares UTF-16 code units, which disagrees for
 * characters above U+FFFF against U+E000..U+FFFF, so the tree, staging and SQL would disagree.
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Move surrogates (D800-DFFF) above E000-FFFF, keeping each range's inner order.
        x = x < 0xe000 ? x + 0x2000 : x - 0x800;
        y = y < 0xe000 ? y + 0x2000 : y - 0x800;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}
