import { readBranchHead } from '../branch-head.ts';
import type { CommandSpec } from '../command.ts';
import { formatBytes } from '../format-bytes.ts';
import { refItems, type ApiItem } from '../item-queries.ts';
import { hashLocalFiles, listLocalFiles } from '../local-files.ts';
import { changesOf, filesToSend, isEmptyPlan, planPush } from '../push-plan.ts';
import { stageAndCommit } from '../stage-and-commit.ts';
import { uploadMissing } from '../upload-missing.ts';

/** `sheaf push <dir>`: makes a branch hold exactly the files of a directory, in one commit. */
export const pushCommand: CommandSpec = {
  name: 'push',
  summary: 'commit a directory to a branch (uploads only new content)',
  synopsis: 'push <dir> --dataset <name> [--branch main] -m <message>',
  description: [
    'Makes the branch hold exactly the regular files under <dir> (paths relative, "/"-separated):',
    'new files are added, changed ones replaced (keeping their meta and annotations), missing ones',
    'removed. Every file name is validated before anything is sent; only content the server lacks',
    'is uploaded. The changes are committed on a private branch and published by compare-and-swap:',
    'if the branch moved since the push started, nothing lands (REF_CONFLICT; push again), and',
    'changes others staged on the branch are never swept in. Symbolic links are skipped with a',
    'warning; a top-level sheaf.json (written by export) is never pushed.',
    '--json prints {commit, snapshot, added, modified, removed, uploadedBytes}.',
  ].join('\n'),
  positionals: ['dir'],
  options: { dataset: { type: 'string' }, branch: { type: 'string' }, message: { type: 'string', short: 'm' } },
  requiredOptions: ['dataset', 'message'],
  optionHelp: [
    ['--dataset <name>', 'the dataset to push to'],
    ['--branch <name>', 'the branch to commit on (default main)'],
    ['-m, --message <text>', 'the commit message'],
  ],
  async run(context, args) {
    const at = { project: context.global.project, dataset: args.string('dataset')!, branch: args.string('branch') ?? 'main' };
    const files = await listLocalFiles(context, args.positional('dir')!);
    const head = await readBranchHead(context.graphql, at);
    // Compared with the head commit itself: the commit is built on it, not on the branch's staging.
    const [local, remote] = await Promise.all([hashLocalFiles(context, files), allItems(refItems(context.graphql, { ...at, ref: head.commit }))]);
    const plan = planPush(local, remote);
    const counts = { added: plan.added.length, modified: plan.modified.length, removed: plan.removed.length };
    if (isEmptyPlan(plan))
      return {
        json: { commit: head.commit, snapshot: head.snapshot, ...counts, uploadedBytes: 0 },
        text: `nothing to push: ${at.dataset}@${at.branch} already holds these ${local.length} file(s) (commit ${head.commit.slice(0, 12)})`,
      };

    const uploaded = await uploadMissing(context, filesToSend(plan));
    const committed = await stageAndCommit(context.graphql, at, changesOf(plan), {
      message: args.string('message')!,
      expectedHead: head.commit,
    });
    return {
      json: { commit: committed.commit, snapshot: committed.snapshot, ...counts, uploadedBytes: uploaded.bytes },
      text: [
        `${at.dataset}@${at.branch}: ${counts.added} added, ${counts.modified} modified, ${counts.removed} removed; uploaded ${uploaded.blobs} blob(s), ${formatBytes(uploaded.bytes)}`,
        `commit   ${committed.commit}`,
        `snapshot ${committed.snapshot}`,
      ].join('\n'),
    };
  },
};

async function allItems(items: AsyncIterable<ApiItem>): Promise<ApiItem[]> {
  const out: ApiItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}
