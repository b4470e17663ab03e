import { parseItemPath } from '../core/item-path.ts';
import { CliError } from './cli-error.ts';
import type { CommandContext } from './command.ts';
import { MANIFEST_NAME } from './export-manifest.ts';
import { hashFile } from './hash-file.ts';
import { mapConcurrent } from './map-concurrent.ts';
import type { LocalFile } from './push-plan.ts';
import { walkDirectory, type WalkedFile } from './walk-directory.ts';

/** Files hashed at once: enough to keep a disk busy without opening too many files. */
export const HASH_CONCURRENCY = 8;

/**
 * The regular files under `dir` as item paths, every path validated before anything else
 * happens. Symbolic links and special files are skipped with a warning; a top-level
 * `sheaf.json` (the export manifest) is left out.
 * @throws CliError INVALID_PATH naming every file whose name cannot be an item path;
 *   INVALID_INPUT when `dir` is not a readable directory
 */
export async function listLocalFiles(context: CommandContext, dir: string): Promise<WalkedFile[]> {
  let walked: Awaited<ReturnType<typeof walkDirectory>>;
  try {
    walked = await walkDirectory(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES')
      throw new CliError('INVALID_INPUT', `cannot read directory ${dir}: ${code}`);
    throw error;
  }
  for (const entry of walked.skipped) context.warn(`skipping ${entry.reason} ${JSON.stringify(entry.path)}`);
  const files = walked.files.filter((file) => file.path !== MANIFEST_NAME);
  const invalid = files.flatMap((file) => {
    const problem = pathProblem(file);
    return problem === null ? [] : [{ file, problem }];
  });
  if (invalid.length > 0) {
    const first = invalid[0]!;
    throw new CliError(
      'INVALID_PATH',
      `${first.problem}${invalid.length > 1 ? ` (and ${invalid.length - 1} more file name(s) that cannot be item paths)` : ''}; nothing was pushed`,
      {
        details: invalid.map(({ file, problem }) => `${JSON.stringify(file.absolutePath)}: ${problem}`),
        data: { paths: invalid.map(({ file }) => file.path) },
      },
    );
  }
  return files;
}

/** sha256 and size of every file, HASH_CONCURRENCY at a time, with a progress bar. */
export async function hashLocalFiles(context: CommandContext, files: readonly WalkedFile[]): Promise<LocalFile[]> {
  const progress = context.progress('hashing', files.length, 'files');
  try {
    return await mapConcurrent(files, HASH_CONCURRENCY, async (file) => {
      const { hash, size } = await hashFile(file.absolutePath);
      progress.add(1);
      return { path: file.path, absolutePath: file.absolutePath, blob: hash, size };
    });
  } finally {
    progress.stop();
  }
}

function pathProblem(file: WalkedFile): string | null {
  if (file.undecodable) return `invalid path: ${JSON.stringify(file.path)} is not valid UTF-8`;
  try {
    parseItemPath(file.path);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
