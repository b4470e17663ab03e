import { sql, type Kysely } from 'kysely';

const collatedText = sql`text collate "C"`;

/**
 * Streams (MQTT subscriptions ingesting into a branch), the messages they have seen (so that a
 * message the broker delivers again becomes no second item), and their dead letters.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('streams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', collatedText, (c) => c.notNull())
    // Canonical JSON of the StreamConfig (services/ingest/stream-config.ts); never changed.
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'paused', 'error')`))
    .addColumn('error', 'text')
    // The broker keeps the session (and unacknowledged messages) under this id across restarts.
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    // The stream acts with this user's permissions; a deleted user leaves the stream ownerless,
    // and it stops with an error rather than vanishing with its dead letters.
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('next_seq', 'bigint', (c) => c.notNull().defaultTo(1))
    .addColumn('messages', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('staged', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('dropped', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('dead_letters', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_commit', 'text')
    .addColumn('last_commit_at', 'timestamptz')
    .addUniqueConstraint('streams_project_id_name_key', ['project_id', 'name'])
    .execute();
  await db.schema.createIndex('streams_active_idx').on('streams').column('status').execute();

  // One row per distinct message (by content key) the stream has taken, written before its item
  // is staged: a message delivered again finds its row and its path.
  await db.schema
    .createTable('stream_messages')
    .addColumn('stream_id', 'text', (c) => c.notNull().references('streams.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'staged', 'dropped', 'dead')`))
    .addColumn('path', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('staged_at', 'timestamptz')
    .addColumn('committed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('stream_messages_pkey', ['stream_id', 'key'])
    .execute();
  // The lag: items staged and not yet committed.
  await sql`create index stream_messages_uncommitted_idx on stream_messages (stream_id, staged_at) where state = 'staged' and not committed`.execute(db);
  await db.schema.createIndex('stream_messages_received_idx').on('stream_messages').columns(['stream_id', 'received_at']).execute();

  await db.schema
    .createTable('stream_dead_letters')
    .addColumn('stream_id', 'text', (c) => c.notNull().references('streams.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('payload_sha256', 'text', (c) => c.notNull())
    .addColumn('payload_size', 'bigint', (c) => c.notNull())
    // The first bytes of the payload in hex, enough to recognize what was sent.
    .addColumn('head_hex', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stream_dead_letters_pkey', ['stream_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['stream_dead_letters', 'stream_messages', 'streams']) await db.schema.dropTable(table).execute();
}
