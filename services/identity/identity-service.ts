import { randomUUID } from 'node:crypto';
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../core/errors.ts';
import { parseProjectName, type ProjectName } from '../../core/ids.ts';
import type { PageRequest } from '../../core/model.ts';
import type { Clock } from '../../core/ports.ts';
import type { AccessControl } from '../access/access-control.ts';
import { SCOPES, systemActor, type Actor, type Credential, type Scope } from '../actor.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import { isApiTokenId, newApiToken, parseExpiry, parseScopes, parseTokenName } from './api-token.ts';
import { audited, clip } from '../audit/audited.ts';
import { Authentication, type Authenticated, type SessionView, type SignedIn } from './authentication.ts';
import type { ApiTokenInfo, IdentityStore, ProjectMember, User, UserMembership, UserRecord } from './identity-store.ts';
import { parseAssignments, parseRole } from './member-input.ts';
import { hashPassword, parsePassword, verifyPassword } from './passwords.ts';
import { DEFAULT_SESSION_TTL_MS } from './sessions.ts';
import { parseUserName } from './user-name.ts';

export interface IdentityServiceDeps {
  readonly store: IdentityStore;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  /** How long a sign-in lasts; default 12 hours. */
  readonly sessionTtlMs?: number | undefined;
  readonly clock?: Clock | undefined;
}

/** The caller: its user, memberships, and what its credential allows. */
export interface Me {
  readonly user: User;
  readonly memberships: readonly UserMembership[];
  readonly credential: Credential;
  readonly scopes: readonly Scope[];
}

export interface CreatedToken {
  /** The whole token: shown this once, never stored. */
  readonly token: string;
  readonly info: ApiTokenInfo;
}

/** The user `bootstrap` creates. */
export const BOOTSTRAP_USER = 'admin';

/**
 * Users, passwords, API tokens, web sessions and project memberships.
 *
 * Every change is recorded in the audit log (`ok` or `failed` with the error's code; refusals
 * as `denied` by AccessControl). Instance administration (users, others' tokens and passwords,
 * any project's members) needs an administrator using a credential with the `admin` scope;
 * a project's owners manage its members with an `admin`-scoped credential. Credentials never
 * grant more than they have: a new token's scopes must all be held by the credential creating
 * it, and a token can be revoked only by a credential holding all of its scopes (or an admin).
 *
 * Credential checks and sign-in are Authentication's (see there for what failures are
 * audited); they are offered here too, so callers hold one identity service.
 */
export class IdentityService {
  private readonly store: IdentityStore;
  private readonly access: AccessControl;
  private readonly audit: AuditRecorder;
  private readonly clock: Clock;
  private readonly authentication: Authentication;

  /** @throws RangeError for a session lifetime that is not a positive integer */
  constructor(deps: IdentityServiceDeps) {
    this.store = deps.store;
    this.access = deps.access;
    this.audit = deps.audit;
    this.clock = deps.clock ?? { now: () => new Date() };
    const sessionTtlMs = deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
    if (!Number.isSafeInteger(sessionTtlMs) || sessionTtlMs <= 0) throw new RangeError('sessionTtlMs must be a positive integer');
    this.authentication = new Authentication({ store: this.store, audit: this.audit, clock: this.clock, sessionTtlMs });
  }

  /**
   * The actor behind a bearer token or a session cookie's secret (the token wins when both are
   * given); null when neither is. Token actors have the token's scopes; session actors have
   * every scope (roles and `isAdmin` still limit them).
   * @throws UnauthenticatedError with one of AUTH_FAILURES as the reason
   */
  authenticate(credentials: { bearer?: string | undefined; sessionSecret?: string | undefined }): Promise<Authenticated | null> {
    return this.authentication.authenticate(credentials);
  }

  /** The session a cookie's secret belongs to. @throws UnauthenticatedError */
  describeSession(sessionSecret: string): Promise<SessionView> {
    return this.authentication.describeSession(sessionSecret);
  }

  /**
   * Signs in with a password and starts a session; see Authentication.login.
   * @throws UnauthenticatedError('wrong user name or password')
   */
  login(name: string, password: string, meta: { address?: string | undefined; userAgent?: string | undefined } = {}): Promise<SignedIn> {
    return this.authentication.login(name, password, meta);
  }

  /** Ends the session the secret belongs to; false when there is none (already signed out). */
  logout(sessionSecret: string): Promise<boolean> {
    return this.authentication.logout(sessionSecret);
  }

