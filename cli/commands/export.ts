import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CommandSpec } from '../command.ts';
import { downloadBlob } from '../download-blob.ts';
import { MANIFEST_NAME, type ExportManifest } from '../export-manifest.ts';
import { checkExportTarget, exportTargets } from '../export-target.ts';
import { formatBytes } from '../format-bytes.ts';
import { snapshotItems, type ApiItem } from '../item-queries.ts';
import { parseLocation } from '../location.ts';
import { mapConcurrent } from '../map-concurrent.ts';
import { resolveLocation } from '../resolve-location.ts';

/** Downloads in flight at once. */
export const DOWNLOAD_CONCURRENCY = 8;

/** `sheaf export <ref> <dir>`: the items of a snapshot as files, plus a sheaf.json manifest. */
export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'write the items of a ref into a new directory',
  synopsis: 'export <ref> <dir> [--prefix <p>]',
  description: [
    'Writes every item of <ref> (dataset[@ref] or a snapshot hash) under <dir> at its path, byte for',
    'byte (each download is checked against its hash), and a manifest <dir>/sheaf.json with',
    '{dataset, ref, snapshot, items: [{path, blob, size, meta, annotations}]} in path order, written',
    'last. <dir> must be new or empty. A branch is exported as committed (staged changes excluded).',
  ].join('\n'),
  positionals: ['ref', 'dir'],
  options: { prefix: { type: 'string' } },
  optionHelp: [['--prefix <p>', 'only items whose path starts with p (paths are kept whole)']],
  async run(context, args) {
    const location = parseLocation(args.positional('ref')!);
    const root = resolve(args.positional('dir')!);
    await checkExportTarget(root);
    const resolved = await resolveLocation(context.graphql, context.global.project, location);
    const items: ApiItem[] = [];
    for await (const item of snapshotItems(context.graphql, resolved.snapshot, args.string('prefix'))) items.push(item);
    const targets = exportTargets(root, items.map((item) => item.path));

    await mkdir(root, { recursive: true });
    const bytes = items.reduce((sum, item) => sum + item.size, 0);
    const progress = context.progress('downloading', bytes, 'bytes');
    // Temporary names start with a dot and live in the root, so a half-written file never
    // appears under an item's name.
    const temporary = () => join(root, `.sheaf-download-${randomBytes(8).toString('hex')}`);
    try {
      await mapConcurrent(items, DOWNLOAD_CONCURRENCY, async (item, index) => {
        const part = temporary();
        try {
          await downloadBlob(context.blobs, { hash: item.blob, size: item.size }, part, (n) => progress.add(n));
          await mkdir(dirname(targets[index]!), { recursive: true });
          await rename(part, targets[index]!);
        } catch (error) {
          await rm(part, { force: true });
          throw error;
        }
      });
    } finally {
      progress.stop();
    }

    const manifest: ExportManifest = {
      dataset: resolved.dataset,
      ref: resolved.ref,
      snapshot: resolved.snapshot,
      items: items.map(({ path, blob, size, meta, annotations }) => ({ path, blob, size, meta, annotations })),
    };
    const part = temporary();
    await writeFile(part, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    await rename(part, join(root, MANIFEST_NAME));
    return {
      json: { dataset: resolved.dataset, ref: resolved.ref, snapshot: resolved.snapshot, dir: root, items: items.length, bytes },
      text: `exported ${items.length} item(s), ${formatBytes(bytes)}, of snapshot ${resolved.snapshot} to ${root}`,
    };
  },
};
