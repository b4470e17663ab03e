import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Router } from '@koa/router';
import { sql } from 'kysely';
import Koa from 'koa';
import type { Logger } from 'pino';
import { FsBlobStore } from '../adapters/blob/fs-blob-store.ts';
import { createVersionStore } from '../adapters/db/kysely-version-store.ts';
import { migrateToLatest } from '../adapters/db/migrate.ts';
import { openDatabase } from '../adapters/db/open-database.ts';
import { AlreadyExistsError } from '../core/errors.ts';
import { Versioning } from '../core/versioning/versioning.ts';
import type { Services } from '../schema/context.ts';
import { schema } from '../schema/index.ts';
import { BlobService } from '../services/blob-service.ts';
import { DatasetService } from '../services/dataset-service.ts';
import { StorageStats } from '../services/storage-stats.ts';
import type { Config } from './config.ts';
import { graphqlHandler } from './graphql-handler.ts';
import { blobRoutes } from './http/blob-routes.ts';
import { healthRoutes } from './http/health-routes.ts';
import { createMetrics } from './http/metrics.ts';
import { createLogger, requestContext } from './http/request-context.ts';

/** Projects exist from the start; a fresh instance has this one so single-team use needs no setup. */
export const DEFAULT_PROJECT = 'default';

const UPLOAD_TIMEOUT_MS = 60 * 60 * 1000;

export interface RunningServer {
  readonly url: string;
  readonly services: Services;
  readonly logger: Logger;
  /** Stops accepting connections, then closes the database. */
  close(): Promise<void>;
}

/**
 * The composition root, and the only place that builds concrete adapters: config → database
 * (migrated) and blob store → engine → services → GraphQL and HTTP routes → koa.
 */
export async function startServer(config: Config, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'db') });
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  const store = createVersionStore(database.db);
  const engine = new Versioning({ store });
  const services: Services = {
    datasets: new DatasetService(engine),
    blobs: new BlobService({
      blobs: new FsBlobStore({ root: join(config.dataDir, 'blobs') }),
      catalog: store.blobs,
      maxBlobBytes: config.maxBlobBytes,
    }),
    stats: new StorageStats(engine),
  };
  await services.datasets.createProject(DEFAULT_PROJECT).catch((error: unknown) => {
    if (!(error instanceof AlreadyExistsError)) throw error;
  });

  const metrics = createMetrics();
  const app = new Koa();
  // requestContext logs every failure with its request id; koa's own stderr traces would only
  // repeat them (e.g. each time a client abandons a download).
  app.silent = true;
  app.use(requestContext(logger));
  app.use(metrics.middleware);
  const health = healthRoutes({ checkDatabase: async () => void (await sql`select 1`.execute(database.db)) });
  const blobs = blobRoutes({ blobs: services.blobs, metrics: metrics.blobTraffic });
  const graphql = new Router();
  graphql.all(
    '/graphql',
    graphqlHandler({
      schema,
      services,
      logger,
      graphiql: config.graphiql,
      maxQueryDepth: config.maxQueryDepth,
      maxRequestBytes: config.maxRequestBytes,
    }),
  );
  for (const router of [health, metrics.router, blobs, graphql]) app.use(router.routes()).use(router.allowedMethods());

  const server = app.listen(config.port, config.host);
  // Node ends any request after 5 minutes by default: too short for multi-GB blob uploads.
  server.requestTimeout = UPLOAD_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error) => {
    await database.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, database: database.dialect, dataDir: config.dataDir }, 'sheaf is listening');
  return {
    url,
    services,
    logger,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await database.close();
    },
  };
}
