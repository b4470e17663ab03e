import PgBoss from 'pg-boss';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { KyselyJobStore } from '../db/kysely-job-store.ts';
import { queueSqlIn, type DrainableQueueSql } from '../db/queue-sql.ts';
import type { Dispatch, DispatchOutcome, JobQueue, JobSchedule } from '../../services/jobs/job-queue.ts';
import type { JobRecord, NewJob } from '../../services/jobs/job-store.ts';

/** Every Sheaf job goes through this one pg-boss queue; its kind is in Sheaf's record. */
export const QUEUE = 'sheaf-jobs';
/** pg-boss keeps its tables in this schema. */
export const QUEUE_SCHEMA = 'pgboss';
/**
 * How long after a running job's cancel its worker may stay silent before the job is recorded
 * cancelled for it (see `reconcile`): a live worker notices a cancel within its poll (0.5 s)
 * and records the end itself.
 */
const LOST_AFTER_CANCEL_SECONDS = 30;

export interface PgBossJobQueueOptions {
  readonly db: Kysely<Database>;
  /** The queue's SQL over `db`'s connections (see queueSqlOf). */
  readonly sql: DrainableQueueSql;
  /** How often an idle worker asks for work. Default 1 s (at least 0.5). */
  readonly pollingIntervalSeconds?: number;
  /** How often lost attempts are looked for (and finished entries archived). Default 10 s. */
  readonly maintenanceIntervalSeconds?: number;
  /** Failures of the queue's background work (polling, maintenance). */
  readonly onError: (error: unknown) => void;
}

/** Tells pg-boss to fail the attempt and schedule a retry with backoff. */
class RetryLater extends Error {
  constructor() {
    super('the attempt failed; retrying per the job\'s policy');
  }
}

/**
 * The job queue on pg-boss, over Sheaf's own database: PostgreSQL, or PGlite through its
 * single in-process connection. pg-boss does the scheduling — at most one worker per
 * attempt (`FOR UPDATE SKIP LOCKED`), retries with exponential backoff, and expiry: an
 * attempt not ended within its limit (its worker died) is failed and retried. Sheaf's `jobs`
 * table holds what readers see; enqueue and cancel write both in one transaction, and
 * maintenance ends records whose queue entry ended without them (a worker lost on its last
 * attempt, or cancelled while it was lost).
 */
export class PgBossJobQueue implements JobQueue {
  private readonly workers: string[] = [];
  private stopped = false;
  private reconciling: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: PgBossJobQueueOptions,
  ) {}

  /** Starts pg-boss (creating or migrating its schema) and the queue. */
  static async start(options: PgBossJobQueueOptions): Promise<PgBossJobQueue> {
    const boss = new PgBoss({
      db: options.sql,
      schema: QUEUE_SCHEMA,
      schedule: false,
      supervise: true,
      migrate: true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 10,
    });
    const queue = new PgBossJobQueue(boss, options);
    boss.on('error', (error) => options.onError(error));
    boss.on('maintenance', () => {
      queue.reconciling = queue.reconcile().catch(options.onError);
    });
    await boss.start();
    await boss.createQueue(QUEUE);
    return queue;
  }

  enqueue(job: NewJob, schedule: JobSchedule): Promise<JobRecord> {
    return this.options.db.transaction().execute(async (trx) => {
      const store = new KyselyJobStore(trx);
      await store.insert(job);
      const sent = await this.boss.send(QUEUE, { project: job.project, kind: job.kind }, {
        id: job.id,
        retryLimit: schedule.retryLimit,
        retryDelay: schedule.retryDelaySeconds,
        retryBackoff: schedule.retryBackoff,
        expireInSeconds: schedule.expireSeconds,
        db: queueSqlIn(trx),
      });
      if (sent === null) throw new Error(`the job queue ${QUEUE} does not exist`);
      return (await store.get(job.project, job.id))!;
    });
  }

  cancel(project: string, id: string): Promise<JobRecord | null> {
    return this.options.db.transaction().execute(async (trx) => {
      const store = new KyselyJobStore(trx);
      // Whether it waits or runs, its queue entry ends: it will not start, nor be retried.
      if (await store.requestCancel(project, id)) await this.boss.cancel(QUEUE, id, { db: queueSqlIn(trx) });
      return store.get(project, id);
    });
  }

  async work(concurrency: number, run: (dispatch: Dispatch) => Promise<DispatchOutcome>): Promise<void> {
    const options = { includeMetadata: true as const, batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 1 };
    for (let i = 0; i < concurrency; i++) {
      this.workers.push(
        await this.boss.work<object>(QUEUE, options, async ([job]) => {
          if (!job) return null;
          const outcome = await run({ id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit });
          if (outcome === 'retry') throw new RetryLater();
          return null;
        }),
      );
    }
  }

  wake(): void {
    for (const worker of this.workers) this.boss.notifyWorker(worker);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Waits for the attempts in progress (their workers abort them), then fails any left.
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    // pg-boss records an attempt's end without awaiting it; let those writes land.
    await this.options.sql.drain();
    await this.reconciling;
  }

  /**
   * Ends the records of jobs whose queue entry ended while no worker recorded it: failed (the
   * attempt expired with no retry left), cancelled (cancelled while its worker was lost), or
   * back to retrying (expired, with another attempt scheduled). A running job's queue entry is
   * cancelled the moment its cancel is asked, while its live worker aborts the handler at its
   * next poll and records the end itself; so such a job counts as lost only when its worker has
   * stayed silent for LOST_AFTER_CANCEL_SECONDS since (else the record would say cancelled while
   * the handler still ran). Returns how many changed.
   */
  async reconcile(): Promise<number> {
    if (this.stopped) return 0;
    const lost = `the worker running the job stopped responding within its time limit`;
    const result = await sql`
      update jobs j set
        state = case q.state::text when 'cancelled' then 'cancelled' when 'failed' then 'failed' else 'retrying' end,
        error_code = case q.state::text when 'cancelled' then j.error_code else 'WORKER_LOST' end,
        error_message = case q.state::text
          when 'cancelled' then j.error_message
          when 'failed' then ${`${lost}; no attempts were left`}
          else ${`${lost}; it will be retried`} end,
        error_detail = case q.state::text when 'cancelled' then j.error_detail else null end,
        finished_at = case when q.state::text in ('cancelled', 'failed') then now() else null end,
        updated_at = now()
      from ${sql.table(`${QUEUE_SCHEMA}.job`)} q
      where q.name = ${QUEUE} and q.id = j.id
        and (
          (j.state in ('queued', 'retrying') and q.state::text in ('failed', 'cancelled'))
          or (j.state = 'running' and q.state::text in ('failed', 'retry'))
          or (j.state = 'running' and q.state::text = 'cancelled'
              and q.completed_on < now() - make_interval(secs => ${LOST_AFTER_CANCEL_SECONDS}))
        )
    `.execute(this.options.db);
    return Number(result.numAffectedRows ?? 0n);
  }
}
