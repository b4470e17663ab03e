import { sql, type Kysely, type Selectable } from 'kysely';
import { canonicalJson, type JsonValue } from '../../core/canonical-json.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { Credential, Scope } from '../../services/actor.ts';
import type { JobProgress, JobState } from '../../services/jobs/job.ts';
import type { AttemptOutcome, JobListFilter, JobRecord, JobStore, NewJob } from '../../services/jobs/job-store.ts';
import type { Database } from './database.ts';
import type { JobTables, JobsTable } from './jobs-table.ts';

type Db = Kysely<Database & JobTables>;
type Row = Selectable<JobsTable> & { project: string };

const UNFINISHED = ['queued', 'running', 'retrying'] as const;

/**
 * Jobs' records in the `jobs` table. Built over a transaction, it takes part in it: the job
 * queue inserts and cancels a job in the same transaction as its queue entry.
 */
export class KyselyJobStore implements JobStore {
  private readonly db: Db;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<JobTables>() as Db;
  }

  /** Adds a queued job. @throws NotFoundError('project') */
  async insert(job: NewJob): Promise<void> {
    const project = await this.db.selectFrom('projects').select('id').where('name', '=', job.project).executeTakeFirst();
    if (!project) throw new NotFoundError('project', job.project);
    await this.db
      .insertInto('jobs')
      .values({
        id: job.id,
        project_id: project.id,
        kind: job.kind,
        input: canonicalJson(job.input, 'input'),
        state: 'queued',
        max_attempts: job.maxAttempts,
        timeout_seconds: job.timeoutSeconds,
        created_by_id: job.creator.userId,
        created_by: job.creator.name,
        credential: `${job.creator.credential.kind}:${job.creator.credential.id}`,
        scopes: [...job.creator.scopes],
      })
      .execute();
  }

  /**
   * Cancels the job if it has not ended: at once when it waits, by asking its worker when it
   * runs. Returns whether the job was still unfinished.
   */
  async requestCancel(project: string, id: string): Promise<boolean> {
    const waiting = sql<boolean>`state in ('queued', 'retrying')`;
    const result = await this.db
      .updateTable('jobs')
      .set({
        state: sql`case when ${waiting} then 'cancelled' else state end`,
        finished_at: sql`case when ${waiting} then now() else finished_at end`,
        cancel_requested_at: sql`case when state = 'running' then coalesce(cancel_requested_at, now()) else cancel_requested_at end`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('project_id', '=', this.db.selectFrom('projects').select('id').where('name', '=', project))
      .where('state', 'in', UNFINISHED)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async get(project: string, id: string): Promise<JobRecord | null> {
    const row = await this.rows().where('p.name', '=', project).where('j.id', '=', id).executeTakeFirst();
    return row ? jobOf(row) : null;
  }

  async list(project: string, filter: JobListFilter): Promise<JobRecord[]> {
    let query = this.rows().where('p.name', '=', project);
    if (filter.state !== undefined) query = query.where('j.state', '=', filter.state);
    if (filter.kind !== undefined) query = query.where('j.kind', '=', filter.kind);
    if (filter.before !== undefined) query = query.where('j.seq', '<', filter.before);
    const rows = await query.orderBy('j.seq', 'desc').limit(filter.limit).execute();
    return rows.map(jobOf);
  }

  async claim(id: string): Promise<JobRecord | null> {
    const cancelled = sql<boolean>`cancel_requested_at is not null`;
    await this.db
      .updateTable('jobs')
      .set({
        state: sql`case when ${cancelled} then 'cancelled' else 'running' end`,
        attempts: sql`case when ${cancelled} then attempts else attempts + 1 end`,
        started_at: sql`coalesce(started_at, now())`,
        finished_at: sql`case when ${cancelled} then now() else null end`,
        // A new attempt starts its count afresh.
        progress_done: null,
        progress_total: null,
        progress_rate: null,
        progress_eta_seconds: null,
        progress_at: null,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('state', 'in', UNFINISHED)
      .execute();
    const row = await this.rows().where('j.id', '=', id).executeTakeFirst();
    return row ? jobOf(row) : null;
  }

  async saveProgress(id: string, attempt: number, progress: JobProgress): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ ...progressColumns(progress), updated_at: sql`now()` })
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('state', '=', 'running')
      .execute();
  }

  async endAttempt(id: string, attempt: number, outcome: AttemptOutcome, progress: JobProgress | null): Promise<boolean> {
    const final = outcome.state !== 'retrying';
    const failure = outcome.state === 'failed' || outcome.state === 'retrying' ? outcome.failure : null;
    const result = await this.db
      .updateTable('jobs')
      .set({
        state: outcome.state,
        ...(progress ? progressColumns(progress) : {}),
        result: outcome.state === 'succeeded' ? canonicalJson(outcome.result, 'result') : null,
        // A job that succeeded after a failed attempt no longer shows that failure.
        ...(outcome.state === 'cancelled'
          ? {}
          : {
              error_code: failure?.code ?? null,
              error_message: failure?.message ?? null,
              error_detail: failure && failure.detail !== null ? canonicalJson(failure.detail, 'failure detail') : null,
            }),
        finished_at: final ? sql`now()` : null,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async cancelRequested(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('jobs').select('id').where('id', 'in', ids).where('cancel_requested_at', 'is not', null).execute();
    return rows.map((row) => row.id);
  }

  private rows() {
    return this.db.selectFrom('jobs as j').innerJoin('projects as p', 'p.id', 'j.project_id').selectAll('j').select('p.name as project');
  }
}

function progressColumns(progress: JobProgress) {
  return {
    progress_done: progress.done,
    progress_total: progress.total,
    progress_rate: progress.rate,
    progress_eta_seconds: progress.etaSeconds,
    progress_at: progress.updatedAt,
  };
}

function jobOf(row: Row): JobRecord {
  return {
    id: row.id,
    seq: row.seq,
    project: row.project,
    kind: row.kind,
    input: JSON.parse(row.input) as JsonValue,
    state: row.state as JobState,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    timeoutSeconds: row.timeout_seconds,
    cancelRequested: row.cancel_requested_at !== null,
    progress: {
      done: row.progress_done ?? 0,
      total: row.progress_total,
      rate: row.progress_rate,
      etaSeconds: row.progress_eta_seconds,
      updatedAt: row.progress_at,
    },
    result: row.result === null ? null : (JSON.parse(row.result) as JsonValue),
    failure:
      row.error_code === null
        ? null
        : { code: row.error_code, message: row.error_message ?? '', detail: row.error_detail === null ? null : (JSON.parse(row.error_detail) as JsonValue) },
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
    creator: { userId: row.created_by_id, name: row.created_by, credential: credentialOf(row.credential), scopes: row.scopes as Scope[] },
  };
}

function credentialOf(label: string): Credential {
  const colon = label.indexOf(':');
  return { kind: label.slice(0, colon) as Credential['kind'], id: label.slice(colon + 1) };
}
