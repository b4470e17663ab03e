import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../adapters/db/database.ts';
import { createVersionStore } from '../../adapters/db/kysely-version-store.ts';
import { migrateToLatest } from '../../adapters/db/migrate.ts';
import { openDatabase } from '../../adapters/db/open-database.ts';
import type { VersionStore } from '../../core/ports.ts';

/** Every database Sheaf runs on; suites that touch the database loop over these. */
export const databaseKinds = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof databaseKinds)[number];

export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly db: Kysely<Database>;
  readonly store: VersionStore;
  /** Closes the connections and, for PostgreSQL, drops the database. */
  close(): Promise<void>;
}

/** The server the PostgreSQL tests use; its user must be allowed to create databases. */
export const testPostgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, migrated, empty database of the given kind: PGlite in memory, or a new uniquely
 * named database on the PostgreSQL server at `testPostgresUrl`, so test files can run in
 * parallel without seeing each other's rows.
 */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const opened = await openDatabase({ memory: true });
    await migrateToLatest(opened.db);
    return { kind, db: opened.db, store: createVersionStore(opened.db), close: opened.close };
  }

  const name = `sheaf_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  try {
    const opened = await openDatabase({ url: url.toString() });
    await migrateToLatest(opened.db);
    return {
      kind,
      db: opened.db,
      store: createVersionStore(opened.db),
      async close() {
        await opened.close();
        await dropDatabase(name);
      },
    };
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
}

function dropDatabase(name: string): Promise<unknown> {
  return withAdminClient((client) => client.query(`drop database if exists ${name} with (force)`));
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
