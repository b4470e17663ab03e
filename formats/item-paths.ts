import { InvalidPathError } from '../core/errors.ts';
import { parseItemPath, type ItemPath } from '../core/item-path.ts';

/**
 * How a file of an import becomes a Sheaf item: the item's path is the media file's path
 * relative to the import's root, `/`-separated, unchanged. Keeping the format's own layout
 * (`images/train/a.jpg`) means an export writes the media back where the format expects it,
 * and re-importing an export gives the same paths.
 */

/**
 * Joins path pieces found in a format's files (a folder, a file name that may itself hold
 * folders) into one relative path: empty and `.` segments are dropped, `..` is resolved
 * against the segments before it and refused if it would climb above the root.
 * @throws InvalidPathError when the result is empty, absolute, climbs out of the root, or is
 *   otherwise not a valid item path (backslashes, control characters, too long).
 */
export function joinSourcePath(...parts: readonly string[]): ItemPath {
  const joined = parts.filter((part) => part !== '').join('/');
  if (joined.startsWith('/')) throw new InvalidPathError(joined, 'is absolute');
  const segments: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) throw new InvalidPathError(joined, 'leads outside the import directory');
      segments.pop();
    } else segments.push(segment);
  }
  return parseItemPath(segments.join('/'));
}

/** The folder part of a relative path (`''` at the root): `images/train/a.jpg` → `images/train`. */
export function dirnameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** The last segment of a path: `images/train/a.jpg` → `a.jpg`. */
export function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A path without its last extension: `images/a.b.jpg` → `images/a.b`. */
export function stripExtension(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') + 1 ? path.slice(0, dot) : path;
}
