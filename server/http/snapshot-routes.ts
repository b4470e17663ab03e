import { Router } from '@koa/router';
import { packFiles } from '../../adapters/tar/pack-files.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { BlobService } from '../../services/blob-service.ts';
import type { LineageService } from '../../services/lineage/lineage-service.ts';
import type { ProvisionService } from '../../services/provision/provision-service.ts';
import { answerRangedContent } from './ranged-content.ts';
import { jsonLines } from './json-lines.ts';
import type { BlobTrafficMetrics } from './metrics.ts';
import { queryParams } from './query-params.ts';
import type { RequestState } from './request-context.ts';
import { readJsonBody } from './request-body.ts';
import { streamedBody } from './streamed-body.ts';

export interface SnapshotRoutesDeps {
  readonly provision: ProvisionService;
  readonly blobs: BlobService;
  readonly lineage: LineageService;
  /** Counts the bytes moved; `createMetrics().blobTraffic`. */
  readonly metrics?: BlobTrafficMetrics | undefined;
}

const SELECTION = ['prefix', 'filter', 'shard'] as const;
const LAYOUTS = ['plain', 'webdataset'] as const;
const MAX_READS_BODY = 64 * 1024;

/**
 * Provisioning a snapshot of a project to a training machine, by hash (docs/provisioning.md).
 * Every route needs `project.read` (403) and a snapshot the project holds (another project's
 * hash is 404); every read is recorded as a lineage `read` edge before the first byte.
 * Selections (`prefix`, `filter`, `shard=i/n`) and unknown query parameters are checked before
 * anything is sent (400). Mount behind `requestContext` and `authenticate`.
 *
 * - `GET /v1/projects/:project/snapshots/:hash/tar[?prefix&filter&shard&layout&classes&verify]`:
 *   an `application/x-tar` stream; it also needs `blob.read`, checked before the first byte.
 *   `verify=1` re-hashes every blob as it is read (a corrupt one cuts the stream short of its
 *   entry), otherwise blobs are sent as stored (verified when written). `layout=plain`
 *   (default): one entry per item at its path, in path order, mode 0444, mtime 0, owner 0 —
 *   the same bytes for the same hash and options.
 *   `layout=webdataset`: samples grouped by key with `.json` and `.cls` members
 *   (services/provision/webdataset-layout.ts); `classes=a,b,…` numbers class names for `.cls`.
 * - `GET …/snapshots/:hash/manifest[?prefix&filter&shard&via=export&paths=1]`: JSON Lines
 *   (`application/jsonl`), one `{path, blob, size, meta, annotations}` per selected item in
 *   path order. `via=export` records the read as an export (the CLI's). `paths=1` (needs
 *   `blob.read`) adds `file`, the blob's path on the server's filesystem, when the server
 *   exposes them (then the response has `X-Sheaf-Blob-Paths: 1`), for `sheaf export --link`.
 * - `GET|HEAD …/snapshots/:hash/files/<path>`: an item's bytes, read in place: `ETag` (the blob
 *   hash), immutable caching, a single `Range` gives 206, an unsatisfiable one 416,
 *   `If-None-Match` 304. 404 for a path not in the snapshot. Always
 *   `application/octet-stream`: serving stored bytes as HTML on the API's origin would let an
 *   uploaded page run as the signed-in user. File reads are recorded at most once a minute per
 *   reader and snapshot.
 * - `POST …/snapshots/:hash/reads` with `{"via": "export", prefix?, filter?, shard?}`: records
 *   a read the client made from blobs it fetched itself (an incremental export); 201 `{id}`.
 */
