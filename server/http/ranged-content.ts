import type { ParameterizedContext } from 'koa';
import { parseByteRange } from './byte-range.ts';
import type { RequestState } from './request-context.ts';
import { heldBack, streamedBody } from './streamed-body.ts';

/**
 * Content addressed by its hash never changes, so a client may keep it for a year. `private`:
 * every such answer needs a credential, and shared caches must not hand it to anyone else.
 */
export const IMMUTABLE = 'private, max-age=31536000, immutable';

/** Immutable bytes to answer with: their size, the hash that names them, and how to read them. */
export interface RangedContent {
  readonly size: number;
  /** The content's hash: the ETag, so If-None-Match and If-Range compare against it. */
  readonly hash: string;
  /** "blob", "file": named in the 416 answer and in the log of a failed download. */
  readonly noun: string;
  open(range?: { readonly start: number; readonly end: number }): Promise<AsyncIterable<Uint8Array>>;
  /** Counts the bytes sent (download metrics). */
  readonly counted?: ((byteLength: number) => void) | undefined;
}

/**
 * Answers a GET or HEAD of immutable content as HTTP caches and download tools expect: ETag
 * and a year of caching, 304 for a matching If-None-Match, HEAD with the length only, a byte
 * Range (honoured only when an If-Range names this content, RFC 9110 §13.1.5) with 206 or 416,
 * else the whole. The body is passed on one chunk behind, so content that fails verification
 * at its end arrives short of its length rather than complete-looking and wrong.
 */
export async function answerRangedContent(ctx: ParameterizedContext<RequestState>, content: RangedContent): Promise<void> {
  const { size } = content;
  const etag = `"${content.hash}"`;
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', IMMUTABLE);
  ctx.set('Accept-Ranges', 'bytes');
  if (matchesAnyTag(ctx.get('if-none-match'), etag)) {
    ctx.status = 304;
    return;
  }
  ctx.type = 'application/octet-stream';
  if (ctx.method === 'HEAD') {
    ctx.status = 200;
    ctx.length = size;
    return;
  }
  const ifRange = ctx.get('if-range');
  const range = ifRange && ifRange !== etag ? { kind: 'whole' as const } : parseByteRange(ctx.get('range'), size);
  if (range.kind === 'unsatisfiable') {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${size}`);
    ctx.body = { error: { code: 'RANGE_NOT_SATISFIABLE', message: `the ${content.noun} has ${size} bytes` } };
    return;
  }
  const partial = range.kind === 'partial' ? range : undefined;
  const chunks = await content.open(partial);
  const start = partial?.start ?? 0;
  const end = partial?.end ?? size;
  ctx.status = partial ? 206 : 200;
  if (partial) ctx.set('Content-Range', `bytes ${start}-${end - 1}/${size}`);
  ctx.body = streamedBody(heldBack(chunks, content.counted), ctx.state.log, `${content.noun} download`);
  ctx.length = end - start;
}

/** If-None-Match holds `*` or a list of entity tags, weak ones included (weak comparison, RFC 9110 §13.1.2). */
export function matchesAnyTag(header: string, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
