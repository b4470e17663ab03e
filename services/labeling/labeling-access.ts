import { ForbiddenError, NotFoundError } from '../../core/errors.ts';
import type { Actor } from '../actor.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import { LABELING_PROJECT } from './labeling-errors.ts';
import type { LabelingProjectRecord } from './labeling-store.ts';

/** What a user may do in a labeling project: `manager` (data.write on the project) may do everything. */
export type LabelingRole = 'manager' | 'reviewer' | 'labeler';

/** What an operation needs: to read the project, to label its tasks, to review them, to commit the labels, or to manage it. */
export type LabelingNeed = 'read' | 'label' | 'review' | 'commit' | 'manage';

/**
 * The actor's role in a labeling project: `manager` with `data.write` on its project (owners,
 * maintainers); otherwise its member role, but only while it holds `label.write` on the
 * project's dataset@branch (a labeler unassigned from the branch loses the project too).
 */
export async function roleOf(deps: Pick<LabelingDeps, 'access' | 'store'>, actor: Actor, lp: LabelingProjectRecord): Promise<LabelingRole | null> {
  if (await deps.access.allows(actor, { project: lp.project, permission: 'data.write', action: 'labeling.role' })) return 'manager';
  if (actor.userId === null) return null;
  const role = (await deps.store.rolesOf(actor.userId, [lp.id])).get(lp.id);
  if (!role) return null;
  const labels = await deps.access.allows(actor, { project: lp.project, permission: 'label.write', dataset: lp.dataset, branch: lp.branch, action: 'labeling.role' });
  return labels ? role : null;
}

/** Whether a role (or, for reading, the project-wide `project.read`) meets a need. */
async function meets(deps: Pick<LabelingDeps, 'access'>, actor: Actor, lp: LabelingProjectRecord, role: LabelingRole | null, need: LabelingNeed): Promise<boolean> {
  if (role === 'manager') return true;
  switch (need) {
    case 'manage':
      return false;
    case 'review':
      return role === 'reviewer';
    case 'label':
      return role === 'labeler';
    // Labelers may commit their branch anyway (label.write); reviewers commit what they accepted.
    case 'commit':
      return role === 'labeler' || role === 'reviewer';
    case 'read':
      return role !== null || (await deps.access.allows(actor, { project: lp.project, permission: 'project.read', action: 'labeling.read' }));
  }
}

/**
 * Loads a labeling project for an operation and checks the actor may do it there.
 * @throws UnauthenticatedError; ForbiddenError for a project the actor is no member of (as
 * for every project-scoped call) and for a labeling project it may not act on (the refusal is
 * audited); NotFoundError when the project has no labeling project of that name
 */
export async function requireLabeling(
  deps: Pick<LabelingDeps, 'access' | 'store'>,
  actor: Actor | null,
  project: string,
  name: string,
  need: LabelingNeed,
  action: string,
): Promise<{ actor: Actor; lp: LabelingProjectRecord; role: LabelingRole | null }> {
  const who = await deps.access.requireMember(actor, project, action);
  const lp = await deps.store.getProject(project, name);
  if (!lp) throw new NotFoundError(LABELING_PROJECT, `${project}/${name}`);
  const role = await roleOf(deps, who, lp);
  if (!(await meets(deps, who, lp, role, need))) {
    const permission = need === 'manage' ? 'data.write' : need === 'read' ? 'project.read' : `labeling.${need}`;
    const resource = `labeling project ${name} of project ${project}`;
    await deps.access.deny(who, action, project, resource, permission);
    throw new ForbiddenError(permission, resource);
  }
  return { actor: who, lp, role };
}

/** The user an actor labels as. @throws ForbiddenError for the server's own actor, which has no user */
export function userIdOf(actor: Actor): string {
  if (actor.userId === null) throw new ForbiddenError('labeling', 'labeling needs a user account');
  return actor.userId;
}
