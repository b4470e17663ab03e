import type { JsonValue } from '../../core/canonical-json.ts';
import { JobCancelledError, JobFailure, JobTimeoutError } from '../../core/errors.ts';
import type { Actor } from '../actor.ts';
import { failureOf } from './failure-of.ts';
import type { JobEvents } from './job-events.ts';
import type { JobHandlers } from './job-handlers.ts';
import type { Dispatch, DispatchOutcome, JobQueue } from './job-queue.ts';
import type { AttemptOutcome, JobCreator, JobRecord, JobStore } from './job-store.ts';
import { isFinal } from './job.ts';
import { ProgressTracker } from './progress-tracker.ts';

/** Where the runner reports what only an operator should see. */
export interface JobRunnerLog {
  error(details: object, message: string): void;
}

export interface JobRunnerDeps {
  readonly queue: JobQueue;
  readonly store: JobStore;
  readonly handlers: JobHandlers;
  readonly events: JobEvents;
  readonly log: JobRunnerLog;
  /** How often running jobs' records are checked for a cancellation asked elsewhere. Default 500 ms. */
  readonly cancelPollMs?: number;
  /** Least time between two progress writes of one job. Default 250 ms. */
  readonly progressIntervalMs?: number;
}

/** Aborts handlers when their worker stops; the attempt is retried elsewhere. */
class WorkerStoppedError extends Error {
  readonly code = 'WORKER_STOPPED';
  constructor() {
    super('the worker running the job stopped');
  }
}

/**
 * Runs the attempts the queue hands this process: starts each (unless it was cancelled
 * meanwhile), gives its handler an AbortSignal that fires on cancel, timeout or shutdown,
 * stores progress as it comes, and records how the attempt ended: a result, a failure (final,
 * or retried with backoff when the failure allows it and attempts remain), or cancelled.
 */
export class JobRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly offCancel: () => void;
  private poll: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly deps: JobRunnerDeps) {
    this.offCancel = deps.events.onCancelRequested((id) => this.running.get(id)?.abort(new JobCancelledError(id)));
  }

  /** Starts `concurrency` workers (at least 1). */
  async start(concurrency: number): Promise<void> {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('a job runner needs a concurrency of at least 1');
    await this.deps.queue.work(concurrency, (dispatch) => this.run(dispatch));
    this.poll = setInterval(() => void this.pollCancellations(), this.deps.cancelPollMs ?? 500);
    this.poll.unref();
  }

  /**
   * Stops taking attempts and aborts the running ones (they are retried by another worker, or
   * after a restart); resolves once they have recorded that and the queue has stopped.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.poll);
    this.offCancel();
    const stopped = this.deps.queue.stop();
    for (const controller of this.running.values()) controller.abort(new WorkerStoppedError());
    await stopped;
  }

  private async run(dispatch: Dispatch): Promise<DispatchOutcome> {
    if (this.stopping) return 'retry';
    const job = await this.deps.store.claim(dispatch.id);
    if (!job || isFinal(job.state)) {
      if (job) this.deps.events.changed(job.id);
      return 'done';
    }
    this.deps.events.changed(job.id);
    const controller = new AbortController();
    this.running.set(job.id, controller);
    const timer = setTimeout(() => controller.abort(new JobTimeoutError(job.timeoutSeconds)), job.timeoutSeconds * 1000);
    const tracker = new ProgressTracker({
      intervalMs: this.deps.progressIntervalMs,
      save: async (progress) => {
        await this.deps.store.saveProgress(job.id, job.attempts, progress);
        this.deps.events.changed(job.id);
      },
      onError: (error) => this.deps.log.error({ err: error, job: job.id }, 'could not store the progress of a job'),
    });
    let outcome: AttemptOutcome;
    try {
      const result = await this.attempt(job, controller.signal, tracker);
      outcome = { state: 'succeeded', result };
    } catch (thrown) {
      outcome = this.outcomeOf(job, dispatch, controller.signal.aborted ? controller.signal.reason : thrown);
    } finally {
      clearTimeout(timer);
      this.running.delete(job.id);
    }
    const progress = await tracker.close();
    await this.deps.store.endAttempt(job.id, job.attempts, outcome, progress);
    this.deps.events.changed(job.id);
    return outcome.state === 'retrying' ? 'retry' : 'done';
  }

  private async attempt(job: JobRecord, signal: AbortSignal, tracker: ProgressTracker): Promise<JsonValue> {
    const kind = this.deps.handlers.find(job.kind);
    // Every process registers the same kinds; one that does not (mid-upgrade) hands the job on.
    if (!kind)
      throw new JobFailure('UNKNOWN_JOB_KIND', `this worker does not run jobs of kind ${job.kind}; every server and worker should run the same Sheaf version`, {
        retryable: true,
      });
    const work = kind.handler({
      jobId: job.id,
      project: job.project,
      input: kind.parseInput(job.input),
      attempt: job.attempts,
      progress: (done, total) => tracker.report(done, total ?? null),
      signal,
      actor: actorOf(job.creator),
    });
    // The attempt ends at the abort: a handler that ignores its signal cannot hold the job.
    const result = await untilAborted(work, signal);
    // A result JSON cannot carry fails the attempt here, not the write that records it.
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as JsonValue);
  }

  private outcomeOf(job: JobRecord, dispatch: Dispatch, reason: unknown): AttemptOutcome {
    if (reason instanceof JobCancelledError) return { state: 'cancelled' };
    const attemptsLeft = dispatch.retryCount < dispatch.retryLimit;
    if (reason instanceof WorkerStoppedError) {
      const failure = { code: reason.code, message: `${reason.message}${attemptsLeft ? '; it will be retried' : ''}`, detail: null };
      return { state: attemptsLeft ? 'retrying' : 'failed', failure };
    }
    const { failure, retryable, unexpected } = failureOf(reason, job.id);
    if (unexpected) this.deps.log.error({ err: reason, job: job.id, kind: job.kind, attempt: job.attempts }, 'a job handler failed unexpectedly');
    return { state: retryable && attemptsLeft ? 'retrying' : 'failed', failure };
  }

  private async pollCancellations(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      for (const id of await this.deps.store.cancelRequested([...this.running.keys()])) this.running.get(id)?.abort(new JobCancelledError(id));
    } catch (error) {
      this.deps.log.error({ err: error }, 'could not check running jobs for cancellation');
    }
  }
}

/** The enqueuing user, acting with its credential's scopes; its role is checked on every service call. */
function actorOf(creator: JobCreator): Actor {
  return { userId: creator.userId, name: creator.name, isAdmin: false, credential: creator.credential, scopes: new Set(creator.scopes) };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // Whatever the handler does after the abort is nobody's to report.
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
