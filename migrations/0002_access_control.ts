import { sql, type Kysely } from 'kysely';

const collatedText = sql`text collate "C"`;

/**
 * Users, project memberships with roles, API tokens and web sessions; which content-addressed
 * objects each project may read (a hash alone grants nothing); and the hash-chained audit log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', collatedText, (c) => c.notNull().unique())
    // Argon2id PHC string; null for users who only use API tokens.
    .addColumn('password_hash', 'text')
    .addColumn('is_admin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'maintainer', 'labeler', 'viewer', 'auditor')`))
    // Labelers only: the branches they may read and label, as "dataset@branch".
    .addColumn('branches', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('memberships_pkey', ['project_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // sha256 of the secret: tokens are 256 random bits, so a fast hash loses nothing.
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    // The id names the session in the audit log; the cookie carries a separate secret, kept
    // only as its sha256 so a leaked table does not hand out live sessions.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // A blob is readable in a project only once its bytes were uploaded to that project.
  await db.schema
    .createTable('project_blobs')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_blobs_pkey', ['project_id', 'hash'])
    .execute();

  // A commit (and its snapshot) is readable by hash in a project once a branch of the project
  // pointed at it. Recorded by the ref store whenever a branch is created or moved.
  await db.schema
    .createTable('project_commits')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('commit_id', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_commits_pkey', ['project_id', 'commit_id'])
    .execute();
  await db.schema.createIndex('project_commits_snapshot_idx').on('project_commits').columns(['project_id', 'snapshot']).execute();

  // Before access control every caller could read everything, so what exists was shared.
  await sql`insert into project_blobs (project_id, hash) select p.id, b.hash from projects p cross join blobs b`.execute(db);
  await sql`
    insert into project_commits (project_id, commit_id, snapshot)
    select p.id, c.id, c.snapshot from projects p cross join commits c`.execute(db);

  // Append-only; each entry's hash covers its fields and the previous entry's hash.
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    // "token:<id>", "session:<id>" or "system:<what>"; never the secret.
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('project', collatedText)
    .addColumn('target', 'text')
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('ok', 'denied', 'failed')`))
    .addColumn('error_code', 'text')
    .addColumn('result', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_project_idx').on('audit_log').columns(['project', 'seq']).execute();

  // The chain's tip; appends lock this one row, so entries are numbered and chained in order.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_head', 'audit_log', 'project_commits', 'project_blobs', 'sessions', 'api_tokens', 'memberships', 'users'])
    await db.schema.dropTable(table).execute();
}