  /**
   * Creates a user, optionally with a password and as an administrator.
   * @throws ForbiddenError unless an admin with the admin scope; InvalidNameError,
   * InvalidInputError('password'); AlreadyExistsError('user')
   */
  createUser(actor: Actor, input: { name: string; password?: string | null | undefined; admin?: boolean | null | undefined }): Promise<User> {
    const event = { actor, action: 'user.create', project: null, target: `user ${clip(input.name)}`, inputs: { name: clip(input.name), admin: input.admin === true, passwordGiven: input.password != null } };
    return audited(this.audit, event, async () => {
      await this.access.requireAdmin(actor, 'user.create');
      const name = parseUserName(input.name);
      const passwordHash = input.password == null ? null : await hashPassword(input.password);
      return this.store.createUser({ id: randomUUID(), name, passwordHash, isAdmin: input.admin === true });
    }, (user) => ({ user: user.id }));
  }

  /**
   * Sets a password: one's own (giving the current one) or, for an admin with the admin scope,
   * anyone's. Ends the user's other sessions. A user without a password gets its first one
   * from an admin: a token alone must not be enough to open password sessions, which have
   * every scope.
   * @throws InvalidInputError('password' | 'current password'), ForbiddenError, NotFoundError('user')
   */
  setPassword(actor: Actor, input: { user?: string | null | undefined; password: string; currentPassword?: string | null | undefined }): Promise<User> {
    const forSelf = input.user == null || input.user === actor.name;
    const target = forSelf ? actor.name : clip(input.user!);
    const event = { actor, action: 'user.password', project: null, target: `user ${target}`, inputs: { user: target } };
    return audited(this.audit, event, async () => {
      if (!forSelf) await this.access.requireAdmin(actor, 'user.password');
      const password = parsePassword(input.password);
      const user = forSelf ? await this.userOf(actor) : await this.userNamed(input.user!);
      if (!isAdmin(actor)) {
        if (user.passwordHash === null) {
          await this.access.deny(actor, 'user.password', null, `user ${user.name}`, 'first password');
          throw new ForbiddenError('first password', `user ${user.name}: an administrator sets it`);
        }
        if (input.currentPassword == null || !(await verifyPassword(user.passwordHash, input.currentPassword)))
          throw new InvalidInputError('current password', 'does not match');
      }
      const passwordHash = await hashPassword(password);
      // The caller's own session survives its own password change; every other one ends.
      const keep = actor.credential.kind === 'session' && actor.userId === user.id ? actor.credential.id : null;
      await this.store.transaction(async (tx) => {
        await tx.setPasswordHash(user.id, passwordHash);
        await tx.deleteSessionsOfUser(user.id, keep);
      });
      return withoutHash({ ...user, hasPassword: true });
    });
  }

  /** The caller's user, memberships and credential. @throws UnauthenticatedError without a user */
  async me(actor: Actor): Promise<Me> {
    const user = await this.userOf(actor);
    return {
      user: withoutHash(user),
      memberships: await this.store.memberships.listByUser(user.id),
      credential: actor.credential,
      scopes: SCOPES.filter((scope) => actor.scopes.has(scope)),
    };
  }

  /** Users in name order. @throws ForbiddenError unless an admin with the admin scope */
  async listUsers(actor: Actor, page: PageRequest): Promise<User[]> {
    await this.access.requireAdmin(actor, 'user.list');
    return this.store.listUsers(page);
  }

  /**
   * Creates an API token for the caller or (admins) another user. Audited with its name,
   * scopes and expiry, never the secret.
   * @throws InvalidInputError('token name' | 'scopes' | 'expiry'); ForbiddenError for scopes
   * the caller's credential lacks, or another user's token without being admin;
   * NotFoundError('user')
   */
  createToken(
    actor: Actor,
    input: { name: string; scopes: readonly string[]; expiresAt?: string | null | undefined; expiresInDays?: number | null | undefined; user?: string | null | undefined },
  ): Promise<CreatedToken> {
    const forSelf = input.user == null || input.user === actor.name;
    const owner = forSelf ? actor.name : clip(input.user!);
    const inputs = {
      name: clip(input.name),
      scopes: Array.isArray(input.scopes) ? input.scopes.slice(0, 10).map((s) => clip(String(s))) : [],
      expiresAt: clip(input.expiresAt ?? null),
      expiresInDays: typeof input.expiresInDays === 'number' ? input.expiresInDays : null,
      user: owner,
    };
    return audited(this.audit, { actor, action: 'token.create', project: null, target: `user ${owner}`, inputs }, async () => {
      const name = parseTokenName(input.name);
      const scopes = parseScopes(input.scopes);
      const expiresAt = parseExpiry(input, this.clock.now());
      if (!forSelf) await this.access.requireAdmin(actor, 'token.create');
      const user = forSelf ? await this.userOf(actor) : await this.userNamed(input.user!);
      await this.requireScopes(actor, scopes, 'token.create', `a new token for user ${user.name}`);
      const made = newApiToken();
      const info = await this.store.insertToken({ id: made.id, userId: user.id, name, secretHash: made.secretHash, scopes, expiresAt });
      return { token: made.token, info };
    }, (created) => ({ tokenId: created.info.id }));
  }

