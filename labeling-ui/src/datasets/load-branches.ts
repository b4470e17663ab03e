import { ApiError } from '../api/api-error.ts';
import { assignedBranches, getBranch, listBranches, type BranchInfo } from './dataset-api.ts';

/**
 * The branches of a dataset the caller may see: all of them for those who may read the
 * project; for a labeler, who may not list branches, the branches assigned to it. A caller
 * with neither gets the server's refusal.
 * @throws ApiError FORBIDDEN, NOT_FOUND
 */
export async function loadBranches(project: string, dataset: string): Promise<BranchInfo[]> {
  try {
    return await listBranches(project, dataset);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'FORBIDDEN') throw error;
    const assigned = await assignedBranches(project, dataset).catch(() => []);
    if (assigned.length === 0) throw error;
    return Promise.all(assigned.map((branch) => getBranch(project, dataset, branch)));
  }
}
