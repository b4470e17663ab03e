import type { Logger } from 'pino';
import { KyselyJobStore } from '../adapters/db/kysely-job-store.ts';
import type { OpenedDatabase } from '../adapters/db/open-database.ts';
import { queueSqlOf } from '../adapters/db/queue-sql.ts';
import { PgBossJobQueue } from '../adapters/jobs/pg-boss-job-queue.ts';
import type { AccessControl } from '../services/access/access-control.ts';
import type { AuditRecorder } from '../services/audit/audit-event.ts';
import { JobEvents } from '../services/jobs/job-events.ts';
import { JobHandlers } from '../services/jobs/job-handlers.ts';
import { JobRunner } from '../services/jobs/job-runner.ts';
import { JobService } from '../services/jobs/job-service.ts';

/** The job queue of one process: the service every process enqueues through, and its workers. */
export interface JobSystem {
  readonly service: JobService;
  /** Runs jobs in this process with `workers` handlers at once (call once, after registering kinds). */
  run(workers: number): Promise<void>;
  /** Aborts the jobs running here (they are retried elsewhere) and stops the queue; the database stays open. */
  close(): Promise<void>;
}

/**
 * Starts the job queue on Sheaf's database (pg-boss creates or migrates its schema) and the
 * job service over it. Kinds are registered on `service` by whoever builds the process's
 * services; nothing runs here until `run`.
 */
export async function openJobSystem(deps: {
  database: OpenedDatabase;
  access: AccessControl;
  audit: AuditRecorder;
  logger: Logger;
}): Promise<JobSystem> {
  const log = deps.logger.child({ component: 'jobs' });
  const queue = await PgBossJobQueue.start({
    db: deps.database.db,
    sql: queueSqlOf(deps.database),
    onError: (error) => log.error({ err: error }, 'job queue error'),
  });
  const store = new KyselyJobStore(deps.database.db);
  const handlers = new JobHandlers();
  const events = new JobEvents();
  const service = new JobService({ store, queue, handlers, events, access: deps.access, audit: deps.audit });
  let runner: JobRunner | undefined;
  return {
    service,
    async run(workers) {
      if (runner) throw new Error('this process already runs jobs');
      runner = new JobRunner({ queue, store, handlers, events, log });
      await runner.start(workers);
      log.info({ workers, kinds: handlers.names() }, 'running jobs');
    },
    async close() {
      if (runner) await runner.stop();
      else await queue.stop();
    },
  };
}
