import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { join } from 'node:path';
import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { uiRoutes } from '../../../server/http/ui-routes.ts';
import { capturingLogger, serve, type Served } from './http-fixture.ts';

const test = suite('ui routes');
let dir: string;
let built: Served;
let missing: Served;
const INDEX = '<!doctype html><title>Sheaf</title><script type="module" src="/assets/app-abc123.js"></script>';
const SCRIPT = 'console.log("sheaf")';

function start(root: string): Promise<Served> {
  const app = new Koa<RequestState>();
  app.use(requestContext(capturingLogger().logger));
  // An API route in front, as in the server: the UI must not shadow it.
  app.use(async (ctx, next) => {
    if (ctx.path === '/v1/known') ctx.body = { ok: true };
    else await next();
  });
  app.use(uiRoutes({ root }));
  return serve(app);
}

function statusOf(url: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) =>
    get(url, { headers }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject),
  );
}

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheaf-ui-'));
  await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
  await writeFile(join(dir, 'dist', 'index.html'), INDEX);
  await writeFile(join(dir, 'dist', 'assets', 'app-abc123.js'), SCRIPT);
  await writeFile(join(dir, 'secret.txt'), 'outside the build');
  built = await start(join(dir, 'dist'));
  missing = await start(join(dir, 'nothing-here'));
});
test.after(async () => {
  await Promise.all([built?.close(), missing?.close()]);
  await rm(dir, { recursive: true, force: true });
});

test('/ is index.html, revalidated on every load', async () => {
  const response = await fetch(`${built.url}/`);
  assert.is(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  assert.is(response.headers.get('cache-control'), 'no-cache');
  assert.is(await response.text(), INDEX);
  const etag = response.headers.get('etag');
  assert.ok(etag);
  // node:http, not fetch: fetch adds `Cache-Control: no-cache` to a conditional request, which
  // rightly forces a full answer.
  assert.is(await statusOf(`${built.url}/`, { 'if-none-match': etag }), 304);
});

test('unknown non-API paths get index.html; API paths are left to the API', async () => {
  const page = await fetch(`${built.url}/label/default/cats`);
  assert.is(page.status, 200);
  assert.is(await page.text(), INDEX);
  const known = await fetch(`${built.url}/v1/known`);
  assert.equal(await known.json(), { ok: true });
  for (const path of ['/v1/unknown', '/graphql', '/metrics', '/healthz']) {
    const response = await fetch(`${built.url}${path}`);
    assert.is(response.status, 404, path);
    assert.is.not(await response.text(), INDEX, path);
  }
  const post = await fetch(`${built.url}/`, { method: 'POST' });
  assert.is(post.status, 404);
});

test('hashed assets are cached as immutable; a missing one is a 404, not index.html', async () => {
  const response = await fetch(`${built.url}/assets/app-abc123.js`);
  assert.is(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.is(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.is(await response.text(), SCRIPT);
  const head = await fetch(`${built.url}/assets/app-abc123.js`, { method: 'HEAD' });
  assert.is(head.status, 200);
  assert.is(head.headers.get('content-length'), String(SCRIPT.length));
  const gone = await fetch(`${built.url}/assets/app-old.js`);
  assert.is(gone.status, 404);
  assert.is.not(await gone.text(), INDEX);
});

test('no file outside assets/ is served through it', async () => {
  for (const path of ['/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
    const response = await fetch(`${built.url}${path}`);
    assert.is.not(await response.text(), 'outside the build', path);
  }
});

test('without a build, / says how to build the UI', async () => {
  const response = await fetch(`${missing.url}/`);
  assert.is(response.status, 503);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  assert.match(await response.text(), /npm run build:ui/);
  const other = await fetch(`${missing.url}/anything`);
  assert.is(other.status, 404);
});

test.run();
