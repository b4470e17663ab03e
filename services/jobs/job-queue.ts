import type { JobRecord, NewJob } from './job-store.ts';

/** When and how often the queue runs a job. */
export interface JobSchedule {
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  readonly retryBackoff: boolean;
  /**
   * After this long without an ending, the queue presumes the attempt's worker dead and
   * schedules a retry (or fails the job when none is left).
   */
  readonly expireSeconds: number;
}

/** One attempt handed to a worker. */
export interface Dispatch {
  readonly id: string;
  /** 0 on the first attempt. */
  readonly retryCount: number;
  readonly retryLimit: number;
}

/**
 * What the worker says about an attempt: `done` (the job's record is final, or the job was
 * not to run) or `retry` (the record says retrying; schedule another attempt with backoff).
 */
export type DispatchOutcome = 'done' | 'retry';

/**
 * Schedules jobs across processes: retries with backoff, expiry of attempts whose worker
 * died, at most one worker per attempt. Adapters keep the job's record (JobStore) and the
 * queue entry in step: enqueue and cancel change both in one transaction.
 */
export interface JobQueue {
  /** Stores the job and queues its first attempt, atomically. */
  enqueue(job: NewJob, schedule: JobSchedule): Promise<JobRecord>;
  /**
   * Cancels a job of the project: one not yet started is cancelled at once and never starts;
   * a running one is marked for cancellation (its worker aborts it) and will not be retried.
   * Returns the job afterwards, unchanged when it had already ended; null when not found.
   */
  cancel(project: string, id: string): Promise<JobRecord | null>;
  /**
   * Starts `concurrency` workers in this process, each running one attempt at a time with
   * `run`. A rejection of `run` counts as `retry`.
   */
  work(concurrency: number, run: (dispatch: Dispatch) => Promise<DispatchOutcome>): Promise<void>;
  /** Tells this process's idle workers to look for work now (a job was just enqueued here). */
  wake(): void;
  /** Stops fetching new attempts; resolves once the queue's own timers are stopped. */
  stop(): Promise<void>;
}
