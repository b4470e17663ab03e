import { join } from 'node:path';
import type { Logger } from 'pino';
import { FsBlobStore } from '../adapters/blob/fs-blob-store.ts';
import { KyselyAccessStore } from '../adapters/db/kysely-access-store.ts';
import { KyselyAuditStore } from '../adapters/db/kysely-audit-store.ts';
import { KyselyIdentityStore } from '../adapters/db/kysely-identity-store.ts';
import { KyselyMembershipStore } from '../adapters/db/kysely-membership-store.ts';
import { createVersionStore } from '../adapters/db/kysely-version-store.ts';
import { migrateToLatest } from '../adapters/db/migrate.ts';
import { openDatabase } from '../adapters/db/open-database.ts';
import { PostgresRequiredError } from '../core/errors.ts';
import { Versioning } from '../core/versioning/versioning.ts';
import { AccessControl } from '../services/access/access-control.ts';
import { AuditLog } from '../services/audit/audit-log.ts';
import { BlobService } from '../services/blob-service.ts';
import { DatasetService } from '../services/dataset-service.ts';
import { IdentityService } from '../services/identity/identity-service.ts';
import { registerBuiltInJobs } from '../services/jobs/built-in-jobs.ts';
import type { Config } from './config.ts';
import { openJobSystem } from './job-system.ts';
import { openTransformSystem } from './transform-system.ts';
import { createLogger } from './http/request-context.ts';

export interface RunningWorker {
  /** Aborts the jobs running here (they are retried by another worker), then closes the database. */
  close(): Promise<void>;
}

/**
 * A job worker process: the services jobs use, over the same database and blob store as the
 * server, running `concurrency` jobs at once and serving nothing. It needs PostgreSQL: the
 * embedded database can be opened by one process only, the server, which runs jobs itself.
 * The blob store must be the server's too (the same `SHEAF_DATA_DIR`, on a shared disk).
 * @throws PostgresRequiredError without `config.databaseUrl`
 */
export async function startWorker(config: Config, options: { concurrency: number; logger?: Logger }): Promise<RunningWorker> {
  if (!config.databaseUrl) throw new PostgresRequiredError('sheaf worker');
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database = await openDatabase({ url: config.databaseUrl });
  try {
    // A worker may start before any server has: the migrations are safe to race.
    await migrateToLatest(database.db);
    const store = createVersionStore(database.db);
    const engine = new Versioning({ store });
    const audit = new AuditLog({ store: new KyselyAuditStore(database.db) });
    const access = new AccessControl({ memberships: new KyselyMembershipStore(database.db), audit });
    audit.useAccessControl(access);
    const grants = new KyselyAccessStore(database.db);
    // Jobs create no projects, but the dataset service is built whole, as the server builds it.
    const identity = new IdentityService({ store: new KyselyIdentityStore(database.db), access, audit });
    const jobs = await openJobSystem({ database, access, audit, logger });
    try {
      const datasets = new DatasetService({ engine, access, audit, grants, owners: identity });
      const blobs = new BlobService({ blobs: new FsBlobStore({ root: join(config.dataDir, 'blobs') }), catalog: store.blobs, maxBlobBytes: config.maxBlobBytes, access, audit, grants });
      registerBuiltInJobs(jobs.service, { datasets, blobs });
      openTransformSystem({ db: database.db, datasets, blobs, access, jobs: jobs.service, maxImagePixels: config.maxImagePixels });
      await jobs.run(options.concurrency);
    } catch (error) {
      await jobs.close();
      throw error;
    }
    logger.info({ concurrency: options.concurrency, dataDir: config.dataDir }, 'sheaf worker is running jobs');
    return {
      async close() {
        await jobs.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
