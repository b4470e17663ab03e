/** How a transient failure is retried: exponential backoff with jitter, capped. */
export interface BackoffPolicy {
  /** Attempts in all, the first included; `Infinity` retries until the call succeeds or fails for good. */
  readonly attempts: number;
  /** Delay before the first retry, in milliseconds; doubles each time. */
  readonly initialMs: number;
  /** Longest delay between attempts. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { attempts: 5, initialMs: 200, maxMs: 5_000 };

/** Retry until acknowledged: for calls made idempotent by a client-chosen id. */
export const UNTIL_ACKNOWLEDGED: BackoffPolicy = { attempts: Infinity, initialMs: 250, maxMs: 15_000 };

/**
 * The delay before retry number `retry` (1-based): full jitter over an exponentially growing
 * window, so many clients that failed together do not retry in lockstep. A server's
 * Retry-After, when given, is a lower bound.
 */
export function backoffDelay(policy: BackoffPolicy, retry: number, retryAfterSeconds: number | null = null): number {
  const window = Math.min(policy.maxMs, policy.initialMs * 2 ** (retry - 1));
  const jittered = window / 2 + Math.random() * (window / 2);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
