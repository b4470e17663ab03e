import type { JsonValue } from '../../core/canonical-json.ts';
import type { Credential, Scope } from '../actor.ts';
import type { Job, JobFailureInfo, JobProgress, JobState } from './job.ts';

/** Who enqueued a job: the job acts as this user with these scopes. */
export interface JobCreator {
  readonly userId: string | null;
  readonly name: string;
  readonly credential: Credential;
  readonly scopes: readonly Scope[];
}

/** A job with what running it needs. */
export interface JobRecord extends Job {
  /** Orders jobs by creation; the cursor of job lists. */
  readonly seq: number;
  readonly creator: JobCreator;
}

/** A job about to be enqueued. */
export interface NewJob {
  readonly id: string;
  readonly project: string;
  readonly kind: string;
  readonly input: JsonValue;
  readonly maxAttempts: number;
  readonly timeoutSeconds: number;
  readonly creator: JobCreator;
}

/** How an attempt ended, as the worker records it. */
export type AttemptOutcome =
  | { readonly state: 'succeeded'; readonly result: JsonValue }
  | { readonly state: 'failed' | 'retrying'; readonly failure: JobFailureInfo }
  | { readonly state: 'cancelled' };

export interface JobListFilter {
  readonly state?: JobState | undefined;
  readonly kind?: string | undefined;
  /** Only jobs older than this `seq` (keyset pagination, newest first). */
  readonly before?: number | undefined;
  readonly limit: number;
}

/**
 * Sheaf's record of each job: state, attempts, progress, result or failure. The queue decides
 * when an attempt runs; this is what readers see. Writes for an attempt name it, so a worker
 * that lost its job (timed out, presumed dead) cannot overwrite a later attempt's record.
 */
export interface JobStore {
  /** The job of the project named `project`, or null. */
  get(project: string, id: string): Promise<JobRecord | null>;
  /** Newest first. */
  list(project: string, filter: JobListFilter): Promise<JobRecord[]>;
  /**
   * Starts an attempt: a job not yet final becomes `running` with one more attempt, unless a
   * cancellation was asked for (then it becomes `cancelled`). Returns the job as it is now
   * (final ones untouched), or null when there is no such job.
   */
  claim(id: string): Promise<JobRecord | null>;
  /** Stores the attempt's progress, if it is still the running attempt. */
  saveProgress(id: string, attempt: number, progress: JobProgress): Promise<void>;
  /** Records how the attempt ended, with its last progress; false when it no longer was the running attempt. */
  endAttempt(id: string, attempt: number, outcome: AttemptOutcome, progress: JobProgress | null): Promise<boolean>;
  /** Those of `ids` whose cancellation was asked for. */
  cancelRequested(ids: readonly string[]): Promise<string[]>;
}
