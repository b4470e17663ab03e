import { InvalidHashError, NotFoundError } from '../errors.ts';
import { isSha256, parseBranchName, type CommitId, type SnapshotHash } from '../ids.ts';
import type { Branch, Commit, Dataset, Tag } from '../model.ts';
import type { VersionContext } from './version-context.ts';

/** What a ref string named, and the snapshot it stands for. */
export type ResolvedRef =
  | { kind: 'branch'; branch: Branch; commit: Commit; snapshot: SnapshotHash }
  | { kind: 'tag'; tag: Tag; commit: Commit; snapshot: SnapshotHash }
  | { kind: 'commit'; commit: Commit; snapshot: SnapshotHash }
  | { kind: 'snapshot'; commit: null; snapshot: SnapshotHash };

// Long hex strings are meant as hashes: a typo in one should say "malformed hash", not
// "no branch named …".
const HASH_LIKE = /^[0-9a-fA-F]{32,}$/;

/**
 * Resolves a ref inside a dataset: a branch or tag name, a commit id, or a snapshot hash.
 * Names cannot look like hashes, so the two never clash.
 * @throws InvalidHashError, InvalidNameError, NotFoundError('ref')
 */
export async function resolveRef(ctx: VersionContext, dataset: Dataset, ref: string): Promise<ResolvedRef> {
  if (isSha256(ref)) {
    const commit = (await ctx.store.commits.getMany([ref as CommitId])).get(ref as CommitId);
    if (commit) return { kind: 'commit', commit, snapshot: commit.snapshot };
    if (await ctx.reader.has(ref as SnapshotHash)) return { kind: 'snapshot', commit: null, snapshot: ref as SnapshotHash };
    throw new NotFoundError('ref', ref);
  }
  if (HASH_LIKE.test(ref)) throw new InvalidHashError('ref', ref);
  const name = parseBranchName(ref);
  const branch = await ctx.store.refs.getBranch(dataset.id, name);
  if (branch) {
    const commit = (await ctx.store.commits.getMany([branch.head])).get(branch.head)!;
    return { kind: 'branch', branch, commit, snapshot: commit.snapshot };
  }
  const tag = await ctx.store.refs.getTag(dataset.id, name as string as Tag['name']);
  if (tag) {
    const commit = (await ctx.store.commits.getMany([tag.commit])).get(tag.commit)!;
    return { kind: 'tag', tag, commit, snapshot: commit.snapshot };
  }
  throw new NotFoundError('ref', `${dataset.name}@${ref}`);
}
