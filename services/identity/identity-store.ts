import type { PageRequest } from '../../core/model.ts';
import type { Scope } from '../actor.ts';
import type { MembershipReader } from '../access/membership.ts';
import type { Role } from '../access/roles.ts';

/** A user as the API shows it. */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly isAdmin: boolean;
  /** Whether the user can sign in with a password (else only API tokens). */
  readonly hasPassword: boolean;
  readonly createdAt: Date;
}

/** A user with the password hash, for the identity service only. */
export interface UserRecord extends User {
  /** Argon2id PHC string, or null. */
  readonly passwordHash: string | null;
}

/** An API token as its owner and administrators see it: never the secret or its hash. */
export interface ApiTokenInfo {
  readonly id: string;
  readonly name: string;
  readonly userId: string;
  /** The owner's name. */
  readonly user: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** A token with what authenticating it needs: the secret's hash and its owner. */
export interface ApiTokenRecord extends ApiTokenInfo {
  readonly secretHash: string;
  readonly userIsAdmin: boolean;
}

/** A stored web session, with its user. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly user: string;
  readonly userIsAdmin: boolean;
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Users, API tokens and sessions. */
export interface IdentityStore {
  /** @throws AlreadyExistsError('user') when the name is taken */
  createUser(user: { id: string; name: string; passwordHash: string | null; isAdmin: boolean }): Promise<User>;
  getUserById(id: string): Promise<UserRecord | null>;
  /** By exact name (names compare byte for byte). */
  getUserByName(name: string): Promise<UserRecord | null>;
  /** Users in name order, after `page.after` (a name). */
  listUsers(page: PageRequest): Promise<User[]>;
  countUsers(): Promise<number>;
  /**
   * Inside `transaction` only: holds other lockers (and any write to users) off until the
   * transaction ends, so a check for "no users yet" stays true until the first one is written.
   */
  lockUsers(): Promise<void>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;

  insertToken(token: { id: string; userId: string; name: string; secretHash: string; scopes: readonly Scope[]; expiresAt: Date | null }): Promise<ApiTokenInfo>;
  getToken(id: string): Promise<ApiTokenRecord | null>;
  /** The user's tokens, newest first, revoked and expired ones included. */
  listTokens(userId: string): Promise<ApiTokenInfo[]>;
  /** Sets `revoked_at` unless already set; returns the token as it is after. */
  revokeToken(id: string, at: Date): Promise<ApiTokenInfo | null>;
  /** Sets `last_used_at` to `at` unless it is already later than `notBefore`. */
  touchToken(id: string, at: Date, notBefore: Date): Promise<void>;

  insertSession(session: { id: string; userId: string; secretHash: string; csrfToken: string; expiresAt: Date }): Promise<void>;
  findSession(secretHash: string): Promise<SessionRecord | null>;
  /** Returns whether there was such a session. */
  deleteSession(id: string): Promise<boolean>;
  /** Ends every session of the user but `keep`; returns how many. */
  deleteSessionsOfUser(userId: string, keep?: string | null): Promise<number>;

  readonly memberships: MembershipStore;

  /**
   * Runs `work` atomically with a store bound to one transaction (the caller's own when already
   * inside one). Use only the given store inside: PGlite has a single connection.
   */
  transaction<T>(work: (tx: IdentityStore) => Promise<T>): Promise<T>;
}

/** A member of a project, as `listByProject` returns it. */
export interface ProjectMember {
  readonly project: string;
  readonly userId: string;
  readonly user: string;
  readonly role: Role;
  readonly branches: readonly string[];
  readonly createdAt: Date;
}

/** One of a user's memberships, as `listByUser` returns it. */
export interface UserMembership {
  readonly project: string;
  readonly role: Role;
  readonly branches: readonly string[];
}

/** Who belongs to which project in which role. */
export interface MembershipStore extends MembershipReader {
  /**
   * Creates or replaces the user's membership of the project.
   * @throws NotFoundError('project') when there is no project of that name
   */
  put(input: { project: string; userId: string; role: Role; branches: readonly string[] }): Promise<ProjectMember>;
  /** Returns whether there was such a membership. */
  remove(project: string, userId: string): Promise<boolean>;
  /** Members in user name order. */
  listByProject(project: string): Promise<ProjectMember[]>;
  /** Memberships in project name order. */
  listByUser(userId: string): Promise<UserMembership[]>;
  /**
   * The project's owners. Inside a transaction their rows stay locked until it ends, so two
   * concurrent demotions cannot each see the other owner and leave none.
   */
  countOwners(project: string): Promise<number>;
  /** Makes the user owner of every project it is not a member of yet; returns how many. */
  addOwnerToAllProjects(userId: string): Promise<number>;
}
