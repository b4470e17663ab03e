/** A Relay connection as the API returns it (forward paging only). */
export interface Connection<T> {
  readonly edges: readonly { readonly node: T }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

/** The largest page the API serves. */
export const PAGE_SIZE = 500;

/** The selection of a connection's nodes and paging fields, for `fields` of each node. */
export function connectionFields(fields: string): string {
  return `edges { node { ${fields} } } pageInfo { hasNextPage endCursor }`;
}

/**
 * Every node of a connection, fetched page by page with `first: PAGE_SIZE` and the previous
 * page's end cursor.
 */
export async function* paginate<T>(fetchPage: (after: string | null) => Promise<Connection<T>>): AsyncGenerator<T> {
  let after: string | null = null;
  for (;;) {
    const page: Connection<T> = await fetchPage(after);
    for (const edge of page.edges) yield edge.node;
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) return;
    after = page.pageInfo.endCursor;
  }
}

/** All nodes of a connection in an array. */
export async function collect<T>(fetchPage: (after: string | null) => Promise<Connection<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const node of paginate(fetchPage)) out.push(node);
  return out;
}
