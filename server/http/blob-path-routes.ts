import { Router } from '@koa/router';
import { InvalidInputError } from '../../core/errors.ts';
import type { BlobPaths } from '../../services/provision/blob-paths.ts';
import { HttpError } from './http-error.ts';
import type { RequestState } from './request-context.ts';
import { readJsonBody } from './request-body.ts';

// 10,000 hashes take about 670 KB.
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /v1/projects/:project/blobs/paths` with `{ "hashes": [...] }` answers
 * `{ "paths": [path | null, ...] }`: where each blob's file is on the server's filesystem, in
 * the order given, null for a blob the project does not hold. Needs `blob.read` (403). 404
 * unless the server was started with SHEAF_EXPOSE_BLOB_PATHS=1 (single-machine setups only,
 * see BlobPaths). Errors: 400 invalid JSON or hashes, more than 10,000; 413 a body over 1 MiB.
 */
export function blobPathRoutes(deps: { readonly paths: BlobPaths }): Router<RequestState> {
  const router = new Router<RequestState>();
  router.post('/v1/projects/:project/blobs/paths', async (ctx) => {
    const body = await readJsonBody(ctx.req, MAX_BODY_BYTES);
    const hashes = (body as { hashes?: unknown } | null)?.hashes;
    if (!Array.isArray(hashes)) throw new InvalidInputError('hashes', 'must be an array of blob hashes');
    const paths = await deps.paths.pathsOf(ctx.state.actor, ctx.params.project ?? '', hashes as string[]);
    if (paths === null) throw new HttpError(404, 'this server does not expose blob file paths (SHEAF_EXPOSE_BLOB_PATHS=1 turns them on, for single-machine setups)');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { paths };
  });
  return router;
}
