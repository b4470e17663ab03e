import { ApiError } from './api-error.ts';
import { backoffDelay, sleep, type BackoffPolicy } from './backoff.ts';
import { fetchJson } from './http-json.ts';
import { session as pageSession, type SessionClient } from './session.ts';

export interface RequestOptions {
  /**
   * Retry network failures and 5xx/429 answers with this policy. Only for calls that are
   * idempotent by design (reads, a submission with its client-chosen id, a lease request):
   * anything else could be applied twice. Default: no retry.
   */
  readonly retry?: BackoffPolicy;
  readonly signal?: AbortSignal;
  /** Told before each retry, e.g. to show "retrying". */
  readonly onRetry?: (error: ApiError, attempt: number) => void;
}

interface GraphqlBody {
  data?: unknown;
  errors?: { message?: string; extensions?: { code?: unknown } }[];
}

/**
 * The UI's GraphQL client. Every request is a same-origin POST to /graphql with the session
 * cookie and the session's `X-CSRF-Token`. A GraphQL error becomes an ApiError with the
 * server's `extensions.code` (INTERNAL when the server masked it). When the server refuses
 * the CSRF token (a session renewed in another tab), the token is recovered once with
 * `GET /v1/session` and the request sent again; the server refused it, so it ran nowhere.
 */
export class GraphqlClient {
  readonly #endpoint: string;
  readonly #session: SessionClient;

  constructor(options: { endpoint?: string; session?: SessionClient } = {}) {
    this.#endpoint = options.endpoint ?? '/graphql';
    this.#session = options.session ?? pageSession;
  }

  /**
   * Runs one operation and returns its `data`.
   * @throws ApiError with the first error's code; UNAUTHENTICATED also forgets the session.
   */
  async request<T>(query: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}): Promise<T> {
    const policy = options.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#send<T>(query, variables, options.signal);
      } catch (error) {
        if (!(error instanceof ApiError) || !error.transient || !policy || attempt >= policy.attempts) throw error;
        options.onRetry?.(error, attempt);
        await sleep(backoffDelay(policy, attempt, error.retryAfterSeconds), options.signal);
      }
    }
  }

  async #send<T>(query: string, variables: Record<string, unknown>, signal: AbortSignal | undefined, recovered = false): Promise<T> {
    const token = this.#session.csrfToken;
    try {
      const { body } = await fetchJson(this.#endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
        body: JSON.stringify({ query, variables }),
        ...(signal ? { signal } : {}),
      });
      return dataOf<T>(body as GraphqlBody);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') this.#session.forget();
      if (!recovered && isCsrfRefusal(error) && (await this.#session.restore().catch(() => null)))
        return this.#send<T>(query, variables, signal, true);
      throw error;
    }
  }
}

function dataOf<T>(body: GraphqlBody): T {
  const first = body.errors?.[0];
  if (first) {
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'GRAPHQL';
    throw new ApiError(code, first.message ?? code);
  }
  if (body.data === undefined || body.data === null) throw new ApiError('BAD_RESPONSE', 'the server answered without data');
  return body.data as T;
}

function isCsrfRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && /csrf/i.test(error.message);
}

/**
 * A result-union member as the existing API returns it: the value, or an `Error` member
 * (`__typename` plus `code` and `message`). Queries select `... on Error { code message }`.
 */
export type Result<T> = T | { readonly __typename: string; readonly code: string; readonly message: string };

/** The value of a result union, or its error member thrown as an ApiError. */
export function unwrap<T extends object>(result: Result<T>): T {
  if ('code' in result && 'message' in result && typeof result.code === 'string' && '__typename' in result && String(result.__typename).endsWith('Error'))
    throw new ApiError(result.code, String(result.message));
  return result as T;
}

/** The page's one client, using the page's session. */
export const graphql = new GraphqlClient();
