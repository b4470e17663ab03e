import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KyselyStreamStore } from '../../../adapters/db/kysely-stream-store.ts';
import { parseProjectName } from '../../../core/ids.ts';
import { AccessControl } from '../../../services/access/access-control.ts';
import type { Actor } from '../../../services/actor.ts';
import { AuditLog } from '../../../services/audit/audit-log.ts';
import { BlobService } from '../../../services/blob-service.ts';
import { DatasetService } from '../../../services/dataset-service.ts';
import { SILENT_LOG } from '../../../services/ingest/ingest-log.ts';
import type { MessageSources } from '../../../services/ingest/message-source.ts';
import { StreamRunners } from '../../../services/ingest/stream-runners.ts';
import { StreamService } from '../../../services/ingest/stream-service.ts';
import { openTestDatabase, type DatabaseKind, type TestDatabase } from '../../helpers/databases.ts';
import { serviceStack } from '../../helpers/service-stack.ts';

/** The services stream ingest runs on, over a fresh database and blob directory, with a project owner. */
export interface IngestFixture {
  readonly database: TestDatabase;
  readonly store: KyselyStreamStore;
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
  readonly access: AccessControl;
  readonly audit: AuditLog;
  /** A fresh actor of the owner of project `p` (actors cache memberships for their life). */
  owner(): Actor;
  /** Runners and a service over `sources`: one pair per simulated server process. */
  streams(sources: MessageSources): { runners: StreamRunners; service: StreamService };
  close(): Promise<void>;
}

export const PROJECT = 'p';

export async function openIngestFixture(kind: DatabaseKind): Promise<IngestFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-ingest-'));
  const database = await openTestDatabase(kind);
  const { audit, access, datasets, blobs } = serviceStack(database, { dir, maxBlobBytes: 1024 * 1024 });
  const store = new KyselyStreamStore(database.db);
  const project = await database.store.refs.createProject(parseProjectName(PROJECT));
  const userId = randomUUID();
  await database.db.insertInto('users').values({ id: userId, name: 'olga' }).execute();
  await database.db.insertInto('memberships').values({ project_id: project.id, user_id: userId, role: 'owner' }).execute();
  const owner = (): Actor => ({ userId, name: 'olga', isAdmin: false, credential: { kind: 'token', id: 'ingest-test' }, scopes: new Set(['read', 'write']) });
  return {
    database,
    store,
    datasets,
    blobs,
    access,
    audit,
    owner,
    streams(sources) {
      const runners = new StreamRunners({ store, blobs, datasets, access, sources, log: SILENT_LOG });
      const service = new StreamService({ store, runners, sources, datasets, access, audit, log: SILENT_LOG, maxBlobBytes: blobs.maxBlobBytes });
      return { runners, service };
    },
    async close() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
