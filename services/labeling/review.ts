import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { validateAnnotations } from '../../core/labels/validate-annotations.ts';
import { parseBranchName } from '../../core/ids.ts';
import { parseItemPath } from '../../core/item-path.ts';
import type { Actor } from '../actor.ts';
import { clip } from '../audit/audited.ts';
import { requireLabeling } from './labeling-access.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import { TaskConflictError } from './labeling-errors.ts';
import { labelingMutation } from './labeling-mutation.ts';
import type { EventRecord } from './labeling-store.ts';
import { autoCommit } from './label-commits.ts';
import { agreedAnnotations } from './consensus.ts';
import { stampHuman } from './submissions.ts';
import { blobUrl, PREVIEW_WIDTH } from './task-queue.ts';
import { datasetRefOf } from './task-sync.ts';

/** An item waiting for a reviewer, with every submission of its current round. */
export interface ReviewTask {
  readonly path: string;
  readonly blob: string;
  readonly mediaType: string | null;
  readonly meta: JsonObject;
  readonly annotations: JsonValue;
  readonly contentUrl: string;
  readonly previewUrl: string;
  readonly submissions: { readonly user: string; readonly annotations: Annotation[]; readonly time: Date }[];
  readonly agreement: number | null;
  readonly reason: string;
}

const MAX_REVIEW_PAGE = 100;
const MAX_COMMENT = 4000;

/**
 * Items in review, lowest agreement first (unknown agreement before all), with their
 * submissions. For reviewers and managers.
 * @throws InvalidInputError (first), ForbiddenError, NotFoundError
 */
export async function reviewQueue(deps: LabelingDeps, actor: Actor | null, input: { project: string; labelingProject: string; first?: number | null | undefined }): Promise<ReviewTask[]> {
  const { lp } = await requireLabeling(deps, actor, input.project, input.labelingProject, 'review', 'labeling.review-queue');
  const first = input.first ?? 10;
  if (!Number.isInteger(first) || first < 1 || first > MAX_REVIEW_PAGE) throw new InvalidInputError('first', `must be an integer from 1 to ${MAX_REVIEW_PAGE}`);
  const tasks = await deps.store.reviewQueue(lp.id, first);
  const ref = datasetRefOf(lp);
  const branch = parseBranchName(lp.branch);
  const found: Omit<ReviewTask, 'mediaType'>[] = [];
  for (const task of tasks) {
    let item;
    try {
      item = await deps.engine.getItem(ref, branch, parseItemPath(task.path));
    } catch (error) {
      if (error instanceof NotFoundError) continue;
      throw error;
    }
    const contentUrl = blobUrl(lp.project, item.blob);
    const submissions = (await deps.store.submissions(lp.id, task.path)).map((s) => ({ user: s.user, annotations: s.annotations, time: s.time }));
    found.push({
      path: task.path,
      blob: item.blob,
      meta: item.meta,
      annotations: item.annotations,
      contentUrl,
      previewUrl: `${contentUrl}/preview?width=${PREVIEW_WIDTH}`,
      submissions,
      agreement: task.agreement,
      reason: task.reviewReason ?? 'sent to review',
    });
  }
  const mediaTypes = await deps.store.mediaTypes(found.map((t) => t.blob));
  return found.map((t) => ({ ...t, mediaType: mediaTypes.get(t.blob) ?? null }));
}

export interface ReviewInput {
  readonly project: string;
  readonly labelingProject: string;
  readonly path: string;
  /** `accept` or `reject`. */
  readonly decision: string;
  readonly comment?: string | null | undefined;
  /** With `accept`: corrected annotations, staged instead of the agreed ones. */
  readonly annotations?: unknown;
}

/**
 * A reviewer's decision on an item in review (or a done one). `accept` stages the corrected
 * annotations when given, else — for an item in review — the agreed ones (majority class set,
 * or the first submission's shapes); the item is done. `reject` clears the round's
 * submissions and returns the item to the queue; the history keeps them. Audited as
 * `labeling.review`; the event is returned.
 * @throws InvalidInputError (decision, comment, annotations with their location),
 * TaskConflictError for an item nobody submitted yet, ForbiddenError, NotFoundError
 */
export function reviewItem(deps: LabelingDeps, actor: Actor | null, input: ReviewInput): Promise<EventRecord> {
  const op = {
    project: input.project,
    name: input.labelingProject,
    need: 'review',
    action: 'labeling.review',
    target: input.path,
    inputs: { decision: clip(String(input.decision)), corrected: input.annotations !== undefined && input.annotations !== null },
    result: (e: EventRecord) => ({ event: e.seq }),
  } as const;
  return labelingMutation(deps, actor, op, async ({ actor: who, lp }) => {
    const path = parseItemPath(input.path);
    if (input.decision !== 'accept' && input.decision !== 'reject') throw new InvalidInputError('decision', 'must be accept or reject');
    const comment = input.comment ?? null;
    if (comment !== null && (typeof comment !== 'string' || comment.length > MAX_COMMENT)) throw new InvalidInputError('comment', `must be at most ${MAX_COMMENT} characters`);
    const corrected = input.annotations === undefined || input.annotations === null ? null : input.annotations;
    if (input.decision === 'reject' && corrected !== null) throw new InvalidInputError('annotations', 'are for accept; a rejected item goes back to its labelers');
    const time = deps.clock.now();
    const base = { labelingProjectId: lp.id, datasetId: lp.datasetId, path, userId: who.userId, user: who.name, comment, time };

    const task = await deps.store.lockTask(lp.id, path);
    if (!task) throw new NotFoundError('item', `${lp.name}:${path}`);
    if (task.status === 'open') throw new TaskConflictError(path, 'nobody has finished labeling it yet');

    if (input.decision === 'reject')
      return deps.store.transaction(async (tx) => {
        const submissions = await tx.submissions(lp.id, path);
        await tx.setReviewOutcome(submissions.map((s) => s.eventSeq), 'rejected');
        await tx.clearSubmissions(lp.id, path);
        await tx.setTask(lp.id, path, { status: 'open', submitted: 0, agreement: null, agreementKind: null, reviewReason: null });
        return tx.addEvent({ ...base, action: 'review.reject' });
      });

    const submissions = await deps.store.submissions(lp.id, path);
    const staged: Annotation[] | null =
      corrected !== null
        ? stampHuman(validateAnnotations(corrected, lp.schema), who.name, time)
        : task.status === 'review'
          ? agreedAnnotations(submissions.map((s) => s.annotations))
          : null;
    // Staged before the decision is recorded: a refused edit leaves the item in review as it was.
    if (staged !== null) await deps.datasets.annotate(who, { project: lp.project, dataset: lp.dataset }, lp.branch, [{ path, annotations: staged }]);
    const event = await deps.store.transaction(async (tx) => {
      await tx.setReviewOutcome(submissions.map((s) => s.eventSeq), 'accepted');
      await tx.setTask(lp.id, path, { status: 'done', submitted: task.submitted, agreement: task.agreement, agreementKind: task.agreementKind, reviewReason: task.reviewReason });
      const accepted = await tx.addEvent({ ...base, action: 'review.accept', annotations: staged as unknown as JsonValue | null ?? undefined });
      if (staged !== null) await tx.markStaged(lp.id, path, accepted.seq);
      return accepted;
    });
    if (staged !== null) await autoCommit(deps, who, lp);
    return event;
  });
}
