import { Router } from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { InvalidInputError, RateLimitedError, UnauthenticatedError } from '../../core/errors.ts';
import type { SessionView } from '../../services/identity/authentication.ts';
import type { IdentityService } from '../../services/identity/identity-service.ts';
import { errorBody, errorHeaders } from './error-status.ts';
import { loginAttemptKey, type LoginLimiter } from './rate-limit.ts';
import type { RequestState } from './request-context.ts';
import { readJsonBody } from './request-body.ts';

/** The cookie that carries a web session's secret. */
export const SESSION_COOKIE = 'sheaf_session';

/** A sign-in body is a name and a password; anything near this size is not one. */
export const MAX_SESSION_BODY_BYTES = 16 * 1024;

export interface SessionRoutesDeps {
  readonly identity: Pick<IdentityService, 'login' | 'logout' | 'describeSession'>;
  /** Adds `Secure` to the cookie: on whenever clients reach the server over HTTPS. */
  readonly secureCookies: boolean;
  /** Limits password guessing per client address and user name; none when absent. */
  readonly loginLimiter?: LoginLimiter | undefined;
}

/** What the session routes answer: who is signed in, the CSRF token, and until when. */
export interface SessionBody {
  readonly user: { readonly name: string; readonly isAdmin: boolean };
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/**
 * Sign-in for the web UI. The session's secret travels only in an HttpOnly, SameSite=Strict
 * cookie (`Secure` with `secureCookies`), out of reach of page scripts; the CSRF token in the
 * body is what the page sends back in `X-CSRF-Token` with every unsafe request. That check is
 * the authentication middleware's (server/http/authenticate.ts), for every cookie-authenticated
 * request alike, including `DELETE /v1/session`; these routes do not repeat it.
 *
 * - `POST /v1/session` with `{ "name", "password" }` (JSON, at most 16 KiB): 201 with
 *   SessionBody and the cookie. A session the request's cookie named is ended: signing in
 *   again replaces it. Errors: 400 a body that is not such JSON, 401 a wrong name or password
 *   (the same for both), 413 a larger body, 429 too many attempts (with Retry-After).
 * - `GET /v1/session`: 200 with SessionBody of the cookie's session; 401 without a live one.
 * - `DELETE /v1/session`: ends the cookie's session, if any, and clears the cookie; 204.
 *
 * Responses are never cached. Mount behind `requestContext`, which answers the errors thrown.
 */
export function sessionRoutes(deps: SessionRoutesDeps): Router<RequestState> {
  const { identity, loginLimiter } = deps;
  const router = new Router<RequestState>();

  router.post('/v1/session', async (ctx) => {
    const { name, password } = credentialsOf(await readJsonBody(ctx.req, MAX_SESSION_BODY_BYTES));
    const attempt = loginAttemptKey(ctx.ip, name);
    try {
      await loginLimiter?.consume(attempt);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      // Answered here: a thrown error's headers are cleared, and Retry-After is the point.
      ctx.state.log.info({ code: error.code, status: 429 }, error.message);
      ctx.status = 429;
      ctx.set({ ...errorHeaders(error), 'Cache-Control': 'no-store' });
      ctx.body = errorBody(error);
      return;
    }
    const signedIn = await identity.login(name, password, { address: ctx.ip, userAgent: ctx.get('user-agent') || undefined });
    await loginLimiter?.reset(attempt);
    const previous = ctx.cookies.get(SESSION_COOKIE);
    if (previous) await identity.logout(previous);
    const maxAgeSeconds = Math.max(0, Math.floor((signedIn.expiresAt.getTime() - Date.now()) / 1000));
    ctx.set('Set-Cookie', sessionCookie(signedIn.sessionSecret, maxAgeSeconds, deps.secureCookies));
    respond(ctx, 201, signedIn);
  });

  router.get('/v1/session', async (ctx) => {
    const secret = ctx.cookies.get(SESSION_COOKIE);
    if (!secret) throw new UnauthenticatedError('no session cookie: sign in with POST /v1/session');
    respond(ctx, 200, await identity.describeSession(secret));
  });

  router.delete('/v1/session', async (ctx) => {
    const secret = ctx.cookies.get(SESSION_COOKIE);
    if (secret) await identity.logout(secret);
    ctx.set('Set-Cookie', sessionCookie('', 0, deps.secureCookies));
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });

  return router;
}

/** @throws InvalidInputError('body') */
function credentialsOf(body: unknown): { name: string; password: string } {
  const { name, password } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof name !== 'string' || typeof password !== 'string')
    throw new InvalidInputError('body', 'must be a JSON object with string fields "name" and "password"');
  return { name, password };
}

function respond(ctx: ParameterizedContext<RequestState>, status: number, session: SessionView): void {
  const body: SessionBody = {
    user: { name: session.user.name, isAdmin: session.user.isAdmin },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  };
  ctx.set('Cache-Control', 'no-store');
  ctx.status = status;
  ctx.body = body;
}

/**
 * Written by hand rather than with `ctx.cookies.set`, which refuses `Secure` unless koa itself
 * sees HTTPS: behind a TLS-terminating proxy it does not, yet the browser does. The secret is
 * base64url, which needs no cookie escaping. An empty value with Max-Age=0 clears the cookie.
 */
function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
