import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from '../../migrations/index.ts';

/**
 * Applies every migration in migrations/index.ts that the database has not seen yet, all in one
 * transaction under kysely's migration lock, so a failure leaves the schema as it was and
 * concurrent server replicas do not migrate twice. Running it again is a no-op. Returns the
 * names of the migrations it applied.
 * @throws Error naming the failed migration, with the database error as `cause`.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed ?? '(before any migration ran)'} failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
