import { STATUS_CODES } from 'node:http';
import {
  AlreadyExistsError,
  BlobHashMismatchError,
  BlobTooLargeError,
  CoreError,
  CorruptObjectError,
  ForbiddenError,
  InvalidInputError,
  JobFinishedError,
  MergeConflictError,
  NoMergeBaseError,
  NothingToCommitError,
  NotFoundError,
  RateLimitedError,
  RefConflictError,
  UnauthenticatedError,
} from '../../core/errors.ts';

/** The JSON body of every error response of the HTTP routes. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly data?: object };
}

/**
 * The HTTP status of a failure: the one mapping from core errors to HTTP, most specific class
 * first (InvalidHashError, InvalidPathError and InvalidNameError are InvalidInputErrors).
 * Errors koa raises itself (`ctx.throw(413)`, an http-errors error with `expose`) keep their
 * status. Anything else is unexpected: 500.
 */
export function httpStatusOf(error: unknown): number {
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof BlobTooLargeError) return 413;
  // The request was well formed, but its content does not match the digest it claimed.
  if (error instanceof BlobHashMismatchError) return 422;
  if (error instanceof InvalidInputError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof AlreadyExistsError) return 409;
  if (error instanceof RefConflictError) return 409;
  if (error instanceof MergeConflictError) return 409;
  if (error instanceof NothingToCommitError) return 409;
  if (error instanceof JobFinishedError) return 409;
  // The request is fine; the histories it names cannot be merged as they stand.
  if (error instanceof NoMergeBaseError) return 409;
  if (error instanceof CorruptObjectError) return 500;
  if (isExposedHttpError(error)) return error.status;
  return 500;
}

/**
 * The response body for a failure. Core errors and exposed koa errors carry their code, message
 * and data, which are part of the API. Any other error is masked: its message may hold SQL, file
 * paths or secrets, so it goes to the log only.
 */
export function errorBody(error: unknown): ErrorBody {
  if (error instanceof CoreError) return { error: { code: error.code, message: error.message, data: error.data } };
  if (isExposedHttpError(error)) return { error: { code: httpCodeOf(error.status), message: error.message } };
  return { error: { code: 'INTERNAL', message: 'internal error' } };
}

/**
 * Response headers a failure calls for beyond its body: `Retry-After` (seconds) for a rate
 * limit, and the `WWW-Authenticate` challenge HTTP requires with a 401. Whoever answers the
 * error sets them after clearing the headers of the response that is not being sent.
 */
export function errorHeaders(error: unknown): Record<string, string> {
  if (error instanceof RateLimitedError) return { 'Retry-After': String(error.data.retryAfterSeconds) };
  if (error instanceof UnauthenticatedError) return { 'WWW-Authenticate': 'Bearer realm="sheaf"' };
  return {};
}

/** Whether `error` is expected: a core error or an exposed koa error, answered as is. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof CoreError || isExposedHttpError(error);
}

/** An http-errors error (what `ctx.throw` raises) that koa marks safe to show: 4xx only. */
export interface ExposedHttpError extends Error {
  readonly status: number;
  readonly expose: true;
  readonly headers?: Record<string, string>;
}

/**
 * Recognized by shape rather than class: http-errors is koa's dependency, not ours, and a copy
 * of it bundled by another package would fail an `instanceof` test.
 */
export function isExposedHttpError(error: unknown): error is ExposedHttpError {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as Partial<ExposedHttpError>;
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

/** 413 → "PAYLOAD_TOO_LARGE", in the style of the core's codes. */
export function httpCodeOf(status: number): string {
  const reason = STATUS_CODES[status] ?? `HTTP ${status}`;
  return reason.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
}
