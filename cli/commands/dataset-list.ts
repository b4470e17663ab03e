import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';
import { collect, connectionFields, PAGE_SIZE, type Connection } from '../paginate.ts';

const LIST = `query($project: String!, $first: Int!, $after: String) {
  project(name: $project) {
    ${ERROR_FIELDS}
    ... on Project { datasets(first: $first, after: $after) { ${connectionFields('name createdAt origin { snapshot { hash } commit }')} } }
  }
}`;

interface Listed {
  readonly name: string;
  readonly createdAt: string;
  readonly origin: { readonly snapshot: { readonly hash: string }; readonly commit: string | null } | null;
}

/** `sheaf dataset list`: every dataset of the project, all pages. */
export const datasetListCommand: CommandSpec = {
  name: 'dataset list',
  summary: 'list the datasets of the project',
  synopsis: 'dataset list',
  positionals: [],
  options: {},
  async run(context) {
    const datasets = await collect(async (after) => {
      const data = await context.graphql.request<{ project: UnionResult }>(LIST, {
        project: context.global.project,
        first: PAGE_SIZE,
        after,
      });
      return unwrap<UnionResult & { datasets: Connection<Listed> }>(data.project, 'Project').datasets;
    });
    return {
      json: datasets.map((d) => ({
        name: d.name,
        createdAt: d.createdAt,
        origin: d.origin && { snapshot: d.origin.snapshot.hash, commit: d.origin.commit },
      })),
      text: datasets.map((d) => d.name).join('\n'),
    };
  },
};
