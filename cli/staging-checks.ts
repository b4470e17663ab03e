import { comparePaths } from '../core/item-path.ts';
import { CliError } from './cli-error.ts';
import { ERROR_FIELDS, unwrap, type GraphqlClient, type UnionResult } from './graphql-client.ts';
import { snapshotItems } from './item-queries.ts';
import { mapConcurrent } from './map-concurrent.ts';
import { connectionFields, paginate, PAGE_SIZE, type Connection } from './paginate.ts';
import type { BranchAddress } from './stage-and-commit.ts';

// Staging is shared by every writer of a branch, and a commit folds in everything staged, so
// compare-and-swap on the head alone cannot keep another writer's staged changes out of a
// push's commit. These checks compare what is staged, and then what was committed, with the
// state the push means to create.

const STAGED = `query($project: String!, $dataset: String!, $branch: String!, $first: Int!, $after: String) {
  dataset(project: $project, name: $dataset) {
    ${ERROR_FIELDS}
    ... on Dataset { branch(name: $branch) { staged(first: $first, after: $after) { ${connectionFields('path deleted item { blob }')} } } }
  }
}`;

const DIFF = `query($project: String!, $from: String!, $to: String!, $first: Int!, $after: String) {
  diff(project: $project, from: $from, to: $to, first: $first, after: $after) { ${connectionFields('path after { blob }')} }
}`;

/** The state a push means to create: blob hash by path; absent paths are to be absent. */
export type IntendedState = ReadonlyMap<string, string>;

/**
 * Checks, before committing, that the branch's staged changes are all consistent with the
 * intended state and include every path this push staged.
 * @throws CliError REF_CONFLICT naming the paths another writer staged or overwrote meanwhile
 */
export async function checkStaged(graphql: GraphqlClient, at: BranchAddress, ours: ReadonlySet<string>, intended: IntendedState): Promise<void> {
  const foreign: string[] = [];
  let seen = 0;
  const staged = paginate(async (after) => {
    const data = await graphql.request<{ dataset: UnionResult }>(STAGED, { ...at, first: PAGE_SIZE, after });
    type Staged = { path: string; deleted: boolean; item: { blob: string } | null };
    return unwrap<UnionResult & { branch: { staged: Connection<Staged> } }>(data.dataset, 'Dataset').branch.staged;
  });
  for await (const change of staged) {
    if (ours.has(change.path)) seen++;
    const consistent = change.deleted ? !intended.has(change.path) : intended.get(change.path) === change.item?.blob;
    if (!consistent) foreign.push(change.path);
  }
  if (foreign.length > 0 || seen !== ours.size)
    throw new CliError(
      'REF_CONFLICT',
      `another writer staged changes on ${at.dataset}@${at.branch} during this push` +
        (foreign.length ? ` (${foreign.length} path(s), e.g. ${JSON.stringify(foreign[0])})` : ` (${ours.size - seen} of this push's changes were unstaged)`),
      { data: { paths: foreign.slice(0, 100) } },
    );
}

/**
 * After a commit, the paths where the committed snapshot is not the intended state, found
 * from the diff against `base` (changes the push did not mean) and, for this push's own paths
 * the diff does not show, from the snapshot itself (changes another writer unstaged). Empty
 * when the commit is exactly what the push meant.
 */
export async function commitDiscrepancies(
  graphql: GraphqlClient,
  project: string,
  commit: { base: string; committed: string; ours: ReadonlySet<string>; intended: IntendedState },
): Promise<string[]> {
  const { intended } = commit;
  const matches = (path: string, blob: string | undefined) => (blob === undefined ? !intended.has(path) : intended.get(path) === blob);
  const wrong: string[] = [];
  const shown = new Set<string>();
  const entries = paginate(async (after) => {
    type Entry = { path: string; after: { blob: string } | null };
    const data = await graphql.request<{ diff: Connection<Entry> }>(DIFF, { project, from: commit.base, to: commit.committed, first: PAGE_SIZE, after });
    return data.diff;
  });
  for await (const entry of entries) {
    shown.add(entry.path);
    if (!matches(entry.path, entry.after?.blob)) wrong.push(entry.path);
  }
  // Normally every path of the push is in the diff; one that is not either undid an earlier
  // staged change (fine) or was lost. Few are looked up one by one, many by a full listing.
  const unshown = [...commit.ours].filter((path) => !shown.has(path));
  if (unshown.length > LOOKUP_LIMIT) {
    const pending = new Set(unshown);
    for await (const item of snapshotItems(graphql, commit.committed)) {
      if (!pending.delete(item.path)) continue;
      if (!matches(item.path, item.blob)) wrong.push(item.path);
    }
    for (const path of pending) if (!matches(path, undefined)) wrong.push(path);
  } else {
    await mapConcurrent(unshown, 8, async (path) => {
      let blob: string | undefined;
      for await (const item of snapshotItems(graphql, commit.committed, path)) {
        if (item.path === path) blob = item.blob;
        break;
      }
      if (!matches(path, blob)) wrong.push(path);
    });
  }
  return wrong.sort(comparePaths);
}

const LOOKUP_LIMIT = 200;
