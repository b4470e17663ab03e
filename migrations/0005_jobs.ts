import { sql, type Kysely } from 'kysely';

/**
 * Sheaf's record of each job (state, attempts, progress, result or failure) for the job
 * queue. Scheduling itself (retries, backoff, expiry of lost attempts) lives in pg-boss's own
 * schema, which pg-boss creates and migrates when it starts; a job's row and its queue entry
 * share the job's id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // Orders jobs by creation for keyset pages; ids are random.
    .addColumn('seq', 'bigint', (c) => c.notNull().unique().generatedAlwaysAsIdentity())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // Canonical JSON, like every JSON column here.
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('timeout_seconds', 'integer', (c) => c.notNull())
    .addColumn('cancel_requested_at', 'timestamptz')
    // The job acts as the user who enqueued it, with that credential's scopes.
    .addColumn('created_by_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('progress_done', 'double precision')
    .addColumn('progress_total', 'double precision')
    .addColumn('progress_rate', 'double precision')
    .addColumn('progress_eta_seconds', 'double precision')
    .addColumn('progress_at', 'timestamptz')
    .addColumn('result', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('error_detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('jobs_project_seq_idx').on('jobs').columns(['project_id', 'seq desc']).execute();
  await db.schema.createIndex('jobs_project_state_seq_idx').on('jobs').columns(['project_id', 'state', 'seq desc']).execute();
  // The queue's maintenance looks for unfinished jobs whose worker was lost.
  await db.schema
    .createIndex('jobs_unfinished_idx')
    .on('jobs')
    .column('id')
    .where(sql<boolean>`state in ('queued', 'running', 'retrying')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