  /**
   * The caller's tokens or (admins) another user's, newest first; never secrets or hashes.
   * @throws ForbiddenError, NotFoundError('user')
   */
  async listTokens(actor: Actor, input: { user?: string | null | undefined } = {}): Promise<ApiTokenInfo[]> {
    const forSelf = input.user == null || input.user === actor.name;
    if (!forSelf) await this.access.requireAdmin(actor, 'token.list');
    const user = forSelf ? await this.userOf(actor) : await this.userNamed(input.user!);
    return this.store.listTokens(user.id);
  }

  /**
   * Revokes one of the caller's tokens, or (admins) anyone's. Someone else's token is
   * NotFound, as an unknown one: token ids of others are not confirmed. Revoking a revoked
   * token changes nothing and succeeds.
   * @throws InvalidInputError('token id'), NotFoundError('token'), ForbiddenError when the
   * caller's credential lacks one of the token's scopes
   */
  revokeToken(actor: Actor, id: string): Promise<ApiTokenInfo> {
    return audited(this.audit, { actor, action: 'token.revoke', project: null, target: `token ${clip(id)}`, inputs: { id: clip(id) } }, async () => {
      if (!isApiTokenId(id)) throw new InvalidInputError('token id', 'must be 12 characters of a-z and 2-7');
      const token = await this.store.getToken(id);
      if (!token || (token.userId !== actor.userId && !isAdmin(actor))) throw new NotFoundError('token', id);
      if (!isAdmin(actor)) await this.requireScopes(actor, token.scopes, 'token.revoke', `token ${id}`);
      const revoked = await this.store.revokeToken(id, this.clock.now());
      if (!revoked) throw new NotFoundError('token', id);
      return revoked;
    });
  }

  /**
   * Adds a user to a project or changes its role (and a labeler's branches, "dataset@branch").
   * Needs `members.manage` in the project (owners, with an admin-scoped credential) or an
   * admin with the admin scope.
   * @throws InvalidNameError, InvalidInputError('role' | 'branches'), ForbiddenError,
   * NotFoundError('user' | 'project'), InvalidInputError('role') when demoting the last owner
   */
  setMember(actor: Actor, input: { project: string; user: string; role: string; branches?: readonly string[] | null | undefined }): Promise<ProjectMember> {
    const inputs = { user: clip(input.user), role: clip(input.role), branches: (input.branches ?? []).slice(0, 20).map((b) => clip(String(b))) };
    const event = { actor, action: 'member.set', project: clip(input.project), target: `user ${clip(input.user)}`, inputs };
    return audited(this.audit, event, async () => {
      const project = parseProjectName(input.project);
      const role = parseRole(input.role);
      const branches = parseAssignments(role, input.branches);
      await this.requireMembersManage(actor, project, 'member.set');
      const user = await this.userNamed(input.user);
      return this.store.transaction(async (tx) => {
        const current = await tx.memberships.find(user.id, project);
        if (current?.role === 'owner' && role !== 'owner' && (await tx.memberships.countOwners(project)) <= 1) throw lastOwner(project);
        return tx.memberships.put({ project, userId: user.id, role, branches });
      });
    }, (member) => ({ role: member.role }));
  }

  /**
   * Removes a user from a project; same permissions as `setMember`.
   * @throws InvalidNameError, ForbiddenError, NotFoundError('user' | 'membership'),
   * InvalidInputError('role') when removing the last owner
   */
  removeMember(actor: Actor, input: { project: string; user: string }): Promise<{ project: string; user: string }> {
    const event = { actor, action: 'member.remove', project: clip(input.project), target: `user ${clip(input.user)}`, inputs: { user: clip(input.user) } };
    return audited(this.audit, event, async () => {
      const project = parseProjectName(input.project);
      await this.requireMembersManage(actor, project, 'member.remove');
      const user = await this.userNamed(input.user);
      await this.store.transaction(async (tx) => {
        const current = await tx.memberships.find(user.id, project);
        if (!current) throw new NotFoundError('membership', `${user.name} in ${project}`);
        if (current.role === 'owner' && (await tx.memberships.countOwners(project)) <= 1) throw lastOwner(project);
        await tx.memberships.remove(project, user.id);
      });
      return { project, user: user.name };
    });
  }

