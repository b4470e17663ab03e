import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { CliError } from './cli-error.ts';
import type { CommandContext } from './command.ts';
import { copyFiles } from './copy-files.ts';
import type { CopyWorker } from './copy-worker.ts';
import { exportBlobs } from './export-blobs.ts';
import { MANIFEST_NAME, type ExportManifest } from './export-manifest.ts';
import type { ExportPlan } from './export-plan.ts';
import { exportTargets } from './export-target.ts';
import { linkFiles, type ExportFile } from './link-files.ts';
import type { SnapshotClient } from './snapshot-client.ts';

/** Lists the files an export is adding until it is done, so a run after an interruption knows them as its own. */
export const PENDING_NAME = '.sheaf-pending.json';

/** What applying a plan did. */
export interface ExportCounts {
  readonly written: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly linked: number;
  /** Files copied from the server's blob store on this machine. */
  readonly copied: number;
  /** Files downloaded over HTTP. */
  readonly downloaded: number;
  readonly bytes: number;
}

/**
 * Carries out an export plan in `root`: checks every path first (nothing is touched if one is
 * invalid, or if a new item would overwrite a file no export wrote), removes the files of
 * items gone, writes the new and changed ones and writes the manifest last, so `sheaf.json` always describes a finished export. Files are
 * never written in place: each goes to a temporary name and is renamed over the old one, so a
 * hard link to a stored blob is never written through.
 *
 * Where a file's bytes come from: when the server runs on this machine and exposes its blob
 * paths (SHEAF_EXPOSE_BLOB_PATHS=1), from its blob store — hard-linked with `link`
 * (linkFiles), otherwise copied (copyFiles), re-hashed only with `verify`; every other file is
 * downloaded and checked against its hash (exportBlobs). `worker`: a copy thread started early
 * for copyFiles (the caller closes it).
 * @throws CliError INVALID_PATH, PATH_CONFLICT, NOT_FOUND, CORRUPT_OBJECT, UNREACHABLE…
 */
export async function applyExport(
  context: CommandContext,
  snapshots: SnapshotClient,
  root: string,
  plan: ExportPlan,
  manifest: Omit<ExportManifest, 'items'>,
  options: { incremental: boolean; previous: ReadonlySet<string>; link: boolean; verify: boolean; worker?: CopyWorker | undefined },
): Promise<ExportCounts> {
  const targets = new Map(exportTargets(root, plan.items.map((item) => item.path)).map((target, i) => [plan.items[i]!.path, target]));
  const removed = exportTargets(root, plan.remove);
  const pending = join(root, PENDING_NAME);
  const ours = new Set([...options.previous, ...(options.incremental ? await pendingPaths(pending) : [])]);
  // Into a new or empty directory (checked before), nothing can be in the way.
  const added = options.incremental ? plan.write.filter((item) => !ours.has(item.path)).map((item) => item.path) : [];
  for (const path of added) {
    const exists = await lstat(targets.get(path)!).then(() => true, () => false);
    if (exists) throw new CliError('PATH_CONFLICT', `${targets.get(path)} exists and is not from the earlier export; move it away or export into a new directory`);
  }
  await mkdir(root, { recursive: true });
  if (added.length > 0) await writeFile(pending, JSON.stringify({ snapshot: manifest.snapshot, added }));

  for (const target of removed) await rm(target, { force: true });
  await removeEmptyDirectories(root, removed);

  const bytes = plan.write.reduce((sum, item) => sum + item.size, 0);
  const files: ExportFile[] = plan.write.map((item) => ({ blob: item.blob, size: item.size, path: targets.get(item.path)!, replace: ours.has(item.path) }));
  const progress = context.progress('exporting', bytes, 'bytes');
  let linked = 0;
  let copied = 0;
  let downloads = files;
  try {
    const sources = files.length > 0 ? await storedSources(snapshots, plan) : null;
    if (options.link && sources === null) context.warn('the server does not expose blob paths (start it with SHEAF_EXPOSE_BLOB_PATHS=1): copying instead of linking');
    if (options.link && sources !== null) ({ linked, rest: downloads } = await linkFiles(downloads, sources, root, progress, context.warn, { verify: options.verify }));
    if (sources !== null) ({ copied, rest: downloads } = await copyFiles(downloads, sources, root, progress, { verify: options.verify, worker: options.worker }));
    await exportBlobs(context.blobs, downloads, root, progress);
  } finally {
    progress.stop();
  }

  // Written under a temporary name like the items, so a half-written manifest never appears.
  const part = join(root, `.sheaf-download-${randomBytes(8).toString('hex')}`);
  await writeFile(part, `${JSON.stringify({ ...manifest, items: plan.items.map(({ path, blob, size, meta, annotations }) => ({ path, blob, size, meta, annotations })) }, null, 2)}\n`, { flag: 'wx' });
  await rename(part, join(root, MANIFEST_NAME));
  await rm(pending, { force: true });
  return { written: plan.write.length, removed: plan.remove.length, unchanged: plan.unchanged, linked, copied, downloaded: downloads.length, bytes };
}

/**
 * Where the blobs to write are stored on the server's filesystem, or null when it does not say
 * (it does not expose blob paths). A full manifest carries them already (asked with paths=1);
 * an update asks for its few.
 */
async function storedSources(snapshots: SnapshotClient, plan: ExportPlan): Promise<ReadonlyMap<string, string> | null> {
  if (plan.write.every((item) => item.file !== undefined)) return new Map(plan.write.map((item) => [item.blob, item.file!]));
  return snapshots.blobPaths(plan.write.map((item) => item.blob));
}

async function pendingPaths(file: string): Promise<string[]> {
  try {
    const { added } = JSON.parse(await readFile(file, 'utf8')) as { added?: unknown };
    return Array.isArray(added) ? added.filter((path): path is string => typeof path === 'string') : [];
  } catch {
    return [];
  }
}

/** Removes the directories that removing `files` emptied, deepest first, never `root` itself. */
async function removeEmptyDirectories(root: string, files: readonly string[]): Promise<void> {
  const candidates = new Set<string>();
  for (const file of files) for (let dir = dirname(file); dir.startsWith(root + sep); dir = dirname(dir)) candidates.add(dir);
  for (const dir of [...candidates].sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined);
}
