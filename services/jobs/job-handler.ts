import type { JsonValue } from '../../core/canonical-json.ts';
import type { Actor } from '../actor.ts';

/** What a handler is given for one attempt of a job. */
export interface JobContext<Input = JsonValue> {
  readonly jobId: string;
  readonly project: string;
  /** The input as enqueued (after the kind's `parseInput`). */
  readonly input: Input;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /**
   * Reports items done out of `total` (null while unknown). Cheap to call per item: writes
   * are throttled, and calls after the attempt ended are ignored.
   */
  progress(done: number, total?: number | null): void;
  /**
   * Aborted when the job is cancelled, times out or its worker stops; `signal.reason` says
   * which. A handler passes it on to what it awaits and stops promptly: the attempt ends at
   * the abort whether or not the handler does.
   */
  readonly signal: AbortSignal;
  /**
   * The user who enqueued the job, with the scopes of the credential used. Services check
   * this actor's role in the project on every call, as they would for a request.
   */
  readonly actor: Actor;
}

/**
 * Does the work of one kind of job and returns its result (JSON). Handlers are deterministic
 * and may run more than once (retries, a lost worker): whatever they write must be safe to
 * write again. Throwing fails the attempt: a JobFailure says why in the handler's own terms
 * and whether to retry; other core errors (invalid input, not found, forbidden) are final;
 * anything else is retried and reported as INTERNAL (its message goes to the log only).
 */
export type JobHandler<Input = JsonValue> = (context: JobContext<Input>) => Promise<JsonValue>;

/** How often and how long a kind of job may run. */
export interface JobKindOptions<Input = JsonValue> {
  /**
   * Checks an input when the job is enqueued, so bad input is refused then rather than
   * failing later; returns what the handler gets.
   * @throws InvalidInputError
   */
  readonly parseInput?: (input: JsonValue) => Input;
  /** Retries after a failed attempt. Default 2. */
  readonly retryLimit?: number;
  /** Seconds before the first retry; doubled for each further one (with jitter) when `retryBackoff`. Default 5. */
  readonly retryDelaySeconds?: number;
  /** Default true. */
  readonly retryBackoff?: boolean;
  /** Each attempt is aborted after this long; enqueue may ask for another limit. Default 1 hour. */
  readonly timeoutSeconds?: number;
}

/** A registered kind with its options filled in. */
export interface JobKind {
  readonly kind: string;
  readonly handler: JobHandler<unknown>;
  readonly parseInput: (input: JsonValue) => unknown;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  readonly retryBackoff: boolean;
  readonly timeoutSeconds: number;
}
