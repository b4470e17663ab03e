import { lstat, readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { comparePaths } from '../core/item-path.ts';

/** A regular file found under the walked directory. */
export interface WalkedFile {
  /** Relative to the root, '/'-separated; decoded as UTF-8 (lossily when `undecodable`). */
  readonly path: string;
  readonly absolutePath: string;
  /** Some name on the way is not valid UTF-8, so the file cannot become an item path. */
  readonly undecodable: boolean;
}

/** Something under the root that is not pushed, and why. */
export interface SkippedEntry {
  readonly path: string;
  readonly reason: 'symbolic link' | 'not a regular file';
}

const SLASH = Buffer.from('/');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Every regular file under `root`, recursively, in item path order. Symbolic links are never
 * followed (they could point outside the directory or loop) and are reported as skipped, as
 * are sockets, FIFOs and devices. Names are read as raw bytes so that a name that is not
 * UTF-8 is reported instead of silently turning into U+FFFD.
 * @throws the file system's error when `root` cannot be read
 */
export async function walkDirectory(root: string): Promise<{ files: WalkedFile[]; skipped: SkippedEntry[] }> {
  const files: WalkedFile[] = [];
  const skipped: SkippedEntry[] = [];
  const top = resolve(root);

  async function visit(dir: Buffer, segments: readonly string[], undecodable: boolean): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true, encoding: 'buffer' })) {
      const full = Buffer.concat([dir, SLASH, entry.name]);
      let name: string;
      let bad = undecodable;
      try {
        name = utf8.decode(entry.name);
      } catch {
        name = entry.name.toString('utf8');
        bad = true;
      }
      const path = [...segments, name].join('/');
      // Some file systems do not report the type in the directory listing.
      const kind = entry.isFile() || entry.isDirectory() || entry.isSymbolicLink() ? entry : await lstat(full);
      if (kind.isSymbolicLink()) skipped.push({ path, reason: 'symbolic link' });
      else if (kind.isDirectory()) await visit(full, [...segments, name], bad);
      else if (kind.isFile()) files.push({ path, absolutePath: `${top}/${path}`, undecodable: bad });
      else skipped.push({ path, reason: 'not a regular file' });
    }
  }

  await visit(Buffer.from(top), [], false);
  files.sort((a, b) => comparePaths(a.path, b.path));
  skipped.sort((a, b) => comparePaths(a.path, b.path));
  return { files, skipped };
}
