import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from './cli-error.ts';
import { MANIFEST_NAME, type ExportManifest } from './export-manifest.ts';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The manifest of an earlier export into `dir`, or null when `dir` does not exist or holds
 * none (it must then be new or empty, see checkExportTarget).
 * @throws CliError NOT_A_DIRECTORY, INVALID_MANIFEST for a sheaf.json that is not an export's
 */
export async function readPreviousExport(dir: string): Promise<ExportManifest | null> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (info === null) return null;
  if (!info.isDirectory()) throw new CliError('NOT_A_DIRECTORY', `${dir} exists and is not a directory`);
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_NAME), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const invalid = (why: string) => new CliError('INVALID_MANIFEST', `${join(dir, MANIFEST_NAME)} is not the manifest of an export (${why}); export into a new or empty directory`);
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(text) as ExportManifest;
  } catch {
    throw invalid('not JSON');
  }
  if (typeof manifest !== 'object' || manifest === null || !SHA256.test(String(manifest.snapshot))) throw invalid('no snapshot hash');
  if (!Array.isArray(manifest.items)) throw invalid('no item list');
  for (const item of manifest.items)
    if (typeof item?.path !== 'string' || !SHA256.test(String(item.blob)) || typeof item.size !== 'number') throw invalid('an item without path, blob or size');
  return manifest;
}
