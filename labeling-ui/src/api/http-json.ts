import { ApiError } from './api-error.ts';

/**
 * Sends a request and reads the JSON answer. Fetch failures (no answer at all) become
 * ApiError('NETWORK'); an error answer of the HTTP routes (`{ error: { code, message } }`)
 * becomes ApiError with that code and the status; any other non-JSON answer ApiError('HTTP_<status>').
 * Cookies go along for this origin only.
 */
export async function fetchJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError('NETWORK', `the server did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  let body: unknown = null;
  if (response.status !== 204) {
    const text = await response.text();
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      throw new ApiError(`HTTP_${response.status}`, `the server answered ${response.status} ${response.statusText} without JSON`, response.status, retryAfterSeconds);
    }
  }
  const routeError = routeErrorOf(body);
  if (routeError) throw new ApiError(routeError.code, routeError.message, response.status, retryAfterSeconds);
  if (!response.ok && !isGraphqlBody(body))
    throw new ApiError(`HTTP_${response.status}`, `the server answered ${response.status} ${response.statusText}`, response.status, retryAfterSeconds);
  return { status: response.status, body };
}

function routeErrorOf(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? { code, message: typeof message === 'string' ? message : code } : null;
}

function isGraphqlBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && ('errors' in body || 'data' in body);
}
