import { Readable } from 'node:stream';
import { Router } from '@koa/router';
import { BlobTooLargeError, InvalidInputError, NotFoundError } from '../../core/errors.ts';
import type { BlobService } from '../../services/blob-service.ts';
import { sha256FromContentDigest } from './content-digest.ts';
import { errorBody, httpStatusOf, isExpectedError } from './error-status.ts';
import { HttpError } from './http-error.ts';
import type { BlobTrafficMetrics } from './metrics.ts';
import { answerRangedContent } from './ranged-content.ts';
import type { RequestState } from './request-context.ts';
import { bodyChunks, declaredLength, discardUnreadBody, readJsonBody, type DiscardLimits } from './request-body.ts';
import { tarOfBlobs } from './tar-download.ts';
import { storeTarUpload } from './tar-upload.ts';

export interface BlobRoutesDeps {
  readonly blobs: BlobService;
  /** Counts the bytes moved; `createMetrics().blobTraffic`. */
  readonly metrics?: BlobTrafficMetrics | undefined;
  /** How much of a refused upload is read after answering; see `discardUnreadBody`. */
  readonly discardLimits?: DiscardLimits | undefined;
}

/** Largest JSON body `POST /v1/projects/:project/blobs/missing` and `/fetch` read: 10,000 hashes take about 670 KB. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Most blobs one tar request may carry, up or down. */
export const MAX_TAR_ENTRIES = 10_000;

/**
 * A tar upload may hold this many times `maxBlobBytes` in all: each entry is limited on its own,
 * and this bounds how long one request can occupy the server.
 */
export const MAX_TAR_BLOBS_OF_MAX_SIZE = 64;

// A blob's URL names its content, so a cached copy can never be stale.
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:\s*;.*)?$/i;
const MAX_MEDIA_TYPE = 255;

/**
 * The blob transfer endpoints of a project. Bodies are streamed end to end, never held whole in
 * memory. Mount behind `requestContext` and `authenticate`: routes throw core errors and read
 * `ctx.state.log` and `ctx.state.actor`. Every route needs the caller's permission in the
 * project (403 otherwise) and sees only the project's own blobs: another project's blob is 404.
 *
 * - `PUT /v1/projects/:project/blobs` stores the request body; the server computes its sha256. An expected hash
 *   may be claimed by `Content-Digest: sha-256=:<base64>:` (RFC 9530) or
 *   `X-Sheaf-Expected-Hash: <hex>`. A `Content-Type` other than application/octet-stream is
 *   recorded as the blob's media type. Answers 201 (stored) or 200 (already there) with
 *   `{ hash, size, created }`. Errors: 400 malformed headers, 413 over `maxBlobBytes` (declared
 *   or streamed; nothing stored), 415 a `Content-Encoding`, 422 content not matching the claimed
 *   hash (nothing stored).
 * - `HEAD|GET /v1/projects/:project/blobs/:hash` with `ETag`, `Accept-Ranges` and immutable caching; a single
 *   byte range gives 206, an unsatisfiable one 416, several ranges the whole blob (200);
 *   `If-None-Match` on the ETag gives 304. Errors: 400 malformed hash, 404 unknown blob.
 * - `POST /v1/projects/:project/blobs/missing` with `{ "hashes": [...] }` answers `{ "missing": [...] }`, the
 *   ones this server lacks, in the order given. Errors: 400 invalid JSON or hashes, 413 a body
 *   over 1 MiB.
 * - `POST /v1/projects/:project/blobs/tar` stores many blobs in one request: the body is a tar stream (any tar
 *   tool's) whose entries are regular files named by the sha256 hex of their content, each
 *   verified as it is stored. Answers 200 `{ blobs: [{ hash, size, created }] }` in entry order.
 *   The first bad entry stops the upload; the error response (`{ error, blobs }`) lists the
 *   blobs stored before it. Errors: 400 not a tar (or cut short: the end-of-archive blocks are
 *   required), an entry name that is not a hash, an entry that is not a regular file, more than
 *   10,000 entries; 413 an entry over `maxBlobBytes`, or a body over 64 × `maxBlobBytes`;
 *   415 a `Content-Encoding`; 422 an entry whose content does not match its name.
 * - `POST /v1/projects/:project/blobs/fetch` with `{ "hashes": [...] }` (at most 10,000) answers an
 *   `application/x-tar` stream with one entry per hash, named by it, in the order given, each
 *   verified as it is read (a corrupt blob cuts the stream short). Errors, all before a byte of
 *   the tar is sent: 400 invalid JSON or hashes, 404 an unknown blob, 413 a body over 1 MiB.
 */
