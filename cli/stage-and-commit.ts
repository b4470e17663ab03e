import { randomBytes } from 'node:crypto';
import { CliError } from './cli-error.ts';
import { ERROR_FIELDS, unwrap, type GraphqlClient, type UnionResult } from './graphql-client.ts';
import type { ItemChange } from './push-plan.ts';

/** Changes per `stageItems` call. */
export const MAX_STAGE_BATCH = 5_000;
// Carried-over annotations can be large; keep each request well under the server's default
// 8 MiB GraphQL body limit.
const MAX_STAGE_BATCH_BYTES = 4 * 1024 * 1024;

/** Private branches of pushes are named `push/<random>`; a crashed push may leave one behind. */
export const PRIVATE_BRANCH_PREFIX = 'push/';

const CREATE_BRANCH = `mutation($project: String!, $dataset: String!, $name: String!, $from: String!) {
  createBranch(project: $project, dataset: $dataset, name: $name, from: $from) { ${ERROR_FIELDS} ... on Branch { name } }
}`;
const DELETE_BRANCH = `mutation($project: String!, $dataset: String!, $name: String!) {
  deleteBranch(project: $project, dataset: $dataset, name: $name) { ${ERROR_FIELDS} ... on DeletedBranch { name } }
}`;
const STAGE = `mutation($project: String!, $dataset: String!, $branch: String!, $changes: [ItemChangeInput!]!) {
  stageItems(project: $project, dataset: $dataset, branch: $branch, changes: $changes) { ${ERROR_FIELDS} ... on StageResult { count } }
}`;
const COMMIT = `mutation($project: String!, $dataset: String!, $branch: String!, $message: String!, $expectedHead: String) {
  commit(project: $project, dataset: $dataset, branch: $branch, message: $message, expectedHead: $expectedHead) {
    ${ERROR_FIELDS} ... on CommitResult { created commit { id snapshot { hash } } }
  }
}`;
const FAST_FORWARD = `mutation($project: String!, $dataset: String!, $name: String!, $to: String!, $expectedHead: String!) {
  fastForwardBranch(project: $project, dataset: $dataset, name: $name, to: $to, expectedHead: $expectedHead) { ${ERROR_FIELDS} ... on Branch { name } }
}`;

/** A branch of a dataset. */
export interface BranchAddress {
  readonly project: string;
  readonly dataset: string;
  readonly branch: string;
}

/**
 * Publishes `changes` as one commit on top of `expectedHead`, as `git push` does: stages them on
 * a private branch started at that commit (so no other writer's staged changes are swept in,
 * and none of ours leak into theirs), commits there, then fast-forwards the target branch by
 * compare-and-swap. If the target moved meanwhile, nothing lands and the push fails with
 * REF_CONFLICT. The private branch is deleted in every case (best effort).
 * @throws CliError REF_CONFLICT; NOT_FOUND (a blob the server lost); INVALID_PATH…
 */
export async function stageAndCommit(
  graphql: GraphqlClient,
  at: BranchAddress,
  changes: readonly ItemChange[],
  commit: { message: string; expectedHead: string },
): Promise<{ commit: string; snapshot: string; created: boolean }> {
  const scratch = { project: at.project, dataset: at.dataset, branch: `${PRIVATE_BRANCH_PREFIX}${randomBytes(8).toString('hex')}` };
  const created = await graphql.request<{ createBranch: UnionResult }>(CREATE_BRANCH, {
    project: at.project,
    dataset: at.dataset,
    name: scratch.branch,
    from: commit.expectedHead,
  });
  unwrap(created.createBranch, 'Branch');
  try {
    for (const batch of stageBatches(changes)) {
      const data = await graphql.request<{ stageItems: UnionResult }>(STAGE, { ...scratch, changes: batch });
      unwrap(data.stageItems, 'StageResult');
    }
    const data = await graphql.request<{ commit: UnionResult }>(COMMIT, { ...scratch, message: commit.message, expectedHead: commit.expectedHead });
    const result = unwrap<UnionResult & { created: boolean; commit: { id: string; snapshot: { hash: string } } }>(data.commit, 'CommitResult');
    const committed = { commit: result.commit.id, snapshot: result.commit.snapshot.hash, created: result.created };
    if (!committed.created) return committed;
    const published = await graphql.request<{ fastForwardBranch: UnionResult }>(FAST_FORWARD, {
      project: at.project,
      dataset: at.dataset,
      name: at.branch,
      to: committed.commit,
      expectedHead: commit.expectedHead,
    });
    unwrap(published.fastForwardBranch, 'Branch');
    return committed;
  } catch (error) {
    if (error instanceof CliError && error.code === 'REF_CONFLICT')
      throw new CliError('REF_CONFLICT', `${at.dataset}@${at.branch} moved since this push started; nothing was published; push again`, error.options);
    throw error;
  } finally {
    await graphql.request(DELETE_BRANCH, { project: at.project, dataset: at.dataset, name: scratch.branch }).catch(() => {});
  }
}

/** Consecutive batches of at most MAX_STAGE_BATCH changes and about MAX_STAGE_BATCH_BYTES. */
export function stageBatches(changes: readonly ItemChange[]): ItemChange[][] {
  const batches: ItemChange[][] = [];
  let batch: ItemChange[] = [];
  let bytes = 0;
  for (const change of changes) {
    const size = JSON.stringify(change).length;
    if (batch.length > 0 && (batch.length >= MAX_STAGE_BATCH || bytes + size > MAX_STAGE_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(change);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
