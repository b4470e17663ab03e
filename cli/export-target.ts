import { readdir, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { parseItemPath } from '../core/item-path.ts';
import { CliError } from './cli-error.ts';
import { MANIFEST_NAME } from './export-manifest.ts';

/**
 * Refuses a target that exists and is not an empty directory, so an export never mixes with
 * or overwrites other files.
 * @throws CliError DIRECTORY_NOT_EMPTY, NOT_A_DIRECTORY
 */
export async function checkExportTarget(dir: string): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (info === null) return;
  if (!info.isDirectory()) throw new CliError('NOT_A_DIRECTORY', `${dir} exists and is not a directory`);
  if ((await readdir(dir)).length > 0) throw new CliError('DIRECTORY_NOT_EMPTY', `${dir} is not empty; export into a new or empty directory`);
}

/**
 * Where each item goes under `root` (an absolute path), checked before anything is written:
 * every path must be a valid item path that resolves strictly inside `root`, must not be the
 * manifest's name, and must not need to be both a file and a directory ("a" and "a/b").
 * @throws CliError INVALID_PATH, PATH_CONFLICT
 */
export function exportTargets(root: string, paths: readonly string[]): string[] {
  const all = new Set(paths);
  return paths.map((path) => {
    try {
      parseItemPath(path);
    } catch (error) {
      throw new CliError('INVALID_PATH', `cannot export item: ${(error as Error).message}`);
    }
    if (path === MANIFEST_NAME) throw new CliError('PATH_CONFLICT', `item ${MANIFEST_NAME} would be overwritten by the export manifest`);
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const parent = path.slice(0, slash);
      if (all.has(parent)) throw new CliError('PATH_CONFLICT', `item ${JSON.stringify(parent)} would have to be both a file and the directory of ${JSON.stringify(path)}`);
    }
    // A valid item path has no '.', '..' or empty segment and no backslash, so on POSIX it can
    // be joined as it is (resolve() cost more than the rest of the check, per item).
    const target = sep === '/' ? `${root.endsWith('/') ? root : `${root}/`}${path}` : resolve(root, ...path.split('/'));
    if (!target.startsWith(root.endsWith(sep) ? root : root + sep)) throw new CliError('INVALID_PATH', `item ${JSON.stringify(path)} resolves outside ${root}`);
    return target;
  });
}
