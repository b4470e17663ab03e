import type { NodeHash } from '../core/ids.ts';
import { blobUsage, type BlobUsage } from '../core/prolly/blob-usage.ts';
import type { Versioning } from '../core/versioning/versioning.ts';
import type { AccessControl } from './access/access-control.ts';
import type { Actor } from './actor.ts';
import type { DatasetAddress } from './dataset-service.ts';
import { parseDatasetName, parseProjectName } from '../core/ids.ts';

const PAGE = 1000;

/**
 * Storage statistics: for the live snapshots (every branch head) of a dataset or a whole
 * project, the bytes full copies would take versus the bytes of distinct blobs actually
 * stored — what clones and branches saved.
 */
export class StorageStats {
  private readonly engine: Versioning;

  constructor(private readonly deps: { engine: Versioning; access: AccessControl }) {
    this.engine = deps.engine;
  }

  /** @throws UnauthenticatedError, ForbiddenError without `project.read` */
  async ofDataset(actor: Actor | null, at: DatasetAddress): Promise<BlobUsage> {
    await this.deps.access.require(actor, { project: at.project, permission: 'project.read', action: 'storage.read' });
    return blobUsage(this.engine.ctx.reader, await this.branchSnapshots(at));
  }

  /** @throws UnauthenticatedError, ForbiddenError without `project.read` */
  async ofProject(actor: Actor | null, project: string): Promise<BlobUsage> {
    await this.deps.access.require(actor, { project, permission: 'project.read', action: 'storage.read' });
    const name = parseProjectName(project);
    const roots: NodeHash[] = [];
    for (let after: string | undefined; ; ) {
      const datasets = await this.engine.listDatasets(name, { after, limit: PAGE });
      for (const dataset of datasets) roots.push(...(await this.branchSnapshots({ project, dataset: dataset.name })));
      if (datasets.length < PAGE) break;
      after = datasets[datasets.length - 1]!.name;
    }
    return blobUsage(this.engine.ctx.reader, roots);
  }

  private async branchSnapshots(at: DatasetAddress): Promise<NodeHash[]> {
    const ref = { project: parseProjectName(at.project), dataset: parseDatasetName(at.dataset) };
    const roots: NodeHash[] = [];
    for (let after: string | undefined; ; ) {
      const branches = await this.engine.listBranches(ref, { after, limit: PAGE });
      const commits = await this.engine.ctx.store.commits.getMany(branches.map((b) => b.head));
      for (const branch of branches) roots.push(commits.get(branch.head)!.snapshot);
      if (branches.length < PAGE) break;
      after = branches[branches.length - 1]!.name;
    }
    return roots;
  }
}
