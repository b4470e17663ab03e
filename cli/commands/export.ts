import { resolve } from 'node:path';
import { InvalidInputError } from '../../core/errors.ts';
import { compileFilter } from '../../core/filter/match-filter.ts';
import { parseFilter } from '../../core/filter/parse-filter.ts';
import { applyExport, type ExportCounts } from '../apply-export.ts';
import { CliError } from '../cli-error.ts';
import type { CommandContext, CommandSpec } from '../command.ts';
import { copyThreadPays } from '../copy-files.ts';
import { CopyWorker } from '../copy-worker.ts';
import type { ExportManifest } from '../export-manifest.ts';
import { fullPlan, planByComparison, planFromChanges, type ExportPlan, type ItemChange } from '../export-plan.ts';
import { checkExportTarget } from '../export-target.ts';
import { formatBytes } from '../format-bytes.ts';
import type { ApiItem } from '../item-queries.ts';
import { parseLocation } from '../location.ts';
import { readPreviousExport } from '../previous-export.ts';
import { resolveLocation, type ResolvedLocation } from '../resolve-location.ts';
import { ServerConnection } from '../server-connection.ts';
import { SnapshotClient, type ManifestItem, type SnapshotSelection } from '../snapshot-client.ts';
import { snapshotChanges } from '../snapshot-changes.ts';

/** `sheaf export <ref> <dir>`: the items of a snapshot as files, plus a sheaf.json manifest. */
export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'write the items of a ref into a directory (incrementally over an earlier export)',
  synopsis: 'export <ref> <dir> [--prefix <p>] [--filter <f>] [--link] [--verify]',
  description: [
    'Writes the items of <ref> (dataset[@ref] or a snapshot hash) under <dir> at their paths, byte',
    'for byte, and a manifest <dir>/sheaf.json with',
    '{dataset, ref, snapshot, selection, items: [{path, blob, size, meta, annotations}]} in path',
    'order, written last. A branch is exported as committed (staged changes excluded).',
    '',
    'Into a new or empty <dir>, everything is written. Into a directory holding an earlier export',
    '(its sheaf.json), only the difference is: files of items gone are removed, new and changed',
    'ones written, the rest untouched, and sheaf.json updated. With the same --prefix and --filter',
    'as before this costs what changed between the two snapshots; with another selection, the two',
    'lists are compared. Files not from an export are never overwritten (PATH_CONFLICT).',
    '',
    'When the server runs on this machine and was started with SHEAF_EXPOSE_BLOB_PATHS=1, files are',
    'copied from its blob store as cp does (a kernel copy, or a reflink where the filesystem shares',
    'extents); otherwise they are downloaded, and each download is checked against its hash. Stored',
    'blobs were checked when they were stored and are read-only (0444) and never rewritten, so copies',
    'are not re-hashed; --verify re-hashes them (reading every byte once more), as downloads are.',
    '',
    '--link hard-links files to the server\'s blob store instead of copying them, when the server',
    'runs on this machine and filesystem and was started with SHEAF_EXPOSE_BLOB_PATHS=1; otherwise',
    '(or across filesystems) it copies, with a warning. Stored blobs are read-only (0444) and never',
    'rewritten, so the links are safe as long as nobody makes them writable (chmod) and edits them:',
    'that would change the server\'s stored copy. Linked files are not re-hashed, unless --verify.',
    '--json prints {dataset, ref, snapshot, dir, items, bytes, written, removed, unchanged, linked,',
    'copied, downloaded, incremental}: of the files written, linked and copied came from the server\'s',
    'store on this machine, downloaded over HTTP.',
  ].join('\n'),
  positionals: ['ref', 'dir'],
  options: { prefix: { type: 'string' }, filter: { type: 'string' }, link: { type: 'boolean' }, verify: { type: 'boolean' } },
  optionHelp: [
    ['--prefix <p>', 'only items whose path starts with p (paths are kept whole)'],
    ['--filter <f>', 'only items matching f, e.g. "label=cat", "meta.split=train and size < 1e6" (docs/provisioning.md)'],
    ['--link', 'hard-link from a server on this machine instead of copying (see above)'],
    ['--verify', 're-hash what is copied or linked from a server on this machine (downloads always are)'],
  ],
  async run(context, args) {
    const location = parseLocation(args.positional('ref')!);
    const root = resolve(args.positional('dir')!);
    const selection: SnapshotSelection = { prefix: args.string('prefix'), filter: args.string('filter') };
    const selected = selectionPredicate(selection);
    const previous = await readPreviousExport(root);
    if (previous === null) await checkExportTarget(root);
    const snapshots = new SnapshotClient(new ServerConnection(context.global.server, context.global.token), context.global.project);
    const link = args.flag('link');
    const verify = args.flag('verify');
    // Started once the manifest shows many files to copy from the server's store, so that the
    // thread is up (tens of milliseconds) by the time the copying starts.
    const copying: ManifestReading = { snapshots, selection, worker: undefined, copyThread: !link && !verify };
    // A snapshot hash needs no resolving before its manifest is asked for: both go out at once
    // (a snapshot that does not exist fails both; resolveLocation's error is the one reported).
    const early = previous === null && location.kind === 'hash' ? manifestItems(copying, location.hash) : null;
    early?.catch(() => undefined);
    try {
      const resolved = await resolveLocation(context.graphql, context.global.project, location);
      const plan = early !== null ? fullPlan(await early) : await planExport(context, copying, previous, resolved.snapshot, selected);
      const manifest: Omit<ExportManifest, 'items'> = {
        dataset: resolved.dataset,
        ref: resolved.ref,
        snapshot: resolved.snapshot,
        selection: { prefix: selection.prefix ?? null, filter: selection.filter ?? null },
      };
      const previousPaths = new Set(previous?.items.map((item) => item.path));
      const counts = await applyExport(context, snapshots, root, plan, manifest, { incremental: previous !== null, previous: previousPaths, link, verify, worker: copying.worker });
      return report(resolved, root, plan, counts, previous !== null);
    } finally {
      copying.worker?.close();
    }
  },
};

