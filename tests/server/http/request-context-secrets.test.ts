import { Router } from '@koa/router';
import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NotFoundError } from '../../../core/errors.ts';
import { createLogger, requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { eventually, serve, type Served } from './http-fixture.ts';

// Credentials reach the server in three places: the Authorization header (API tokens), the
// session cookie, and the query string (links that carry a token). None may reach a log line,
// however a failure carries them.
const test = suite('request logs keep no credentials');

const TOKEN = 'shf_x_secretTokenValue0123456789';
const SESSION = 'sessionSecretValue9876543210';
const QUERY_TOKEN = 'querySecretValue5555';
const SECRETS = [TOKEN, SESSION, QUERY_TOKEN];

const chunks: string[] = [];
const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void chunks.push(line) } });
const lines = () => chunks.map((line) => JSON.parse(line) as Record<string, unknown>);
let served: Served;

test.before(async () => {
  const router = new Router<RequestState>();
  router.get('/ok', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/missing', () => {
    throw new NotFoundError('dataset', 'cats');
  });
  // An HTTP client's error keeps the request it sent, headers and URL included.
  router.get('/upstream', (ctx) => {
    throw Object.assign(new Error('upstream refused the request'), {
      request: { method: ctx.method, url: ctx.url, headers: ctx.headers },
    });
  });
  router.get('/headers-on-error', (ctx) => {
    throw Object.assign(new Error('failed with headers'), { headers: ctx.headers, url: ctx.href });
  });
  router.get('/logs-request', (ctx) => {
    ctx.state.log.warn({ req: { url: ctx.url, headers: ctx.headers } }, 'logged the request');
    ctx.body = { ok: true };
  });
  const app = new Koa<RequestState>();
  app.use(requestContext(logger));
  app.use(router.routes());
  served = await serve(app);
});
test.after(async () => {
  await served?.close();
});

async function send(path: string, requestId: string): Promise<number> {
  const res = await fetch(`${served.url}${path}?token=${QUERY_TOKEN}&page=2`, {
    headers: {
      authorization: `Bearer ${TOKEN}`,
      cookie: `sheaf_session=${SESSION}; theme=dark`,
      'x-client': 'kept-value',
      'x-request-id': requestId,
    },
  });
  await res.arrayBuffer();
  // The request line is written when the response closes, a moment after the client has it.
  await eventually(() => lines().some((line) => line.reqId === requestId && line.msg === 'request'), `the request line of ${requestId}`);
  return res.status;
}

function assertNoSecrets(requestId: string): void {
  const written = chunks.filter((line) => line.includes(requestId));
  assert.ok(written.length > 0, `lines of ${requestId}`);
  for (const line of written) for (const secret of SECRETS) assert.not.ok(line.includes(secret), `${requestId} logged a credential: ${line}`);
}

test('successful and expected-failure requests', async () => {
  assert.is(await send('/ok', 'secrets-ok'), 200);
  assertNoSecrets('secrets-ok');
  assert.is(await send('/missing', 'secrets-missing'), 404);
  assertNoSecrets('secrets-missing');
  assert.is(await send('/nowhere', 'secrets-404'), 404);
  assertNoSecrets('secrets-404');
});

test('an unexpected error carrying the request headers and URL is logged without its credentials', async () => {
  for (const [path, requestId, message] of [
    ['/upstream', 'secrets-upstream', 'upstream refused the request'],
    ['/headers-on-error', 'secrets-headers', 'failed with headers'],
  ] as const) {
    assert.is(await send(path, requestId), 500);
    assertNoSecrets(requestId);
    const logged = lines().find((line) => line.reqId === requestId && line.level === 50);
    assert.ok(logged, `${requestId}: the error is logged`);
    const text = JSON.stringify(logged);
    assert.match(text, message);
    assert.match(text, 'kept-value', 'other headers are kept');
  }
});

test('a route logging the request it handles', async () => {
  assert.is(await send('/logs-request', 'secrets-logged'), 200);
  assertNoSecrets('secrets-logged');
  assert.ok(lines().some((line) => line.reqId === 'secrets-logged' && line.msg === 'logged the request'));
});

test.run();
