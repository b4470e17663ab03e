import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../../adapters/db/database.ts';
import { KyselyAuditStore } from '../../../adapters/db/kysely-audit-store.ts';
import { KyselyIdentityStore } from '../../../adapters/db/kysely-identity-store.ts';
import { KyselyJobStore } from '../../../adapters/db/kysely-job-store.ts';
import { migrateToLatest } from '../../../adapters/db/migrate.ts';
import { openDatabase, type OpenedDatabase } from '../../../adapters/db/open-database.ts';
import { queueSqlOf } from '../../../adapters/db/queue-sql.ts';
import { PgBossJobQueue } from '../../../adapters/jobs/pg-boss-job-queue.ts';
import type { ProjectName } from '../../../core/ids.ts';
import { createVersionStore } from '../../../adapters/db/kysely-version-store.ts';
import { AccessControl } from '../../../services/access/access-control.ts';
import type { Actor } from '../../../services/actor.ts';
import { AuditLog } from '../../../services/audit/audit-log.ts';
import { IdentityService } from '../../../services/identity/identity-service.ts';
import { JobEvents } from '../../../services/jobs/job-events.ts';
import { JobHandlers } from '../../../services/jobs/job-handlers.ts';
import { JobRunner } from '../../../services/jobs/job-runner.ts';
import { JobService } from '../../../services/jobs/job-service.ts';
import type { Job } from '../../../services/jobs/job.ts';
import { createScratchDatabase, type DatabaseKind } from '../../helpers/databases.ts';

export const PROJECT = 'vision';

/** A job service on a fresh database, with users of each kind and runners to start. */
export interface JobFixture {
  readonly kind: DatabaseKind;
  readonly database: OpenedDatabase;
  readonly db: Kysely<Database>;
  readonly handlers: JobHandlers;
  readonly store: KyselyJobStore;
  readonly queue: PgBossJobQueue;
  readonly jobs: JobService;
  /** What runners logged as errors (unexpected handler failures among them). */
  readonly logged: { details: object; message: string }[];
  /** Fresh actors (actors cache memberships for one request). */
  maintainer(): Promise<Actor>;
  viewer(): Promise<Actor>;
  /** A member of another project only. */
  outsider(): Promise<Actor>;
  /** Starts a runner with its own queue connection, as another process would (knowing `kinds`, default all). */
  runner(concurrency?: number, kinds?: JobHandlers): Promise<JobRunner>;
  /** A second job service on its own queue and events: what another process sees. */
  elsewhere(): Promise<JobService>;
  /** Polls the job (as the maintainer) until `done` holds; throws after `timeoutMs`. */
  until(id: string, done: (job: Job) => boolean, timeoutMs?: number): Promise<Job>;
  auditActions(): Promise<{ action: string; outcome: string; error_code: string | null }[]>;
  close(): Promise<void>;
}

export async function openJobFixture(kind: DatabaseKind): Promise<JobFixture> {
  const scratch = kind === 'postgres' ? await createScratchDatabase() : null;
  const database = await openDatabase(scratch ? { url: scratch.url } : { memory: true });
  await migrateToLatest(database.db);
  const { db } = database;
  const versions = createVersionStore(db);
  await versions.refs.createProject(PROJECT as ProjectName);
  await versions.refs.createProject('other' as ProjectName);
  const audit = new AuditLog({ store: new KyselyAuditStore(db) });
  const identityStore = new KyselyIdentityStore(db);
  const access = new AccessControl({ memberships: identityStore.memberships, audit });
  audit.useAccessControl(access);
  const identity = new IdentityService({ store: identityStore, access, audit });
  const adminToken = (await identity.bootstrap())!;
  const actorOf = async (token: string) => (await identity.authenticate({ bearer: token }))!.actor;
  const admin = await actorOf(adminToken);
  const tokenFor = async (user: string, project: string, role: string) => {
    await identity.createUser(admin, { name: user });
    await identity.setMember(admin, { project, user, role });
    return (await identity.createToken(admin, { name: user, scopes: ['read', 'write'], user })).token;
  };
  const tokens = {
    maintainer: await tokenFor('mia', PROJECT, 'maintainer'),
    viewer: await tokenFor('vic', PROJECT, 'viewer'),
    outsider: await tokenFor('oto', 'other', 'maintainer'),
  };
  const logged: JobFixture['logged'] = [];
  const log = { error: (details: object, message: string) => void logged.push({ details, message }) };
  const queues: PgBossJobQueue[] = [];
  const openQueue = async () => {
    const queue = await PgBossJobQueue.start({
      db,
      sql: queueSqlOf(database),
      pollingIntervalSeconds: 0.5,
      maintenanceIntervalSeconds: 1,
      onError: (error) => log.error({ err: error }, 'queue error'),
    });
    queues.push(queue);
    return queue;
  };
  const handlers = new JobHandlers();
  const store = new KyselyJobStore(db);
  const queue = await openQueue();
  const events = new JobEvents();
  const serviceOn = (q: PgBossJobQueue, e: JobEvents) => new JobService({ store, queue: q, handlers, events: e, access, audit, watchPollMs: 100 });
  const jobs = serviceOn(queue, events);
  const runners: JobRunner[] = [];
  const fixture: JobFixture = {
    kind,
    database,
    db,
    handlers,
    store,
    queue,
    jobs,
    logged,
    maintainer: () => actorOf(tokens.maintainer),
    viewer: () => actorOf(tokens.viewer),
    outsider: () => actorOf(tokens.outsider),
    async runner(concurrency = 1, kinds = handlers) {
      // Its own queue, like a worker process; local events still reach it, as in a server.
      const runner = new JobRunner({ queue: await openQueue(), store, handlers: kinds, events, log, cancelPollMs: 100 });
      await runner.start(concurrency);
      runners.push(runner);
      return runner;
    },
    async elsewhere() {
      return serviceOn(await openQueue(), new JobEvents());
    },
    async until(id, done, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await jobs.get(await fixture.maintainer(), PROJECT, id);
        if (done(job)) return job;
        if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs} ms: ${JSON.stringify(job)}`);
        await sleep(50);
      }
    },
    auditActions: () => db.selectFrom('audit_log').select(['action', 'outcome', 'error_code']).where('action', 'like', 'job.%').orderBy('seq').execute(),
    async close() {
      for (const runner of runners) await runner.stop();
      for (const q of queues) await q.stop();
      await database.close();
      await scratch?.drop();
    },
  };
  return fixture;
}

/** Resolves when `signal` aborts, with its reason. */
export function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
  });
}
