import type { Middleware, ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../core/errors.ts';
import { credentialLabel, type Actor } from '../../services/actor.ts';
import { errorBody, errorHeaders } from './error-status.ts';

/** What the limiter reads from `ctx.state`: the authenticated actor, and the request's logger. */
export interface RateLimitState {
  actor?: Actor | null | undefined;
  log?: Logger | undefined;
}

export interface RateLimitOptions {
  /** Requests allowed per key in each one-minute window; 0 turns the limit off. */
  readonly perMinute: number;
  /** The budget a request is charged to; default `rateLimitKey`. */
  readonly keyOf?: ((ctx: ParameterizedContext<RateLimitState>) => string) | undefined;
}

/**
 * Koa middleware giving each key (by default the credential, else the client address) a budget
 * of `perMinute` requests per fixed one-minute window. Over budget, the request is answered here
 * and goes no further: 429 with the RATE_LIMITED error body and `Retry-After` in seconds, logged
 * at info through `ctx.state.log`. It answers instead of throwing because the request-context
 * middleware clears every header of a failed response, `Retry-After` included.
 *
 * Mount it after authentication, so that `ctx.state.actor` is known: before, every request
 * would be charged to its client address, and users behind one proxy or NAT would share one
 * budget. Mount it after requestContext too, for the log line and the request id.
 *
 * Budgets live in this process's memory: with several replicas each enforces its own, so a
 * client spread over N replicas gets up to N times the budget. A shared store
 * (rate-limiter-flexible's Redis or PostgreSQL limiters) can replace RateLimiterMemory here
 * without changing callers.
 */
export function rateLimit(options: RateLimitOptions): Middleware<RateLimitState> {
  if (options.perMinute === 0) return (_ctx, next) => next();
  const limiter = perMinuteLimiter(options.perMinute, 'request');
  const keyOf = options.keyOf ?? rateLimitKey;
  return async (ctx, next) => {
    const key = keyOf(ctx);
    try {
      await limiter.consume(key);
    } catch (error) {
      const limited = toRateLimited(error);
      ctx.state.log?.info({ code: limited.code, status: 429, key }, limited.message);
      ctx.status = 429;
      ctx.set({ ...errorHeaders(limited), 'Cache-Control': 'no-store' });
      ctx.body = errorBody(limited);
      return;
    }
    await next();
  };
}

/**
 * The budget a request is charged to: its credential ("token:<id>", "session:<id>") once the
 * authentication middleware has put `ctx.state.actor`, else its client address (`ip:<address>`,
 * see `clientAddressKey`). `ctx.ip` honours X-Forwarded-For only when the koa app has
 * `proxy = true`, which must be set only behind a proxy that overwrites that header.
 */
export function rateLimitKey(ctx: ParameterizedContext<RateLimitState>): string {
  const actor = ctx.state.actor;
  return actor ? credentialLabel(actor.credential) : `ip:${clientAddressKey(ctx.ip)}`;
}

/**
 * A client address as a budget key. IPv4 addresses (also IPv4-mapped IPv6 ones) are kept whole;
 * IPv6 addresses are cut to their /64 prefix, since one subscriber usually holds a whole /64
 * and could otherwise take a fresh budget with every address in it.
 */
export function clientAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Sign-in attempts counted per client address and user name; see `loginLimiter`. */
export interface LoginLimiter {
  /**
   * Counts one attempt for `key` (from `loginAttemptKey`), before the password is checked.
   * @throws RateLimitedError when the key has used up its attempts for the current minute.
   */
  consume(key: string): Promise<void>;
  /** Forgets the attempts of `key`: call after a successful sign-in. */
  reset(key: string): Promise<void>;
}

/**
 * A limiter for password guessing: `perMinute` attempts per client address and user name in each
 * one-minute window (0 turns it off). The sign-in route calls `consume` before checking the
 * password and answers a RateLimitedError with its `errorHeaders` (Retry-After). Kept in this
 * process's memory, like `rateLimit`.
 */
export function loginLimiter(perMinute: number): LoginLimiter {
  if (perMinute === 0) return { consume: async () => {}, reset: async () => {} };
  const limiter = perMinuteLimiter(perMinute, 'login');
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
      } catch (error) {
        throw toRateLimited(error);
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

/**
 * The key of a sign-in attempt: the client address (as `clientAddressKey`) and the user name,
 * lower-cased so that case variants of one name share its attempts.
 */
export function loginAttemptKey(ip: string, userName: string): string {
  return `${clientAddressKey(ip)} ${userName.toLowerCase()}`;
}

function perMinuteLimiter(perMinute: number, keyPrefix: string): RateLimiterMemory {
  if (!Number.isSafeInteger(perMinute) || perMinute < 0) throw new RangeError(`perMinute must be a non-negative integer, got ${perMinute}`);
  return new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix });
}

/**
 * rate-limiter-flexible rejects with a RateLimiterRes when over budget, with an Error when its
 * store fails; the first becomes a RateLimitedError, the second is rethrown.
 */
function toRateLimited(error: unknown): RateLimitedError {
  if (!(error instanceof RateLimiterRes)) throw error;
  return new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
}
