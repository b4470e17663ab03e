import type { CommitId } from '../ids.ts';
import type { Commit } from '../model.ts';
import type { VersionContext } from './version-context.ts';
import { requireCommit } from './version-context.ts';

const FROM_A = 1;
const FROM_B = 2;
const STALE = 4;

/**
 * The best common ancestor of two commits, or null when their histories are unrelated.
 *
 * Walks both histories at once in order of decreasing generation, marking what each side
 * reaches; a commit reached from both is a candidate, and its ancestors are marked stale
 * (they are worse candidates). The walk stops when only stale commits are left, so it reads
 * the commits since the fork, not the whole history. With several best candidates (criss-cross
 * merges), the one with the highest generation is returned.
 */
export async function mergeBase(ctx: VersionContext, a: CommitId, b: CommitId): Promise<Commit | null> {
  if (a === b) return requireCommit(ctx, a);
  const flags = new Map<CommitId, number>();
  const queue = new Map<CommitId, Commit>();
  // Flags only ever come from children, which have higher generations and so are all popped
  // before their parents: once a commit is popped, its flags are final.
  const enqueue = (commit: Commit, flag: number) => {
    const before = flags.get(commit.id) ?? 0;
    if ((before | flag) === before) return;
    flags.set(commit.id, before | flag);
    queue.set(commit.id, commit);
  };
  enqueue(await requireCommit(ctx, a), FROM_A);
  enqueue(await requireCommit(ctx, b), FROM_B);
  const candidates: Commit[] = [];

  while ([...queue.keys()].some((id) => !(flags.get(id)! & STALE))) {
    let commit: Commit | undefined;
    for (const c of queue.values()) if (!commit || c.generation > commit.generation) commit = c;
    queue.delete(commit!.id);
    const popped = commit!;
    let flag = flags.get(popped.id)!;
    if ((flag & (FROM_A | FROM_B)) === (FROM_A | FROM_B) && !(flag & STALE)) {
      candidates.push(popped);
      flag |= STALE;
      flags.set(popped.id, flag);
    }
    if (popped.parents.length === 0) continue;
    const parents = await ctx.store.commits.getMany(popped.parents);
    for (const id of popped.parents) {
      const parent = parents.get(id);
      if (parent) enqueue(parent, flag);
    }
  }
  // Candidates were found in decreasing generation order: the first is the best.
  return candidates[0] ?? null;
}
