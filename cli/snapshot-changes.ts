import type { GraphqlClient } from './graphql-client.ts';
import type { ApiItem } from './item-queries.ts';
import type { ItemChange } from './export-plan.ts';
import { connectionFields, paginate, PAGE_SIZE, type Connection } from './paginate.ts';

const ITEM_FIELDS = 'path blob size meta annotations';
const DIFF = `query($project: String!, $from: String!, $to: String!, $first: Int!, $after: String) {
  diff(project: $project, from: $from, to: $to, first: $first, after: $after) { ${connectionFields(`path before { ${ITEM_FIELDS} } after { ${ITEM_FIELDS} }`)} }
}`;

/**
 * The items that differ between two snapshots of the project, with both sides, in path order,
 * page by page. The server's diff skips equal subtrees, so this costs what changed.
 * @throws CliError NOT_FOUND (a snapshot the project does not hold), UNREACHABLE…
 */
export function snapshotChanges(graphql: GraphqlClient, project: string, from: string, to: string): AsyncGenerator<ItemChange> {
  return paginate(async (after) => {
    const data = await graphql.request<{ diff: Connection<{ path: string; before: ApiItem | null; after: ApiItem | null }> }>(DIFF, {
      project,
      from,
      to,
      first: PAGE_SIZE,
      after,
    });
    return data.diff;
  });
}
