import { join } from 'node:path';
import { FsBlobStore } from '../../adapters/blob/fs-blob-store.ts';
import { KyselyAccessStore } from '../../adapters/db/kysely-access-store.ts';
import { KyselyAuditStore } from '../../adapters/db/kysely-audit-store.ts';
import { KyselyMembershipStore } from '../../adapters/db/kysely-membership-store.ts';
import type { Clock } from '../../core/ports.ts';
import { Versioning } from '../../core/versioning/versioning.ts';
import { AccessControl } from '../../services/access/access-control.ts';
import { AuditLog } from '../../services/audit/audit-log.ts';
import { BlobService } from '../../services/blob-service.ts';
import { DatasetService } from '../../services/dataset-service.ts';
import type { TestDatabase } from './databases.ts';

/** The services most service tests stand on, over one test database. */
export interface ServiceStack {
  readonly audit: AuditLog;
  readonly access: AccessControl;
  readonly grants: KyselyAccessStore;
  readonly engine: Versioning;
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
}

/**
 * Access control, audit log, engine, dataset and blob services wired as the server wires them
 * (server/data-services.ts), over `database` and a blob store under `dir`/blobs. Project
 * creators are not made owners: tests set their members themselves.
 */
export function serviceStack(database: TestDatabase, options: { dir: string; maxBlobBytes?: number; clock?: Clock }): ServiceStack {
  const audit = new AuditLog({ store: new KyselyAuditStore(database.db) });
  const access = new AccessControl({ memberships: new KyselyMembershipStore(database.db), audit });
  audit.useAccessControl(access);
  const grants = new KyselyAccessStore(database.db);
  const engine = new Versioning({ store: database.store, ...(options.clock ? { clock: options.clock } : {}) });
  const datasets = new DatasetService({ engine, access, audit, grants, owners: { grantOwner: async () => {} } });
  const blobs = new BlobService({
    blobs: new FsBlobStore({ root: join(options.dir, 'blobs') }),
    catalog: database.store.blobs,
    maxBlobBytes: options.maxBlobBytes ?? 1 << 20,
    access,
    audit,
    grants,
  });
  return { audit, access, grants, engine, datasets, blobs };
}
