import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson, type JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError, JobFinishedError, NotFoundError } from '../../core/errors.ts';
import { parseProjectName } from '../../core/ids.ts';
import type { AccessControl } from '../access/access-control.ts';
import { guardedMutation } from '../access/guarded-mutation.ts';
import type { Actor } from '../actor.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import { digestOf } from '../audit/digest.ts';
import type { JobEvents } from './job-events.ts';
import type { JobHandler, JobKindOptions } from './job-handler.ts';
import { checkLimits, type JobHandlers } from './job-handlers.ts';
import type { JobQueue } from './job-queue.ts';
import type { JobRecord, JobStore } from './job-store.ts';
import { isFinal, isJobState, type Job } from './job.ts';

/** A job to start, as clients send it. */
export interface EnqueueRequest {
  readonly kind: string;
  readonly input: JsonValue;
  /** Default: the kind's. */
  readonly timeoutSeconds?: number | null | undefined;
  /** Default: the kind's. */
  readonly retryLimit?: number | null | undefined;
}

export interface JobListRequest {
  readonly state?: string | null | undefined;
  readonly kind?: string | null | undefined;
  /** A job id from a previous page: the list continues with older jobs. */
  readonly after?: string | null | undefined;
  readonly limit: number;
}

export interface JobServiceDeps {
  readonly store: JobStore;
  readonly queue: JobQueue;
  readonly handlers: JobHandlers;
  readonly events: JobEvents;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  /** How often a watched job's record is read again. Default 250 ms. */
  readonly watchPollMs?: number;
}

/** Job inputs name hashes and parameters; data goes through blobs and snapshots. */
export const MAX_INPUT_BYTES = 64 * 1024;
// An attempt that outlives its limit by this much is presumed lost with its worker.
const EXPIRY_GRACE_SECONDS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Jobs of a project: enqueue (needs `data.write`; audited), read and list (`project.read`),
 * cancel (`data.write`; audited), and watch one until it ends. Which kinds exist is up to the
 * handlers registered at start, in the server and in every worker alike.
 */
export class JobService {
  constructor(private readonly deps: JobServiceDeps) {}

  /** Adds a kind of job; see JobHandlers.register. */
  registerHandler<Input>(kind: string, handler: JobHandler<Input>, options?: JobKindOptions<Input>): void {
    this.deps.handlers.register(kind, handler, options);
  }

  /**
   * Queues a job that will run as `actor`. Its input is checked now by the kind's parser.
   * @throws ForbiddenError, InvalidInputError (unknown kind, bad input, limits out of range), NotFoundError('project')
   */
  enqueue(actor: Actor | null, project: string, request: EnqueueRequest): Promise<Job> {
    const access = { project, permission: 'data.write' as const, action: 'job.enqueue' };
    const record = { target: clipKind(request.kind), inputs: { kind: clipKind(request.kind), input: digestOf([request.input]) } };
    return guardedMutation(this.deps, actor, access, record, async (who) => {
      parseProjectName(project);
      const kind = this.deps.handlers.require(request.kind);
      if (canonicalJson(request.input, 'input').length > MAX_INPUT_BYTES)
        throw new InvalidInputError('input', `is over ${MAX_INPUT_BYTES} bytes of JSON; pass data by hash`);
      kind.parseInput(request.input);
      const timeoutSeconds = request.timeoutSeconds ?? kind.timeoutSeconds;
      const retryLimit = request.retryLimit ?? kind.retryLimit;
      checkLimits(timeoutSeconds, retryLimit);
      const job = await this.deps.queue.enqueue(
        {
          id: randomUUID(),
          project,
          kind: kind.kind,
          input: request.input,
          maxAttempts: retryLimit + 1,
          timeoutSeconds,
          creator: { userId: who.userId, name: who.name, credential: who.credential, scopes: [...who.scopes] },
        },
        { retryLimit, retryDelaySeconds: kind.retryDelaySeconds, retryBackoff: kind.retryBackoff, expireSeconds: timeoutSeconds + EXPIRY_GRACE_SECONDS },
      );
      this.deps.queue.wake();
      return job;
    }, (job) => ({ id: job.id }));
  }

  /** @throws ForbiddenError, InvalidInputError (not a job id), NotFoundError('job') */
  async get(actor: Actor | null, project: string, id: string): Promise<Job> {
    await this.deps.access.require(actor, { project, permission: 'project.read', action: 'job.read' });
    return this.find(project, id);
  }

