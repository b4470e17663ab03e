import type { Project } from '../../core/model.ts';

/**
 * Which content-addressed objects a project may read. Knowing a hash grants nothing: a blob is
 * readable in a project once its bytes were uploaded to that project, and a commit or snapshot
 * once a branch of the project pointed at it. Answers are per project, so they never reveal
 * what another project holds.
 */
export interface ProjectGrants {
  /** Records that the project holds these blobs (after their bytes were received). */
  grantBlobs(project: string, hashes: readonly string[]): Promise<void>;
  /** Those of `hashes` the project does not hold, in the order given. */
  missingBlobs(project: string, hashes: readonly string[]): Promise<string[]>;
  /** Whether a branch of the project has pointed at this commit. */
  hasCommit(project: string, commit: string): Promise<boolean>;
  /** Whether a branch of the project has pointed at a commit of this snapshot. */
  hasSnapshot(project: string, snapshot: string): Promise<boolean>;
  /** The projects the user is a member of (every project when `userId` is null), keyset by name. */
  projectsOf(userId: string | null, page: { after?: string | undefined; limit: number }): Promise<Project[]>;
}
