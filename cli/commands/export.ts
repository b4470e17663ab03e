import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CommandSpec } from '../command.ts';
import { exportBlobs } from '../export-blobs.ts';
import { MANIFEST_NAME, type ExportManifest } from '../export-manifest.ts';
import { checkExportTarget, exportTargets } from '../export-target.ts';
import { formatBytes } from '../format-bytes.ts';
import { snapshotItems, type ApiItem } from '../item-queries.ts';
import { parseLocation } from '../location.ts';
import { resolveLocation } from '../resolve-location.ts';

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
    for await (const item of snapshotItems(context.graphql, context.global.project, resolved.snapshot, args.string('prefix'))) items.push(item);
    const targets = exportTargets(root, items.map((item) => item.path));

    await mkdir(root, { recursive: true });
    const bytes = items.reduce((sum, item) => sum + item.size, 0);
    const progress = context.progress('downloading', bytes, 'bytes');
    try {
      const files = items.map((item, index) => ({ blob: item.blob, size: item.size, path: targets[index]! }));
      await exportBlobs(context.blobs, files, root, progress);
    } finally {
      progress.stop();
    }

    const manifest: ExportManifest = {
      dataset: resolved.dataset,
      ref: resolved.ref,
      snapshot: resolved.snapshot,
      items: items.map(({ path, blob, size, meta, annotations }) => ({ path, blob, size, meta, annotations })),
    };
    // Written under a temporary name like the items, so a half-written manifest never appears.
    const part = join(root, `.sheaf-download-${randomBytes(8).toString('hex')}`);
    await writeFile(part, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    await rename(part, join(root, MANIFEST_NAME));
    return {
      json: { dataset: resolved.dataset, ref: resolved.ref, snapshot: resolved.snapshot, dir: root, items: items.length, bytes },
      text: `exported ${items.length} item(s), ${formatBytes(bytes)}, of snapshot ${resolved.snapshot} to ${root}`,
    };
  },
};