  /** The project's members in user name order. @throws ForbiddenError without project.read (or admin) */
  async listMembers(actor: Actor, project: string): Promise<ProjectMember[]> {
    const name = parseProjectName(project);
    if (!isAdmin(actor)) await this.access.require(actor, { project: name, permission: 'project.read', action: 'member.list' });
    return this.store.memberships.listByProject(name);
  }

  /**
   * Makes the user owner of the project, without checks or audit entry: for the creation of
   * a project, which is itself checked and audited.
   * @throws NotFoundError('project')
   */
  async grantOwner(projectName: string, userId: string): Promise<void> {
    await this.store.memberships.put({ project: parseProjectName(projectName), userId, role: 'owner', branches: [] });
  }

  /**
   * First start of an instance: when there are no users, creates the administrator `admin`
   * (no password), makes it owner of every project, and returns a `bootstrap` token with every
   * scope and no expiry, for the operator to sign in with. Returns null when users exist.
   * Servers starting together serialize on a lock of the users table: one bootstraps, the
   * others see its user and return null.
   */
  async bootstrap(): Promise<string | null> {
    const made = await this.store.transaction(async (tx) => {
      await tx.lockUsers();
      if ((await tx.countUsers()) > 0) return null;
      const user = await tx.createUser({ id: randomUUID(), name: BOOTSTRAP_USER, passwordHash: null, isAdmin: true });
      const projects = await tx.memberships.addOwnerToAllProjects(user.id);
      const token = newApiToken();
      await tx.insertToken({ id: token.id, userId: user.id, name: 'bootstrap', secretHash: token.secretHash, scopes: SCOPES, expiresAt: null });
      return { user, token, projects };
    });
    if (!made) return null;
    await this.audit.record({
      actor: systemActor('bootstrap'),
      action: 'instance.bootstrap',
      project: null,
      target: `user ${BOOTSTRAP_USER}`,
      inputs: { user: BOOTSTRAP_USER },
      outcome: 'ok',
      result: { user: made.user.id, tokenId: made.token.id, projects: made.projects },
    });
    return made.token.token;
  }

  /** The actor's own user. @throws UnauthenticatedError for actors without one (or whose user is gone) */
  private async userOf(actor: Actor): Promise<UserRecord> {
    const user = actor.userId === null ? null : await this.store.getUserById(actor.userId);
    if (!user) throw new UnauthenticatedError('this needs the credential of a user');
    return user;
  }

  /** @throws InvalidNameError, NotFoundError('user') */
  private async userNamed(name: string): Promise<UserRecord> {
    const user = await this.store.getUserByName(parseUserName(name));
    if (!user) throw new NotFoundError('user', name);
    return user;
  }

  private async requireMembersManage(actor: Actor, project: ProjectName, action: string): Promise<void> {
    if (!isAdmin(actor)) await this.access.require(actor, { project, permission: 'members.manage', action });
  }

  /** Credentials never hand out or take away more than they hold. @throws ForbiddenError (recorded) */
  private async requireScopes(actor: Actor, scopes: readonly Scope[], action: string, resource: string): Promise<void> {
    const missing = scopes.filter((scope) => !actor.scopes.has(scope));
    if (missing.length === 0) return;
    const permission = `scope ${missing.join(', ')}`;
    await this.access.deny(actor, action, null, resource, permission);
    throw new ForbiddenError(permission, `${resource}: the caller's credential lacks it`);
  }
}

/** An instance administrator acting with an admin-scoped credential. */
function isAdmin(actor: Actor): boolean {
  return actor.isAdmin && actor.scopes.has('admin');
}

function withoutHash(user: UserRecord): User {
  return { id: user.id, name: user.name, isAdmin: user.isAdmin, hasPassword: user.hasPassword, createdAt: user.createdAt };
}

function lastOwner(project: string): InvalidInputError {
  return new InvalidInputError('role', `the last owner of project ${project} cannot be demoted or removed; make another member owner first`);
}
