import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testPostgresUrl } from '../helpers/databases.ts';

/** An empty database of its own on the test PostgreSQL server. */
export interface FreshDatabase {
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on `testPostgresUrl` (the server migrates it at start), so
 * end-to-end files run in parallel without seeing each other's rows.
 */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  const name = `sheaf_e2e_${process.pid}_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
