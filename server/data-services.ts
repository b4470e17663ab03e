import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { FsBlobStore } from '../adapters/blob/fs-blob-store.ts';
import { KyselyAccessStore } from '../adapters/db/kysely-access-store.ts';
import { KyselyAuditStore } from '../adapters/db/kysely-audit-store.ts';
import { KyselyIdentityStore } from '../adapters/db/kysely-identity-store.ts';
import { KyselyMembershipStore } from '../adapters/db/kysely-membership-store.ts';
import type { Database } from '../adapters/db/database.ts';
import { createVersionStore } from '../adapters/db/kysely-version-store.ts';
import type { VersionStore } from '../core/ports.ts';
import { Versioning } from '../core/versioning/versioning.ts';
import { AccessControl } from '../services/access/access-control.ts';
import { AuditLog } from '../services/audit/audit-log.ts';
import { BlobService } from '../services/blob-service.ts';
import { DatasetService } from '../services/dataset-service.ts';
import { IdentityService } from '../services/identity/identity-service.ts';
import type { Config } from './config.ts';

/** The services every Sheaf process builds over its database and blob store. */
export interface DataServices {
  readonly store: VersionStore;
  readonly engine: Versioning;
  readonly audit: AuditLog;
  readonly access: AccessControl;
  readonly grants: KyselyAccessStore;
  readonly identity: IdentityService;
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
}

/**
 * Builds the engine, access control, audit log, identity, dataset and blob services over an
 * open (migrated) database and the data directory's blob store: the part the server and job
 * workers share, so both act under the same rules.
 */
export function buildDataServices(db: Kysely<Database>, config: Config): DataServices {
  const store = createVersionStore(db);
  const engine = new Versioning({ store });
  const audit = new AuditLog({ store: new KyselyAuditStore(db) });
  const access = new AccessControl({ memberships: new KyselyMembershipStore(db), audit });
  audit.useAccessControl(access);
  const grants = new KyselyAccessStore(db);
  const identity = new IdentityService({ store: new KyselyIdentityStore(db), access, audit, sessionTtlMs: config.sessionTtlHours * 3_600_000 });
  const datasets = new DatasetService({ engine, access, audit, grants, owners: identity });
  const blobs = new BlobService({
    blobs: new FsBlobStore({ root: join(config.dataDir, 'blobs') }),
    catalog: store.blobs,
    maxBlobBytes: config.maxBlobBytes,
    access,
    audit,
    grants,
  });
  return { store, engine, audit, access, grants, identity, datasets, blobs };
}