export function blobRoutes(deps: BlobRoutesDeps): Router<RequestState> {
  const { blobs, metrics } = deps;
  const router = new Router<RequestState>();

  router.put('/v1/projects/:project/blobs', async (ctx) => {
    discardUnreadBody(ctx.req, ctx.res, deps.discardLimits);
    const expectedHash = expectedHashOf(ctx.get('content-digest'), ctx.get('x-sheaf-expected-hash'));
    const mediaType = mediaTypeOf(ctx.get('content-type'));
    const encoding = ctx.get('content-encoding');
    if (encoding && encoding.toLowerCase() !== 'identity')
      throw new HttpError(415, 'blobs are stored as sent: upload them without Content-Encoding');
    // Refused before reading a byte when the client says up front it will send too much.
    if ((declaredLength(ctx.req) ?? 0) > blobs.maxBlobBytes) throw new BlobTooLargeError(blobs.maxBlobBytes);

    const stored = await blobs.put(ctx.state.actor, project(ctx), bodyChunks(ctx.req, metrics?.uploaded), { expectedHash, mediaType });
    ctx.status = stored.created ? 201 : 200;
    ctx.set('Location', `/v1/projects/${encodeURIComponent(project(ctx))}/blobs/${stored.hash}`);
    ctx.body = { hash: stored.hash, size: stored.size, created: stored.created };
  });

  // @koa/router answers HEAD with the GET route; the handler stops before opening the blob.
  router.get('/v1/projects/:project/blobs/:hash', async (ctx) => {
    const hash = ctx.params.hash ?? '';
    const found = await blobs.stat(ctx.state.actor, project(ctx), hash);
    if (!found) throw new NotFoundError('blob', hash);
    await answerRangedContent(ctx, {
      size: found.size,
      hash,
      noun: 'blob',
      open: (range) => blobs.open(ctx.state.actor, project(ctx), hash, range),
      counted: metrics?.downloaded,
    });
  });

  router.post('/v1/projects/:project/blobs/missing', async (ctx) => {
    discardUnreadBody(ctx.req, ctx.res, deps.discardLimits);
    const body = await readJsonBody(ctx.req, MAX_JSON_BODY_BYTES);
    const hashes = (body as { hashes?: unknown } | null)?.hashes;
    if (!Array.isArray(hashes)) throw new InvalidInputError('hashes', 'must be an array of blob hashes');
    // Each element is checked by the service, which rejects anything but a well-formed hash.
    ctx.body = { missing: await blobs.missing(ctx.state.actor, project(ctx), hashes as string[]) };
  });

  router.post('/v1/projects/:project/blobs/tar', async (ctx) => {
    discardUnreadBody(ctx.req, ctx.res, deps.discardLimits);
    const encoding = ctx.get('content-encoding');
    if (encoding && encoding.toLowerCase() !== 'identity')
      throw new HttpError(415, 'send the tar stream without Content-Encoding');
    const maxBytes = MAX_TAR_BLOBS_OF_MAX_SIZE * blobs.maxBlobBytes;
    const tooLarge = () => new HttpError(413, `a tar upload may hold at most ${maxBytes} bytes`);
    if ((declaredLength(ctx.req) ?? 0) > maxBytes) throw tooLarge();

    const target = { putMany: blobs.putMany.bind(blobs, ctx.state.actor, project(ctx)), maxBlobBytes: blobs.maxBlobBytes };
    const outcome = await storeTarUpload(target, limited(bodyChunks(ctx.req, metrics?.uploaded), maxBytes, tooLarge), {
      maxEntries: MAX_TAR_ENTRIES,
    });
    const { failure } = outcome;
    if (failure === undefined) {
      ctx.body = { blobs: outcome.stored };
      return;
    }
    // Unexpected failures and vanished clients get the usual treatment (masked 500, or nothing).
    if (!isExpectedError(failure) || (ctx.req.destroyed && !ctx.req.complete)) throw failure;
    // The blobs stored before the failure stay: they are valid content-addressed blobs, which
    // anyone may upload at any time, and listing them spares the client sending them again.
    const status = httpStatusOf(failure);
    const body = errorBody(failure);
    ctx.state.log.info({ code: body.error.code, status, stored: outcome.stored.length }, (failure as Error).message);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = status;
    ctx.body = { ...body, blobs: outcome.stored };
  });

  router.post('/v1/projects/:project/blobs/fetch', async (ctx) => {
    discardUnreadBody(ctx.req, ctx.res, deps.discardLimits);
    const body = await readJsonBody(ctx.req, MAX_JSON_BODY_BYTES);
    const hashes = (body as { hashes?: unknown } | null)?.hashes;
    if (!Array.isArray(hashes)) throw new InvalidInputError('hashes', 'must be an array of blob hashes');
    if (hashes.length > MAX_TAR_ENTRIES) throw new InvalidInputError('hashes', `at most ${MAX_TAR_ENTRIES} per request`);
    // All of them are checked up front: once the tar has started, a failure can only cut it.
    const batch = await blobs.statAll(ctx.state.actor, project(ctx), hashes as string[]);
    ctx.status = 200;
    ctx.type = 'application/x-tar';
    ctx.body = Readable.from(tarOfBlobs(batch, ctx.state.log, metrics?.downloaded), { objectMode: false });
  });

  return router;
}

/** The project named in the route's path (checked by the service like any project name). */
function project(ctx: { params: Record<string, string | undefined> }): string {
  return ctx.params.project ?? '';
}

/** Passes `source` on, failing with `tooLarge()` once more than `maxBytes` went through. */
async function* limited(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    yield chunk;
  }
}

/**
 * The hash the client claims its upload has, from either header.
 * @throws InvalidInputError for a malformed Content-Digest or when the two headers disagree.
 */
function expectedHashOf(contentDigest: string, sheafHeader: string): string | undefined {
  const fromDigest = contentDigest ? sha256FromContentDigest(contentDigest) : undefined;
  const claimed = sheafHeader || undefined;
  if (fromDigest !== undefined && claimed !== undefined && fromDigest !== claimed)
    throw new InvalidInputError('X-Sheaf-Expected-Hash', 'disagrees with Content-Digest');
  return fromDigest ?? claimed;
}

/** @throws InvalidInputError for a Content-Type that is not a media type. */
function mediaTypeOf(contentType: string): string | undefined {
  const value = contentType.trim();
  // Generic bytes say nothing about the blob; recording them would only hide a later, real type.
  if (!value || /^application\/octet-stream\s*(;|$)/i.test(value)) return undefined;
  if (value.length > MAX_MEDIA_TYPE || !MEDIA_TYPE.test(value))
    throw new InvalidInputError('Content-Type', 'is not a media type like image/png');
  return value;
}


