import type { Annotation } from '../../../core/labels/annotation.ts';
import { DEFAULT_BACKOFF } from '../api/backoff.ts';
import { graphql, unwrap, type Result } from '../api/graphql-client.ts';

/** A dataset of a project, as listed. */
export interface DatasetSummary {
  readonly name: string;
  readonly createdAt: string;
  readonly origin: { readonly snapshot: { readonly hash: string } } | null;
}

/** A commit with its snapshot. */
export interface CommitInfo {
  readonly id: string;
  readonly author: string;
  readonly message: string;
  readonly time: string;
  readonly parents: readonly { readonly id: string }[];
  readonly snapshot: { readonly hash: string; readonly itemCount: number };
}

export interface BranchInfo {
  readonly name: string;
  readonly head: CommitInfo;
}

/** An item as the API returns it. */
export interface ItemInfo {
  readonly path: string;
  readonly blob: string;
  readonly size: number;
  readonly meta: Record<string, unknown>;
  readonly annotations: Annotation[] | null;
}

export type ChangeKind = 'ADDED' | 'REMOVED' | 'MODIFIED';

export interface DiffEntryInfo {
  readonly path: string;
  readonly kind: ChangeKind;
  readonly before: ItemInfo | null;
  readonly after: ItemInfo | null;
}

/** One page of a list, and the cursor of the next (null: that was the last). */
export interface Page<T> {
  readonly nodes: T[];
  readonly next: string | null;
}

