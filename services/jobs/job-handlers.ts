import type { JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { JobHandler, JobKind, JobKindOptions } from './job-handler.ts';

/** Longest time limit of an attempt: the queue expires jobs after at most a day. */
export const MAX_TIMEOUT_SECONDS = 23 * 3600;
export const MAX_RETRY_LIMIT = 20;
const KIND = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

/**
 * The kinds of job this process knows, by name. The server and every worker register the
 * same kinds at start, so any of them can run any job.
 */
export class JobHandlers {
  private readonly kinds = new Map<string, JobKind>();

  /**
   * Adds a kind of job.
   * @throws Error for a malformed or already registered kind, or options out of range (a programming error)
   */
  register<Input>(kind: string, handler: JobHandler<Input>, options: JobKindOptions<Input> = {}): void {
    if (!KIND.test(kind)) throw new Error(`job kind ${JSON.stringify(kind)} must be dot-separated lowercase words`);
    if (this.kinds.has(kind)) throw new Error(`job kind ${kind} is already registered`);
    const registered: JobKind = {
      kind,
      handler: handler as JobHandler<unknown>,
      parseInput: options.parseInput ?? ((input: JsonValue) => input),
      retryLimit: options.retryLimit ?? 2,
      retryDelaySeconds: options.retryDelaySeconds ?? 5,
      retryBackoff: options.retryBackoff ?? true,
      timeoutSeconds: options.timeoutSeconds ?? 3600,
    };
    checkLimits(registered.timeoutSeconds, registered.retryLimit);
    if (!Number.isInteger(registered.retryDelaySeconds) || registered.retryDelaySeconds < 0)
      throw new Error('retryDelaySeconds must be a whole number of seconds');
    this.kinds.set(kind, registered);
  }

  /** The kind, or undefined when this process does not know it. */
  find(kind: string): JobKind | undefined {
    return this.kinds.get(kind);
  }

  /** @throws InvalidInputError for a kind nobody registered */
  require(kind: string): JobKind {
    const found = this.kinds.get(kind);
    if (!found) throw new InvalidInputError('kind', `no job kind ${JSON.stringify(kind.slice(0, 80))}; known: ${[...this.kinds.keys()].join(', ') || 'none'}`);
    return found;
  }

  /** Every registered kind's name. */
  names(): string[] {
    return [...this.kinds.keys()];
  }
}

/** @throws InvalidInputError unless the limit and retry count are in range */
export function checkLimits(timeoutSeconds: number, retryLimit: number): void {
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)
    throw new InvalidInputError('timeoutSeconds', `must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`);
  if (!Number.isInteger(retryLimit) || retryLimit < 0 || retryLimit > MAX_RETRY_LIMIT)
    throw new InvalidInputError('retryLimit', `must be an integer from 0 to ${MAX_RETRY_LIMIT}`);
}