  /** Jobs of the project, newest first, optionally in one state or of one kind. @throws ForbiddenError, InvalidInputError */
  async list(actor: Actor | null, project: string, request: JobListRequest): Promise<Job[]> {
    await this.deps.access.require(actor, { project, permission: 'project.read', action: 'job.list' });
    if (request.state != null && !isJobState(request.state)) throw new InvalidInputError('state', 'must be one of queued, running, retrying, succeeded, failed, cancelled');
    if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 1000) throw new InvalidInputError('limit', 'must be an integer from 1 to 1000');
    const before = request.after == null ? undefined : (await this.find(project, request.after)).seq;
    return this.deps.store.list(project, { state: request.state ?? undefined, kind: request.kind ?? undefined, before, limit: request.limit });
  }

  /**
   * Cancels a job: a queued or retrying one never runs again; a running one has its handler's
   * signal aborted and ends `cancelled` shortly after. Cancelling a cancelled job changes nothing.
   * @throws ForbiddenError, InvalidInputError, NotFoundError('job'), JobFinishedError when it already succeeded or failed
   */
  cancel(actor: Actor | null, project: string, id: string): Promise<Job> {
    const access = { project, permission: 'data.write' as const, action: 'job.cancel' };
    return guardedMutation(this.deps, actor, access, { target: id.slice(0, 64), inputs: {} }, async () => {
      parseJobId(id);
      const job = await this.deps.queue.cancel(project, id);
      if (!job) throw new NotFoundError('job', id);
      if (job.state === 'succeeded' || job.state === 'failed') throw new JobFinishedError(id, job.state);
      if (job.cancelRequested && job.state === 'running') this.deps.events.cancelRequested(id);
      this.deps.events.changed(id);
      return job;
    }, (job) => ({ state: job.state }));
  }

  /**
   * The job now and after every change, until it is final (the final state is the last value).
   * Changes come from the database, so jobs running in other processes are seen too; a change
   * made in this process is seen at once, others within `watchPollMs`. Ending the iteration
   * early (`return`) stops the polling at once.
   * @throws ForbiddenError, InvalidInputError, NotFoundError('job'), before any value
   */
  async watch(actor: Actor | null, project: string, id: string): Promise<AsyncIterableIterator<Job>> {
    const first = await this.get(actor, project, id);
    const stop = new AbortController();
    const changes = this.changes(first, stop.signal);
    const iterator: AsyncIterableIterator<Job> = {
      next: () => changes.next(),
      return: (value?: unknown) => {
        // The generator may be waiting for a change rather than at a `yield`: wake it, so the
        // queued return is taken at once instead of when the job next changes.
        stop.abort();
        return changes.return(value as undefined);
      },
      throw: (error?: unknown) => {
        stop.abort();
        return changes.throw(error);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private async *changes(first: Job, signal: AbortSignal): AsyncGenerator<Job, undefined> {
    let job = first;
    yield job;
    let seen = versionOf(job);
    while (!isFinal(job.state)) {
      await this.nextChange(job.id, signal);
      if (signal.aborted) return;
      job = await this.find(job.project, job.id);
      const version = versionOf(job);
      if (version !== seen) yield job;
      seen = version;
    }
    return;
  }

  private async find(project: string, id: string): Promise<JobRecord> {
    const job = await this.deps.store.get(project, parseJobId(id));
    if (!job) throw new NotFoundError('job', id);
    return job;
  }

  /** Resolves at the next local change of the job, after `watchPollMs`, or on abort. */
  private async nextChange(id: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const wake = new AbortController();
    const off = this.deps.events.onChanged(id, () => wake.abort());
    const onAbort = () => wake.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await sleep(this.deps.watchPollMs ?? 250, undefined, { signal: wake.signal }).catch(() => {});
    } finally {
      off();
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/** @throws InvalidInputError unless `id` is a job id (a UUID) */
export function parseJobId(id: string): string {
  if (!UUID.test(id)) throw new InvalidInputError('job id', 'expected a UUID such as 3f2b…-…');
  return id;
}

function clipKind(kind: string): string {
  return kind.slice(0, 64);
}

function versionOf(job: Job): string {
  return `${job.state}:${job.updatedAt.getTime()}:${job.attempts}:${job.cancelRequested}`;
}
