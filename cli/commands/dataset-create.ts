import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';

const CREATE = `mutation($project: String!, $name: String!) {
  createDataset(project: $project, name: $name) {
    ${ERROR_FIELDS}
    ... on Dataset { name project createdAt branch(name: "main") { head { id snapshot { hash } } } }
  }
}`;

interface Created extends UnionResult {
  readonly name: string;
  readonly project: string;
  readonly createdAt: string;
  readonly branch: { readonly head: { readonly id: string; readonly snapshot: { readonly hash: string } } };
}

/** `sheaf dataset create <name>`: an empty dataset with a main branch. */
export const datasetCreateCommand: CommandSpec = {
  name: 'dataset create',
  summary: 'create an empty dataset with a main branch',
  synopsis: 'dataset create <name>',
  positionals: ['name'],
  options: {},
  async run(context, args) {
    const data = await context.graphql.request<{ createDataset: UnionResult }>(CREATE, {
      project: context.global.project,
      name: args.positional('name'),
    });
    const dataset = unwrap<Created>(data.createDataset, 'Dataset');
    return {
      json: {
        dataset: dataset.name,
        project: dataset.project,
        createdAt: dataset.createdAt,
        commit: dataset.branch.head.id,
        snapshot: dataset.branch.head.snapshot.hash,
      },
      text: `created dataset ${dataset.project}/${dataset.name}`,
    };
  },
};