/** The command's result: JSON, or one line of text. */
function report(resolved: ResolvedLocation, root: string, plan: ExportPlan, counts: ExportCounts, incremental: boolean) {
  const sources = [counts.linked && `${counts.linked} linked`, counts.copied && `${counts.copied} copied from the local store`, counts.linked + counts.copied > 0 && counts.downloaded && `${counts.downloaded} downloaded`].filter(Boolean);
  const summary = `written ${counts.written}${sources.length > 0 ? ` (${sources.join(', ')})` : ''}, removed ${counts.removed}, unchanged ${counts.unchanged}`;
  return {
    json: {
      dataset: resolved.dataset,
      ref: resolved.ref,
      snapshot: resolved.snapshot,
      dir: root,
      items: plan.items.length,
      bytes: counts.bytes,
      written: counts.written,
      removed: counts.removed,
      unchanged: counts.unchanged,
      linked: counts.linked,
      copied: counts.copied,
      downloaded: counts.downloaded,
      incremental,
    },
    text: `exported ${plan.items.length} item(s) of snapshot ${resolved.snapshot} to ${root}: ${summary}; ${formatBytes(counts.bytes)} written`,
  };
}

/**
 * What to do: everything into an empty directory; over an earlier export of the same
 * selection, the diff between the two snapshots (recorded as an export read, since no manifest
 * is fetched); otherwise a comparison with the new manifest (whose fetch records the read).
 * Manifests are asked with blob paths, for copying or linking from a server on this machine.
 */
async function planExport(
  context: CommandContext,
  reading: ManifestReading,
  previous: ExportManifest | null,
  snapshot: string,
  selected: (item: ApiItem) => boolean,
): Promise<ExportPlan> {
  const { snapshots, selection } = reading;
  if (previous === null) return fullPlan(await manifestItems(reading, snapshot));
  const sameSelection =
    previous.selection !== undefined && (previous.selection.prefix ?? undefined) === selection.prefix && (previous.selection.filter ?? undefined) === selection.filter;
  if (sameSelection) {
    const changes: ItemChange[] = [];
    try {
      if (previous.snapshot !== snapshot)
        for await (const change of snapshotChanges(context.graphql, context.global.project, previous.snapshot, snapshot)) changes.push(change);
    } catch (error) {
      // The earlier export's snapshot is not one this project holds (exported from elsewhere).
      if (!(error instanceof CliError && error.code === 'NOT_FOUND')) throw error;
      return planByComparison(previous.items, await manifestItems(reading, snapshot));
    }
    await snapshots.recordExport(snapshot, selection);
    return planFromChanges(previous.items, changes, selected);
  }
  return planByComparison(previous.items, await manifestItems(reading, snapshot));
}

/** How an export reads its manifest: from where, which part, and whether to start a copy thread meanwhile. */
interface ManifestReading {
  readonly snapshots: SnapshotClient;
  readonly selection: SnapshotSelection;
  /** Whether copying could use a second thread (not with --link or --verify). */
  readonly copyThread: boolean;
  /** The copy thread, once started. */
  worker: CopyWorker | undefined;
}

/**
 * The selected items of `snapshot`, with blob paths. Once enough of them have a stored path
 * for a second thread to pay (copyThreadPays), starts the copy thread (see copyFiles).
 */
async function manifestItems(reading: ManifestReading, snapshot: string): Promise<ManifestItem[]> {
  const items: ManifestItem[] = [];
  let stored = 0;
  for await (const item of reading.snapshots.exportManifest(snapshot, reading.selection, { paths: true })) {
    items.push(item);
    if (item.file === undefined) continue;
    stored++;
    if (reading.copyThread && reading.worker === undefined && copyThreadPays(stored)) reading.worker = CopyWorker.start();
  }
  return items;
}

/** The selection as a predicate over items, checked here so a bad filter fails before anything is asked. */
function selectionPredicate(selection: SnapshotSelection): (item: ApiItem) => boolean {
  let matches: ((item: ApiItem) => boolean) | undefined;
  try {
    if (selection.filter !== undefined) matches = compileFilter(parseFilter(selection.filter));
  } catch (error) {
    if (error instanceof InvalidInputError) throw new CliError(error.code, error.message);
    throw error;
  }
  const prefix = selection.prefix ?? '';
  return (item) => item.path.startsWith(prefix) && (matches === undefined || matches(item));
}
