import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { parseBranchName, type BlobHash } from '../../core/ids.ts';
import { parseItemPath } from '../../core/item-path.ts';
import type { Item } from '../../core/model.ts';
import type { Actor } from '../actor.ts';
import { clip } from '../audit/audited.ts';
import { digestOf } from '../audit/digest.ts';
import { userIdOf } from './labeling-access.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import { TaskConflictError } from './labeling-errors.ts';
import { labelingMutation } from './labeling-mutation.ts';
import type { LabelingProjectRecord, LeasedTask } from './labeling-store.ts';
import { datasetRefOf, syncTasks } from './task-sync.ts';

/** One leased task as a labeler receives it. */
export interface LabelingTask {
  readonly path: string;
  readonly blob: string;
  readonly size: number;
  readonly mediaType: string | null;
  readonly meta: JsonObject;
  /** The item's annotations on the branch (model pre-labels included); null when unlabeled. */
  readonly annotations: JsonValue;
  readonly leaseExpiresAt: Date;
  readonly contentUrl: string;
  readonly previewUrl: string;
}

const MAX_COUNT = 50;
const MAX_EXCLUDE = 1000;
const MAX_REASON = 2000;
export const PREVIEW_WIDTH = 1280;

/**
 * Leases up to `count` tasks to the labeler: first the tasks it already holds (renewed), then
 * new ones in the project's queue order — never a task it submitted or skipped, never a task
 * whose labelers are all taken (submissions plus others' live leases; an expired lease frees
 * its slot). `exclude` names paths the client already holds: they are renewed but not sent
 * again. The tasks are brought up to the branch head first. Audited as `labeling.lease`.
 * @throws InvalidInputError (count, exclude), ForbiddenError, NotFoundError
 */
export function nextTasks(
  deps: LabelingDeps,
  actor: Actor | null,
  input: { project: string; labelingProject: string; count?: number | null | undefined; exclude?: readonly string[] | null | undefined },
): Promise<LabelingTask[]> {
  const count = input.count ?? 1;
  const exclude = input.exclude ?? [];
  const op = {
    project: input.project,
    name: input.labelingProject,
    need: 'label',
    action: 'labeling.lease',
    inputs: { count, exclude: exclude.length <= MAX_EXCLUDE ? digestOf(exclude.map((p) => String(p))) : { count: exclude.length } },
    result: (tasks: LabelingTask[]) => ({ leased: tasks.length }),
  } as const;
  return labelingMutation(deps, actor, op, async ({ actor: who, lp }) => {
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new InvalidInputError('count', `must be an integer from 1 to ${MAX_COUNT}`);
    if (exclude.length > MAX_EXCLUDE) throw new InvalidInputError('exclude', `must list at most ${MAX_EXCLUDE} paths`);
    const userId = userIdOf(who);
    await syncTasks(deps, lp);
    const now = deps.clock.now();
    const until = new Date(now.getTime() + deps.leaseMs);
    const excluded = new Set(exclude);
    const held = await deps.store.renewLeases(lp.id, userId, { now, until });
    const leases = held.filter((t) => !excluded.has(t.path)).slice(0, count);
    if (leases.length < count) {
      const skip = [...excluded, ...held.map((t) => t.path)];
      leases.push(...(await deps.store.leaseTasks(lp.id, userId, { count: count - leases.length, exclude: skip, now, until })));
    }
    return tasksOf(deps, lp, userId, leases);
  });
}

/**
 * Gives a leased task back to the queue at once; false when the labeler held no lease on it.
 * Audited as `labeling.release`.
 */
export function releaseTask(deps: LabelingDeps, actor: Actor | null, input: { project: string; labelingProject: string; path: string }): Promise<boolean> {
  const op = { project: input.project, name: input.labelingProject, need: 'label', action: 'labeling.release', target: input.path, inputs: {}, result: (released: boolean) => ({ released }) } as const;
  return labelingMutation(deps, actor, op, async ({ actor: who, lp }) => deps.store.releaseLease(lp.id, parseItemPath(input.path), userIdOf(who)));
}

/**
 * Skips a task with a reason: the task leaves this labeler's queue for good (its lease is
 * dropped) and stays available to the others. Recorded as a `skip` event, counted on the
 * dashboard. Audited as `labeling.skip`.
 * @throws InvalidInputError (reason), TaskConflictError when the task is no longer open or
 * the labeler already submitted it, NotFoundError('item') for a path without a task
 */
export function skipTask(deps: LabelingDeps, actor: Actor | null, input: { project: string; labelingProject: string; path: string; reason: string }): Promise<boolean> {
  const op = { project: input.project, name: input.labelingProject, need: 'label', action: 'labeling.skip', target: input.path, inputs: { reason: clip(input.reason) } } as const;
  return labelingMutation(deps, actor, op, async ({ actor: who, lp }) => {
    const path = parseItemPath(input.path);
    if (typeof input.reason !== 'string' || input.reason.trim() === '' || input.reason.length > MAX_REASON)
      throw new InvalidInputError('reason', `must be 1-${MAX_REASON} characters`);
    const userId = userIdOf(who);
    const time = deps.clock.now();
    await deps.store.transaction(async (tx) => {
      const task = await tx.lockTask(lp.id, path);
      if (!task) throw new NotFoundError('item', `${lp.name}:${path}`);
      if (task.status !== 'open') throw new TaskConflictError(path, `the task is ${task.status === 'done' ? 'done' : 'in review'}`);
      if ((await tx.submissions(lp.id, path)).some((s) => s.userId === userId)) throw new TaskConflictError(path, 'you already submitted it');
      await tx.releaseLease(lp.id, path, userId);
      await tx.addSkip(lp.id, path, userId, input.reason, time);
      await tx.addEvent({ labelingProjectId: lp.id, datasetId: lp.datasetId, path, userId, user: who.name, action: 'skip', comment: input.reason, time });
    });
    return true;
  });
}

/** The leased tasks with their items as the branch shows them; a task whose item left the branch is released and dropped. */
async function tasksOf(deps: LabelingDeps, lp: LabelingProjectRecord, userId: string, leases: readonly LeasedTask[]): Promise<LabelingTask[]> {
  const ref = datasetRefOf(lp);
  const branch = parseBranchName(lp.branch);
  const items: { item: Item; expiresAt: Date }[] = [];
  for (const lease of leases) {
    try {
      items.push({ item: await deps.engine.getItem(ref, branch, parseItemPath(lease.path)), expiresAt: lease.expiresAt });
    } catch (error) {
      // Deleted on the branch but not committed yet: the next sync removes the task.
      if (!(error instanceof NotFoundError)) throw error;
      await deps.store.releaseLease(lp.id, lease.path, userId);
    }
  }
  const mediaTypes = await deps.store.mediaTypes(items.map((i) => i.item.blob));
  return items.map(({ item, expiresAt }) => {
    const contentUrl = blobUrl(lp.project, item.blob);
    return {
      path: item.path,
      blob: item.blob,
      size: item.size,
      mediaType: mediaTypes.get(item.blob) ?? null,
      meta: item.meta,
      annotations: item.annotations,
      leaseExpiresAt: expiresAt,
      contentUrl,
      previewUrl: `${contentUrl}/preview?width=${PREVIEW_WIDTH}`,
    };
  });
}

/** Where a blob's bytes are served: `/v1/projects/<project>/blobs/<blob>`. */
export function blobUrl(project: string, blob: BlobHash | string): string {
  return `/v1/projects/${encodeURIComponent(project)}/blobs/${blob}`;
}