export function snapshotRoutes(deps: SnapshotRoutesDeps): Router<RequestState> {
  const { provision, blobs, metrics } = deps;
  const router = new Router<RequestState>();

  router.get('/v1/projects/:project/snapshots/:hash/tar', async (ctx) => {
    const { verify, ...params } = queryParams(ctx.query, [...SELECTION, 'layout', 'classes', 'verify']);
    const layout = params.layout ?? 'plain';
    if (!(LAYOUTS as readonly string[]).includes(layout)) throw new InvalidInputError('layout', `must be one of ${LAYOUTS.join(', ')}`);
    if (verify !== undefined && verify !== '1') throw new InvalidInputError('verify', 'must be 1');
    const via = layout === 'webdataset' ? 'webdataset' : 'tar';
    const read = await provision.read(ctx.state.actor, project(ctx), hash(ctx), { ...params, via, verify: verify === '1', record: ctx.method !== 'HEAD' });
    ctx.status = 200;
    ctx.type = 'application/x-tar';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="${read.snapshot}${params.shard ? `-${params.shard.replace('/', '-of-')}` : ''}.tar"`);
    if (ctx.method === 'HEAD') return;
    ctx.body = streamedBody(packFiles(read.entries(), metrics?.downloaded), ctx.state.log, 'snapshot tar');
  });

  router.get('/v1/projects/:project/snapshots/:hash/manifest', async (ctx) => {
    const { paths, ...params } = queryParams(ctx.query, [...SELECTION, 'via', 'paths']);
    const via = params.via ?? 'manifest';
    if (via !== 'manifest' && via !== 'export') throw new InvalidInputError('via', 'must be manifest or export');
    if (paths !== undefined && paths !== '1') throw new InvalidInputError('paths', 'must be 1');
    const read = await provision.read(ctx.state.actor, project(ctx), hash(ctx), { ...params, via, paths: paths === '1', record: ctx.method !== 'HEAD' });
    ctx.status = 200;
    ctx.type = 'application/jsonl';
    ctx.set('Cache-Control', 'no-store');
    const { locate } = read;
    if (locate) ctx.set('X-Sheaf-Blob-Paths', '1');
    if (ctx.method === 'HEAD') return;
    const lines = (async function* () {
      for await (const { path, blob, size, meta, annotations } of read.items())
        yield locate ? { path, blob, size, meta, annotations, file: locate(blob) } : { path, blob, size, meta, annotations };
    })();
    ctx.body = streamedBody(jsonLines(lines), ctx.state.log, 'snapshot manifest');
  });

  // @koa/router answers HEAD with the GET route; the handler stops before opening the blob.
  router.get('/v1/projects/:project/snapshots/:hash/files/{*path}', async (ctx) => {
    const item = await provision.file(ctx.state.actor, project(ctx), hash(ctx), ctx.params.path ?? '', { record: ctx.method === 'GET' });
    ctx.set('X-Sheaf-Blob', item.blob);
    await answerRangedContent(ctx, {
      size: item.size,
      hash: item.blob,
      noun: 'file',
      open: (range) => blobs.open(ctx.state.actor, project(ctx), item.blob, range),
      counted: metrics?.downloaded,
    });
  });

  router.post('/v1/projects/:project/snapshots/:hash/reads', async (ctx) => {
    const body = (await readJsonBody(ctx.req, MAX_READS_BODY)) as Record<string, unknown> | null;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidInputError('body', 'must be a JSON object');
    const { via, prefix, filter, shard, ...rest } = body;
    const [unknown] = Object.keys(rest);
    if (unknown !== undefined) throw new InvalidInputError('body', `unknown field ${JSON.stringify(unknown.slice(0, 40))}`);
    // The server records its own reads; a client declares only what it assembled itself.
    if (via !== 'export') throw new InvalidInputError('via', 'must be "export"');
    const how = { via: 'export' as const, prefix: optionalString(prefix, 'prefix'), filter: optionalString(filter, 'filter'), shard: optionalString(shard, 'shard') };
    const edge = await deps.lineage.recordRead(ctx.state.actor, project(ctx), hash(ctx), how);
    ctx.status = 201;
    ctx.body = { id: edge?.id ?? null };
  });

  return router;
}

function project(ctx: { params: Record<string, string | undefined> }): string {
  return ctx.params.project ?? '';
}

function hash(ctx: { params: Record<string, string | undefined> }): string {
  return ctx.params.hash ?? '';
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidInputError(field, 'must be a string');
  return value;
}

