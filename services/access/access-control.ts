import { CoreError, ForbiddenError, UnauthenticatedError } from '../../core/errors.ts';
import type { Actor } from '../actor.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import { assignmentOf, type Membership, type MembershipReader } from './membership.ts';
import { BRANCH_PERMISSIONS, ROLE_PERMISSIONS, SCOPE_OF, type Permission } from './roles.ts';

/** What an operation needs: a permission in a project, on a dataset or branch for branch permissions. */
export interface AccessRequest {
  readonly project: string;
  readonly permission: Permission;
  readonly dataset?: string | undefined;
  readonly branch?: string | undefined;
  /** The operation's name for the audit log when refused, e.g. `branch.commit`. */
  readonly action: string;
}

/**
 * The one place that decides whether an actor may do something, from the role matrix
 * (roles.ts), the actor's membership in the project, and its credential's scopes. Refusals are
 * written to the audit log. Memberships are looked up once per actor and project: an actor
 * lives for one request.
 */
export class AccessControl {
  private readonly memberships = new WeakMap<Actor, Map<string, Promise<Membership | null>>>();

  constructor(private readonly deps: { memberships: MembershipReader; audit: AuditRecorder }) {}

  /**
   * Resolves if the actor may; otherwise records the refusal and throws.
   * @throws UnauthenticatedError without an actor; ForbiddenError, the same whether or not the
   * project, dataset or branch exists
   */
  async require(actor: Actor | null, request: AccessRequest): Promise<Actor> {
    const signedIn = requireSignedIn(actor);
    if (await this.allows(signedIn, request)) return signedIn;
    const resource = describe(request);
    await this.deny(signedIn, request.action, request.project, resource, request.permission);
    throw new ForbiddenError(request.permission, resource);
  }

  /** Whether the actor may, without recording anything. */
  async allows(actor: Actor, request: AccessRequest): Promise<boolean> {
    if (!actor.scopes.has(SCOPE_OF[request.permission])) return false;
    const membership = await this.membershipOf(actor, request.project);
    if (!membership || !ROLE_PERMISSIONS[membership.role].has(request.permission)) return false;
    if (membership.role !== 'labeler' || !BRANCH_PERMISSIONS.has(request.permission)) return true;
    // A labeler's branch permissions: on an assigned branch, or (asked without a branch) on a
    // dataset where it has one.
    if (request.dataset === undefined) return false;
    if (request.branch === undefined) return membership.branches.some((b) => b.startsWith(`${request.dataset}@`));
    return membership.branches.includes(assignmentOf(request.dataset, request.branch));
  }

  /** The actor's membership in the project, or null. */
  membershipOf(actor: Actor, project: string): Promise<Membership | null> {
    if (actor.userId === null) return Promise.resolve(null);
    let byProject = this.memberships.get(actor);
    if (!byProject) this.memberships.set(actor, (byProject = new Map()));
    let found = byProject.get(project);
    if (!found) byProject.set(project, (found = this.deps.memberships.find(actor.userId, project)));
    return found;
  }

  /**
   * For instance administration (users, projects, any membership): the actor must be an
   * administrator using a credential with the `admin` scope.
   * @throws UnauthenticatedError, ForbiddenError
   */
  async requireAdmin(actor: Actor | null, action: string): Promise<Actor> {
    const signedIn = requireSignedIn(actor);
    if (signedIn.isAdmin && signedIn.scopes.has('admin')) return signedIn;
    await this.deny(signedIn, action, null, 'the instance', 'admin');
    throw new ForbiddenError('admin', 'the instance');
  }

  /**
   * For what every member may see of a project (its name, their own role): any role, or an
   * administrator.
   * @throws UnauthenticatedError, ForbiddenError
   */
  async requireMember(actor: Actor | null, project: string, action: string): Promise<Actor> {
    const signedIn = requireSignedIn(actor);
    if (signedIn.scopes.has('read') && (signedIn.isAdmin || (await this.membershipOf(signedIn, project)))) return signedIn;
    await this.deny(signedIn, action, project, `project ${project}`, 'membership');
    throw new ForbiddenError('membership', `project ${project}`);
  }

  /** Records a refusal decided elsewhere (e.g. a Pothos scope check). */
  async deny(actor: Actor, action: string, project: string | null, target: string, permission: string): Promise<void> {
    await this.deps.audit.record({ actor, action, project, target, inputs: { permission }, outcome: 'denied', errorCode: ForbiddenError.code });
  }
}

/** @throws UnauthenticatedError when there is no actor */
export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new UnauthenticatedError('this needs an API token (Authorization: Bearer …) or a signed-in session');
  return actor;
}

function describe(request: AccessRequest): string {
  let resource = `project ${request.project}`;
  if (request.dataset !== undefined) resource += `, dataset ${request.dataset}`;
  if (request.branch !== undefined) resource += `, branch ${request.branch}`;
  return resource;
}

/** The error code an audit entry records for a failed operation. */
export function errorCodeOf(error: unknown): string {
  return error instanceof CoreError ? error.code : 'INTERNAL';
}
