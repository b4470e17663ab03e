import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loginLimiter } from '../../../server/http/rate-limit.ts';
import { requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { SESSION_COOKIE, sessionRoutes } from '../../../server/http/session-routes.ts';
import { databaseKinds } from '../../helpers/databases.ts';
import { PASSWORD, openIdentityFixture, type IdentityFixture } from '../../services/identity/identity-fixture.ts';
import { capturingLogger, serve, type Served } from './http-fixture.ts';

const TTL = 2 * 60 * 60 * 1000;

for (const kind of databaseKinds) {
  const test = suite(`session routes on ${kind}`);
  let f: IdentityFixture;
  let plain: Served;
  let secure: Served;
  let limited: Served;

  function start(options: { secureCookies: boolean; attemptsPerMinute?: number }): Promise<Served> {
    const app = new Koa<RequestState>();
    app.use(requestContext(capturingLogger().logger));
    const limiter = options.attemptsPerMinute === undefined ? undefined : loginLimiter(options.attemptsPerMinute);
    const router = sessionRoutes({ identity: f.identity, secureCookies: options.secureCookies, loginLimiter: limiter });
    app.use(router.routes()).use(router.allowedMethods());
    return serve(app);
  }

  test.before(async () => {
    f = await openIdentityFixture(kind, { sessionTtlMs: TTL, start: new Date() });
    await f.user('ada', { password: PASSWORD });
    plain = await start({ secureCookies: false });
    secure = await start({ secureCookies: true });
    limited = await start({ secureCookies: false, attemptsPerMinute: 2 });
  });
  test.after(async () => {
    await Promise.all([plain, secure, limited].map((served) => served?.close()));
    await f?.database.close();
  });

  const signIn = (served: Served, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${served.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const withCookie = (secret: string) => ({ cookie: `${SESSION_COOKIE}=${secret}` });
  const secretOf = (response: Response) => /^sheaf_session=([^;]*);/.exec(response.headers.get('set-cookie') ?? '')?.[1];

  test('sign-in sets an HttpOnly, SameSite=Strict session cookie and answers the CSRF token', async () => {
    const response = await signIn(plain, { name: 'ada', password: PASSWORD });
    assert.is(response.status, 201);
    assert.is(response.headers.get('cache-control'), 'no-store');
    const cookie = response.headers.get('set-cookie')!;
    const [pair, ...attributes] = cookie.split('; ');
    assert.match(pair!, /^sheaf_session=[A-Za-z0-9_-]{43}$/);
    const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age='))!.slice('Max-Age='.length));
    // Counted down from the session's creation, however long the password check took.
    assert.ok(maxAge > 0 && maxAge <= TTL / 1000, String(maxAge));
    assert.equal(attributes.filter((a) => !a.startsWith('Max-Age=')).sort(), ['HttpOnly', 'Path=/', 'SameSite=Strict']);
    const body = await response.json();
    assert.equal(body.user, { name: 'ada', isAdmin: false });
    assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(Date.parse(body.expiresAt) > Date.now() && Date.parse(body.expiresAt) <= Date.now() + TTL, body.expiresAt);
    assert.not.match(JSON.stringify(body), secretOf(response)!);

    const current = await fetch(`${plain.url}/v1/session`, { headers: withCookie(secretOf(response)!) });
    assert.is(current.status, 200);
    assert.is(current.headers.get('cache-control'), 'no-store');
    assert.equal(await current.json(), body);
  });

  test('with secureCookies the cookie is Secure', async () => {
    const response = await signIn(secure, { name: 'ada', password: PASSWORD });
    assert.is(response.status, 201);
    assert.ok(response.headers.get('set-cookie')!.split('; ').includes('Secure'));
    assert.not.ok((await signIn(plain, { name: 'ada', password: PASSWORD })).headers.get('set-cookie')!.includes('Secure'));
  });

  test('a wrong password and an unknown user get the same 401, and no cookie', async () => {
    const wrong = await signIn(plain, { name: 'ada', password: 'not the password' });
    const unknown = await signIn(plain, { name: 'nobody', password: PASSWORD });
    for (const response of [wrong, unknown]) {
      assert.is(response.status, 401);
      assert.is(response.headers.get('set-cookie'), null);
    }
    const [a, b] = [await wrong.json(), await unknown.json()];
    assert.equal(a, b);
    assert.is(a.error.code, 'UNAUTHENTICATED');
  });

  test('malformed sign-in bodies are 400, oversized ones 413; no session is made', async () => {
    const sessions = async () => (await f.db.selectFrom('sessions').select('id').execute()).length;
    const before = await sessions();
    for (const body of ['not json', '[]', 'null', JSON.stringify({ name: 'ada' }), JSON.stringify({ name: 'ada', password: 123456789012345 })]) {
      const response = await signIn(plain, body);
      assert.is(response.status, 400, body);
      assert.is((await response.json()).error.code, 'INVALID_INPUT');
    }
    const large = await signIn(plain, { name: 'ada', password: 'x'.repeat(17 * 1024) });
    assert.is(large.status, 413);
    assert.is(await sessions(), before);
  });

  test('GET without a live session is 401', async () => {
    assert.is((await fetch(`${plain.url}/v1/session`)).status, 401);
    const unknown = await fetch(`${plain.url}/v1/session`, { headers: withCookie('A'.repeat(43)) });
    assert.is(unknown.status, 401);
    assert.is((await unknown.json()).error.code, 'UNAUTHENTICATED');
  });

  test('DELETE signs out and clears the cookie; signing in again ends the previous session', async () => {
    const first = secretOf(await signIn(plain, { name: 'ada', password: PASSWORD }))!;
    const second = secretOf(await signIn(plain, { name: 'ada', password: PASSWORD }, withCookie(first)))!;
    assert.is((await fetch(`${plain.url}/v1/session`, { headers: withCookie(first) })).status, 401);
    assert.is((await fetch(`${plain.url}/v1/session`, { headers: withCookie(second) })).status, 200);

    const out = await fetch(`${plain.url}/v1/session`, { method: 'DELETE', headers: withCookie(second) });
    assert.is(out.status, 204);
    const cleared = out.headers.get('set-cookie')!;
    assert.match(cleared, /^sheaf_session=; /);
    assert.ok(cleared.split('; ').includes('Max-Age=0'));
    assert.is((await fetch(`${plain.url}/v1/session`, { headers: withCookie(second) })).status, 401);
    // Signing out without a session is fine too.
    assert.is((await fetch(`${plain.url}/v1/session`, { method: 'DELETE' })).status, 204);
  });

  test('too many attempts for one name from one address are 429 with Retry-After', async () => {
    assert.is((await signIn(limited, { name: 'ada', password: 'wrong wrong wrong' })).status, 401);
    assert.is((await signIn(limited, { name: 'ada', password: 'wrong wrong wrong' })).status, 401);
    const refused = await signIn(limited, { name: 'ada', password: PASSWORD });
    assert.is(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.is((await refused.json()).error.code, 'RATE_LIMITED');
    assert.is(refused.headers.get('set-cookie'), null);
    // Another name from the same address has its own budget.
    assert.is((await signIn(limited, { name: 'nobody', password: PASSWORD })).status, 401);
  });

  test.run();
}
