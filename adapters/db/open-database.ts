import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string. When set, Sheaf uses that server. */
  readonly url?: string | undefined;
  /** Where the embedded PGlite database lives when no `url` is given. Default `./.sheaf/db`. */
  readonly dataDir?: string | undefined;
  /** Embedded PGlite in memory only (tests, throwaway runs); ignored when `url` is set. */
  readonly memory?: boolean;
}

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: 'postgres' | 'pglite';
  /**
   * The embedded instance (PGlite only), for the rare SQL kysely cannot send: scripts of
   * several statements, as the job queue's schema and maintenance use.
   */
  readonly pglite?: PGlite | undefined;
  /** Ends every connection (or shuts PGlite down, flushing it to `dataDir`). */
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = './.sheaf/db';

const INT8_OID = 20;

// Sheaf's int8 columns (staging seq, blob sizes, counts) stay far below 2^53, so plain numbers
// are exact and spare every caller a string or bigint conversion.
const parseInt8 = (text: string): number => Number(text);

/**
 * Opens Sheaf's database: PostgreSQL when `url` is set, otherwise embedded PGlite persisted
 * under `dataDir` (or in memory with `memory: true`). This is the only place that chooses
 * between the two; everything else sees a `Kysely<Database>`. It does not migrate: call
 * `migrateToLatest` next.
 * @throws Error when PostgreSQL cannot be reached or PGlite cannot open its directory.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (options.url) return openPostgres(options.url);
  return openPglite(options.memory ? undefined : resolve(options.dataDir ?? DEFAULT_DATA_DIR));
}

async function openPostgres(url: string): Promise<OpenedDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    // Per pool, not pg.types.setTypeParser: a global change would leak into other pg users.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary'
          ? parseInt8
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that breaks (server restart, network) is dropped by the pool and the
  // next query opens a new one; without a listener the 'error' event would end the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Fail at startup, not on the first request, when the server is unreachable.
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await db.destroy();
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`, { cause: error });
  }
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

// PGlite keeps PostgreSQL's shared buffers inside its own process memory (128 MB by default),
// while its files are read through the operating system, whose page cache holds them anyway:
// 32 MB keeps the embedded server's resident memory small.
const PGLITE_SETTINGS = 'shared_buffers = 32MB';

async function openPglite(dataDir: string | undefined): Promise<OpenedDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: { [INT8_OID]: parseInt8 },
    postgresqlconf: PGLITE_SETTINGS,
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    dialect: 'pglite',
    pglite,
    async close() {
      await db.destroy();
      // Kysely only closes an instance it has used; close it ourselves if no query ran.
      if (!pglite.closed) await pglite.close();
    },
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
