import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdtemp, open, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Router } from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import { FsBlobStore } from '../../../adapters/blob/fs-blob-store.ts';
import { KyselyAccessStore } from '../../../adapters/db/kysely-access-store.ts';
import { KyselyAuditStore } from '../../../adapters/db/kysely-audit-store.ts';
import { KyselyMembershipStore } from '../../../adapters/db/kysely-membership-store.ts';
import { parseProjectName } from '../../../core/ids.ts';
import { AccessControl } from '../../../services/access/access-control.ts';
import { SCOPES, type Actor } from '../../../services/actor.ts';
import { AuditLog } from '../../../services/audit/audit-log.ts';
import type { BlobHash } from '../../../core/ids.ts';
import { blobRoutes } from '../../../server/http/blob-routes.ts';
import { createMetrics, type Metrics } from '../../../server/http/metrics.ts';
import { createLogger, requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { BlobService } from '../../../services/blob-service.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/databases.ts';

export const MiB = 1024 * 1024;

/** Collects a logger's JSON lines, so tests can read what was logged. */
export function capturingLogger(level = 'debug'): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void chunks.push(line) } });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () => chunks.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/**
 * Polls `check` until it returns a truthy value, or fails after `timeoutMs`. Request log lines
 * and durations are written when the server closes a response, a moment after the client has it.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 2000,
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, undefined | null | false>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Served {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Serves `app` on 127.0.0.1 on a free port. `close` also ends idle keep-alive connections,
 * which fetch leaves open and which would otherwise keep the process alive.
 */
export async function serve(app: Koa<RequestState>): Promise<Served> {
  // Stream errors after the headers are logged by the routes; koa's own printout is noise here.
  app.silent = true;
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The project the blob server's routes serve: `/v1/projects/files/blobs`. */
export const BLOB_PROJECT = 'files';

/** Creates `project` with a user who owns it; returns that user as a token-authenticated actor. */
export async function ownerOfProject(database: TestDatabase, project: string): Promise<Actor> {
  const created = await database.store.refs.createProject(parseProjectName(project));
  const userId = randomUUID();
  await database.db.insertInto('users').values({ id: userId, name: `owner-of-${project}` }).execute();
  await database.db.insertInto('memberships').values({ project_id: created.id, user_id: userId, role: 'owner' }).execute();
  return { userId, name: `owner-of-${project}`, isAdmin: false, credential: { kind: 'token', id: `test-${project}` }, scopes: new Set(SCOPES) };
}

/** The composition the blob tests need: a koa app over an fs blob store and a PGlite catalog. */
export interface BlobServer extends Served {
  readonly blobs: BlobService;
  /** The store under `blobs`, to look at or damage stored files. */
  readonly store: FsBlobStore;
  readonly metrics: Metrics;
  readonly log: ReturnType<typeof capturingLogger>;
  readonly database: TestDatabase;
}

/**
 * Starts koa with requestContext, metrics and the blob routes over a fresh temp directory and
 * PGlite database, with a blob size limit of `maxBlobBytes`. `extra` routers are mounted too.
 */
export async function startBlobServer(
  options: { maxBlobBytes?: number; extra?: Router<RequestState>[] } = {},
): Promise<BlobServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-http-'));
  const database = await openTestDatabase('pglite');
  const store = new FsBlobStore({ root: join(dir, 'blobs') });
  const audit = new AuditLog({ store: new KyselyAuditStore(database.db) });
  const access = new AccessControl({ memberships: new KyselyMembershipStore(database.db), audit });
  const blobs = new BlobService({
    blobs: store,
    catalog: database.store.blobs,
    maxBlobBytes: options.maxBlobBytes ?? MiB,
    access,
    audit,
    grants: new KyselyAccessStore(database.db),
  });
  const owner = await ownerOfProject(database, BLOB_PROJECT);
  const log = capturingLogger();
  const metrics = createMetrics();
  const app = new Koa<RequestState>();
  app.use(metrics.middleware);
  app.use(requestContext(log.logger));
  // Authentication has its own tests: here every request is the project's owner.
  app.use((ctx, next) => {
    ctx.state.actor = owner;
    return next();
  });
  for (const router of [blobRoutes({ blobs, metrics: metrics.blobTraffic }), metrics.router, ...(options.extra ?? [])])
    app.use(router.routes()).use(router.allowedMethods());
  const served = await serve(app);
  return {
    ...served,
    blobs,
    store,
    metrics,
    log,
    database,
    async close() {
      await served.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Flips the first byte of a stored blob behind the store's back (its file is read-only). */
export async function corruptStoredBlob(store: FsBlobStore, hash: string, firstByte: number): Promise<void> {
  const path = store.pathOf(hash as BlobHash);
  await chmod(path, 0o644);
  const handle = await open(path, 'r+');
  await handle.write(Buffer.from([firstByte ^ 0xff]), 0, 1, 0);
  await handle.close();
}
