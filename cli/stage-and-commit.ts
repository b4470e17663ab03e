import { CliError } from './cli-error.ts';
import { ERROR_FIELDS, unwrap, type GraphqlClient, type UnionResult } from './graphql-client.ts';
import type { ItemChange } from './push-plan.ts';
import { checkStaged, commitDiscrepancies, type IntendedState } from './staging-checks.ts';

/** Changes per `stageItems` call. */
export const MAX_STAGE_BATCH = 5_000;
// Carried-over annotations can be large; keep each request well under the server's default
// 8 MiB GraphQL body limit.
const MAX_STAGE_BATCH_BYTES = 4 * 1024 * 1024;

const STAGE = `mutation($project: String!, $dataset: String!, $branch: String!, $changes: [ItemChangeInput!]!) {
  stageItems(project: $project, dataset: $dataset, branch: $branch, changes: $changes) { ${ERROR_FIELDS} ... on StageResult { count } }
}`;
const UNSTAGE = `mutation($project: String!, $dataset: String!, $branch: String!, $paths: [String!]!) {
  unstageItems(project: $project, dataset: $dataset, branch: $branch, paths: $paths) { ${ERROR_FIELDS} ... on StageResult { count } }
}`;
const COMMIT = `mutation($project: String!, $dataset: String!, $branch: String!, $message: String!, $expectedHead: String) {
  commit(project: $project, dataset: $dataset, branch: $branch, message: $message, expectedHead: $expectedHead) {
    ${ERROR_FIELDS} ... on CommitResult { created commit { id snapshot { hash } } }
  }
}`;

/** A branch of a dataset. */
export interface BranchAddress {
  readonly project: string;
  readonly dataset: string;
  readonly branch: string;
}

/**
 * Stages `changes` in batches, checks that the branch's staging holds exactly what this push
 * means (`intended`: blob by path of the resulting state), then commits only if the branch
 * still points at `expectedHead`, so a concurrent writer makes this fail with REF_CONFLICT
 * instead of being merged silently. On any failure before the commit, the paths this call
 * staged are unstaged again (best effort), leaving the branch as it was. Finally the commit
 * is checked against `intended`: a difference means another writer staged or unstaged
 * changes between the check and the commit, and is reported rather than passed off as this
 * push.
 * @throws CliError REF_CONFLICT; CONCURRENT_CHANGES (committed, but not exactly as intended);
 *   NOT_FOUND (a blob the server lost), INVALID_PATH…
 */
export async function stageAndCommit(
  graphql: GraphqlClient,
  at: BranchAddress,
  changes: readonly ItemChange[],
  commit: { message: string; expectedHead: string; base: string; intended: IntendedState },
): Promise<{ commit: string; snapshot: string; created: boolean }> {
  const staged: string[] = [];
  let committed: { commit: string; snapshot: string; created: boolean };
  try {
    for (const batch of stageBatches(changes)) {
      // Counted before the call: a call cut off in flight may still have been applied.
      staged.push(...batch.map((change) => change.path));
      const data = await graphql.request<{ stageItems: UnionResult }>(STAGE, { ...at, changes: batch });
      unwrap(data.stageItems, 'StageResult');
    }
    await checkStaged(graphql, at, new Set(staged), commit.intended);
    const data = await graphql.request<{ commit: UnionResult }>(COMMIT, {
      ...at,
      message: commit.message,
      expectedHead: commit.expectedHead,
    });
    const result = unwrap<UnionResult & { created: boolean; commit: { id: string; snapshot: { hash: string } } }>(data.commit, 'CommitResult');
    committed = { commit: result.commit.id, snapshot: result.commit.snapshot.hash, created: result.created };
  } catch (error) {
    const withdrawn = await unstage(graphql, at, staged).then(
      () => true,
      () => false,
    );
    throw explain(error, at, withdrawn);
  }
  const wrong = await commitDiscrepancies(graphql, at.project, { base: commit.base, committed: committed.snapshot, ours: new Set(staged), intended: commit.intended });
  if (wrong.length > 0)
    throw new CliError(
      'CONCURRENT_CHANGES',
      `commit ${committed.commit} on ${at.dataset}@${at.branch} is not exactly this push: another writer staged or unstaged ` +
        `${wrong.length} path(s) during it (e.g. ${JSON.stringify(wrong[0])}); see sheaf diff ${commit.base} ${committed.snapshot}`,
      { data: { ...committed, paths: wrong.slice(0, 100) } },
    );
  return committed;
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

async function unstage(graphql: GraphqlClient, at: BranchAddress, paths: readonly string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += MAX_STAGE_BATCH) {
    const data = await graphql.request<{ unstageItems: UnionResult }>(UNSTAGE, { ...at, paths: paths.slice(i, i + MAX_STAGE_BATCH) });
    unwrap(data.unstageItems, 'StageResult');
  }
}

function explain(error: unknown, at: BranchAddress, withdrawn: boolean): unknown {
  if (!(error instanceof CliError)) return error;
  const outcome = withdrawn
    ? 'nothing was committed and the staged changes were withdrawn'
    : 'nothing was committed, but withdrawing the staged changes failed: check the branch\'s staged items';
  // This push staged something, so an empty staging area means another writer committed or
  // unstaged it: the same situation as a moved head.
  if (error.code === 'NOTHING_TO_COMMIT')
    return new CliError('REF_CONFLICT', `another writer committed or unstaged this push's changes on ${at.dataset}@${at.branch}; ${outcome}; push again`);
  const message =
    error.code === 'REF_CONFLICT'
      ? `${at.dataset}@${at.branch} moved since this push started (${error.message}); ${outcome}; push again`
      : `${error.message}; ${outcome}`;
  return new CliError(error.code, message, error.options);
}
