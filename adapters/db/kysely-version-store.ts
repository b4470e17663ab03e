import type { Kysely } from 'kysely';
import type { VersionStore } from '../../core/ports.ts';
import type { Database } from './database.ts';
import { inTransaction } from './in-transaction.ts';
import { KyselyBlobCatalog } from './kysely-blob-catalog.ts';
import { KyselyCommitStore } from './kysely-commit-store.ts';
import { KyselyNodeStore } from './kysely-node-store.ts';
import { KyselyRefStore } from './kysely-ref-store.ts';
import { KyselyStagingStore } from './kysely-staging-store.ts';

/**
 * The `VersionStore` over one database (PostgreSQL or PGlite, see open-database.ts).
 *
 * `transaction(work)` runs `work` with a store bound to a new database transaction, committed
 * when `work` resolves and rolled back when it throws. Inside it, `transaction` reuses the same
 * transaction (no savepoints: a failure anywhere fails the whole unit). While `work` runs, use
 * only the store it was given: PGlite has a single connection, so a query through the outer
 * store would wait for the transaction to end.
 */
export function createVersionStore(db: Kysely<Database>): VersionStore {
  const store: VersionStore = {
    nodes: new KyselyNodeStore(db),
    commits: new KyselyCommitStore(db),
    blobs: new KyselyBlobCatalog(db),
    refs: new KyselyRefStore(db),
    staging: new KyselyStagingStore(db),
    transaction: (work) => inTransaction(db, (trx) => work(trx === db ? store : createVersionStore(trx))),
  };
  return store;
}
