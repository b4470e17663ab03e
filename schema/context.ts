import type { Actor } from '../services/actor.ts';
import type { BlobService } from '../services/blob-service.ts';
import type { DatasetService } from '../services/dataset-service.ts';
import type { StorageStats } from '../services/storage-stats.ts';

/** The services resolvers call; built once in server/main.ts. */
export interface Services {
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
  readonly stats: StorageStats;
}

/** Per-request GraphQL context. */
export interface Context {
  readonly actor: Actor | null;
  readonly services: Services;
  readonly requestId: string;
}
