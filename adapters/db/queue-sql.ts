import { CompiledQuery, type Kysely } from 'kysely';
import type { OpenedDatabase } from './open-database.ts';

/** How pg-boss sends SQL (its `db` option): one statement with parameters, or a script without. */
export interface QueueSql {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** QueueSql over Sheaf's own connections, which can wait for the statements still running. */
export interface DrainableQueueSql extends QueueSql {
  /** Resolves once every statement sent so far has finished, so the database can be closed. */
  drain(): Promise<void>;
}

/**
 * The job queue's SQL over Sheaf's database, so the queue needs no connections of its own:
 * PostgreSQL through kysely's pool (a script without parameters goes as a simple query, which
 * may hold several statements); PGlite through its one connection, scripts via `exec`, which
 * PGlite runs only between kysely's transactions, never inside one.
 */
export function queueSqlOf(database: OpenedDatabase): DrainableQueueSql {
  const running = new Set<Promise<unknown>>();
  const send = async (text: string, values: unknown[] | undefined): Promise<{ rows: any[] }> => {
    if (database.pglite && (values === undefined || values.length === 0)) {
      const results = await database.pglite.exec(text);
      return { rows: results[results.length - 1]?.rows ?? [] };
    }
    return queueSqlIn(database.db).executeSql(text, values);
  };
  return {
    executeSql(text, values) {
      const done = send(text, values);
      running.add(done);
      void done.finally(() => running.delete(done)).catch(() => {});
      return done;
    },
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/**
 * The job queue's SQL inside a kysely transaction, for queue changes that must commit or roll
 * back with Sheaf's own writes. Single statements only (all that enqueue and cancel send).
 */
export function queueSqlIn(db: Kysely<any>): QueueSql {
  return {
    async executeSql(text, values) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as any[] };
    },
  };
}
