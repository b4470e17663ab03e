import { randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { parseBranchName, parseDatasetName, parseProjectName } from '../../core/ids.ts';
import { parseLabelSchema } from '../../core/labels/parse-label-schema.ts';
import { guardedMutation } from '../access/guarded-mutation.ts';
import type { Actor } from '../actor.ts';
import { clip } from '../audit/audited.ts';
import { digestOf, type Digest } from '../audit/digest.ts';
import type { JsonValue } from '../../core/canonical-json.ts';
import { roleOf, requireLabeling, type LabelingRole } from './labeling-access.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import { labelingMutation } from './labeling-mutation.ts';
import type { LabelingMember, LabelingProjectChanges, LabelingProjectRecord, MemberRole } from './labeling-store.ts';
import { parseQueueOrder } from './queue-order.ts';
import { rekeyTasks, syncTasks } from './task-sync.ts';

/** A labeling project as its reader sees it: with the reader's role in it. */
export type LabelingProjectView = LabelingProjectRecord & { readonly myRole: LabelingRole | null };

export interface CreateLabelingProjectInput {
  readonly project: string;
  readonly name: string;
  readonly dataset: string;
  readonly branch: string;
  readonly schema?: unknown;
  readonly instructions?: string | null | undefined;
  readonly overlap?: number | null | undefined;
  readonly overlapFraction?: number | null | undefined;
  readonly queueOrder?: string | null | undefined;
  readonly autoCommitEvery?: number | null | undefined;
  readonly reviewThreshold?: number | null | undefined;
}

export interface UpdateLabelingProjectInput {
  readonly project: string;
  readonly name: string;
  readonly schema?: unknown;
  readonly instructions?: string | null | undefined;
  readonly queueOrder?: string | null | undefined;
  /** 0 turns auto-commit off (null in the API means "unchanged"). */
  readonly autoCommitEvery?: number | null | undefined;
  readonly reviewThreshold?: number | null | undefined;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_INSTRUCTIONS = 64 * 1024;
const MAX_OVERLAP = 10;
export const DEFAULT_REVIEW_THRESHOLD = 0.7;

/**
 * Creates a labeling project over dataset@branch and materializes one task per item of the
 * branch head. Needs `data.write` on the project; audited as `labeling.create`.
 * @throws InvalidInputError (name, schema, numbers, queue order), ForbiddenError,
 * NotFoundError('dataset' | 'branch'), AlreadyExistsError
 */
export function createLabelingProject(deps: LabelingDeps, actor: Actor | null, input: CreateLabelingProjectInput): Promise<LabelingProjectView> {
  const request = { project: input.project, permission: 'data.write', action: 'labeling.create' } as const;
  const record = { target: clip(input.name), inputs: { dataset: clip(input.dataset), branch: clip(input.branch), schema: digestOfValue(input.schema) } };
  return guardedMutation(deps, actor, request, record, async (who) => {
    const name = parseName(input.name);
    const ref = { project: parseProjectName(input.project), dataset: parseDatasetName(input.dataset) };
    const branch = parseBranchName(input.branch);
    const schema = parseLabelSchema(input.schema);
    const overlap = input.overlap ?? 1;
    if (!Number.isInteger(overlap) || overlap < 1 || overlap > MAX_OVERLAP) throw new InvalidInputError('overlap', `must be an integer from 1 to ${MAX_OVERLAP}`);
    const overlapFraction = fraction(input.overlapFraction ?? 1, 'overlapFraction');
    const queueOrder = parseQueueOrder(input.queueOrder ?? 'dataset', deps.queueOrders).spec;
    const dataset = await deps.engine.getDataset(ref);
    await deps.engine.getBranch(ref, branch);
    const lp = await deps.store.createProject({
      id: randomUUID(),
      projectId: dataset.projectId,
      name,
      datasetId: dataset.id,
      branch,
      schema,
      instructions: instructions(input.instructions ?? ''),
      overlap,
      overlapFraction,
      queueOrder,
      autoCommitEvery: autoCommit(input.autoCommitEvery ?? null),
      reviewThreshold: fraction(input.reviewThreshold ?? DEFAULT_REVIEW_THRESHOLD, 'reviewThreshold'),
      createdBy: who.name,
    });
    await syncTasks(deps, lp);
    return { ...((await deps.store.getProject(lp.project, lp.name)) ?? lp), myRole: 'manager' as const };
  });
}

/**
 * Changes a labeling project's schema, instructions, queue order (every task is re-keyed),
 * auto-commit interval or review threshold. For managers; audited as `labeling.update`.
 * Overlap is fixed at creation: changing it would change what finished items mean.
 * @throws InvalidInputError, ForbiddenError, NotFoundError
 */
export function updateLabelingProject(deps: LabelingDeps, actor: Actor | null, input: UpdateLabelingProjectInput): Promise<LabelingProjectView> {
  const inputs = {
    schema: input.schema === undefined || input.schema === null ? null : digestOfValue(input.schema),
    queueOrder: input.queueOrder === undefined ? null : clip(input.queueOrder),
    autoCommitEvery: input.autoCommitEvery ?? null,
    reviewThreshold: input.reviewThreshold ?? null,
  };
  return labelingMutation(deps, actor, { project: input.project, name: input.name, need: 'manage', action: 'labeling.update', inputs }, async ({ lp }) => {
    const changes: LabelingProjectChanges = {
      schema: input.schema === undefined || input.schema === null ? undefined : parseLabelSchema(input.schema),
      instructions: input.instructions === undefined || input.instructions === null ? undefined : instructions(input.instructions),
      queueOrder: input.queueOrder === undefined || input.queueOrder === null ? undefined : parseQueueOrder(input.queueOrder, deps.queueOrders).spec,
      autoCommitEvery: input.autoCommitEvery === undefined || input.autoCommitEvery === null ? undefined : autoCommit(input.autoCommitEvery === 0 ? null : input.autoCommitEvery),
      reviewThreshold: input.reviewThreshold === undefined || input.reviewThreshold === null ? undefined : fraction(input.reviewThreshold, 'reviewThreshold'),
    };
    const updated = await deps.store.updateProject(lp.id, changes);
    if (changes.queueOrder !== undefined && changes.queueOrder !== lp.queueOrder) await rekeyTasks(deps, updated);
    return { ...updated, myRole: 'manager' as const };
  });
}

/**
 * A labeling project, its tasks brought up to the branch head first.
 * @throws ForbiddenError, NotFoundError
 */
export async function getLabelingProject(deps: LabelingDeps, actor: Actor | null, project: string, name: string): Promise<LabelingProjectView> {
  const { lp, role } = await requireLabeling(deps, actor, project, name, 'read', 'labeling.get');
  await syncTasks(deps, lp);
  return { ...((await deps.store.getProject(project, name)) ?? lp), myRole: role };
}

/**
 * The labeling projects of a project the actor may see: all of them for managers and those
 * who may read the project (viewers, auditors); for labelers and reviewers, the ones they are
 * members of while they hold `label.write` on the project's branch.
 * @throws ForbiddenError for a project the actor is no member of
 */
export async function listLabelingProjects(deps: LabelingDeps, actor: Actor | null, project: string): Promise<LabelingProjectView[]> {
  const who = await deps.access.requireMember(actor, project, 'labeling.list');
  const all = await deps.store.listProjects(project);
  const readsAll = await deps.access.allows(who, { project, permission: 'project.read', action: 'labeling.list' });
  const views: LabelingProjectView[] = [];
  for (const lp of all) {
    const myRole = await roleOf(deps, who, lp);
    if (myRole !== null || readsAll) views.push({ ...lp, myRole });
  }
  return views;
}

/**
 * Adds a user to a labeling project as labeler or reviewer, or changes its role. For managers;
 * audited. The user labels only while it also holds `label.write` on the branch (for a
 * project labeler, the branch assigned with setMember).
 * @throws InvalidInputError (role), ForbiddenError, NotFoundError('user'), NotFoundError
 */
export function setLabelingMember(deps: LabelingDeps, actor: Actor | null, input: { project: string; labelingProject: string; user: string; role: string }): Promise<LabelingMember> {
  const op = { project: input.project, name: input.labelingProject, need: 'manage', action: 'labeling.member.set', target: input.user, inputs: { role: clip(input.role) } } as const;
  return labelingMutation(deps, actor, op, async ({ lp }) => {
    if (input.role !== 'labeler' && input.role !== 'reviewer') throw new InvalidInputError('role', 'must be labeler or reviewer');
    const member = await deps.store.putMember(lp.id, input.user, input.role as MemberRole);
    if (!member) throw new NotFoundError('user', input.user);
    return member;
  });
}

/** Removes a user from a labeling project; false when it was not a member. For managers; audited. */
export function removeLabelingMember(deps: LabelingDeps, actor: Actor | null, input: { project: string; labelingProject: string; user: string }): Promise<boolean> {
  const op = { project: input.project, name: input.labelingProject, need: 'manage', action: 'labeling.member.remove', target: input.user, inputs: {}, result: (removed: boolean) => ({ removed }) } as const;
  return labelingMutation(deps, actor, op, ({ lp }) => deps.store.removeMember(lp.id, input.user));
}

/** The members of a project already authorized for reading (a field of LabelingProjectView). */
export function membersOf(deps: LabelingDeps, lp: LabelingProjectView): Promise<LabelingMember[]> {
  return deps.store.listMembers(lp.id);
}

function parseName(value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value))
    throw new InvalidInputError('name', 'must be 1-128 characters: letters, digits, ".", "_" or "-", starting with a letter or digit');
  return value;
}

function instructions(value: string): string {
  if (typeof value !== 'string' || value.length > MAX_INSTRUCTIONS) throw new InvalidInputError('instructions', `must be at most ${MAX_INSTRUCTIONS} characters`);
  return value;
}

function fraction(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw new InvalidInputError(field, 'must be a number from 0 to 1');
  return value;
}

function autoCommit(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new InvalidInputError('autoCommitEvery', 'must be a positive integer (0 or null: manual commits only)');
  return value;
}

/** The audit digest of a client's JSON value; null for one that is not JSON (refused later, with its location). */
function digestOfValue(value: unknown): Digest | null {
  try {
    return digestOf([value as JsonValue]);
  } catch {
    return null;
  }
}
