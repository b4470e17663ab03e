import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Middleware, ParameterizedContext } from 'koa';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Actor } from '../../services/actor.ts';
import { withoutCredentials } from './without-credentials.ts';
import { errorBody, httpStatusOf, isExpectedError, isExposedHttpError } from './error-status.ts';

/** What `requestContext` puts on `ctx.state` for the middleware and routes after it. */
export interface RequestState {
  /** The request's id, also sent back in the `x-request-id` response header. */
  requestId: string;
  /** The server's logger bound to this request (`reqId` on every line). */
  log: Logger;
  /** Who is calling, set by the `authenticate` middleware; null without credentials. */
  actor: Actor | null;
  /** Why the request's bearer token was refused, until `refuseFailedAuthentication` answers 401. */
  authFailure?: Error | undefined;
}

// Ids end up in log lines and response headers: a conservative charset keeps a client from
// injecting log structure or header syntax through them.
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Koa middleware, mounted first: gives each request an id (the client's `x-request-id` when it
 * is 1-128 characters of [A-Za-z0-9._-], else a fresh UUID), echoes it in the `x-request-id`
 * response header, and puts it and a child logger on `ctx.state` (see RequestState).
 *
 * Logs one line per request once the response is finished or the connection closed, so that
 * streamed bodies count in the duration: method, path (without the query string), status,
 * duration in ms, response bytes, and `aborted` when the client left early. Headers are never
 * logged, since bearer tokens travel in them.
 *
 * Errors thrown downstream become JSON responses (`httpStatusOf`, `errorBody`): expected ones
 * are logged at info, unexpected ones at error with their stack and answered 500 with a masked
 * body. Nothing is thrown to koa, except that a failure after the headers went out destroys the
 * connection so the client sees a truncated response instead of waiting for more.
 */
export function requestContext(logger: Logger): Middleware<RequestState> {
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ reqId: requestId });
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    ctx.set('X-Request-Id', requestId);
    // `ctx.path`, not `ctx.url`: query strings may carry tokens or personal data.
    const { method, path } = ctx;
    const res = ctx.res;
    res.once('close', () => {
      const finished = res.writableFinished;
      // A HEAD response announces a length but sends no body.
      const length = method === 'HEAD' ? 0 : Number(res.getHeader('content-length'));
      log.info(
        {
          method,
          path,
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          ...(finished && Number.isSafeInteger(length) ? { bytes: length } : {}),
          ...(finished ? {} : { aborted: true }),
        },
        'request',
      );
    });

    try {
      await next();
    } catch (error) {
      respondWithError(ctx, log, error);
    }
  };
}

function respondWithError(ctx: ParameterizedContext<RequestState>, log: Logger, error: unknown): void {
  const req = ctx.req;
  if (req.destroyed && !req.complete) {
    // The client went away mid-request: whatever failed, nobody is left to answer.
    log.info({ err: error }, 'client closed the connection');
    return;
  }
  const status = httpStatusOf(error);
  if (!isExpectedError(error) || status >= 500) log.error({ err: error }, 'request failed');
  else log.info({ code: errorBody(error).error.code, status }, (error as Error).message);

  if (ctx.headerSent || !ctx.writable) {
    ctx.res.destroy();
    return;
  }
  // Headers set before the failure (ETag, Cache-Control: immutable, Content-Range…) describe a
  // response that is not being sent; an error must not be cached for a year.
  for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name);
  ctx.set('X-Request-Id', ctx.state.requestId);
  if (isExposedHttpError(error) && error.headers) {
    for (const [name, value] of Object.entries(error.headers))
      if (!/^content-(type|length)$/i.test(name)) ctx.set(name, value);
  }
  ctx.set('Cache-Control', 'no-store');
  ctx.status = status;
  ctx.body = errorBody(error);
}

export interface CreateLoggerOptions {
  /** Lowest level written: 'fatal', 'error', 'warn', 'info', 'debug', 'trace' or 'silent'. */
  readonly level?: string | undefined;
  /** Where the JSON lines go; default stdout. Tests pass a collector. */
  readonly destination?: DestinationStream | undefined;
}

/**
 * The server's logger: pino, one JSON object per line on stdout. Credentials are removed from
 * anything logged under the usual names (`authorization`, `token`, `password`, `cookie`, at the
 * top level, one level down, and in `req.headers`), in case a caller logs an object that has them.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const secrets = ['authorization', 'token', 'password', 'cookie'];
  const paths = [
    ...secrets,
    ...secrets.map((key) => `*.${key}`),
    'req.headers.authorization',
    'req.headers.cookie',
    'headers.authorization',
    'headers.cookie',
  ];
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths, remove: true },
      // The redaction paths reach a fixed depth; an error may carry the request it failed on
      // (headers, URL) deeper down. Every logged object is cleaned at any depth, its errors
      // serialized on the way, so pino's own error serializer must not run again on them.
      formatters: { log: (object) => withoutCredentials(object) as Record<string, unknown> },
      serializers: { err: (value: unknown) => value },
    },
    options.destination,
  );
}
