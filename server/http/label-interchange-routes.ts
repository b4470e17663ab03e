import { Router } from '@koa/router';
import { InvalidInputError } from '../../core/errors.ts';
import { LabelImportRejectedError } from '../../services/interchange/import-rejected-error.ts';
import type { LabelInterchange } from '../../services/interchange/label-interchange.ts';
import { HttpError } from './http-error.ts';
import type { BlobTrafficMetrics } from './metrics.ts';
import { queryParams } from './query-params.ts';
import { bodyChunks, discardUnreadBody, type DiscardLimits } from './request-body.ts';
import type { RequestState } from './request-context.ts';
import { streamedBody } from './streamed-body.ts';

export interface LabelInterchangeRoutesDeps {
  readonly interchange: LabelInterchange;
  /** Counts the bytes moved; `createMetrics().blobTraffic`. */
  readonly metrics?: BlobTrafficMetrics | undefined;
  /** How much of a refused upload is read after answering; see `discardUnreadBody`. */
  readonly discardLimits?: DiscardLimits | undefined;
}

// A tar adds a 512-byte header (and padding) per file to the files' own bytes.
const TAR_OVERHEAD_BYTES = 64 * 1024 * 1024;

/**
 * Label import and export over HTTP (docs/label-formats.md). Mount behind `requestContext`
 * and `authenticate`.
 *
 * - `POST /v1/projects/:project/datasets/:dataset/branches/:branch/import?format=<name>[&source=<name>]`
 *   with an `application/x-tar` body (the directory tree laid out in the format) imports it
 *   as one commit (services/interchange/import-labels.ts). 201 `{commit, snapshot, items,
 *   annotations, created: true}`, or 200 with `created: false` when the branch already held
 *   exactly these items. 422 `{error: {code: "INVALID_INPUT", message, errors: [{file, line?,
 *   entry?, message}]}}` when the files hold errors (nothing was written); 400 an unknown
 *   format, a bad tar or entry name (`..`, absolute, links, devices); 403 without
 *   `data.write`; 404 no such dataset or branch; 409 the branch moved during the import;
 *   413 files over `maxBlobBytes` in all; 415 a `Content-Encoding`.
 * - `GET /v1/projects/:project/snapshots/:hash/export?format=<name>[&media=0|1][&classes=a,b]`
 *   answers the snapshot in the format as an `application/x-tar` stream, media included
 *   unless `media=0`; the same bytes for the same hash and options. Headers `X-Sheaf-Items`
 *   and `X-Sheaf-Annotations` count what it holds. Like the other snapshot routes: 403
 *   without `project.read` (and `blob.read` with media), 404 for a snapshot the project does
 *   not hold, 400 an unknown format or parameter; the read is recorded as a lineage `read`
 *   edge before the first byte.
 */
export function labelInterchangeRoutes(deps: LabelInterchangeRoutesDeps): Router<RequestState> {
  const { interchange, metrics } = deps;
  const router = new Router<RequestState>();

  router.post('/v1/projects/:project/datasets/:dataset/branches/:branch/import', async (ctx) => {
    discardUnreadBody(ctx.req, ctx.res, deps.discardLimits);
    const params = queryParams(ctx.query, ['format', 'source']);
    if (params.format === undefined) throw new InvalidInputError('format', 'is required (?format=coco, …)');
    const encoding = ctx.get('content-encoding');
    if (encoding && encoding.toLowerCase() !== 'identity') throw new HttpError(415, 'send the tar stream without Content-Encoding');
    const maxBytes = interchange.maxImportBytes + TAR_OVERHEAD_BYTES;
    const request = {
      project: ctx.params.project ?? '',
      dataset: ctx.params.dataset ?? '',
      branch: ctx.params.branch ?? '',
      format: params.format,
      source: params.source,
    };
    try {
      const result = await interchange.importLabels(ctx.state.actor, request, limited(bodyChunks(ctx.req, metrics?.uploaded), maxBytes));
      ctx.status = result.created ? 201 : 200;
      ctx.body = result;
    } catch (error) {
      if (!(error instanceof LabelImportRejectedError)) throw error;
      ctx.state.log.info({ code: error.code, errors: error.errors.length }, error.message);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 422;
      ctx.body = { error: { code: error.code, message: error.message, errors: error.errors } };
    }
  });

  // @koa/router answers HEAD with the GET route: checked and counted, not recorded, no body.
  router.get('/v1/projects/:project/snapshots/:hash/export', async (ctx) => {
    const params = queryParams(ctx.query, ['format', 'media', 'classes']);
    if (params.format === undefined) throw new InvalidInputError('format', 'is required (?format=coco, …)');
    if (params.media !== undefined && params.media !== '0' && params.media !== '1') throw new InvalidInputError('media', 'must be 0 or 1');
    const exported = await interchange.exportLabels(ctx.state.actor, {
      project: ctx.params.project ?? '',
      snapshot: ctx.params.hash ?? '',
      format: params.format,
      media: params.media !== '0',
      classes: params.classes,
      record: ctx.method !== 'HEAD',
    });
    ctx.status = 200;
    ctx.type = 'application/x-tar';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="${exported.snapshot}-${exported.format}.tar"`);
    ctx.set('X-Sheaf-Snapshot', exported.snapshot);
    ctx.set('X-Sheaf-Items', String(exported.items));
    ctx.set('X-Sheaf-Annotations', String(exported.annotations));
    if (ctx.method === 'HEAD') return;
    ctx.body = streamedBody(counted(exported.tar(), metrics?.downloaded), ctx.state.log, 'label export');
  });

  return router;
}

/** The body, failing with 413 past `maxBytes`. */
async function* limited(chunks: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new HttpError(413, `an import may hold at most ${maxBytes} bytes`);
    yield chunk;
  }
}

async function* counted(chunks: AsyncIterable<Uint8Array>, add?: (byteLength: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    add?.(chunk.byteLength);
    yield chunk;
  }
}
