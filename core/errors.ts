/**
 * Every expected failure of the core is a `CoreError` subclass with a stable `code` and typed
 * `data`. Layers above map these codes once (to GraphQL results, HTTP statuses, CLI exit codes);
 * nothing below `schema/` knows about transport errors.
 */
export abstract class CoreError<Data extends object = object> extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly data: Data,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** What kind of thing was missing, taken or invalid: used in error data and messages. */
export type EntityKind =
  | 'project'
  | 'dataset'
  | 'branch'
  | 'tag'
  | 'commit'
  | 'snapshot'
  | 'node'
  | 'blob'
  | 'item'
  | 'ref'
  | 'user'
  | 'token'
  | 'membership'
  | 'job'
  | 'stream'
  | 'labeling project';

export class NotFoundError extends CoreError<{ kind: EntityKind; id: string }> {
  static readonly code = 'NOT_FOUND';
  readonly code = NotFoundError.code;
  constructor(kind: EntityKind, id: string) {
    super(`${kind} not found: ${id}`, { kind, id });
  }
}

export class AlreadyExistsError extends CoreError<{ kind: EntityKind; name: string }> {
  static readonly code = 'ALREADY_EXISTS';
  readonly code = AlreadyExistsError.code;
  constructor(kind: EntityKind, name: string) {
    super(`${kind} already exists: ${name}`, { kind, name });
  }
}

/** Input that can never be valid, whatever the state of the store. */
export class InvalidInputError extends CoreError<{ field: string; reason: string }> {
  static readonly code: string = 'INVALID_INPUT';
  readonly code: string = InvalidInputError.code;
  constructor(field: string, reason: string) {
    super(`invalid ${field}: ${reason}`, { field, reason });
  }
}

export class InvalidPathError extends InvalidInputError {
  static override readonly code = 'INVALID_PATH';
  override readonly code = InvalidPathError.code;
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super('path', `${JSON.stringify(path.length > 80 ? path.slice(0, 80) + '…' : path)} ${reason}`);
  }
}

export class InvalidHashError extends InvalidInputError {
  static override readonly code = 'INVALID_HASH';
  override readonly code = InvalidHashError.code;
  constructor(field: string, value: unknown) {
    super(field, `expected 64 lowercase hex characters, got ${describe(value)}`);
  }
}

export class InvalidNameError extends InvalidInputError {
  static override readonly code = 'INVALID_NAME';
  override readonly code = InvalidNameError.code;
  constructor(kind: EntityKind, value: unknown, reason: string) {
    super(`${kind} name`, `${describe(value)} ${reason}`);
  }
}

/** A compare-and-swap on a name lost: someone else moved it first. Nothing was changed. */
export class RefConflictError extends CoreError<{ ref: string; expected: string | null; actual: string | null }> {
  static readonly code = 'REF_CONFLICT';
  readonly code = RefConflictError.code;
  constructor(ref: string, expected: string | null, actual: string | null) {
    super(`${ref} moved: expected ${expected ?? 'nothing'}, found ${actual ?? 'nothing'}`, { ref, expected, actual });
  }
}

/** Uploaded bytes do not hash to the hash the client claimed. Nothing was stored. */
export class BlobHashMismatchError extends CoreError<{ expected: string; actual: string }> {
  static readonly code = 'BLOB_HASH_MISMATCH';
  readonly code = BlobHashMismatchError.code;
  constructor(expected: string, actual: string) {
    super(`blob content hashes to ${actual}, not the claimed ${expected}`, { expected, actual });
  }
}

/** An upload went past the configured size limit. Nothing was stored. */
export class BlobTooLargeError extends CoreError<{ maxBytes: number }> {
  static readonly code = 'BLOB_TOO_LARGE';
  readonly code = BlobTooLargeError.code;
  constructor(maxBytes: number) {
    super(`blob exceeds the maximum size of ${maxBytes} bytes`, { maxBytes });
  }
}

/** Stored bytes no longer match their address: disk or database corruption. */
export class CorruptObjectError extends CoreError<{ kind: EntityKind; hash: string; actual: string }> {
  static readonly code = 'CORRUPT_OBJECT';
  readonly code = CorruptObjectError.code;
  constructor(kind: EntityKind, hash: string, actual: string) {
    super(`${kind} ${hash} is corrupt: its content hashes to ${actual}`, { kind, hash, actual });
  }
}

export class NothingToCommitError extends CoreError<{ branch: string }> {
  static readonly code = 'NOTHING_TO_COMMIT';
  readonly code = NothingToCommitError.code;
  constructor(branch: string) {
    super(`nothing staged on ${branch}`, { branch });
  }
}

/** One item changed differently on both sides of a merge. `null` means absent on that side. */
export interface MergeConflict {
  path: string;
  base: unknown | null;
  ours: unknown | null;
  theirs: unknown | null;
}

/** Conflicts listed in full up to this many; `total` always counts them all. */
export const MAX_LISTED_CONFLICTS = 1000;

export class MergeConflictError extends CoreError<{ conflicts: MergeConflict[]; total: number }> {
  static readonly code = 'MERGE_CONFLICT';
  readonly code = MergeConflictError.code;
  constructor(conflicts: MergeConflict[]) {
    super(`merge has ${conflicts.length} conflicting item(s)`, {
      conflicts: conflicts.slice(0, MAX_LISTED_CONFLICTS),
      total: conflicts.length,
    });
  }
}

