import { CliError } from './cli-error.ts';
import { ERROR_FIELDS, unwrap, type GraphqlClient, type UnionResult } from './graphql-client.ts';
import type { Location } from './location.ts';

/** What a location stands for right now. */
export interface ResolvedLocation {
  /** Null for a bare hash. */
  readonly dataset: string | null;
  /** The ref as given (branch, tag, commit id or snapshot hash). */
  readonly ref: string;
  readonly snapshot: string;
  /** Null for a snapshot hash. */
  readonly commit: string | null;
}

const RESOLVE_REF = `query($project: String!, $dataset: String!, $ref: String!) {
  dataset(project: $project, name: $dataset) {
    ${ERROR_FIELDS}
    ... on Dataset { ref(ref: $ref) { kind snapshot { hash } commit { id } } }
  }
}`;

const SNAPSHOT = `query($project: String!, $hash: String!) { snapshot(project: $project, hash: $hash) { ${ERROR_FIELDS} ... on Snapshot { hash } } }`;

/**
 * Resolves a location to its snapshot (and commit). A bare hash must be a snapshot hash: the
 * API resolves commit ids only inside a dataset, so a bare commit id is reported as not found
 * with a hint to name its dataset.
 * @throws CliError NOT_FOUND, INVALID_HASH, INVALID_NAME…
 */
export async function resolveLocation(graphql: GraphqlClient, project: string, location: Location): Promise<ResolvedLocation> {
  if (location.kind === 'hash') {
    const data = await graphql.request<{ snapshot: UnionResult }>(SNAPSHOT, { project, hash: location.hash });
    try {
      unwrap(data.snapshot, 'Snapshot');
    } catch (error) {
      if (error instanceof CliError && error.code === 'NOT_FOUND')
        throw new CliError('NOT_FOUND', `no snapshot ${location.hash}; for a commit id, name its dataset: <dataset>@${location.hash}`);
      throw error;
    }
    return { dataset: null, ref: location.hash, snapshot: location.hash, commit: null };
  }
  const data = await graphql.request<{ dataset: UnionResult }>(RESOLVE_REF, { project, dataset: location.dataset, ref: location.ref });
  const { ref } = unwrap<UnionResult & { ref: { snapshot: { hash: string }; commit: { id: string } | null } }>(data.dataset, 'Dataset');
  return { dataset: location.dataset, ref: location.ref, snapshot: ref.snapshot.hash, commit: ref.commit?.id ?? null };
}
