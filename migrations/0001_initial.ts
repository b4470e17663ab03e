import { sql, type Kysely } from 'kysely';

// Names and paths use COLLATE "C" so that ORDER BY and range conditions compare code points
// (the byte order of UTF-8), the same on every server whatever its default locale, and the
// same order as core/item-path.ts `comparePaths`.
const collatedText = sql`text collate "C"`;

/**
 * Projects, datasets, branches and tags; content-addressed tree nodes, commits and blob
 * metadata; and per-branch staging of uncommitted changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', collatedText, (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('datasets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('name', collatedText, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('origin_snapshot', 'text')
    .addColumn('origin_commit', 'text')
    .addUniqueConstraint('datasets_project_id_name_key', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('tree_nodes')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    // Nodes are canonical JSON, so text: half the bytes of bytea's hex wire format.
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  // lz4 compresses and decompresses several times faster than the default pglz, which halved
  // node write time in our measurements; builds without lz4 (PGlite) keep the default.
  await sql`
    do $$ begin
      alter table tree_nodes alter column data set compression lz4;
    exception when others then null;
    end $$`.execute(db);

  await db.schema
    .createTable('commits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('parents', sql`text[]`, (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('blobs')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('branches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('name', collatedText, (c) => c.notNull())
    .addColumn('head', 'text', (c) => c.notNull().references('commits.id'))
    // Which generation of staging rows is the branch's current one (see the staging table).
    .addColumn('staging_generation', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('branches_dataset_id_name_key', ['dataset_id', 'name'])
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
    .addColumn('name', collatedText, (c) => c.notNull())
    .addColumn('commit', 'text', (c) => c.notNull().references('commits.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('tags_pkey', ['dataset_id', 'name'])
    .execute();

  // One sequence for all branches: a seq only has to grow, not be dense. No CACHE: cached
  // ranges are per connection, so values would stop growing in the order they are handed out.
  await sql`create sequence staging_seq`.execute(db);

  await db.schema
    .createTable('staging')
    .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id').onDelete('cascade'))
    // A commit starts a new generation instead of scanning past the rows it cleared: the
    // cleared rows' dead index entries then lie outside every later scan's key range (this
    // matters most on PGlite, which has no autovacuum).
    .addColumn('generation', 'bigint', (c) => c.notNull())
    .addColumn('path', collatedText, (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('staging_seq')`))
    .addColumn('deleted', 'boolean', (c) => c.notNull())
    .addColumn('blob', 'text')
    .addColumn('size', 'bigint')
    .addColumn('meta', 'text')
    .addColumn('annotations', 'text')
    .addPrimaryKeyConstraint('staging_pkey', ['branch_id', 'generation', 'path'])
    .execute();
  await sql`alter sequence staging_seq owned by staging.seq`.execute(db);

  // maxSeq and clear(upToSeq) look rows up by seq within a branch's generation.
  await db.schema
    .createIndex('staging_generation_seq_idx')
    .on('staging')
    .columns(['branch_id', 'generation', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['staging', 'tags', 'branches', 'blobs', 'commits', 'tree_nodes', 'datasets', 'projects'])
    await db.schema.dropTable(table).execute();
}
