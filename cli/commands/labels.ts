import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { checkExportTarget } from '../export-target.ts';
import { extractTar } from '../extract-tar.ts';
import { formatBytes } from '../format-bytes.ts';
import { LabelClient } from '../label-client.ts';
import { listLocalFiles } from '../local-files.ts';
import { parseLocation } from '../location.ts';
import { mapConcurrent } from '../map-concurrent.ts';
import { resolveLocation } from '../resolve-location.ts';
import { ServerConnection } from '../server-connection.ts';

/** `sheaf labels import`: a directory in a label format into a branch, as one commit. */
export const labelsImportCommand: CommandSpec = {
  name: 'labels import',
  summary: 'import a directory of labels (COCO, YOLO, VOC…) into a branch as one commit',
  synopsis: 'labels import <format> <dir> --into <dataset@branch>',
  description: [
    'Sends the files under <dir> (laid out as <format> expects) to the server, which reads them',
    'and commits the items on the branch in one commit "import <format>: N items": media files',
    'become items at their paths with the annotations the format gives; records without media',
    'relabel items already on the branch. If any file holds an error, nothing is imported and',
    'every error is printed as file:line: message (exit 1). Formats and what they keep:',
    'docs/label-formats.md. --json prints {commit, snapshot, items, annotations, created}.',
  ].join('\n'),
  positionals: ['format', 'dir'],
  options: { into: { type: 'string' } },
  requiredOptions: ['into'],
  optionHelp: [['--into <dataset@branch>', 'where to commit (branch default main)']],
  async run(context, args) {
    const into = args.string('into')!;
    const at = into.indexOf('@');
    const target = { dataset: at < 0 ? into : into.slice(0, at), branch: at < 0 ? 'main' : into.slice(at + 1) };
    if (!target.dataset || !target.branch) throw new UsageError(`--into ${JSON.stringify(into)}: expected dataset@branch`, 'labels import');
    const dir = resolve(args.positional('dir')!);
    const format = args.positional('format')!;
    const walked = await listLocalFiles(context, dir);
    const files = await mapConcurrent(walked, 16, async (file) => ({ path: file.path, absolutePath: file.absolutePath, size: (await stat(file.absolutePath)).size }));
    const total = files.reduce((sum, file) => sum + file.size, 0);
    const client = new LabelClient(new ServerConnection(context.global.server, context.global.token), context.global.project);
    const progress = context.progress('uploading', total, 'bytes');
    let answer;
    try {
      answer = await client.importFiles(target, format, basename(dir), files, (bytes) => progress.add(bytes));
    } finally {
      progress.stop();
    }
    const what = `${answer.items} item(s), ${answer.annotations} annotation(s) from ${files.length} file(s), ${formatBytes(total)}`;
    return {
      json: answer,
      text: [
        answer.created ? `${target.dataset}@${target.branch}: imported ${what}` : `${target.dataset}@${target.branch} already holds these ${what}`,
        `commit   ${answer.commit}`,
        `snapshot ${answer.snapshot}`,
      ].join('\n'),
    };
  },
};

/** `sheaf labels export`: a snapshot in a label format, written into a directory. */
export const labelsExportCommand: CommandSpec = {
  name: 'labels export',
  summary: 'write a ref in a label format (COCO, YOLO, VOC…) into a directory',
  synopsis: 'labels export <format> <ref> <dir> [--no-media] [--classes a,b,…]',
  description: [
    'Writes <ref> (dataset[@ref] or a snapshot hash; a branch as committed) into <dir>, a new or',
    'empty directory, laid out as <format> expects: its annotation files and, unless --no-media,',
    'the media. The same snapshot, format and options always give the same files. Formats that',
    'number classes use --classes in that order, else every label of the snapshot, sorted.',
    '--json prints {snapshot, dir, items, annotations, files, bytes}.',
  ].join('\n'),
  positionals: ['format', 'ref', 'dir'],
  options: { 'no-media': { type: 'boolean' }, classes: { type: 'string' } },
  optionHelp: [
    ['--no-media', 'write the annotation files only'],
    ['--classes <a,b,…>', 'class names in id order, for formats that number classes'],
  ],
  async run(context, args) {
    const format = args.positional('format')!;
    const location = parseLocation(args.positional('ref')!);
    const root = resolve(args.positional('dir')!);
    await checkExportTarget(root);
    const resolved = await resolveLocation(context.graphql, context.global.project, location);
    const client = new LabelClient(new ServerConnection(context.global.server, context.global.token), context.global.project);
    const download = await client.exportSnapshot(resolved.snapshot, format, { media: !args.flag('no-media'), classes: args.string('classes') });
    const extracted = await extractTar(download.tar, root);
    return {
      json: { snapshot: download.snapshot, dir: root, items: download.items, annotations: download.annotations, files: extracted.files, bytes: extracted.bytes },
      text: `exported ${download.items} item(s), ${download.annotations} annotation(s) of snapshot ${download.snapshot} as ${format} to ${root}: ${extracted.files} file(s), ${formatBytes(extracted.bytes)}`,
    };
  },
};
