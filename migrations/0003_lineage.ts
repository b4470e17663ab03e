import { sql, type Kysely } from 'kysely';

/**
 * Lineage edges between content-addressed objects of a project: what was derived from, trained
 * or evaluated on, deployed, predicted or fed back, and which snapshots were read (served to a
 * training machine). Append-only; walked up and down with recursive queries.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lineage_edges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The order of listings and their cursor: a timestamp is neither unique nor, in JS, as precise.
    .addColumn('seq', 'bigint', (c) => c.notNull().unique().generatedAlwaysAsIdentity())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('derived_from', 'trained_on', 'evaluated_on', 'deployed_as', 'predicted_by', 'fed_back_into', 'read')`),
    )
    // The upstream object's hash (e.g. the snapshot read); the downstream one, when there is one.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    // "token:<id>", "session:<id>" or "system:<what>"; never the secret.
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Canonical JSON: how the edge came about (a read's layout and selection, a run's parameters).
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('lineage_edges_source_idx').on('lineage_edges').columns(['project_id', 'source']).execute();
  await db.schema.createIndex('lineage_edges_target_idx').on('lineage_edges').columns(['project_id', 'target']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lineage_edges').execute();
}
