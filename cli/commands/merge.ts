import { CliError, UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';

const STRATEGIES = ['fail', 'ours', 'theirs'] as const;

const MERGE = `mutation($project: String!, $dataset: String!, $from: String!, $into: String!, $strategy: MergeStrategy!, $message: String) {
  merge(project: $project, dataset: $dataset, from: $from, into: $into, strategy: $strategy, message: $message) {
    ${ERROR_FIELDS}
    ... on MergeResult { created resolvedPaths commit { id snapshot { hash } } }
    ... on MergeConflictError { conflicts { path base { blob } ours { blob } theirs { blob } } }
  }
}`;

interface ApiConflict {
  readonly path: string;
  readonly base: { readonly blob: string } | null;
  readonly ours: { readonly blob: string } | null;
  readonly theirs: { readonly blob: string } | null;
}

/** `sheaf merge <dataset> <from> --into <branch>`: three-way merge, item by item. */
export const mergeCommand: CommandSpec = {
  name: 'merge',
  summary: 'merge one branch into another',
  synopsis: 'merge <dataset> <from-branch> --into <branch> [--strategy fail|ours|theirs] [-m <message>]',
  description: [
    'Three-way merge of <from-branch> into the --into branch, item by item. With the default strategy',
    '"fail", items changed differently on both sides are listed (with their base/ours/theirs blob',
    'hashes; "-" for absent) and nothing is merged (MERGE_CONFLICT, exit 1); "ours" keeps the target\'s',
    'version of such items, "theirs" takes the source\'s.',
    '--json prints {commit, snapshot, created, resolvedPaths}; a conflict error includes "conflicts".',
  ].join('\n'),
  positionals: ['dataset', 'from'],
  options: { into: { type: 'string' }, strategy: { type: 'string' }, message: { type: 'string', short: 'm' } },
  requiredOptions: ['into'],
  optionHelp: [
    ['--into <branch>', 'the branch that receives the merge commit'],
    ['--strategy <s>', 'fail (default), ours or theirs'],
    ['-m, --message <text>', 'the merge commit message'],
  ],
  async run(context, args) {
    const strategy = args.string('strategy') ?? 'fail';
    if (!(STRATEGIES as readonly string[]).includes(strategy))
      throw new UsageError(`--strategy ${JSON.stringify(strategy)}: expected one of ${STRATEGIES.join(', ')}`);
    const dataset = args.positional('dataset')!;
    const [from, into] = [args.positional('from')!, args.string('into')!];
    const data = await context.graphql.request<{ merge: UnionResult }>(MERGE, {
      project: context.global.project,
      dataset,
      from,
      into,
      strategy,
      message: args.string('message') ?? null,
    });
    if (data.merge.__typename === 'MergeConflictError') throw conflictError(data.merge as UnionResult & { conflicts: ApiConflict[] });
    const result = unwrap<UnionResult & { created: boolean; resolvedPaths: string[]; commit: { id: string; snapshot: { hash: string } } }>(
      data.merge,
      'MergeResult',
    );
    const resolved = result.resolvedPaths.length ? `; ${result.resolvedPaths.length} conflict(s) settled by "${strategy}"` : '';
    return {
      json: { commit: result.commit.id, snapshot: result.commit.snapshot.hash, created: result.created, resolvedPaths: result.resolvedPaths },
      text: result.created
        ? `merged ${from} into ${dataset}@${into}: commit ${result.commit.id}${resolved}`
        : `${dataset}@${into} already contains ${from} (commit ${result.commit.id})`,
    };
  },
};

function conflictError(error: UnionResult & { conflicts: ApiConflict[] }): CliError {
  const blob = (side: { blob: string } | null) => side?.blob ?? null;
  const conflicts = error.conflicts.map((c) => ({ path: c.path, base: blob(c.base), ours: blob(c.ours), theirs: blob(c.theirs) }));
  const short = (hash: string | null) => (hash === null ? '-' : hash.slice(0, 12));
  return new CliError('MERGE_CONFLICT', error.message ?? `${conflicts.length} conflicting item(s)`, {
    details: conflicts.map((c) => `C ${c.path}  base ${short(c.base)}  ours ${short(c.ours)}  theirs ${short(c.theirs)}`),
    data: { conflicts },
  });
}
