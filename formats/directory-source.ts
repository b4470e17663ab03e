import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { imageMetadata } from '../adapters/image/open-image.ts';
import { InvalidInputError, InvalidPathError } from '../core/errors.ts';
import { comparePaths, parseItemPath } from '../core/item-path.ts';
import type { FormatSource } from './format.ts';

export interface DirectorySourceOptions {
  /** Largest image (width × height) whose size `imageSize` reads; the server's `maxImagePixels`. */
  readonly maxImagePixels?: number;
}

const DEFAULT_MAX_IMAGE_PIXELS = 100_000_000;
const BOM = '\ufeff';

/**
 * A `FormatSource` over a local directory. `list` gives every regular file under `root`,
 * sorted by code point, as `/`-separated relative paths; a symbolic link to a file inside the
 * root is listed like a file, a link to a directory is not followed (it would list files twice
 * or loop). Text is decoded as UTF-8 with a leading byte-order mark removed. Image sizes are
 * read from the headers through `imageMetadata`, bounded by `maxImagePixels`.
 * @throws InvalidPathError (an InvalidInputError) from every method for a path that is
 *   absolute, has `.`/`..`/empty segments or a backslash, or resolves through a symbolic link
 *   to somewhere outside the root; InvalidInputError from `imageSize` for a file that is not
 *   a readable image; NotFound-style `ENOENT` errors from node for missing files (check with
 *   `exists` first).
 */
export function directorySource(root: string, options: DirectorySourceOptions = {}): FormatSource {
  const maxPixels = options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  const rootPath = resolve(root);
  let realRoot: Promise<string> | undefined;
  const rootReal = () => (realRoot ??= realpath(rootPath));

  /** The real location of `path` inside the root, refusing anything that leaves it. */
  async function locate(path: string): Promise<string> {
    parseItemPath(path);
    const base = await rootReal();
    const target = await realpath(join(rootPath, ...path.split('/')));
    if (!inside(base, target)) throw new InvalidPathError(path, 'leads outside the import directory');
    return target;
  }

  return {
    async list() {
      const base = await rootReal();
      const found: string[] = [];
      const walk = async (dir: string, prefix: string): Promise<void> => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const path = prefix + entry.name;
          const full = join(dir, entry.name);
          if (entry.isDirectory()) await walk(full, path + '/');
          else if (entry.isFile()) found.push(path);
          else if (entry.isSymbolicLink()) {
            const target = await realpath(full).catch(() => null);
            if (target === null) continue; // dangling link: nothing to read
            if (!inside(base, target)) throw new InvalidPathError(path, 'is a link to outside the import directory');
            if ((await stat(target)).isFile()) found.push(path);
          }
        }
      };
      await walk(base, '');
      return found.sort(comparePaths);
    },

    async readText(path) {
      const text = await readFile(await locate(path), 'utf8');
      return text.startsWith(BOM) ? text.slice(1) : text;
    },

    async *lines(path) {
      const stream = createReadStream(await locate(path), { encoding: 'utf8' });
      const reader = createInterface({ input: stream, crlfDelay: Infinity });
      let line = 0;
      try {
        for await (const raw of reader) {
          line++;
          yield { line, text: line === 1 && raw.startsWith(BOM) ? raw.slice(1) : raw };
        }
      } finally {
        reader.close();
        stream.destroy();
      }
    },

    async exists(path) {
      parseItemPath(path);
      try {
        await lstat(join(rootPath, ...path.split('/')));
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
      const target = await locate(path).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      return target !== null && (await stat(target)).isFile();
    },

    async imageSize(path) {
      const { width, height } = await imageMetadata(await locate(path), { maxPixels });
      if (!width || !height) throw new InvalidInputError('image', `${path} has no width or height`);
      return { width, height };
    },
  };
}

function inside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith('..' + sep));
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
