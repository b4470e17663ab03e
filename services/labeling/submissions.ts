import type { JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { validateAnnotations } from '../../core/labels/validate-annotations.ts';
import { parseItemPath } from '../../core/item-path.ts';
import type { Actor } from '../actor.ts';
import { clip } from '../audit/audited.ts';
import { userIdOf } from './labeling-access.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import { TaskConflictError } from './labeling-errors.ts';
import { labelingMutation } from './labeling-mutation.ts';
import type { LabelingProjectRecord, TaskState } from './labeling-store.ts';
import { autoCommit, type LabelCommit } from './label-commits.ts';
import { classSetOf, consensusOf } from './consensus.ts';

/** What became of a submission: `done` (staged), `waiting` (more overlap labels needed) or `review`. */
export interface SubmitResult {
  readonly path: string;
  readonly status: 'done' | 'waiting' | 'review';
  readonly committed: LabelCommit | null;
}

export interface SubmitInput {
  readonly project: string;
  readonly labelingProject: string;
  readonly path: string;
  readonly annotations?: unknown;
  /** Chosen by the client once per submission and sent again on retries. */
  readonly submissionId: string;
}

const MAX_SUBMISSION_ID = 128;

/**
 * A labeler's annotations for a task it holds. They are checked against the project's schema;
 * annotations without a source get `{ type: 'human', author, time }` (model proposals keep
 * their source and the labeler's review decision as sent). Without overlap they are staged on
 * the branch at once (DatasetService.annotate: access checks and audit apply); an overlapped
 * item waits for its other labelers, then the consensus rule stages the agreed annotations or
 * sends the item to review. Auto-commit follows when the project asks for it.
 *
 * Idempotent per `submissionId`: a retry gets the first answer and changes nothing. Audited
 * as `labeling.submit`.
 * @throws InvalidInputError (with the annotation's location), TaskConflictError when the
 * labeler's lease expired and the task was taken, it never leased the task, already
 * submitted it, or the task is no longer open; NotFoundError('item') for a path without a task
 */
export function submitLabels(deps: LabelingDeps, actor: Actor | null, input: SubmitInput): Promise<SubmitResult> {
  const op = {
    project: input.project,
    name: input.labelingProject,
    need: 'label',
    action: 'labeling.submit',
    target: input.path,
    inputs: { submissionId: clip(String(input.submissionId)) },
    result: (r: SubmitResult) => ({ status: r.status, commit: r.committed?.commit ?? null }),
  } as const;
  return labelingMutation(deps, actor, op, async ({ actor: who, lp }) => {
    const path = parseItemPath(input.path);
    if (typeof input.submissionId !== 'string' || input.submissionId === '' || input.submissionId.length > MAX_SUBMISSION_ID)
      throw new InvalidInputError('submissionId', `must be 1-${MAX_SUBMISSION_ID} characters`);
    const userId = userIdOf(who);
    const time = deps.clock.now();
    const annotations = stampHuman(validateAnnotations(input.annotations, lp.schema), who.name, time);

    const recorded = await deps.store.transaction(async (tx) => {
      const earlier = await tx.eventBySubmission(lp.id, input.submissionId);
      const task = await tx.lockTask(lp.id, path);
      if (earlier) {
        if (earlier.userId !== userId || earlier.path !== path) throw new InvalidInputError('submissionId', 'was already used for another submission');
        return { kind: 'replay' as const, result: (earlier.result as unknown as SubmitResult | null) ?? replayOf(path, task) };
      }
      if (!task) throw new NotFoundError('item', `${lp.name}:${path}`);
      if (task.status !== 'open') throw new TaskConflictError(path, `the task is ${task.status === 'done' ? 'done' : 'in review'}`);
      const submissions = await tx.submissions(lp.id, path);
      if (submissions.some((s) => s.userId === userId)) throw new TaskConflictError(path, 'you already submitted it');
      const lease = await tx.leaseOf(lp.id, path, userId);
      if (lease === null) throw new TaskConflictError(path, 'it is not leased to you; ask for your next tasks');
      if (lease <= time && task.submitted + (await tx.othersLeases(lp.id, path, userId, time)) >= task.needed)
        throw new TaskConflictError(path, 'your lease expired and another labeler holds the task');

      const event = await tx.addEvent({ labelingProjectId: lp.id, datasetId: lp.datasetId, path, userId, user: who.name, action: 'submit', annotations: annotations as unknown as JsonValue, time, submissionId: input.submissionId });
      await tx.addSubmission(lp.id, path, { userId, user: who.name, annotations, time, eventSeq: event.seq, classSet: classSetOf(annotations) });
      await tx.releaseLease(lp.id, path, userId);
      const outcome = decide(lp, task, [...submissions.map((s) => s.annotations), annotations]);
      await tx.setTask(lp.id, path, outcome.state);
      return { kind: 'recorded' as const, event: event.seq, lease, before: task, outcome };
    });
    if (recorded.kind === 'replay') return recorded.result;
    const { event, lease, before, outcome } = recorded;

    if (outcome.stage) {
      try {
        await deps.datasets.annotate(who, { project: lp.project, dataset: lp.dataset }, lp.branch, [{ path, annotations: outcome.stage }]);
      } catch (error) {
        // Not staged: undo the record, so the labeler can submit again and nothing half-done stays.
        await deps.store.transaction(async (tx) => {
          await tx.removeSubmission(lp.id, path, userId);
          await tx.deleteEvent(event);
          await tx.setTask(lp.id, path, { status: 'open', submitted: before.submitted, agreement: before.agreement, agreementKind: before.agreementKind, reviewReason: before.reviewReason });
          await tx.restoreLease(lp.id, path, userId, lease);
        });
        throw error;
      }
      await deps.store.markStaged(lp.id, path, event);
    }
    const committed = outcome.stage ? await autoCommit(deps, who, lp) : null;
    const result: SubmitResult = { path, status: outcome.status, committed };
    await deps.store.setEventResult(event, result as unknown as JsonValue);
    return result;
  });
}

interface Outcome {
  readonly status: SubmitResult['status'];
  readonly state: Omit<TaskState, 'path' | 'needed'>;
  /** The annotations to stage on the branch, when the item is done. */
  readonly stage: Annotation[] | null;
}

/** What the task becomes with one more submission. */
function decide(lp: LabelingProjectRecord, task: TaskState, submissions: readonly Annotation[][]): Outcome {
  const submitted = submissions.length;
  if (submitted < task.needed) return { status: 'waiting', stage: null, state: { status: 'open', submitted, agreement: null, agreementKind: null, reviewReason: null } };
  if (task.needed === 1) return { status: 'done', stage: submissions[0]!, state: { status: 'done', submitted, agreement: null, agreementKind: null, reviewReason: null } };
  const consensus = consensusOf(submissions, lp.reviewThreshold);
  if (consensus.outcome === 'done')
    return { status: 'done', stage: consensus.annotations, state: { status: 'done', submitted, agreement: consensus.agreement, agreementKind: consensus.kind, reviewReason: null } };
  return { status: 'review', stage: null, state: { status: 'review', submitted, agreement: consensus.agreement, agreementKind: consensus.kind, reviewReason: consensus.reason } };
}

/** The answer to a retry whose first attempt recorded the submission but not its answer (it was cut short). */
function replayOf(path: string, task: TaskState | null): SubmitResult {
  const status = task?.status === 'done' ? 'done' : task?.status === 'review' ? 'review' : 'waiting';
  return { path, status, committed: null };
}

/** Annotations without a source are the labeler's own work. */
export function stampHuman(annotations: readonly Annotation[], author: string, time: Date): Annotation[] {
  const at = time.toISOString();
  return annotations.map((a) => (a.source === undefined ? { ...a, source: { type: 'human', author, time: at } } : a));
}
