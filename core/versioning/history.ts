import { InvalidInputError } from '../errors.ts';
import type { CommitId } from '../ids.ts';
import type { Commit } from '../model.ts';
import { requireCommit, type VersionContext } from './version-context.ts';

export const MAX_LOG_PAGE = 1000;

/**
 * Commits reachable from `start`, newest first: by decreasing generation, then time, so a
 * child always comes before its parents. `after` continues from a commit id the previous page
 * ended with.
 * @throws NotFoundError('commit'), InvalidInputError for a bad limit
 */
export async function logCommits(
  ctx: VersionContext,
  start: CommitId,
  options: { limit: number; after?: CommitId | undefined },
): Promise<{ commits: Commit[]; hasMore: boolean }> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_LOG_PAGE)
    throw new InvalidInputError('limit', `must be an integer from 1 to ${MAX_LOG_PAGE}`);
  const queue = new Map<CommitId, Commit>([[start, await requireCommit(ctx, start)]]);
  const seen = new Set<CommitId>([start]);
  const commits: Commit[] = [];
  let skipping = options.after !== undefined;
  while (queue.size > 0) {
    let next: Commit | undefined;
    for (const c of queue.values()) if (!next || newer(c, next)) next = c;
    queue.delete(next!.id);
    if (!skipping) {
      if (commits.length === options.limit) return { commits, hasMore: true };
      commits.push(next!);
    } else if (next!.id === options.after) skipping = false;
    const parents = await ctx.store.commits.getMany(next!.parents.filter((p) => !seen.has(p)));
    for (const [id, parent] of parents) {
      seen.add(id);
      queue.set(id, parent);
    }
  }
  return { commits, hasMore: false };
}

function newer(a: Commit, b: Commit): boolean {
  if (a.generation !== b.generation) return a.generation > b.generation;
  return a.time !== b.time ? a.time > b.time : a.id > b.id;
}
