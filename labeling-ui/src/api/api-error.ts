/**
 * A failed API call, carrying the server's machine-readable code: the GraphQL error's
 * `extensions.code` or a result union member's `code` (NOT_FOUND, FORBIDDEN, INVALID_INPUT…),
 * the HTTP routes' `error.code`, or one of the client's own:
 * - `NETWORK`: the request never got an answer (offline, server down, connection reset);
 * - `HTTP_<status>`: an answer that was not the JSON the API speaks (e.g. a proxy's 502 page).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status of the answer; null when there was none. */
    readonly status: number | null = null,
    /** Seconds the server asked to wait before retrying (Retry-After), when it said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** Worth retrying unchanged: no answer, a server failure, or "too many requests". */
  get transient(): boolean {
    return this.code === 'NETWORK' || (this.status !== null && (this.status >= 500 || this.status === 429));
  }
}

/** True when signing in again would help: the session is missing, expired or revoked. */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'UNAUTHENTICATED';
}

/** The error's message for people, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
