import { Router } from '@koa/router';
import { InvalidInputError } from '../../core/errors.ts';
import { ImageTooLargeError, NotAnImageError } from '../../services/previews/preview-errors.ts';
import type { PreviewService } from '../../services/previews/preview-service.ts';
import type { PreviewFormat } from '../../services/previews/render-preview.ts';
import { errorBody } from './error-status.ts';
import type { RequestState } from './request-context.ts';

export interface PreviewRoutesDeps {
  readonly previews: PreviewService;
}

// A preview's URL and ETag name its content, so a cached copy never goes stale; `private`
// because, unlike a blob, a preview is only fetched by signed-in browsers, and shared caches
// have no business keeping images of a project.
const CACHE_CONTROL = 'private, max-age=31536000, immutable';

/**
 * `GET|HEAD /v1/projects/:project/blobs/:hash/preview?width=N` answers an image blob scaled to
 * fit within N × N pixels (N clamped to 64…2048, default 1280; never enlarged), turned upright
 * by its EXIF orientation, as JPEG, or as WebP when the `Accept` header prefers `image/webp`
 * (names it, at a quality at least that of JPEG, which a wildcard only may give). Previews are
 * cached on disk by the service; responses carry an ETag, `Vary: Accept` and year-long private
 * caching, and `If-None-Match` on the ETag gives 304 without touching the image.
 * Mount behind `requestContext` and `authenticate`. Access is the blob route's: `blob.read`
 * in the project (403), and the project must hold the blob (404).
 * Errors: 400 a malformed hash or width, 404 unknown blob, 415 a blob that is not an image the
 * server decodes (`NOT_AN_IMAGE`) or one too large to decode (`IMAGE_TOO_LARGE`).
 */
export function previewRoutes(deps: PreviewRoutesDeps): Router<RequestState> {
  const router = new Router<RequestState>();

  router.get('/v1/projects/:project/blobs/:hash/preview', async (ctx) => {
    const width = widthOf(ctx.query.width);
    const format = preferredFormat(ctx.get('accept'));
    const preview = await deps.previews.preview(ctx.state.actor, ctx.params.project ?? '', ctx.params.hash ?? '', { width, format });
    const cacheHeaders = () => {
      ctx.set('ETag', preview.etag);
      ctx.set('Cache-Control', CACHE_CONTROL);
      ctx.set('Vary', 'Accept');
    };
    if (matchesAnyTag(ctx.get('if-none-match'), preview.etag)) {
      cacheHeaders();
      ctx.status = 304;
      return;
    }
    let content;
    try {
      content = await preview.open();
    } catch (error) {
      if (!(error instanceof NotAnImageError || error instanceof ImageTooLargeError)) throw error;
      // The blob is there and may be read; its content is what cannot be shown.
      ctx.state.log.info({ code: error.code, status: 415 }, error.message);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 415;
      ctx.body = errorBody(error);
      return;
    }
    cacheHeaders();
    ctx.status = 200;
    ctx.type = preview.mediaType;
    ctx.body = content.body;
    ctx.length = content.size;
  });

  return router;
}

/**
 * The `width` query parameter: absent, or a whole number (clamped by the service).
 * @throws InvalidInputError for anything else, or for the parameter given twice
 */
function widthOf(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value))
    throw new InvalidInputError('width', 'must be one whole number of pixels, like width=1280');
  return Number(value);
}

/**
 * WebP when the client names `image/webp` with a quality above zero and prefers it to JPEG:
 * a higher quality, or the same quality named exactly while JPEG is only covered by a
 * wildcard (what browsers send for images). JPEG, which every client shows, otherwise.
 */
export function preferredFormat(accept: string): PreviewFormat {
  const ranges = accept
    .split(',')
    .map((part) => {
      const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { range, quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter(({ range }) => range.length > 0);
  const webp = preference(ranges, 'image/webp');
  const jpeg = preference(ranges, 'image/jpeg');
  if (webp.specificity < 2 || webp.quality <= 0) return 'jpeg';
  return webp.quality > jpeg.quality || (webp.quality === jpeg.quality && jpeg.specificity < 2) ? 'webp' : 'jpeg';
}

/** The quality the most specific matching range gives `type` (2 exact, 1 `image/*`, 0 `*\/*`, -1 none). */
function preference(ranges: { range: string; quality: number }[], type: string): { quality: number; specificity: number } {
  let best = { quality: 0, specificity: -1 };
  for (const { range, quality } of ranges) {
    const specificity = range === type ? 2 : range === `${type.split('/')[0]}/*` ? 1 : range === '*/*' ? 0 : -1;
    if (specificity > best.specificity) best = { quality, specificity };
  }
  return best;
}

/** Whether an `If-None-Match` list names `etag`; weak comparison, as RFC 9110 §13.1.2 asks. */
function matchesAnyTag(header: string, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
