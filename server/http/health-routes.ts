import { Router } from '@koa/router';
import type { Logger } from 'pino';

export interface HealthRoutesDeps {
  /** Resolves when the database answers a trivial query; rejects or hangs when it does not. */
  readonly checkDatabase: () => Promise<void>;
  /** How long `/readyz` waits for `checkDatabase`. Default 2000 ms. */
  readonly readyTimeoutMs?: number | undefined;
}

/**
 * Probes for orchestrators:
 * - `GET /healthz` (liveness): always 200 `{ status: 'ok' }` while the process can answer;
 *   it checks nothing else, so a database outage never gets a healthy process restarted.
 * - `GET /readyz` (readiness): 200 `{ status: 'ok' }` when `checkDatabase` resolves within the
 *   timeout, else 503 `{ status: 'unavailable', reason }`. The reason is generic; the database's
 *   own error, which may name hosts or users, goes to the request log (`ctx.state.log`) only.
 *   Probes arriving while a check is still running share it, so a hung database does not pile up
 *   one pending query per probe.
 */
export function healthRoutes(deps: HealthRoutesDeps): Router {
  const timeoutMs = deps.readyTimeoutMs ?? 2000;
  let running: Promise<void> | null = null;
  const check = (): Promise<void> => {
    running ??= Promise.resolve()
      .then(deps.checkDatabase)
      .finally(() => {
        running = null;
      });
    return running;
  };

  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const outcome = await withTimeout(check(), timeoutMs);
    if (outcome.ok) {
      ctx.body = { status: 'ok' };
      return;
    }
    const reason = outcome.timedOut
      ? `database did not answer within ${timeoutMs} ms`
      : 'database check failed';
    (ctx.state as { log?: Logger }).log?.warn({ err: outcome.error }, `not ready: ${reason}`);
    ctx.status = 503;
    ctx.body = { status: 'unavailable', reason };
  });
  return router;
}

type Outcome = { ok: true } | { ok: false; timedOut: boolean; error?: unknown };

async function withTimeout(work: Promise<void>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, timedOut: true }), ms);
  });
  try {
    return await Promise.race([
      work.then(
        (): Outcome => ({ ok: true }),
        (error: unknown): Outcome => ({ ok: false, timedOut: false, error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
