import { MAX_LISTED_CONFLICTS, MergeConflictError, NoMergeBaseError, RefConflictError, type MergeConflict } from '../errors.ts';
import type { Branch, Commit, Item } from '../model.ts';
import { applyEdits } from '../prolly/apply-edits.ts';
import { diffTrees, sameItem, type ItemChange } from '../prolly/diff-trees.ts';
import { EditSource, type Edit } from '../prolly/edit-source.ts';
import { comparePaths } from '../item-path.ts';
import { makeCommit } from './commit-codec.ts';
import { mergeBase } from './merge-base.ts';
import { requireCommit, treeContext, type VersionContext } from './version-context.ts';

/** How to settle an item changed differently on both sides. */
export type MergeStrategy = 'fail' | 'ours' | 'theirs';

export interface MergeInput {
  readonly strategy?: MergeStrategy | undefined;
  readonly author: string;
  readonly message?: string | undefined;
}

export interface MergeResult {
  readonly commit: Commit;
  /** False when `into` already contained `from` (nothing to merge). */
  readonly created: boolean;
  /** Conflicts settled by the `ours`/`theirs` strategy, the first MAX_LISTED_CONFLICTS of them. */
  readonly resolved: readonly MergeConflict[];
  /** How many conflicts the strategy settled in all. */
  readonly resolvedCount: number;
}

/**
 * Three-way merge of branch `from` into branch `into`, per item, against their best common
 * ancestor: changes on different items combine; an item changed the same way on both sides
 * is fine; an item changed differently on both sides is a conflict. With strategy `fail` (the
 * default) conflicts abort the merge with every conflicting item listed; `ours` keeps the
 * `into` side, `theirs` takes the `from` side. The result is a merge commit with both heads as
 * parents, and `into` moves to it by compare-and-swap.
 * @throws MergeConflictError, NoMergeBaseError, RefConflictError
 */
export async function mergeBranches(ctx: VersionContext, from: Branch, into: Branch, input: MergeInput): Promise<MergeResult> {
  const [ours, theirs] = [await requireCommit(ctx, into.head), await requireCommit(ctx, from.head)];
  const base = await mergeBase(ctx, ours.id, theirs.id);
  if (!base) throw new NoMergeBaseError(ours.id, theirs.id);
  if (base.id === theirs.id) return { commit: ours, created: false, resolved: [], resolvedCount: 0 };

  const oursChanges = await diffTrees(ctx.reader, base.snapshot, ours.snapshot);
  const theirsChanges = await diffTrees(ctx.reader, base.snapshot, theirs.snapshot);
  const { edits, conflicts } = combine(oursChanges, theirsChanges, input.strategy ?? 'fail');
  if (conflicts.length > 0 && (input.strategy ?? 'fail') === 'fail') throw new MergeConflictError(conflicts);

  const snapshot = await applyEdits(treeContext(ctx), ours.snapshot, EditSource.of(edits));
  const commit = makeCommit(
    {
      snapshot,
      parents: [ours.id, theirs.id],
      author: input.author,
      message: input.message ?? `Merge ${from.name} into ${into.name}`,
      time: ctx.clock.now(),
      meta: {},
    },
    [ours.generation, theirs.generation],
  );
  await ctx.store.transaction(async (tx) => {
    await tx.commits.put(commit);
    if (!(await tx.refs.moveBranch(into.id, ours.id, commit.id))) {
      const now = await tx.refs.getBranch(into.datasetId, into.name);
      throw new RefConflictError(`branch ${into.name}`, ours.id, now?.head ?? null);
    }
  });
  return { commit, created: true, resolved: conflicts.slice(0, MAX_LISTED_CONFLICTS), resolvedCount: conflicts.length };
}

/** Walks both change lists in path order; returns the edits to apply on `ours`. */
function combine(ours: ItemChange[], theirs: ItemChange[], strategy: MergeStrategy) {
  const edits: Edit<Item>[] = [];
  const conflicts: MergeConflict[] = [];
  let i = 0;
  for (const change of theirs) {
    while (i < ours.length && comparePaths(ours[i]!.path, change.path) < 0) i++;
    const mine = ours[i]?.path === change.path ? ours[i] : undefined;
    if (!mine) {
      edits.push({ key: change.path, entry: change.after });
      continue;
    }
    if (sameSide(mine.after, change.after)) continue;
    conflicts.push({ path: change.path, base: change.before, ours: mine.after, theirs: change.after });
    if (strategy === 'theirs') edits.push({ key: change.path, entry: change.after });
  }
  return { edits, conflicts };
}

function sameSide(x: Item | null, y: Item | null): boolean {
  return x === null || y === null ? x === y : sameItem(x, y);
}
