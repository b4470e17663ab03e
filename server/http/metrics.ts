import { Router } from '@koa/router';
import type { Middleware } from 'koa';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Where the blob routes report the bytes they move. */
export interface BlobTrafficMetrics {
  /** `bytes` more were received in blob uploads (counted as they arrive, refused uploads too). */
  uploaded(bytes: number): void;
  /** `bytes` more were handed to clients in blob downloads. */
  downloaded(bytes: number): void;
}

export interface Metrics {
  /** The server's own registry: default process metrics and the HTTP and blob metrics below. */
  readonly registry: Registry;
  /**
   * Koa middleware timing every request into `http_request_duration_seconds{method,route,status}`.
   * It reads the route and status when the response is finished or the connection closed, so it
   * may be mounted anywhere before the routers and counts streamed bodies in the duration.
   */
  readonly middleware: Middleware;
  /** `GET /metrics`: the registry in the Prometheus text format. */
  readonly router: Router;
  /** Counters `sheaf_blob_bytes_uploaded_total` and `sheaf_blob_bytes_downloaded_total`. */
  readonly blobTraffic: BlobTrafficMetrics;
}

/** Requests not matched by a @koa/router route share one label value. */
export const UNMATCHED_ROUTE = 'unmatched';

// From a health probe (milliseconds) to a large blob transfer (minutes).
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * Creates the server's metrics on a registry of its own (not prom-client's global one, so that
 * two servers in one process, or tests, never collide over metric names).
 *
 * The route label is the matched @koa/router pattern (`/v1/blobs/:hash`), never the raw path,
 * which would make one time series per blob hash; a handler mounted without @koa/router may set
 * `ctx.state.metricsRoute` to name itself, and anything else is `unmatched`.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response, by route pattern.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const uploaded = new Counter({
    name: 'sheaf_blob_bytes_uploaded_total',
    help: 'Bytes received in blob upload bodies, including uploads that were refused.',
    registers: [registry],
  });
  const downloaded = new Counter({
    name: 'sheaf_blob_bytes_downloaded_total',
    help: 'Bytes of blob content sent to clients.',
    registers: [registry],
  });

  const middleware: Middleware = async (ctx, next) => {
    const stop = duration.startTimer();
    ctx.res.once('close', () => {
      const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      const named = (ctx.state as { metricsRoute?: unknown }).metricsRoute;
      const route = matched !== undefined ? String(matched) : typeof named === 'string' ? named : UNMATCHED_ROUTE;
      stop({ method: ctx.method, route, status: String(ctx.res.statusCode) });
    });
    await next();
  };

  const router = new Router();
  router.get('/metrics', async (ctx) => {
    const text = await registry.metrics();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    ctx.body = text;
  });

  return {
    registry,
    middleware,
    router,
    blobTraffic: {
      uploaded: (bytes) => uploaded.inc(bytes),
      downloaded: (bytes) => downloaded.inc(bytes),
    },
  };
}
