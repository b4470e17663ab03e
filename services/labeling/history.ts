import { InvalidInputError } from '../../core/errors.ts';
import { parseDatasetName, parseProjectName } from '../../core/ids.ts';
import { parseItemPath } from '../../core/item-path.ts';
import type { Actor } from '../actor.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import type { EventRecord } from './labeling-store.ts';

const MAX_HISTORY = 1000;

/**
 * An item's labeling history across the labeling projects of its dataset, newest first:
 * every submit, skip, review decision and commit, with the commit and snapshot that took its
 * labels in once committed. For whoever may read the dataset's branches (labelers: a dataset
 * with a branch assigned to them).
 * @throws InvalidInputError (path, first), ForbiddenError, NotFoundError('dataset')
 */
export async function itemHistory(deps: LabelingDeps, actor: Actor | null, input: { project: string; dataset: string; path: string; first?: number | null | undefined }): Promise<EventRecord[]> {
  await deps.access.require(actor, { project: input.project, permission: 'branch.read', dataset: input.dataset, action: 'labeling.history' });
  const path = parseItemPath(input.path);
  const first = input.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_HISTORY) throw new InvalidInputError('first', `must be an integer from 1 to ${MAX_HISTORY}`);
  const dataset = await deps.engine.getDataset({ project: parseProjectName(input.project), dataset: parseDatasetName(input.dataset) });
  return deps.store.history(dataset.id, path, first);
}
