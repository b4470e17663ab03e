import { CliError, ExitCode } from './cli-error.ts';
import type { ServerConnection } from './server-connection.ts';

/** A member of a result union: the success type, or a type implementing `Error`. */
export interface UnionResult {
  readonly __typename: string;
  readonly code?: string;
  readonly message?: string;
}

interface GraphqlResponse<T> {
  readonly data?: T | null;
  readonly errors?: readonly { message: string; extensions?: { code?: unknown } }[];
}

// Codes of GraphQL machinery and masked failures: a client sending a query the server does
// not understand, or a server bug, is not something a user's script should branch on.
const UNEXPECTED_CODES = new Set(['INTERNAL', 'INTERNAL_SERVER_ERROR', 'BAD_USER_INPUT', 'BAD_REQUEST']);

/**
 * Posts GraphQL operations to `/graphql`. Errors in the top-level `errors` list that carry a
 * core code (NOT_FOUND, INVALID_HASH…) become CliErrors with that code (exit 1); validation
 * errors, masked server errors and non-JSON answers are unexpected (exit 3).
 */
export class GraphqlClient {
  constructor(private readonly connection: ServerConnection) {}

  /** @throws CliError */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await this.connection.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    let body: GraphqlResponse<T>;
    try {
      body = (await response.json()) as GraphqlResponse<T>;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw this.connection.describe(error);
      // Not GraphQL at all: a proxy or gateway answered. Refusals of the request are the
      // caller's to fix (exit 1); anything else is unexpected.
      const refused = response.status >= 400 && response.status < 500;
      const code = response.status === 401 ? 'UNAUTHORIZED' : response.status === 403 ? 'FORBIDDEN' : refused ? `HTTP_${response.status}` : 'UNEXPECTED';
      throw new CliError(code, `the server answered HTTP ${response.status} without a GraphQL response`, {
        exitCode: refused ? ExitCode.failure : ExitCode.unexpected,
      });
    }
    // The server's HTTP layer refuses some requests before GraphQL runs (a bad token, a rate
    // limit, a body too large): those answer with its own `{ error: { code, message } }`.
    const refusal = (body as { error?: { code?: unknown; message?: unknown } }).error;
    if (!response.ok && typeof refusal?.code === 'string')
      throw new CliError(refusal.code, String(refusal.message ?? `HTTP ${response.status}`), {
        exitCode: response.status >= 500 ? ExitCode.unexpected : ExitCode.failure,
      });
    const first = body.errors?.[0];
    if (first) {
      const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'UNEXPECTED';
      const unexpected = UNEXPECTED_CODES.has(code) || code.startsWith('GRAPHQL_') || code === 'UNEXPECTED';
      throw new CliError(code, first.message, { exitCode: unexpected ? ExitCode.unexpected : ExitCode.failure });
    }
    if (!response.ok || body.data == null)
      throw new CliError('UNEXPECTED', `the server answered HTTP ${response.status} without data`, { exitCode: ExitCode.unexpected });
    return body.data;
  }
}

/**
 * The success member of a result union, or a CliError with the error member's code (exit 1).
 * `data` of the error keeps the fields the query asked for (e.g. merge conflicts).
 * @throws CliError
 */
export function unwrap<T extends UnionResult>(result: T | UnionResult, typename: string): T {
  if (result.__typename === typename) return result as T;
  if (typeof result.code === 'string') {
    const { __typename, code, message, ...data } = result as UnionResult & Record<string, unknown>;
    void __typename;
    throw new CliError(code!, String(message ?? code), { data });
  }
  throw new CliError('UNEXPECTED', `unexpected ${result.__typename} where ${typename} was expected`, { exitCode: ExitCode.unexpected });
}

/** Selection of the code and message of any error member; append to every union selection. */
export const ERROR_FIELDS = '__typename ... on Error { code message }';