interface Connection<T> {
  readonly edges: { readonly node: T }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

const COMMIT = 'id author message time parents { id } snapshot { hash itemCount }';
const ITEM = 'path blob size meta annotations';
const ERROR = '... on Error { code message }';
// Reads change nothing, so a failed one is retried like the rest of the UI's reads.
const READ = { retry: DEFAULT_BACKOFF };

function pageOf<T>(connection: Connection<T>): Page<T> {
  return { nodes: connection.edges.map((e) => e.node), next: connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null };
}

/**
 * The project's datasets, by name.
 * @throws ApiError FORBIDDEN for those who may not read the project (labelers), NOT_FOUND.
 */
export async function listDatasets(project: string, after: string | null = null): Promise<Page<DatasetSummary>> {
  const data = await graphql.request<{ project: Result<{ datasets: Connection<DatasetSummary> }> }>(
    `query Datasets($project: String!, $after: String) { project(name: $project) { __typename
      ... on Project { datasets(first: 100, after: $after) { edges { node { name createdAt origin { snapshot { hash } } } } pageInfo { hasNextPage endCursor } } }
      ${ERROR} } }`,
    { project, after },
    READ,
  );
  return pageOf(unwrap(data.project).datasets);
}

/**
 * Every branch of the dataset with its head commit and snapshot.
 * @throws ApiError FORBIDDEN (listing branches needs read access to the whole project), NOT_FOUND.
 */
export async function listBranches(project: string, dataset: string): Promise<BranchInfo[]> {
  const data = await graphql.request<{ dataset: Result<{ branches: Connection<BranchInfo> }> }>(
    `query Branches($project: String!, $dataset: String!) { dataset(project: $project, name: $dataset) { __typename
      ... on Dataset { branches(first: 200) { edges { node { name head { ${COMMIT} } } } pageInfo { hasNextPage endCursor } } }
      ${ERROR} } }`,
    { project, dataset },
    READ,
  );
  return pageOf(unwrap(data.dataset).branches).nodes;
}

/** One branch with its head. @throws ApiError FORBIDDEN, NOT_FOUND */
export async function getBranch(project: string, dataset: string, branch: string): Promise<BranchInfo> {
  const data = await graphql.request<{ dataset: Result<{ branch: BranchInfo }> }>(
    `query Branch($project: String!, $dataset: String!, $branch: String!) { dataset(project: $project, name: $dataset) { __typename
      ... on Dataset { branch(name: $branch) { name head { ${COMMIT} } } }
      ${ERROR} } }`,
    { project, dataset, branch },
    READ,
  );
  return unwrap(data.dataset).branch;
}

/**
 * The branches of `dataset` assigned to the caller in `project`, as "dataset@branch"
 * memberships name them: what a labeler, who may not list branches, may still browse.
 */
export async function assignedBranches(project: string, dataset: string): Promise<string[]> {
  const data = await graphql.request<{ me: Result<{ memberships: { project: string; branches: string[] }[] }> }>(
    `query Me { me { __typename ... on Me { memberships { project branches } } ${ERROR} } }`,
    {},
    READ,
  );
  const membership = unwrap(data.me).memberships.find((m) => m.project === project);
  const prefix = `${dataset}@`;
  return (membership?.branches ?? []).filter((b) => b.startsWith(prefix)).map((b) => b.slice(prefix.length));
}

/** Commits reachable from `ref`, newest first. @throws ApiError FORBIDDEN, NOT_FOUND */
export async function commitLog(project: string, dataset: string, ref: string, after: string | null = null, first = 30): Promise<Page<CommitInfo>> {
  const data = await graphql.request<{ dataset: Result<{ log: Connection<CommitInfo> }> }>(
    `query Log($project: String!, $dataset: String!, $ref: String!, $after: String, $first: Int) { dataset(project: $project, name: $dataset) { __typename
      ... on Dataset { log(ref: $ref, first: $first, after: $after) { edges { node { ${COMMIT} } } pageInfo { hasNextPage endCursor } } }
      ${ERROR} } }`,
    { project, dataset, ref, after, first },
    READ,
  );
  return pageOf(unwrap(data.dataset).log);
}

/** Items of a ref (branch, tag, commit or snapshot) in path order. @throws ApiError FORBIDDEN, NOT_FOUND */
export async function listItems(project: string, dataset: string, ref: string, after: string | null = null, first = 48): Promise<Page<ItemInfo>> {
  const data = await graphql.request<{ dataset: Result<{ items: Connection<ItemInfo> }> }>(
    `query Items($project: String!, $dataset: String!, $ref: String!, $after: String, $first: Int) { dataset(project: $project, name: $dataset) { __typename
      ... on Dataset { items(ref: $ref, first: $first, after: $after) { edges { node { ${ITEM} } } pageInfo { hasNextPage endCursor } } }
      ${ERROR} } }`,
    { project, dataset, ref, after, first },
    READ,
  );
  return pageOf(unwrap(data.dataset).items);
}

/** One item at a ref. @throws ApiError FORBIDDEN, NOT_FOUND */
export async function getItem(project: string, dataset: string, path: string, ref: string): Promise<ItemInfo> {
  const data = await graphql.request<{ dataset: Result<{ item: ItemInfo }> }>(
    `query Item($project: String!, $dataset: String!, $path: String!, $ref: String!) { dataset(project: $project, name: $dataset) { __typename
      ... on Dataset { item(path: $path, ref: $ref) { ${ITEM} } }
      ${ERROR} } }`,
    { project, dataset, path, ref },
    READ,
  );
  return unwrap(data.dataset).item;
}

/**
 * The items that differ from `from` to `to` (commit ids, or dataset@ref), in path order.
 * @throws ApiError FORBIDDEN, NOT_FOUND
 */
export async function diffCommits(project: string, from: string, to: string, after: string | null = null, first = 100): Promise<Page<DiffEntryInfo>> {
  const data = await graphql.request<{ diff: Connection<DiffEntryInfo> }>(
    `query Diff($project: String!, $from: String!, $to: String!, $after: String, $first: Int) {
      diff(project: $project, from: $from, to: $to, first: $first, after: $after) {
        edges { node { path kind before { ${ITEM} } after { ${ITEM} } } } pageInfo { hasNextPage endCursor } } }`,
    { project, from, to, after, first },
    READ,
  );
  return pageOf(data.diff);
}

/** The preview URL of a blob at thumbnail size (the server caches it by blob hash). */
export function thumbnailUrl(project: string, blob: string, width = 256): string {
  return `/v1/projects/${encodeURIComponent(project)}/blobs/${blob}/preview?width=${width}`;
}
