import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../adapters/db/database.ts';
import { KyselyStreamStore } from '../adapters/db/kysely-stream-store.ts';
import { MqttSources, type MqttSourcesOptions } from '../adapters/mqtt/mqtt-sources.ts';
import type { AccessControl } from '../services/access/access-control.ts';
import type { AuditRecorder } from '../services/audit/audit-event.ts';
import type { BlobService } from '../services/blob-service.ts';
import type { DatasetService } from '../services/dataset-service.ts';
import { NdjsonIngest } from '../services/ingest/ndjson-ingest.ts';
import { StreamRunners } from '../services/ingest/stream-runners.ts';
import { StreamService } from '../services/ingest/stream-service.ts';

/** Stream ingest of one server: the service the API calls, and the runners of the active streams. */
export interface StreamSystem {
  readonly service: StreamService;
  /** NDJSON uploads into a branch, for the HTTP route. */
  readonly ndjson: NdjsonIngest;
  /** Starts every active stream (call once the services exist). */
  start(): Promise<void>;
  /** Stops every stream, committing what each staged; the database stays open. */
  close(): Promise<void>;
}

/**
 * Builds stream ingest on Sheaf's database and MQTT. The dataset and blob services are asked
 * for when first used (`services()`), so this can be built beside them.
 */
export function openStreamSystem(deps: {
  db: Kysely<Database>;
  access: AccessControl;
  audit: AuditRecorder;
  logger: Logger;
  maxBlobBytes: number;
  services: () => { readonly datasets: DatasetService; readonly blobs: BlobService };
  mqtt?: MqttSourcesOptions;
}): StreamSystem {
  const log = deps.logger.child({ component: 'streams' });
  const store = new KyselyStreamStore(deps.db);
  const sources = new MqttSources(deps.mqtt);
  // Read when first used, not now: the dataset and blob services are built after this.
  const withServices = <T extends object>(base: T) =>
    Object.defineProperties(base, {
      datasets: { get: () => deps.services().datasets, enumerable: true },
      blobs: { get: () => deps.services().blobs, enumerable: true },
    }) as T & { readonly datasets: DatasetService; readonly blobs: BlobService };
  const runners = new StreamRunners(withServices({ store, sources, access: deps.access, log }));
  const service = new StreamService(withServices({ store, runners, sources, access: deps.access, audit: deps.audit, log, maxBlobBytes: deps.maxBlobBytes }));
  return {
    service,
    ndjson: new NdjsonIngest(withServices({ access: deps.access })),
    start: () => runners.startAll(),
    close: () => runners.close(),
  };
}
