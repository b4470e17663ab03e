import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Router } from '@koa/router';
import { sql } from 'kysely';
import Koa from 'koa';
import type { Logger } from 'pino';
import { FsBlobStore } from '../adapters/blob/fs-blob-store.ts';
import { KyselyLineageStore } from '../adapters/db/kysely-lineage-store.ts';
import { KyselyLabelingStore } from '../adapters/db/kysely-labeling-store.ts';
import { migrateToLatest } from '../adapters/db/migrate.ts';
import { openDatabase } from '../adapters/db/open-database.ts';
import { AlreadyExistsError } from '../core/errors.ts';
import type { BlobHash } from '../core/ids.ts';
import type { Services } from '../schema/context.ts';
import { schema } from '../schema/index.ts';
import { BOOTSTRAP_USER } from '../services/identity/identity-service.ts';
import { registerBuiltInJobs } from '../services/jobs/built-in-jobs.ts';
import { LineageService } from '../services/lineage/lineage-service.ts';
import { LabelingService } from '../services/labeling/labeling-service.ts';
import { BlobPaths } from '../services/provision/blob-paths.ts';
import { ProvisionService } from '../services/provision/provision-service.ts';
import { StorageStats } from '../services/storage-stats.ts';
import type { Config } from './config.ts';
import { buildDataServices } from './data-services.ts';
import { graphqlHandler } from './graphql-handler.ts';
import { openJobSystem } from './job-system.ts';
import { openStreamSystem } from './stream-system.ts';
import { openTransformSystem } from './transform-system.ts';
import { blobRoutes } from './http/blob-routes.ts';
import { previewRoutes } from './http/preview-routes.ts';
import { DiskPreviewCache } from '../services/previews/preview-cache.ts';
import { PreviewService } from '../services/previews/preview-service.ts';
import { blobPathRoutes } from './http/blob-path-routes.ts';
import { snapshotRoutes } from './http/snapshot-routes.ts';
import { labelInterchangeRoutes } from './http/label-interchange-routes.ts';
import { LabelInterchange } from '../services/interchange/label-interchange.ts';
import { ndjsonRoutes } from './http/ndjson-routes.ts';
import { authenticate, refuseFailedAuthentication } from './http/authenticate.ts';
import { healthRoutes } from './http/health-routes.ts';
import { loginLimiter, rateLimit } from './http/rate-limit.ts';
import { securityHeaders } from './http/security-headers.ts';
import { uiRoutes } from './http/ui-routes.ts';
import { SESSION_COOKIE, sessionRoutes } from './http/session-routes.ts';
import { createMetrics } from './http/metrics.ts';
import { createLogger, requestContext } from './http/request-context.ts';

/** Projects exist from the start; a fresh instance has this one so single-team use needs no setup. */
export const DEFAULT_PROJECT = 'default';

const UPLOAD_TIMEOUT_MS = 60 * 60 * 1000;

export interface RunningServer {
  readonly url: string;
  readonly services: Services;
  readonly logger: Logger;
  /**
   * The administrator's API token when this start created it (first start of an empty
   * instance); null afterwards. Shown once: only its hash is stored.
   */
  readonly bootstrapToken: string | null;
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
  const { engine, audit, access, grants, identity, datasets, blobs: blobService } = buildDataServices(database.db, config);
  const jobSystem = await openJobSystem({ database, access, audit, logger });
  const streamSystem = openStreamSystem({ db: database.db, access, audit, logger, maxBlobBytes: config.maxBlobBytes, services: () => services });
  const services: Services = {
    access,
    audit,
    identity,
    datasets,
    blobs: blobService,
    stats: new StorageStats({ engine, access }),
    streams: streamSystem.service,
    jobs: jobSystem.service,
    lineage: new LineageService({ store: new KyselyLineageStore(database.db), access, grants }),
    transforms: openTransformSystem({ db: database.db, datasets, blobs: blobService, access, jobs: jobSystem.service, maxImagePixels: config.maxImagePixels }),
    labeling: new LabelingService({ store: new KyselyLabelingStore(database.db), engine, datasets, access, audit }),
  };
  // An empty instance gets an administrator and a token for it, printed once (there is no
  // default password to forget to change), and the default project, owned by that administrator.
  const bootstrapToken = await identity.bootstrap();
  if (bootstrapToken !== null) {
    logger.warn({ user: BOOTSTRAP_USER }, 'first start: created the administrator; its API token is handed to the process that started the server, once');
    const admin = (await identity.authenticate({ bearer: bootstrapToken }))!.actor;
    await services.datasets.createProject(admin, DEFAULT_PROJECT).catch((error: unknown) => {
      // An instance from before access control already has it; bootstrap made the administrator its owner.
      if (!(error instanceof AlreadyExistsError)) throw error;
    });
  }
  registerBuiltInJobs(services.jobs, services);
  if (config.workers > 0) await jobSystem.run(config.workers);
  else if (database.dialect === 'pglite') logger.warn('SHEAF_WORKERS=0 on the embedded database: jobs will wait, as no other process can open it to run them');

