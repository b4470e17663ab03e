import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A new directory under `root` (made if missing) that only this process's user may enter
 * (mkdtemp makes it 0700, with a name nobody can guess); the caller removes it when done.
 */
export async function privateDir(root: string, prefix: string): Promise<string> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  return mkdtemp(join(root, prefix));
}
