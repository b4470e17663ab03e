import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { ForbiddenError, UnauthenticatedError } from '../../core/errors.ts';
import type { Actor } from '../../services/actor.ts';
import type { RequestState } from './request-context.ts';

/** Where a request's credentials are checked; see IdentityService.authenticate. */
export interface Authenticator {
  authenticate(credentials: { bearer?: string; sessionSecret?: string }): Promise<{ actor: Actor; csrfToken: string | null } | null>;
}

export interface AuthenticateOptions {
  readonly identity: Authenticator;
  /** Name of the session cookie. */
  readonly sessionCookie: string;
  /** Records a refused request (a missing CSRF token). */
  readonly onRefused?: ((actor: Actor, reason: string) => Promise<void>) | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i;

/**
 * Koa middleware, mounted after `requestContext`: puts the caller on `ctx.state.actor` (null
 * without credentials; routes and resolvers refuse what needs one).
 *
 * - `Authorization: Bearer <token>` (pipelines, the CLI): a malformed header or a bad, expired
 *   or revoked token is refused with 401 by `refuseFailedAuthentication`, mounted after the rate
 *   limiter so that guessing tokens is rate limited (by client address) like anything else.
 * - The session cookie (the web UI): an expired or signed-out session counts as no credential,
 *   so the login form still works. A state-changing request (any method but GET, HEAD,
 *   OPTIONS) must carry the session's CSRF token in `X-CSRF-Token`, or it is refused with 403:
 *   a cross-site page can make the browser send the cookie, but cannot read the token. Signing
 *   in itself (`POST /v1/session`) needs none: there is no session yet.
 */
export function authenticate(options: AuthenticateOptions): Middleware<RequestState> {
  return async (ctx, next) => {
    ctx.state.actor = null;
    const header = ctx.get('authorization');
    if (header) {
      const bearer = BEARER.exec(header)?.[1];
      try {
        if (!bearer) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
        ctx.state.actor = (await options.identity.authenticate({ bearer }))?.actor ?? null;
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        ctx.state.authFailure = error;
      }
      return next();
    }
    const sessionSecret = ctx.cookies.get(options.sessionCookie);
    if (!sessionSecret) return next();
    const session = await options.identity.authenticate({ sessionSecret }).catch((error: unknown) => {
      if (error instanceof UnauthenticatedError) return null;
      throw error;
    });
    if (!session) return next();
    ctx.state.actor = session.actor;
    const signingIn = ctx.method === 'POST' && ctx.path === '/v1/session';
    if (!SAFE_METHODS.has(ctx.method) && !signingIn && !sameSecret(ctx.get('x-csrf-token'), session.csrfToken ?? '')) {
      await options.onRefused?.(session.actor, 'missing or wrong X-CSRF-Token');
      throw new ForbiddenError('csrf', 'a request signed in by cookie without the session\'s X-CSRF-Token header');
    }
    return next();
  };
}

/** Constant-time comparison (of fixed-length digests, so lengths leak nothing either). */
function sameSecret(sent: string, expected: string): boolean {
  if (!sent || !expected) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/**
 * Answers 401 for a request whose bearer token `authenticate` refused. Mount it after the rate
 * limiter (see `authenticate`).
 */
export function refuseFailedAuthentication(): Middleware<RequestState> {
  return async (ctx, next) => {
    if (ctx.state.authFailure) throw ctx.state.authFailure;
    return next();
  };
}
