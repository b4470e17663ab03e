import { sql, type Kysely } from 'kysely';

const collatedText = sql`text collate "C"`;

/**
 * Labeling projects over a dataset branch: members, one task per item with its queue key,
 * leases, submissions, skips, and the history of every labeling event per item.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('labeling_projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', collatedText, (c) => c.notNull())
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('branch', 'text', (c) => c.notNull())
    // Canonical JSON of the LabelSchema.
    .addColumn('schema', 'text', (c) => c.notNull())
    .addColumn('instructions', 'text', (c) => c.notNull())
    .addColumn('overlap', 'integer', (c) => c.notNull().check(sql`overlap >= 1`))
    .addColumn('overlap_fraction', 'float8', (c) => c.notNull().check(sql`overlap_fraction >= 0 and overlap_fraction <= 1`))
    .addColumn('queue_order', 'text', (c) => c.notNull())
    .addColumn('auto_commit_every', 'integer')
    .addColumn('review_threshold', 'float8', (c) => c.notNull())
    .addColumn('synced_commit', 'text')
    // Tasks per status, kept by the store as tasks come, go and change status, so progress
    // does not count a large project's tasks on every read.
    .addColumn('open_tasks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('review_tasks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_tasks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('labeling_projects_name_key', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('labeling_members')
    .addColumn('labeling_project_id', 'text', (c) => c.notNull().references('labeling_projects.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('labeler', 'reviewer')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('labeling_members_pkey', ['labeling_project_id', 'user_id'])
    .execute();
  await db.schema.createIndex('labeling_members_user_idx').on('labeling_members').column('user_id').execute();

  await db.schema
    .createTable('labeling_tasks')
    .addColumn('labeling_project_id', 'text', (c) => c.notNull().references('labeling_projects.id').onDelete('cascade'))
    .addColumn('path', collatedText, (c) => c.notNull())
    // The queue order's key (services/labeling/queue-order.ts); ties fall back to path order.
    .addColumn('sort_key', collatedText, (c) => c.notNull())
    .addColumn('needed', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'review', 'done')`))
    .addColumn('submitted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agreement', 'float8')
    .addColumn('agreement_kind', 'text')
    .addColumn('review_reason', 'text')
    // Label edits staged on the branch and not yet committed; `staged_version` counts stagings
    // so a commit does not clear an edit made while it ran.
    .addColumn('uncommitted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('staged_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('labeling_tasks_pkey', ['labeling_project_id', 'path'])
    .execute();
  // The queue: open tasks in order, read from the front, so the next task is found in a few
  // index entries however many tasks there are.
  await sql`create index labeling_tasks_queue_idx on labeling_tasks (labeling_project_id, sort_key, path) where status = 'open'`.execute(db);
  await db.schema.createIndex('labeling_tasks_status_idx').on('labeling_tasks').columns(['labeling_project_id', 'status']).execute();
  await sql`create index labeling_tasks_review_idx on labeling_tasks (labeling_project_id, agreement) where status = 'review'`.execute(db);
  await sql`create index labeling_tasks_uncommitted_idx on labeling_tasks (labeling_project_id) where uncommitted`.execute(db);

  const taskKey = (table: string) =>
    db.schema
      .createTable(table)
      .addColumn('labeling_project_id', 'text', (c) => c.notNull())
      .addColumn('path', collatedText, (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addForeignKeyConstraint(`${table}_task_fkey`, ['labeling_project_id', 'path'], 'labeling_tasks', ['labeling_project_id', 'path'], (fk) => fk.onDelete('cascade'))
      .addPrimaryKeyConstraint(`${table}_pkey`, ['labeling_project_id', 'path', 'user_id']);

  await taskKey('labeling_leases').addColumn('expires_at', 'timestamptz', (c) => c.notNull()).execute();
  await db.schema.createIndex('labeling_leases_user_idx').on('labeling_leases').columns(['labeling_project_id', 'user_id', 'expires_at']).execute();

  await taskKey('labeling_skips')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await taskKey('labeling_submissions')
    .addColumn('user_name', 'text', (c) => c.notNull())
    // Canonical JSON of the submitted Annotation[].
    .addColumn('annotations', 'text', (c) => c.notNull())
    // The submission's class set (sorted JSON list), for agreement statistics without the JSON.
    .addColumn('class_set', 'text', (c) => c.notNull())
    .addColumn('event_seq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('labeling_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('labeling_project_id', 'text', (c) => c.references('labeling_projects.id').onDelete('set null'))
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('path', collatedText, (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('submit', 'skip', 'review.accept', 'review.reject', 'commit')`))
    .addColumn('annotations', 'text')
    .addColumn('comment', 'text')
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('commit', 'text')
    .addColumn('snapshot', 'text')
    .addColumn('submission_id', 'text')
    .addColumn('result', 'text')
    .addColumn('staged', 'boolean', (c) => c.notNull().defaultTo(false))
    // For submit events: what review made of the submission ('accepted' or 'rejected').
    .addColumn('review_outcome', 'text')
    .execute();
  await db.schema.createIndex('labeling_events_item_idx').on('labeling_events').columns(['dataset_id', 'path', 'seq']).execute();
  await db.schema.createIndex('labeling_events_project_idx').on('labeling_events').columns(['labeling_project_id', 'action', 'user_name', 'time']).execute();
  await sql`create unique index labeling_events_submission_idx on labeling_events (labeling_project_id, submission_id) where submission_id is not null`.execute(db);
  await sql`create index labeling_events_staged_idx on labeling_events (labeling_project_id, path) where staged and commit is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['labeling_events', 'labeling_submissions', 'labeling_skips', 'labeling_leases', 'labeling_tasks', 'labeling_members', 'labeling_projects'])
    await db.schema.dropTable(table).execute();
}
