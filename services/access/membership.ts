import type { Role } from './roles.ts';

/** A user's role in a project; labelers also have the branches they are assigned to. */
export interface Membership {
  readonly role: Role;
  /** Labelers: "dataset@branch" of each assigned branch. Empty for other roles. */
  readonly branches: readonly string[];
}

/** Looks memberships up for authorization. */
export interface MembershipReader {
  /** The user's membership in the project named `project`, or null (also when there is no such project). */
  find(userId: string, project: string): Promise<Membership | null>;
}

/** How a labeler assignment is written: `dataset@branch` ('@' is in no dataset or branch name). */
export function assignmentOf(dataset: string, branch: string): string {
  return `${dataset}@${branch}`;
}
