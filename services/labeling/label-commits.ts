import { InvalidInputError, NothingToCommitError, RefConflictError } from '../../core/errors.ts';
import type { Actor } from '../actor.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import { labelingMutation } from './labeling-mutation.ts';
import type { LabelingProjectRecord } from './labeling-store.ts';

/** A commit of staged labels. */
export interface LabelCommit {
  readonly commit: string;
  readonly snapshot: string;
  /** How many labeled items it took in. */
  readonly items: number;
}

const MAX_MESSAGE = 4096;

/**
 * Commits the labels the project staged on its branch (through DatasetService.commit, so it
 * is checked and audited as a branch commit too); its events then name the commit and
 * snapshot, and each item gets a `commit` event. Null when nothing is staged. For labelers,
 * reviewers and managers (a labeler may commit its branch in any case); audited as `labeling.commit`.
 * @throws InvalidInputError (message), ForbiddenError, NotFoundError, RefConflictError when
 * the branch moved while committing (retry)
 */
export function commitLabels(deps: LabelingDeps, actor: Actor | null, input: { project: string; labelingProject: string; message?: string | null | undefined }): Promise<LabelCommit | null> {
  const op = {
    project: input.project,
    name: input.labelingProject,
    need: 'commit',
    action: 'labeling.commit',
    inputs: {},
    result: (made: LabelCommit | null) => (made ? { commit: made.commit, snapshot: made.snapshot, items: made.items } : null),
  } as const;
  return labelingMutation(deps, actor, op, ({ actor: who, lp }) => {
    if (input.message != null && (typeof input.message !== 'string' || input.message.length > MAX_MESSAGE))
      throw new InvalidInputError('message', `must be at most ${MAX_MESSAGE} characters`);
    return commitStagedLabels(deps, who, lp, input.message ?? null);
  });
}

/**
 * Commits when the project commits every N label edits and N are staged; a commit lost to a
 * concurrent one leaves the labels staged for the next. Null when no commit was made.
 */
export async function autoCommit(deps: LabelingDeps, actor: Actor, lp: LabelingProjectRecord): Promise<LabelCommit | null> {
  if (lp.autoCommitEvery === null) return null;
  const pending = await deps.store.uncommitted(lp.id);
  if (pending.length < lp.autoCommitEvery) return null;
  try {
    return await commitStagedLabels(deps, actor, lp, null);
  } catch (error) {
    if (error instanceof RefConflictError) return null;
    throw error;
  }
}

async function commitStagedLabels(deps: LabelingDeps, actor: Actor, lp: LabelingProjectRecord, message: string | null): Promise<LabelCommit | null> {
  const edits = await deps.store.uncommitted(lp.id);
  if (edits.length === 0) return null;
  const at = { project: lp.project, dataset: lp.dataset };
  const text = message ?? `labels: ${edits.length} item${edits.length === 1 ? '' : 's'} (${lp.name})`;
  let made;
  try {
    made = await deps.datasets.commit(actor, at, lp.branch, { message: text, meta: { labelingProject: lp.name, items: edits.length } });
  } catch (error) {
    if (!(error instanceof NothingToCommitError)) throw error;
    // Someone committed the branch since these labels were staged: that commit holds them.
    const head = await deps.datasets.getBranch(actor, at, lp.branch);
    const commit = await deps.engine.getCommit(head.head);
    await deps.store.markCommitted(lp, edits, { commit: commit.id, snapshot: commit.snapshot, user: actor.name, userId: actor.userId, time: deps.clock.now() });
    return null;
  }
  const { commit } = made;
  await deps.store.markCommitted(lp, edits, { commit: commit.id, snapshot: commit.snapshot, user: actor.name, userId: actor.userId, time: deps.clock.now() });
  return { commit: commit.id, snapshot: commit.snapshot, items: edits.length };
}
