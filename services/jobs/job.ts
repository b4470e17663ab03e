import type { JsonValue } from '../../core/canonical-json.ts';

/**
 * Where a job is in its life. `queued` waits for a worker; `running` has a worker; `retrying`
 * failed an attempt and waits (with backoff) for the next; the last three are final.
 */
export type JobState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'];

const FINAL: ReadonlySet<JobState> = new Set<JobState>(['succeeded', 'failed', 'cancelled']);

/** Whether a job in this state will never change again. */
export function isFinal(state: JobState): boolean {
  return FINAL.has(state);
}

export function isJobState(value: unknown): value is JobState {
  return typeof value === 'string' && (JOB_STATES as readonly string[]).includes(value);
}

/** Why a job (or its last attempt) failed. */
export interface JobFailureInfo {
  /** A stable code: the handler's own (JobFailure), a core error's, JOB_TIMEOUT, WORKER_LOST or INTERNAL. */
  readonly code: string;
  readonly message: string;
  /** Per-item failures and the like, as the handler gave them; null otherwise. */
  readonly detail: JsonValue;
}

/** How far the current attempt has come, as its handler last reported (see ProgressTracker). */
export interface JobProgress {
  /** Items done. */
  readonly done: number;
  /** Items in all; null while unknown. */
  readonly total: number | null;
  /** Items per second over the last few seconds; null until there are enough reports. */
  readonly rate: number | null;
  /** Seconds left at `rate`, as of `updatedAt`; null without a total or a rate. */
  readonly etaSeconds: number | null;
  /** When it was reported; null before the first report. */
  readonly updatedAt: Date | null;
}

/** A job as readers see it. */
export interface Job {
  readonly id: string;
  readonly project: string;
  /** Names the handler, e.g. `snapshot.verify`. */
  readonly kind: string;
  readonly input: JsonValue;
  readonly state: JobState;
  /** Attempts started so far. */
  readonly attempts: number;
  /** At most this many attempts (1 + retries). */
  readonly maxAttempts: number;
  /** Each attempt is aborted after this long. */
  readonly timeoutSeconds: number;
  /** Someone asked to cancel it while it ran; its handler has been told. */
  readonly cancelRequested: boolean;
  readonly progress: JobProgress;
  /** The handler's result once succeeded. */
  readonly result: JsonValue | null;
  /** Why it failed, or (while retrying) why the last attempt failed. */
  readonly failure: JobFailureInfo | null;
  /** The name of the user who enqueued it; the job acts as that user. */
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  /** Changes on every state or progress write, so watchers can tell when to look again. */
  readonly updatedAt: Date;
}
