import type { Scope } from '../actor.ts';

/** A user's role in one project. */
export type Role = 'owner' | 'maintainer' | 'labeler' | 'viewer' | 'auditor';
export const ROLES: readonly Role[] = ['owner', 'maintainer', 'labeler', 'viewer', 'auditor'];

/**
 * What a service asks before acting. `branch.read` and `label.write` name a branch; a labeler
 * holds them only on the branches assigned to it. The others are project-wide.
 */
export type Permission =
  /** Datasets, refs, commits, snapshots by hash, items, diffs, storage figures. */
  | 'project.read'
  /** The items, head and log of one branch. */
  | 'branch.read'
  /** Blob bytes by hash, for blobs uploaded to the project. */
  | 'blob.read'
  /** Datasets, branches, tags, uploads, staging, commits, merges, transforms. */
  | 'data.write'
  /** Annotation edits and their commits on one branch. */
  | 'label.write'
  /** Adding, changing and removing members. */
  | 'members.manage'
  /** The project's audit log. */
  | 'audit.read'
  /** Lineage edges of the project's snapshots and models. */
  | 'lineage.read';

/** The role matrix (docs/security.md shows it as a table). Labelers' branch permissions hold only on assigned branches. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set<Permission>(['project.read', 'branch.read', 'blob.read', 'data.write', 'label.write', 'members.manage', 'audit.read', 'lineage.read']),
  maintainer: new Set<Permission>(['project.read', 'branch.read', 'blob.read', 'data.write', 'label.write', 'lineage.read']),
  labeler: new Set<Permission>(['branch.read', 'blob.read', 'label.write']),
  viewer: new Set<Permission>(['project.read', 'branch.read', 'blob.read', 'lineage.read']),
  auditor: new Set<Permission>(['project.read', 'branch.read', 'blob.read', 'audit.read', 'lineage.read']),
};

/** Permissions that hold for a labeler only on the branches assigned to it. */
export const BRANCH_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['branch.read', 'label.write']);

/** The credential scope each permission needs, so a read-only token cannot write whatever its user's role. */
export const SCOPE_OF: Readonly<Record<Permission, Scope>> = {
  'project.read': 'read',
  'branch.read': 'read',
  'blob.read': 'read',
  'lineage.read': 'read',
  'audit.read': 'read',
  'data.write': 'write',
  'label.write': 'write',
  'members.manage': 'admin',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
