import type { AccessControl } from '../services/access/access-control.ts';
import type { Actor } from '../services/actor.ts';
import type { AuditLog } from '../services/audit/audit-log.ts';
import type { BlobService } from '../services/blob-service.ts';
import type { DatasetService } from '../services/dataset-service.ts';
import type { IdentityService } from '../services/identity/identity-service.ts';
import type { StreamService } from '../services/ingest/stream-service.ts';
import type { JobService } from '../services/jobs/job-service.ts';
import type { LabelingService } from '../services/labeling/labeling-service.ts';
import type { LineageService } from '../services/lineage/lineage-service.ts';
import type { StorageStats } from '../services/storage-stats.ts';
import type { TransformService } from '../services/transforms/transform-jobs.ts';

/** The services resolvers call; built once in server/main.ts. */
export interface Services {
  readonly access: AccessControl;
  readonly audit: AuditLog;
  readonly identity: IdentityService;
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
  readonly stats: StorageStats;
  readonly streams: StreamService;
  readonly jobs: JobService;
  readonly lineage: LineageService;
  readonly transforms: TransformService;
  readonly labeling: LabelingService;
}

/** Per-request GraphQL context. */
export interface Context {
  /** Null for a request without credentials; fields needing one refuse it with UNAUTHENTICATED. */
  readonly actor: Actor | null;
  readonly services: Services;
  readonly requestId: string;
}
