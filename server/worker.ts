import type { Logger } from 'pino';
import { migrateToLatest } from '../adapters/db/migrate.ts';
import { openDatabase } from '../adapters/db/open-database.ts';
import { PostgresRequiredError } from '../core/errors.ts';
import { registerBuiltInJobs } from '../services/jobs/built-in-jobs.ts';
import type { Config } from './config.ts';
import { buildDataServices } from './data-services.ts';
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
    // Jobs create no projects, but the services are built whole, as the server builds them.
    const { access, audit, datasets, blobs } = buildDataServices(database.db, config);
    const jobs = await openJobSystem({ database, access, audit, logger });
    try {
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
