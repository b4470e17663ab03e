import { Router } from '@koa/router';
import { InvalidInputError } from '../../core/errors.ts';
import { MAX_LINE_BYTES, type NdjsonIngest, type NdjsonOptions } from '../../services/ingest/ndjson-ingest.ts';
import { splitLines } from '../../services/ingest/split-lines.ts';
import { HttpError } from './http-error.ts';
import type { RequestState } from './request-context.ts';
import { bodyChunks, discardUnreadBody, type DiscardLimits } from './request-body.ts';

export interface NdjsonRoutesDeps {
  readonly ndjson: NdjsonIngest;
  readonly discardLimits?: DiscardLimits | undefined;
}

// application/x-ndjson is the common name; the others name the same format.
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines']);

/**
 * `POST /v1/projects/:project/datasets/:dataset/branches/:branch/ndjson` with
 * `Content-Type: application/x-ndjson`: one JSON object per line becomes one item of the
 * branch (see NdjsonIngest). The body is read line by line as it arrives, never whole.
 *
 * Query: `path` (item path template with {seq}, {hash}, {hash:N}, {timestamp},
 * {record.<field>}), `meta` (comma-separated record fields copied into the meta; a record's own
 * `meta` object is used too), `keep` (keep rule, e.g. `meta.confidence<0.5`), `every` and
 * `seconds` (commit windows; without them the upload is committed once, at the end).
 *
 * Answers 200 `{ accepted, dropped, rejected: [{ line, code, reason }], rejectedCount, commit,
 * commits }` when the body was read to its end, whatever some lines held: good lines are
 * committed, bad ones listed (the first 1,000) with their line numbers (LINE_TOO_LONG past
 * 1 MiB, INVALID_INPUT for a line that is not a JSON object or lacks a path field,
 * INVALID_PATH). Errors before the body is read: 400 bad query, 403, 415 another content type
 * or a Content-Encoding; 404 an unknown dataset or branch.
 */
export function ndjsonRoutes(deps: NdjsonRoutesDeps): Router<RequestState> {
  const router = new Router<RequestState>();
  router.post('/v1/projects/:project/datasets/:dataset/branches/:branch/ndjson', async (ctx) => {
    discardUnreadBody(ctx.req, ctx.res, deps.discardLimits);
    const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
    if (!NDJSON_TYPES.has(type)) throw new HttpError(415, 'send the records as application/x-ndjson, one JSON object per line');
    const encoding = ctx.get('content-encoding');
    if (encoding && encoding.toLowerCase() !== 'identity') throw new HttpError(415, 'send the records without Content-Encoding');
    const target = { project: ctx.params.project ?? '', dataset: ctx.params.dataset ?? '', branch: ctx.params.branch ?? '' };
    const upload = await deps.ndjson.prepare(ctx.state.actor, target, optionsOf(ctx.query));
    ctx.body = await upload.run(splitLines(bodyChunks(ctx.req), MAX_LINE_BYTES));
  });
  return router;
}

/** @throws InvalidInputError for a repeated parameter or a window that is not an integer */
function optionsOf(query: Record<string, string | string[] | undefined>): NdjsonOptions {
  const one = (name: string): string | undefined => {
    const value = query[name];
    if (Array.isArray(value)) throw new InvalidInputError(name, 'is given more than once');
    return value;
  };
  const integer = (name: string): number | undefined => {
    const value = one(name);
    if (value === undefined) return undefined;
    if (!/^\d{1,9}$/.test(value)) throw new InvalidInputError(name, 'must be a positive integer');
    return Number(value);
  };
  return { path: one('path'), meta: one('meta'), keep: one('keep'), every: integer('every'), seconds: integer('seconds') };
}
