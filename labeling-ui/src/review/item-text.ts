import { ApiError } from '../api/api-error.ts';

const cache = new Map<string, Promise<string>>();
/** Texts kept for prefetching and going back: a few items, never a whole queue. */
const CACHE_LIMIT = 16;

/**
 * The content of a text or CSV item, read from its content URL with the session cookie. The
 * same URL is fetched once while it stays among the last few asked for, so prefetching the
 * next item makes showing it instant. A failed read is forgotten so it can be tried again.
 * @throws ApiError with the blob route's code (FORBIDDEN, NOT_FOUND…), or NETWORK.
 */
export function itemText(url: string): Promise<string> {
  const known = cache.get(url);
  if (known) return known;
  const loading = load(url);
  cache.set(url, loading);
  loading.catch(() => cache.delete(url));
  while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return loading;
}

async function load(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new ApiError('NETWORK', `the server did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? `the server answered ${response.status}`, response.status);
  }
  return response.text();
}
