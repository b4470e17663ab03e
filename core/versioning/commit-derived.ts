import { RefConflictError } from '../errors.ts';
import type { SnapshotHash } from '../ids.ts';
import { comparePaths } from '../item-path.ts';
import type { Branch, Commit, Item } from '../model.ts';
import { applyEdits } from '../prolly/apply-edits.ts';
import { EditSource } from '../prolly/edit-source.ts';
import { EMPTY_NODE, EMPTY_SNAPSHOT } from '../prolly/node-codec.ts';
import { makeCommit } from './commit-codec.ts';
import type { CommitInput } from './commit-staged.ts';
import type { ParsedItemChange } from './staged-changes.ts';
import { requireCommit, treeContext, type VersionContext } from './version-context.ts';

/**
 * Commits derived data onto a branch: the snapshot made by applying `changes` to `base` (not
 * to the branch's head), as a new commit whose parent is the head. A transform's output is a
 * function of its input alone, so it is built from the snapshot its computation started from;
 * the branch only records it in history. Costs O(changes · log n), like any commit; nothing
 * is staged, so concurrent staging on the branch is left alone.
 *
 * When the branch already holds that snapshot no commit is made (`created` false).
 * @throws RefConflictError when the branch moved (or is not at `expectedHead`)
 */
export async function commitDerived(
  ctx: VersionContext,
  branch: Branch,
  base: SnapshotHash,
  changes: readonly ParsedItemChange[],
  input: CommitInput,
): Promise<{ commit: Commit; created: boolean }> {
  const ref = `branch ${branch.name}`;
  if (input.expectedHead && input.expectedHead !== branch.head) throw new RefConflictError(ref, input.expectedHead, branch.head);
  if (base === EMPTY_SNAPSHOT) await ctx.store.nodes.putMany([EMPTY_NODE]);
  const edits = [...changes].sort((a, b) => comparePaths(a.path, b.path)).map((c) => ({ key: c.path, entry: c.item as Item | null }));
  const snapshot = await applyEdits(treeContext(ctx), base, EditSource.of(edits));
  const head = await requireCommit(ctx, branch.head);
  if (snapshot === head.snapshot) return { commit: head, created: false };
  const commit = makeCommit(
    { snapshot, parents: [head.id], author: input.author, message: input.message, time: ctx.clock.now(), meta: input.meta ?? {} },
    [head.generation],
  );
  await ctx.store.transaction(async (tx) => {
    await tx.commits.put(commit);
    if (!(await tx.refs.moveBranch(branch.id, head.id, commit.id))) {
      const now = await tx.refs.getBranch(branch.datasetId, branch.name);
      throw new RefConflictError(ref, head.id, now?.head ?? null);
    }
  });
  return { commit, created: true };
}
