import { Router } from '@koa/router';
import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MergeConflictError, NotFoundError } from '../../../core/errors.ts';
import { requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { capturingLogger, eventually, serve, type Served } from './http-fixture.ts';

const test = suite('requestContext');
const log = capturingLogger();
let served: Served;

test.before(async () => {
  const router = new Router<RequestState>();
  router.get('/boom', () => {
    throw new Error('relation "users" does not exist: SELECT password FROM users');
  });
  router.get('/throws-a-string', () => {
    throw 'not an error object';
  });
  router.get('/missing', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    throw new NotFoundError('dataset', 'cats');
  });
  router.get('/conflict', () => {
    throw new MergeConflictError([{ path: 'a.jpg', base: null, ours: { label: 1 }, theirs: { label: 2 } }]);
  });
  router.get('/teapot', (ctx) => ctx.throw(418, 'short and stout'));
  router.get('/state', (ctx) => {
    ctx.state.log.info({ step: 'inside' }, 'from a route');
    ctx.body = { requestId: ctx.state.requestId };
  });
  const app = new Koa<RequestState>();
  app.use(requestContext(log.logger));
  app.use(router.routes());
  served = await serve(app);
});
test.after(async () => {
  await served?.close();
});

test('an unexpected error is answered 500 with a masked body and logged with its stack', async () => {
  const res = await fetch(`${served.url}/boom`, { headers: { 'x-request-id': 'boom-1' } });
  assert.is(res.status, 500);
  const text = await res.text();
  assert.equal(JSON.parse(text), { error: { code: 'INTERNAL', message: 'internal error' } });
  assert.not.match(text, /password|users/);
  const logged = log.lines().find((line) => line.reqId === 'boom-1' && line.level === 50);
  assert.ok(logged, 'logged at error level');
  assert.match((logged!.err as { stack: string }).stack, /SELECT password FROM users/);

  const thrown = await fetch(`${served.url}/throws-a-string`);
  assert.is(thrown.status, 500);
  assert.equal(await thrown.json(), { error: { code: 'INTERNAL', message: 'internal error' } });
});

test('a core error is answered with its status and body, without headers set before it', async () => {
  const res = await fetch(`${served.url}/missing`, { headers: { 'x-request-id': 'missing-1' } });
  assert.is(res.status, 404);
  assert.is(res.headers.get('cache-control'), 'no-store');
  assert.is(res.headers.get('x-request-id'), 'missing-1');
  assert.equal(await res.json(), {
    error: { code: 'NOT_FOUND', message: 'dataset not found: cats', data: { kind: 'dataset', id: 'cats' } },
  });
  const logged = log.lines().filter((line) => line.reqId === 'missing-1');
  assert.ok(logged.some((line) => line.level === 30 && line.code === 'NOT_FOUND'), 'logged at info');
  assert.not.ok(logged.some((line) => (line.level as number) >= 50), 'not logged as an error');

  const conflict = await fetch(`${served.url}/conflict`);
  assert.is(conflict.status, 409);
  const body = (await conflict.json()) as { error: { code: string; data: { conflicts: unknown[] } } };
  assert.is(body.error.code, 'MERGE_CONFLICT');
  assert.is(body.error.data.conflicts.length, 1);
});

test('an exposed koa error keeps its status and message', async () => {
  const res = await fetch(`${served.url}/teapot`);
  assert.is(res.status, 418);
  assert.equal(await res.json(), { error: { code: 'I_M_A_TEAPOT', message: 'short and stout' } });
});

test('request id and logger are on ctx.state; one line per request without headers or query', async () => {
  const res = await fetch(`${served.url}/state?token=query-secret`, {
    headers: { authorization: 'Bearer header-secret', cookie: 'session=cookie-secret', 'x-request-id': 'state-1' },
  });
  assert.equal(await res.json(), { requestId: 'state-1' });
  const request = await eventually(
    () => log.lines().find((line) => line.reqId === 'state-1' && line.msg === 'request'),
    'the request line',
  );
  const lines = log.lines().filter((line) => line.reqId === 'state-1');
  assert.ok(lines.some((line) => line.msg === 'from a route' && line.step === 'inside'));
  assert.is(request.method, 'GET');
  assert.is(request.path, '/state');
  assert.is(request.status, 200);
  assert.type(request.durationMs, 'number');
  assert.is(request.bytes, Number(res.headers.get('content-length')));
  assert.not.match(log.text(), /header-secret|cookie-secret|query-secret/);
});

test('every response gets an id: a valid incoming one is kept, anything else replaced', async () => {
  const fresh = await fetch(`${served.url}/state`);
  const { requestId } = (await fresh.json()) as { requestId: string };
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  assert.is(fresh.headers.get('x-request-id'), requestId);
  for (const invalid of ['', 'a b', '<script>', 'é', 'x'.repeat(129)]) {
    const res = await fetch(`${served.url}/unknown-path`, { headers: { 'x-request-id': invalid } });
    assert.is(res.status, 404);
    const id = res.headers.get('x-request-id') ?? '';
    assert.match(id, /^[0-9a-f-]{36}$/, JSON.stringify(invalid));
    await res.body?.cancel();
  }
  const longest = 'a'.repeat(128);
  const kept = await fetch(`${served.url}/unknown-path`, { headers: { 'x-request-id': longest } });
  assert.is(kept.headers.get('x-request-id'), longest);
  await kept.body?.cancel();
});

test('createLogger removes credentials from logged objects', async () => {
  const { logger, text } = capturingLogger();
  logger.info(
    {
      authorization: 'Bearer a-secret',
      token: 't-secret',
      req: { headers: { authorization: 'Bearer r-secret', cookie: 'c-secret', accept: 'kept' } },
      user: { password: 'p-secret', name: 'ada' },
    },
    'something',
  );
  const written = text();
  assert.not.match(written, /a-secret|t-secret|r-secret|c-secret|p-secret/);
  assert.match(written, /kept/);
  assert.match(written, /ada/);
});

test.run();
