import type { Kysely } from 'kysely';
import type { Database } from '../adapters/db/database.ts';
import { KyselyLineageStore } from '../adapters/db/kysely-lineage-store.ts';
import { KyselyTransformMemoStore } from '../adapters/db/kysely-transform-memo-store.ts';
import type { AccessControl } from '../services/access/access-control.ts';
import type { BlobService } from '../services/blob-service.ts';
import type { DatasetService } from '../services/dataset-service.ts';
import type { JobService } from '../services/jobs/job-service.ts';
import { registerTransformJobs, TransformService } from '../services/transforms/transform-jobs.ts';
import { TransformRunner } from '../services/transforms/transform-runner.ts';
import { BUILT_IN_TRANSFORMS } from '../transforms/registry.ts';

/**
 * The built-in transforms, runnable as jobs: the server and `sheaf worker` both call this, so
 * a transform enqueued by one runs in either.
 */
export function openTransformSystem(deps: {
  db: Kysely<Database>;
  datasets: DatasetService;
  blobs: BlobService;
  access: AccessControl;
  jobs: JobService;
  maxImagePixels: number;
}): TransformService {
  const transforms = BUILT_IN_TRANSFORMS;
  const runner = new TransformRunner({
    datasets: deps.datasets,
    blobs: deps.blobs,
    access: deps.access,
    memo: new KyselyTransformMemoStore(deps.db),
    lineage: new KyselyLineageStore(deps.db),
    transformNamed: (name) => transforms.find((t) => t.name === name),
    maxImagePixels: deps.maxImagePixels,
  });
  registerTransformJobs(deps.jobs, runner, transforms);
  return new TransformService({ jobs: deps.jobs, transforms });
}
