import type { JsonValue } from '../../core/canonical-json.ts';
import { CoreError, JobFailure, JobTimeoutError } from '../../core/errors.ts';
import type { JobFailureInfo } from './job.ts';

/** How a failed attempt is reported, and whether another attempt may succeed. */
export interface AttemptFailure {
  readonly failure: JobFailureInfo;
  readonly retryable: boolean;
  /** Unexpected errors: their message stays in the log, the job shows INTERNAL. */
  readonly unexpected: boolean;
}

/**
 * Classifies what a handler threw. A JobFailure carries the handler's code, detail and retry
 * wish; a timeout is retried (the next attempt may find the machine less busy); other core
 * errors (invalid input, not found, forbidden, corrupt data) would fail the same way again;
 * anything else is unexpected: retried, and shown as INTERNAL because its message may hold
 * paths or SQL that the job's readers must not see.
 */
export function failureOf(error: unknown, jobId: string): AttemptFailure {
  if (error instanceof JobFailure)
    return { failure: { code: error.code, message: error.message, detail: asJson(error.data.detail) }, retryable: error.data.retryable, unexpected: false };
  if (error instanceof JobTimeoutError) return { failure: { code: error.code, message: error.message, detail: null }, retryable: true, unexpected: false };
  if (error instanceof CoreError) return { failure: { code: error.code, message: error.message, detail: null }, retryable: false, unexpected: false };
  return {
    failure: { code: 'INTERNAL', message: `the job failed unexpectedly; the server log has the details (job ${jobId})`, detail: null },
    retryable: true,
    unexpected: true,
  };
}

// A detail that JSON cannot carry (a function, a cycle) is replaced by a note rather than
// failing the write that records the failure.
function asJson(detail: unknown): JsonValue {
  try {
    return detail === undefined ? null : (JSON.parse(JSON.stringify(detail)) as JsonValue);
  } catch {
    return 'detail not representable as JSON';
  }
}
