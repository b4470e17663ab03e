import { ERROR_FIELDS, unwrap, type GraphqlClient, type UnionResult } from './graphql-client.ts';

/** Where a branch points. */
export interface BranchHead {
  readonly commit: string;
  readonly snapshot: string;
}

const HEAD = `query($project: String!, $dataset: String!, $branch: String!) {
  dataset(project: $project, name: $dataset) {
    ${ERROR_FIELDS}
    ... on Dataset { branch(name: $branch) { head { id snapshot { hash } } } }
  }
}`;

/**
 * The commit a branch points at now.
 * @throws CliError NOT_FOUND (dataset or branch), INVALID_NAME
 */
export async function readBranchHead(graphql: GraphqlClient, at: { project: string; dataset: string; branch: string }): Promise<BranchHead> {
  const data = await graphql.request<{ dataset: UnionResult }>(HEAD, at);
  const { branch } = unwrap<UnionResult & { branch: { head: { id: string; snapshot: { hash: string } } } }>(data.dataset, 'Dataset');
  return { commit: branch.head.id, snapshot: branch.head.snapshot.hash };
}
