import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

/**
 * Runs `work` inside a transaction: the caller's own when `db` already is one (kysely cannot
 * nest them, and the caller's boundary is the one that matters), a new one otherwise.
 */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
