import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';

/** Where `npm run build:ui` writes the labeling UI. */
export const DEFAULT_UI_ROOT = fileURLToPath(new URL('../../labeling-ui/dist/', import.meta.url));

/** Paths of the API: never answered with the UI, so a wrong API URL still gets its JSON 404. */
const API_PREFIXES = ['/v1/', '/graphql', '/healthz', '/readyz', '/metrics'];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = 'The Sheaf labeling UI is not built yet.\nRun `npm run build:ui` (or `npm start`, which builds it first) and reload this page.\n';

export interface UiRoutesOptions {
  /** The built UI: index.html and assets/. Default: labeling-ui/dist of this checkout. */
  readonly root?: string;
}

/**
 * Serves the labeling UI (a single-page app) for GET and HEAD requests no other route
 * answered; mount it last.
 * - `/assets/*`: the build's content-hashed files, cached for a year as immutable; a missing
 *   one is a 404 (never index.html, which a browser would try to run as a script).
 * - any other non-API path, `/` included: index.html, revalidated on every load
 *   (`Cache-Control: no-cache` with an ETag), so a new build is picked up at once.
 * - without a build, `/` answers 503 with a short plain-text page saying to run
 *   `npm run build:ui`.
 * API paths (/v1/, /graphql, /healthz, /readyz, /metrics) pass through untouched.
 */
export function uiRoutes(options: UiRoutesOptions = {}): Middleware {
  const root = normalize(options.root ?? DEFAULT_UI_ROOT);
  const assets = join(root, 'assets') + sep;
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || API_PREFIXES.some((prefix) => ctx.path === prefix || ctx.path.startsWith(prefix))) return next();
    if (ctx.path.startsWith('/assets/')) {
      const file = normalize(join(root, ctx.path));
      const found = file.startsWith(assets) ? await fileStat(file) : null;
      if (!found) return next();
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.lastModified = found.mtime;
      // A HEAD answer has no body: opening the file would leave it open.
      if (ctx.method === 'GET') ctx.body = createReadStream(file);
      else ctx.status = 200;
      ctx.type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      ctx.length = found.size;
      return;
    }
    const index = join(root, 'index.html');
    const found = await fileStat(index);
    if (!found) {
      if (ctx.path !== '/') return next();
      ctx.status = 503;
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = NOT_BUILT;
      return;
    }
    ctx.set('Cache-Control', 'no-cache');
    ctx.etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.type = CONTENT_TYPES['.html']!;
    ctx.body = await readFile(index);
  };
}

async function fileStat(path: string): Promise<{ size: number; mtime: Date; mtimeMs: number } | null> {
  try {
    const found = await stat(path);
    return found.isFile() ? found : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}
