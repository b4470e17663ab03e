import { sql } from 'kysely';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { migrateToLatest } from '../../../adapters/db/migrate.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/databases.ts';

for (const kind of databaseKinds) {
  const test = suite(`migrateToLatest on ${kind}`);

  test('running the migrations again applies nothing and keeps the schema', async () => {
    const database = await openTestDatabase(kind);
    try {
      assert.equal(await migrateToLatest(database.db), []);
      assert.equal(await migrateToLatest(database.db), []);
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = 'public' and table_name not like 'kysely_%' order by table_name
      `.execute(database.db);
      assert.equal(
        tables.rows.map((row) => row.table_name),
        ['api_tokens', 'audit_head', 'audit_log', 'blobs', 'branches', 'commits', 'datasets', 'jobs', 'labeling_events', 'labeling_leases', 'labeling_members', 'labeling_projects', 'labeling_skips', 'labeling_submissions', 'labeling_tasks', 'lineage_edges', 'memberships', 'project_blobs', 'project_commits', 'projects', 'sessions', 'staging', 'stream_dead_letters', 'stream_messages', 'streams', 'tags', 'transform_item_memo', 'transform_runs', 'tree_nodes', 'users'],
      );
    } finally {
      await database.close();
    }
  });

  test('paths compare in code point order whatever the server locale', async () => {
    const database = await openTestDatabase(kind);
    try {
      const row = await sql<{ collation: string }>`
        select collation_name as collation from information_schema.columns
        where table_name = 'staging' and column_name = 'path'
      `.execute(database.db);
      assert.is(row.rows[0]?.collation, 'C');
    } finally {
      await database.close();
    }
  });

  test.run();
}
