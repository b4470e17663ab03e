import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';
import { parseLocation } from '../location.ts';

const CLONE = `mutation($project: String!, $source: String!, $ref: String!, $name: String!) {
  cloneDataset(project: $project, source: $source, ref: $ref, name: $name) {
    ${ERROR_FIELDS} ... on Dataset { name branch(name: "main") { head { id snapshot { hash } } } }
  }
}`;

/** `sheaf clone <dataset>[@ref] <new-dataset>`: a new dataset sharing the snapshot, O(1). */
export const cloneCommand: CommandSpec = {
  name: 'clone',
  summary: 'start a new dataset from a ref of another (nothing is copied)',
  synopsis: 'clone <dataset>[@ref] <new-dataset>',
  description:
    'Creates <new-dataset> whose main branch starts at the snapshot of <dataset>@<ref> (default main).\nNothing is copied. Prints the shared snapshot hash; --json prints {dataset, snapshot}.',
  positionals: ['source', 'name'],
  options: {},
  async run(context, args) {
    const source = parseLocation(args.positional('source')!, { allowHash: false });
    if (source.kind !== 'ref') throw new Error('unreachable: bare hashes are refused by parseLocation');
    const data = await context.graphql.request<{ cloneDataset: UnionResult }>(CLONE, {
      project: context.global.project,
      source: source.dataset,
      ref: source.ref,
      name: args.positional('name'),
    });
    const clone = unwrap<UnionResult & { name: string; branch: { head: { id: string; snapshot: { hash: string } } } }>(
      data.cloneDataset,
      'Dataset',
    );
    const snapshot = clone.branch.head.snapshot.hash;
    return { json: { dataset: clone.name, snapshot }, text: snapshot };
  },
};
