import { InvalidInputError } from '../../core/errors.ts';
import { parseBlobHash, type BlobHash } from '../../core/ids.ts';
import type { AccessControl } from '../access/access-control.ts';
import type { ProjectGrants } from '../access/project-grants.ts';
import type { Actor } from '../actor.ts';

/** At most this many hashes per question. */
export const MAX_PATHS_QUERY = 10_000;

export interface BlobPathsDeps {
  readonly access: AccessControl;
  readonly grants: ProjectGrants;
  /**
   * Where a blob's file is on this machine (FsBlobStore.pathOf); null when the server does not
   * expose paths (the default: SHEAF_EXPOSE_BLOB_PATHS).
   */
  readonly locate: ((hash: BlobHash) => string) | null;
}

/**
 * Local file paths of a project's blobs, for a CLI on the same machine and filesystem to
 * hard-link instead of download (`sheaf export --link`). Only for single-machine setups: a
 * path tells a local user where the store is, and a link shares the stored file, which is
 * read-only (0444) and never rewritten, so the link is safe unless someone changes its mode.
 */
export class BlobPaths {
  constructor(private readonly deps: BlobPathsDeps) {}

  /**
   * The file path of each of `hashes`, in order; null for a blob the project does not hold.
   * Null as a whole when this server does not expose paths.
   * @throws InvalidHashError, InvalidInputError (too many), ForbiddenError without `blob.read`
   */
  async pathsOf(actor: Actor | null, project: string, hashes: readonly string[]): Promise<(string | null)[] | null> {
    if (hashes.length > MAX_PATHS_QUERY) throw new InvalidInputError('hashes', `at most ${MAX_PATHS_QUERY} per request, got ${hashes.length}`);
    const parsed = hashes.map((h) => parseBlobHash(h));
    await this.deps.access.require(actor, { project, permission: 'blob.read', action: 'blob.paths' });
    const { locate } = this.deps;
    if (!locate) return null;
    const missing = new Set(await this.deps.grants.missingBlobs(project, parsed));
    return parsed.map((hash) => (missing.has(hash) ? null : locate(hash)));
  }
}
