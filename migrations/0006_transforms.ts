import { sql, type Kysely } from 'kysely';

/**
 * Memo of transform runs: the output snapshot of (input snapshot, transform, version,
 * parameters) in a project, and, for item transforms, the outputs of each input item, so a
 * run over a slightly changed input recomputes only the items that changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('transform_runs')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('transform', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    // sha256 of the parameters' canonical JSON; the parameters themselves are in `params`.
    .addColumn('params_hash', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('input_snapshot', 'text', (c) => c.notNull())
    .addColumn('output_snapshot', 'text', (c) => c.notNull())
    // Canonical JSON list of inputs the transform rejected, with reasons.
    .addColumn('rejected', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('transform_runs_pkey', ['project_id', 'transform', 'version', 'params_hash', 'input_snapshot'])
    .execute();
  await db.schema
    .createIndex('transform_runs_latest_idx')
    .on('transform_runs')
    .columns(['project_id', 'transform', 'version', 'params_hash', 'created_at'])
    .execute();

  await db.schema
    .createTable('transform_item_memo')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('transform', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('params_hash', 'text', (c) => c.notNull())
    // sha256 of the input item's canonical JSON (path, blob, meta, annotations).
    .addColumn('input_key', 'text', (c) => c.notNull())
    // Canonical JSON: the output items, or a rejection.
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('transform_item_memo_pkey', ['project_id', 'transform', 'version', 'params_hash', 'input_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('transform_item_memo').execute();
  await db.schema.dropTable('transform_runs').execute();
}
