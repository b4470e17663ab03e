import { InvalidInputError } from '../core/errors.ts';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 500;

export interface ConnectionArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly last?: number | null | undefined;
  readonly before?: string | null | undefined;
}

const encode = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
function decode(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encode(key) !== cursor) throw new InvalidInputError('after', 'is not a cursor this API returned');
  return key;
}

/**
 * A Relay connection over a keyset-paginated source: `fetch(after, limit)` returns items
 * sorted by `keyOf`, strictly after `after`. Cursors are the (opaque) keys, so pages stay
 * correct while rows are added. Only forward paging (`first`/`after`) is offered: every list
 * here is ordered by a key the client can restart from.
 * @throws InvalidInputError for `last`/`before` or a page size outside 1..MAX_PAGE
 */
export async function forwardConnection<T>(
  args: ConnectionArgs,
  fetch: (after: string | undefined, limit: number) => Promise<readonly T[]>,
  keyOf: (item: T) => string,
) {
  if (args.last != null || args.before != null)
    throw new InvalidInputError('pagination', 'only forward paging with first/after is supported');
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw new InvalidInputError('first', `must be an integer from 1 to ${MAX_PAGE}`);
  const after = args.after ? decode(args.after) : undefined;
  const items = await fetch(after, first + 1);
  const page = items.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encode(keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: items.length > first,
      hasPreviousPage: after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
