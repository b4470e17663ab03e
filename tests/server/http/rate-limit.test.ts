import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RateLimitedError } from '../../../core/errors.ts';
import type { Actor } from '../../../services/actor.ts';
import {
  clientAddressKey,
  loginAttemptKey,
  loginLimiter,
  rateLimit,
  type RateLimitOptions,
  type RateLimitState,
} from '../../../server/http/rate-limit.ts';
import { requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { capturingLogger, serve, type Served } from './http-fixture.ts';

const test = suite('rateLimit');

function actor(tokenId: string): Actor {
  return { userId: 'u1', name: 'ada', isAdmin: false, credential: { kind: 'token', id: tokenId }, scopes: new Set(['read']) };
}

interface App extends Served {
  /** How many requests reached the route behind the limiter. */
  readonly served: () => number;
  readonly log: ReturnType<typeof capturingLogger>;
}

/**
 * requestContext, then a stand-in for authentication (the `x-token-id` header names the
 * credential, as a verified bearer token would), then the limiter, then a route.
 */
async function startApp(options: RateLimitOptions): Promise<App> {
  const log = capturingLogger();
  let served = 0;
  const app = new Koa<RequestState>();
  app.use(requestContext(log.logger));
  app.use<RateLimitState>(async (ctx, next) => {
    const tokenId = ctx.get('x-token-id');
    if (tokenId) ctx.state.actor = actor(tokenId);
    await next();
  });
  app.use(rateLimit(options));
  app.use((ctx) => {
    served += 1;
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = { ok: true };
  });
  return { ...(await serve(app)), served: () => served, log };
}

async function statuses(url: string, count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    result.push(res.status);
  }
  return result;
}

test('over budget: 429 with Retry-After and the RATE_LIMITED body, and the route is not reached', async () => {
  const app = await startApp({ perMinute: 3 });
  try {
    assert.equal(await statuses(app.url, 3, { 'x-token-id': 'tok-a' }), [200, 200, 200]);
    const res = await fetch(app.url, { headers: { 'x-token-id': 'tok-a', 'x-request-id': 'limited-1' } });
    assert.is(res.status, 429);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.is(res.headers.get('cache-control'), 'no-store');
    assert.is(res.headers.get('x-request-id'), 'limited-1');
    assert.equal(await res.json(), {
      error: { code: 'RATE_LIMITED', message: `too many requests: retry in ${retryAfter} s`, data: { retryAfterSeconds: retryAfter } },
    });
    assert.is(app.served(), 3);
    const logged = app.log.lines().find((line) => line.reqId === 'limited-1' && line.code === 'RATE_LIMITED');
    assert.ok(logged, 'logged');
    assert.is(logged!.level, 30);
    assert.is(logged!.key, 'token:tok-a');
  } finally {
    await app.close();
  }
});

test('each credential has its own budget; requests without one share their address budget', async () => {
  const app = await startApp({ perMinute: 2 });
  try {
    assert.equal(await statuses(app.url, 3, { 'x-token-id': 'tok-a' }), [200, 200, 429]);
    assert.equal(await statuses(app.url, 3, { 'x-token-id': 'tok-b' }), [200, 200, 429]);
    assert.equal(await statuses(app.url, 3), [200, 200, 429]);
    assert.is(app.served(), 6);
  } finally {
    await app.close();
  }
});

test('a custom key, and 0 turning the limit off', async () => {
  const byPath = await startApp({ perMinute: 1, keyOf: (ctx) => ctx.path });
  const off = await startApp({ perMinute: 0 });
  try {
    assert.equal(await statuses(`${byPath.url}/a`, 2), [200, 429]);
    assert.equal(await statuses(`${byPath.url}/b`, 2), [200, 429]);
    assert.equal(await statuses(off.url, 30, { 'x-token-id': 'tok-a' }), Array(30).fill(200));
  } finally {
    await byPath.close();
    await off.close();
  }
});

test('clientAddressKey keeps IPv4 addresses and cuts IPv6 ones to their /64', () => {
  const cases: [string, string][] = [
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ];
  for (const [ip, key] of cases) assert.is(clientAddressKey(ip), key, ip);
  assert.is(clientAddressKey('2001:db8:1:2::a'), clientAddressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
  assert.is.not(clientAddressKey('2001:db8:1:2::a'), clientAddressKey('2001:db8:1:3::a'));
});

test('loginLimiter: attempts per address and name, case-insensitive, reset after a success', async () => {
  const limiter = loginLimiter(2);
  const key = loginAttemptKey('203.0.113.7', 'Ada');
  await limiter.consume(key);
  await limiter.consume(loginAttemptKey('203.0.113.7', 'ada'));
  try {
    await limiter.consume(key);
    assert.unreachable('expected a RateLimitedError');
  } catch (error) {
    assert.instance(error, RateLimitedError);
    const { retryAfterSeconds } = (error as RateLimitedError).data;
    assert.ok(retryAfterSeconds >= 1 && retryAfterSeconds <= 60, String(retryAfterSeconds));
  }
  // Another name from the same address, and the same name from elsewhere, are not affected.
  await limiter.consume(loginAttemptKey('203.0.113.7', 'grace'));
  await limiter.consume(loginAttemptKey('198.51.100.1', 'ada'));
  await limiter.reset(key);
  await limiter.consume(key);

  const off = loginLimiter(0);
  for (let i = 0; i < 20; i++) await off.consume(key);
});

test.run();
