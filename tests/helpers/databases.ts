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

  const scratch = await createScratchDatabase();
  try {
    const opened = await openDatabase({ url: scratch.url });
    await migrateToLatest(opened.db);
    return {
      kind,
      db: opened.db,
      store: createVersionStore(opened.db),
      async close() {
        await opened.close();
        await scratch.drop();
      },
    };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

/** An empty database of its own on the test PostgreSQL server. */
export interface ScratchDatabase {
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named, empty database on `testPostgresUrl`, so test files can run in
 * parallel without seeing each other's rows. Whoever uses it migrates it (the server does at
 * start) and calls `drop`.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `sheaf_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => void (await dropDatabase(name)) };
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
