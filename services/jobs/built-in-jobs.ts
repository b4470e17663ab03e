import type { BlobService } from '../blob-service.ts';
import type { DatasetService } from '../dataset-service.ts';
import { SNAPSHOT_VERIFY, snapshotVerifyJob } from './built-in/snapshot-verify.ts';
import type { JobService } from './job-service.ts';

/**
 * Registers the kinds of job every Sheaf process runs. The server and `sheaf worker` both
 * call this at start, so a job enqueued by one can run in the other.
 */
export function registerBuiltInJobs(jobs: JobService, services: { datasets: DatasetService; blobs: BlobService }): void {
  const verify = snapshotVerifyJob(services);
  jobs.registerHandler(SNAPSHOT_VERIFY, verify.handler, verify.options);
}