  const metrics = createMetrics();
  const app = new Koa();
  // requestContext logs every failure with its request id; koa's own stderr traces would only
  // repeat them (e.g. each time a client abandons a download).
  app.silent = true;
  // Outside requestContext, which clears the headers of a failed response: error answers keep them too.
  app.use(securityHeaders({ https: config.secureCookies, graphiqlPath: config.graphiql ? '/graphql' : undefined }));
  app.use(requestContext(logger));
  app.use(metrics.middleware);
  app.use(
    authenticate({
      identity,
      sessionCookie: SESSION_COOKIE,
      onRefused: (actor, reason) => access.deny(actor, 'request.csrf', null, 'a cookie-authenticated request', reason),
    }),
  );
  // After authentication, so that each credential has its own budget.
  app.use(rateLimit({ perMinute: config.rateLimitPerMinute }));
  app.use(refuseFailedAuthentication());
  const health = healthRoutes({ checkDatabase: async () => void (await sql`select 1`.execute(database.db)) });
  const blobs = blobRoutes({ blobs: services.blobs, metrics: metrics.blobTraffic });
  const previewCache = new DiskPreviewCache({ root: join(config.dataDir, 'previews') });
  const previews = previewRoutes({
    previews: new PreviewService({ blobs: services.blobs, cache: previewCache, maxImagePixels: config.maxImagePixels }),
  });
  // Only its pathOf is used; stores sharing a root are safe (see FsBlobStore).
  const blobFiles = config.exposeBlobPaths ? new FsBlobStore({ root: join(config.dataDir, 'blobs') }) : null;
  const locate = blobFiles && ((hash: BlobHash) => blobFiles.pathOf(hash));
  const provision = new ProvisionService({ engine, access, grants, blobs: services.blobs, lineage: services.lineage, locate });
  const snapshots = snapshotRoutes({ provision, blobs: services.blobs, lineage: services.lineage, metrics: metrics.blobTraffic });
  const blobPaths = blobPathRoutes({ paths: new BlobPaths({ access, grants, locate }) });
  const interchange = new LabelInterchange({
    datasets,
    blobs: services.blobs,
    access,
    audit,
    provision,
    lineage: services.lineage,
    tempRoot: join(config.dataDir, 'spool'),
    maxBytes: config.maxBlobBytes,
    maxImagePixels: config.maxImagePixels,
  });
  const labels = labelInterchangeRoutes({ interchange, metrics: metrics.blobTraffic });
  const graphql = new Router();
  graphql.all(
    '/graphql',
    graphqlHandler({
      schema,
      services,
      logger,
      graphiql: config.graphiql,
      limits: { maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost, maxAliases: config.maxAliases, maxTokens: config.maxQueryTokens },
      maxRequestBytes: config.maxRequestBytes,
    }),
  );
  const sessions = sessionRoutes({ identity, secureCookies: config.secureCookies, loginLimiter: loginLimiter(config.loginAttemptsPerMinute) });
  for (const router of [health, metrics.router, sessions, blobs, previews, graphql]) app.use(router.routes()).use(router.allowedMethods());
  for (const router of [snapshots, blobPaths, labels]) app.use(router.routes()).use(router.allowedMethods());
  const ndjson = ndjsonRoutes({ ndjson: streamSystem.ndjson });
  app.use(ndjson.routes()).use(ndjson.allowedMethods());
  // Last: the labeling UI answers only what no API route did.
  app.use(uiRoutes());

  const server = app.listen(config.port, config.host);
  // Node ends any request after 5 minutes by default: too short for multi-GB blob uploads.
  server.requestTimeout = UPLOAD_TIMEOUT_MS;
  // A client must send its headers promptly: slow-header connections cannot pile up.
  server.headersTimeout = config.headersTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error) => {
    await jobSystem.close();
    await database.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, database: database.dialect, dataDir: config.dataDir }, 'sheaf is listening');
  // Streams start once the server answers: their state is then visible from the first message.
  await streamSystem.start();
  return {
    url,
    services,
    logger,
    bootstrapToken,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await streamSystem.close();
      await jobSystem.close();
      await database.close();
    },
  };
}
