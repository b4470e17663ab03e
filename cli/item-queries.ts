import type { JsonValue } from '../core/canonical-json.ts';
import { ERROR_FIELDS, unwrap, type GraphqlClient, type UnionResult } from './graphql-client.ts';
import { connectionFields, paginate, PAGE_SIZE, type Connection } from './paginate.ts';

/** An item as the API returns it. */
export interface ApiItem {
  readonly path: string;
  readonly blob: string;
  readonly size: number;
  readonly meta: JsonValue;
  readonly annotations: JsonValue;
}

const ITEM_FIELDS = 'path blob size meta annotations';

const REF_ITEMS = `query($project: String!, $dataset: String!, $ref: String!, $prefix: String, $first: Int!, $after: String) {
  dataset(project: $project, name: $dataset) {
    ${ERROR_FIELDS}
    ... on Dataset { items(ref: $ref, prefix: $prefix, first: $first, after: $after) { ${connectionFields(ITEM_FIELDS)} } }
  }
}`;

const SNAPSHOT_ITEMS = `query($project: String!, $hash: String!, $prefix: String, $first: Int!, $after: String) {
  snapshot(project: $project, hash: $hash) {
    ${ERROR_FIELDS}
    ... on Snapshot { items(prefix: $prefix, first: $first, after: $after) { ${connectionFields(ITEM_FIELDS)} } }
  }
}`;

/**
 * Items of `dataset@ref` in path order, page by page. A branch shows its staged changes on
 * top of its head, which is what a push compares against.
 * @throws CliError NOT_FOUND, INVALID_HASH…
 */
export function refItems(
  graphql: GraphqlClient,
  at: { project: string; dataset: string; ref: string; prefix?: string | undefined },
): AsyncGenerator<ApiItem> {
  return paginate(async (after) => {
    const data = await graphql.request<{ dataset: UnionResult }>(REF_ITEMS, { ...at, prefix: at.prefix ?? null, first: PAGE_SIZE, after });
    return unwrap<UnionResult & { items: Connection<ApiItem> }>(data.dataset, 'Dataset').items;
  });
}

/**
 * Items of a snapshot of the project by hash in path order, page by page.
 * @throws CliError NOT_FOUND, INVALID_HASH, FORBIDDEN
 */
export function snapshotItems(graphql: GraphqlClient, project: string, hash: string, prefix?: string): AsyncGenerator<ApiItem> {
  return paginate(async (after) => {
    const data = await graphql.request<{ snapshot: UnionResult }>(SNAPSHOT_ITEMS, { project, hash, prefix: prefix ?? null, first: PAGE_SIZE, after });
    return unwrap<UnionResult & { items: Connection<ApiItem> }>(data.snapshot, 'Snapshot').items;
  });
}
