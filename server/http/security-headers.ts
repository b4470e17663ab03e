import helmet, { type HelmetOptions } from 'helmet';
import type { Middleware, ParameterizedContext } from 'koa';

export interface SecurityHeadersOptions {
  /**
   * The server is reached over https (config `secureCookies`): send Strict-Transport-Security
   * and have the browser upgrade any http subresource. Off for plain http, where both would
   * break the UI.
   */
  readonly https: boolean;
  /**
   * Where GraphiQL is served, when it is enabled. Its page runs inline scripts and loads its
   * code from unpkg.com, so that one HTML response goes without a Content-Security-Policy.
   * GraphiQL is a development tool (off unless NODE_ENV=development or SHEAF_GRAPHIQL=1):
   * enabling it in production means trusting that CDN.
   */
  readonly graphiqlPath?: string | undefined;
}

/** The policy of a same-origin single-page UI that talks only to this server. */
function directives(https: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    // React UI libraries set style attributes and inject <style> elements at run time.
    'style-src': ["'self'", "'unsafe-inline'"],
    // Dataset previews show images and media decoded or cut in the browser (data: and blob: URLs).
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

function helmetOptions(https: boolean, csp: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: csp ? { useDefaults: false, directives: directives(https) } : false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // Sheaf does not know what else is served under its host name's subdomains: this host only.
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: false } : false,
  };
}

/**
 * Koa middleware setting security headers on every response, built with helmet: a
 * Content-Security-Policy for a same-origin single-page UI (nothing from other origins, no
 * framing, no plugins), X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer,
 * X-Frame-Options: DENY, Cross-Origin-Opener-Policy and Cross-Origin-Resource-Policy:
 * same-origin, helmet's other defaults, and Strict-Transport-Security when `https`.
 *
 * Mount it first, before requestContext. That middleware answers a failure after clearing every
 * header set so far; the headers are therefore set again once the downstream middleware are
 * done, as well as before them for the responses written straight to the socket.
 * (koa-helmet only sets them before, which is why helmet is used directly here.)
 */
export function securityHeaders(options: SecurityHeadersOptions): Middleware {
  const strict = helmet(helmetOptions(options.https, true));
  const withoutCsp = helmet(helmetOptions(options.https, false));
  const apply = (ctx: ParameterizedContext, set: typeof strict): void =>
    set(ctx.req, ctx.res, (error) => {
      if (error) throw error;
    });
  return async (ctx, next) => {
    apply(ctx, strict);
    try {
      await next();
    } finally {
      if (!ctx.headerSent) {
        if (isGraphiqlPage(ctx, options.graphiqlPath)) {
          ctx.remove('Content-Security-Policy');
          apply(ctx, withoutCsp);
        } else apply(ctx, strict);
      }
    }
  };
}

function isGraphiqlPage(ctx: ParameterizedContext, graphiqlPath: string | undefined): boolean {
  return graphiqlPath !== undefined && ctx.method === 'GET' && ctx.path === graphiqlPath && Boolean(ctx.response.is('html'));
}
