import type { JsonObject } from '../canonical-json.ts';
import { NothingToCommitError, RefConflictError } from '../errors.ts';
import type { CommitId } from '../ids.ts';
import type { Branch, Commit } from '../model.ts';
import { applyEdits } from '../prolly/apply-edits.ts';
import { EditSource, type Edit } from '../prolly/edit-source.ts';
import type { Item } from '../model.ts';
import { makeCommit } from './commit-codec.ts';
import { requireCommit, treeContext, type VersionContext } from './version-context.ts';

const STAGING_PAGE = 5000;

export interface CommitInput {
  readonly author: string;
  readonly message: string;
  readonly meta?: JsonObject | undefined;
  /** Fail with RefConflictError unless the branch head is still this commit. */
  readonly expectedHead?: CommitId | undefined;
}

/**
 * Folds a branch's staged changes into a new snapshot and commit.
 *
 * The tree is built first, outside any transaction (new nodes are content-addressed, so a
 * failed commit leaves nothing that matters). Then one short transaction stores the commit,
 * moves the branch by compare-and-swap from the head the tree was built on, and clears exactly
 * the staged changes that went in. If another commit moved the branch meanwhile, this one
 * fails with RefConflictError and its staged changes stay staged: nothing is lost.
 *
 * Staged changes that change nothing (identical puts, deletes of absent paths) are cleared and
 * no commit is made: `created` is false and `commit` is the unchanged head.
 * @throws NothingToCommitError, RefConflictError
 */
export async function commitStaged(ctx: VersionContext, branch: Branch, input: CommitInput): Promise<{ commit: Commit; created: boolean }> {
  const ref = `branch ${branch.name}`;
  if (input.expectedHead && input.expectedHead !== branch.head) throw new RefConflictError(ref, input.expectedHead, branch.head);
  const head = await requireCommit(ctx, branch.head);
  const upToSeq = await ctx.store.staging.maxSeq(branch.id);
  if (upToSeq === 0) {
    // Empty staging right after another commit moved the branch means our view is stale.
    const now = await ctx.store.refs.getBranch(branch.datasetId, branch.name);
    if (now && now.head !== head.id) throw new RefConflictError(ref, head.id, now.head);
    throw new NothingToCommitError(branch.name);
  }

  const snapshot = await applyEdits(treeContext(ctx), head.snapshot, new EditSource(stagedEdits(ctx, branch, upToSeq)));
  const created = snapshot !== head.snapshot;
  const commit = created
    ? makeCommit(
        { snapshot, parents: [head.id], author: input.author, message: input.message, time: ctx.clock.now(), meta: input.meta ?? {} },
        [head.generation],
      )
    : head;

  await ctx.store.transaction(async (tx) => {
    if (created) await tx.commits.put(commit);
    const moved = created ? await tx.refs.moveBranch(branch.id, head.id, commit.id) : await tx.refs.moveBranch(branch.id, head.id, head.id);
    if (!moved) {
      const now = await tx.refs.getBranch(branch.datasetId, branch.name);
      throw new RefConflictError(ref, head.id, now?.head ?? null);
    }
    await tx.staging.clear(branch.id, upToSeq);
  });
  return { commit, created };
}

/** Staged changes up to `upToSeq`, in path order, as tree edits, one page at a time. */
async function* stagedEdits(ctx: VersionContext, branch: Branch, upToSeq: number): AsyncGenerator<Edit<Item>[]> {
  let after: string | undefined;
  for (;;) {
    const page = await ctx.store.staging.list(branch.id, { after, limit: STAGING_PAGE, maxSeq: upToSeq });
    if (page.length === 0) return;
    yield page.map((change) => ({ key: change.path, entry: change.item }));
    if (page.length < STAGING_PAGE) return;
    after = page[page.length - 1]!.path;
  }
}
