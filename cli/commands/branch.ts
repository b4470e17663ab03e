import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';

const CREATE_BRANCH = `mutation($project: String!, $dataset: String!, $name: String!, $from: String!) {
  createBranch(project: $project, dataset: $dataset, name: $name, from: $from) {
    ${ERROR_FIELDS} ... on Branch { name head { id snapshot { hash } } }
  }
}`;

/** `sheaf branch <dataset> <name> [--from <ref>]`: a new branch, O(1). */
export const branchCommand: CommandSpec = {
  name: 'branch',
  summary: 'create a branch at a ref',
  synopsis: 'branch <dataset> <name> [--from <ref>]',
  description: 'Creates a branch at a branch, tag, commit id or snapshot hash (default main). Nothing is copied.',
  positionals: ['dataset', 'name'],
  options: { from: { type: 'string' } },
  optionHelp: [['--from <ref>', 'where the branch starts (default main)']],
  async run(context, args) {
    const dataset = args.positional('dataset')!;
    const data = await context.graphql.request<{ createBranch: UnionResult }>(CREATE_BRANCH, {
      project: context.global.project,
      dataset,
      name: args.positional('name'),
      from: args.string('from') ?? 'main',
    });
    const branch = unwrap<UnionResult & { name: string; head: { id: string; snapshot: { hash: string } } }>(data.createBranch, 'Branch');
    return {
      json: { dataset, branch: branch.name, commit: branch.head.id, snapshot: branch.head.snapshot.hash },
      text: `created branch ${dataset}@${branch.name} at ${branch.head.id.slice(0, 12)}`,
    };
  },
};