export class NoMergeBaseError extends CoreError<{ ours: string; theirs: string }> {
  static readonly code = 'NO_MERGE_BASE';
  readonly code = NoMergeBaseError.code;
  constructor(ours: string, theirs: string) {
    super(`commits ${ours} and ${theirs} share no ancestor`, { ours, theirs });
  }
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  return JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value);
}

/** The request carries no valid credential: none, unknown, expired or revoked. */
export class UnauthenticatedError extends CoreError<{ reason: string }> {
  static readonly code = 'UNAUTHENTICATED';
  readonly code = UnauthenticatedError.code;
  constructor(reason: string) {
    super(`not signed in: ${reason}`, { reason });
  }
}

/**
 * The caller is known but may not do this. Says what was refused and where, never whether the
 * thing exists: a project the caller cannot see is refused the same whether it exists or not.
 */
export class ForbiddenError extends CoreError<{ permission: string; resource: string }> {
  static readonly code = 'FORBIDDEN';
  readonly code = ForbiddenError.code;
  constructor(permission: string, resource: string) {
    super(`forbidden: ${permission} on ${resource}`, { permission, resource });
  }
}

/** Too many requests for one credential in the current window; retry after `retryAfterSeconds`. */
export class RateLimitedError extends CoreError<{ retryAfterSeconds: number }> {
  static readonly code = 'RATE_LIMITED';
  readonly code = RateLimitedError.code;
  constructor(retryAfterSeconds: number) {
    super(`too many requests: retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/** A job's attempt ran past its time limit; its handler's signal was aborted. */
export class JobTimeoutError extends CoreError<{ timeoutSeconds: number }> {
  static readonly code = 'JOB_TIMEOUT';
  readonly code = JobTimeoutError.code;
  constructor(timeoutSeconds: number) {
    super(`the job ran longer than its limit of ${timeoutSeconds} s`, { timeoutSeconds });
  }
}

/** The reason a running job's signal is aborted when someone cancels it. */
export class JobCancelledError extends CoreError<{ job: string }> {
  static readonly code = 'JOB_CANCELLED';
  readonly code = JobCancelledError.code;
  constructor(job: string) {
    super(`job ${job} was cancelled`, { job });
  }
}

/** The job has already ended (succeeded or failed), so it cannot be cancelled. Nothing changed. */
export class JobFinishedError extends CoreError<{ job: string; state: string }> {
  static readonly code = 'JOB_FINISHED';
  readonly code = JobFinishedError.code;
  constructor(job: string, state: string) {
    super(`job ${job} has already ended: ${state}`, { job, state });
  }
}

/**
 * What a job handler throws to fail with a reason of its own: a stable `code` (e.g.
 * `CORRUPT_BLOBS`), a message for the job's readers, optional JSON `detail` (per-item
 * failures) and whether another attempt might succeed.
 */
export class JobFailure extends CoreError<{ detail: unknown; retryable: boolean }> {
  readonly code: string;
  constructor(code: string, message: string, options: { detail?: unknown; retryable?: boolean } = {}) {
    super(message, { detail: options.detail ?? null, retryable: options.retryable ?? false });
    this.code = code;
  }
}

/**
 * Something that needs a database other processes can reach (a separate job worker) was asked
 * of the embedded one, which only the process that opened it can use.
 */
export class PostgresRequiredError extends CoreError<{ what: string }> {
  static readonly code = 'POSTGRES_REQUIRED';
  readonly code = PostgresRequiredError.code;
  constructor(what: string) {
    super(`${what} needs PostgreSQL (set DATABASE_URL): the embedded database can only be opened by the one process that runs it`, { what });
  }
}

/** A keep rule (an edge filter on item meta, e.g. `meta.confidence<0.5`) that cannot be parsed. */
export class KeepRuleError extends InvalidInputError {
  static override readonly code = 'INVALID_KEEP_RULE';
  override readonly code = KeepRuleError.code;
  constructor(
    readonly rule: string,
    /** Offset in the rule where the problem starts. */
    readonly position: number,
    reason: string,
  ) {
    super('keep rule', `${reason} at offset ${position} of ${JSON.stringify(rule.length > 80 ? rule.slice(0, 80) + '…' : rule)}`);
  }
}

/** An item path template (e.g. `{topic}/{timestamp}-{hash}.jpg`) that cannot be parsed. */
export class PathTemplateError extends InvalidInputError {
  static override readonly code = 'INVALID_PATH_TEMPLATE';
  override readonly code = PathTemplateError.code;
  constructor(template: string, reason: string) {
    super('path template', `${JSON.stringify(template.length > 80 ? template.slice(0, 80) + '…' : template)} ${reason}`);
  }
}

/** One line of a line-delimited upload is longer than the limit; the line is refused, the others are not. */
export class LineTooLongError extends InvalidInputError {
  static override readonly code = 'LINE_TOO_LONG';
  override readonly code = LineTooLongError.code;
  constructor(readonly maxBytes: number) {
    super('line', `is longer than ${maxBytes} bytes`);
  }
}
