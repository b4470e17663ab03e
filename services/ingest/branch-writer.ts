import type { JsonObject } from '../../core/canonical-json.ts';
import { NothingToCommitError, RefConflictError } from '../../core/errors.ts';
import type { ItemPath } from '../../core/item-path.ts';
import type { Commit } from '../../core/model.ts';
import { MAX_CHANGES_PER_CALL } from '../../core/versioning/staged-changes.ts';
import type { Actor } from '../actor.ts';
import type { BlobService } from '../blob-service.ts';
import type { DatasetService } from '../dataset-service.ts';

/** One item to write: its path, content (hashed by the caller, for path templates) and meta. */
export interface IngestItem {
  readonly path: ItemPath;
  readonly content: Uint8Array;
  /** sha256 hex of `content`. */
  readonly hash: string;
  readonly meta: JsonObject;
  readonly mediaType: string | null;
}

/** The branch ingested items go to. */
export interface BranchTarget {
  readonly project: string;
  readonly dataset: string;
  readonly branch: string;
}

/** Attempts of a commit that keeps losing the race for the branch head to other writers. */
const COMMIT_ATTEMPTS = 10;

/**
 * Writes ingested items onto a branch the way every client does, through the services: blob
 * bytes through BlobService (granted to the project, audited per batch), items through
 * DatasetService.stage, commits through DatasetService.commit. So an ingest acts with its
 * actor's permissions and nothing else, and every step is in the audit log.
 */
export class BranchWriter {
  constructor(
    private readonly deps: { readonly blobs: BlobService; readonly datasets: DatasetService },
    readonly target: BranchTarget,
  ) {}

  /**
   * Stores the items' contents durably, then stages the items (a later item at the same path
   * replaces an earlier one, as a later put does). When this resolves, both are written.
   * @throws ForbiddenError, NotFoundError (dataset, branch), the store's errors
   */
  async write(actor: Actor, items: readonly IngestItem[]): Promise<void> {
    if (items.length === 0) return;
    const outcome = await this.deps.blobs.putMany(actor, this.target.project, entriesOf(items));
    if (outcome.failure) throw outcome.failure.error;
    const byPath = new Map<string, IngestItem>();
    for (const item of items) {
      byPath.delete(item.path);
      byPath.set(item.path, item);
    }
    const changes = [...byPath.values()].map((item) => ({ path: item.path, blob: item.hash, meta: item.meta }));
    const at = { project: this.target.project, dataset: this.target.dataset };
    for (let start = 0; start < changes.length; start += MAX_CHANGES_PER_CALL)
      await this.deps.datasets.stage(actor, at, this.target.branch, changes.slice(start, start + MAX_CHANGES_PER_CALL));
  }

  /**
   * Commits what is staged on the branch (everything staged there, by anyone). A commit that
   * loses the branch head to another writer is retried on the new head. Null when nothing was
   * staged.
   * @throws ForbiddenError, NotFoundError, RefConflictError after repeated losses
   */
  async commit(actor: Actor, message: string, meta: JsonObject): Promise<{ commit: Commit; created: boolean } | null> {
    const at = { project: this.target.project, dataset: this.target.dataset };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.datasets.commit(actor, at, this.target.branch, { message, meta });
      } catch (error) {
        if (error instanceof NothingToCommitError) return null;
        if (!(error instanceof RefConflictError) || attempt >= COMMIT_ATTEMPTS) throw error;
      }
    }
  }
}

/** One put per distinct content: identical frames or records are stored once. */
async function* entriesOf(items: readonly IngestItem[]) {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.hash)) continue;
    seen.add(item.hash);
    yield { content: item.content, expectedHash: item.hash, mediaType: item.mediaType };
  }
}
