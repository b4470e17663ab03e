import { CliError, ExitCode } from './cli-error.ts';

// Failures of the connection itself, as opposed to failures of reading a request body.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * HTTP access to one Sheaf server: joins paths to the base URL and adds the bearer token.
 * Network failures become CliError UNREACHABLE (exit 3), so every caller reports them alike.
 */
export class ServerConnection {
  constructor(
    /** Base URL without a trailing slash. */
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /**
   * `fetch` of `baseUrl + path`. HTTP error statuses are returned, not thrown.
   * @throws CliError UNREACHABLE when no response arrives
   */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    } catch (error) {
      throw this.describe(error);
    }
  }

  /** Turns an error thrown by fetch, or while reading a response body, into a CliError. */
  describe(error: unknown): CliError {
    if (error instanceof CliError) return error;
    const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    // A request body that failed with its own CliError (see BlobClient.uploadFile).
    if (cause instanceof CliError) return cause;
    const code = cause?.code ?? (error as { code?: string } | undefined)?.code;
    if (code !== undefined && CONNECTION_CODES.has(code))
      return new CliError('UNREACHABLE', `cannot reach the server at ${this.baseUrl} (${code})`, { exitCode: ExitCode.unexpected });
    const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new CliError('UNEXPECTED', `request to ${this.baseUrl} failed: ${message}`, { exitCode: ExitCode.unexpected });
  }
}

/**
 * The CliError for an HTTP error response of the REST routes (`{error:{code,message}}`):
 * 4xx are expected failures (exit 1), anything else unexpected (exit 3).
 */
export async function errorOfResponse(response: Response, what: string): Promise<CliError> {
  const text = await response.text().catch(() => '');
  let code = `HTTP_${response.status}`;
  let message = `${what}: HTTP ${response.status}`;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = `${what}: ${body.error.message}`;
  } catch {
    // Not JSON (a proxy's error page, say): the status is all there is to report.
  }
  const expected = response.status >= 400 && response.status < 500;
  return new CliError(code, message, { exitCode: expected ? ExitCode.failure : ExitCode.unexpected });
}
