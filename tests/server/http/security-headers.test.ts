import { createSchema, createYoga } from 'graphql-yoga';
import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NotFoundError } from '../../../core/errors.ts';
import { requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { securityHeaders, type SecurityHeadersOptions } from '../../../server/http/security-headers.ts';
import { capturingLogger, serve, type Served } from './http-fixture.ts';

const test = suite('securityHeaders');

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } }),
  graphqlEndpoint: '/graphql',
  graphiql: true,
  landingPage: false,
  logging: false,
});

/** securityHeaders first, then requestContext, then a few kinds of response. */
async function startApp(options: SecurityHeadersOptions): Promise<Served> {
  const app = new Koa<RequestState>();
  app.use(securityHeaders(options));
  app.use(requestContext(capturingLogger().logger));
  app.use(async (ctx, next) => {
    if (ctx.path === '/page') {
      ctx.type = 'html';
      ctx.body = '<!doctype html><title>sheaf</title>';
    } else if (ctx.path === '/json') ctx.body = { ok: true };
    else if (ctx.path === '/missing') {
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      throw new NotFoundError('dataset', 'cats');
    } else if (ctx.path === '/raw') {
      // Written straight to the socket, past koa's response handling.
      ctx.respond = false;
      ctx.res.end('raw');
    } else if (ctx.path === '/graphql') {
      const response = await yoga.handleNodeRequestAndResponse(ctx.req, ctx.res);
      ctx.status = response.status;
      response.headers.forEach((value, key) => ctx.append(key, value));
      ctx.body = response.body;
    } else await next();
  });
  return serve(app);
}

const EXPECTED = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function cspOf(res: Response): Map<string, string> {
  const policy = res.headers.get('content-security-policy') ?? '';
  return new Map(
    policy
      .split(';')
      .filter(Boolean)
      .map((directive) => {
        const [name = '', ...values] = directive.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
  );
}

let plain: Served;
let https: Served;
test.before(async () => {
  plain = await startApp({ https: false, graphiqlPath: '/graphql' });
  https = await startApp({ https: true });
});
test.after(async () => {
  await plain?.close();
  await https?.close();
});

test('every response has the headers: pages, JSON, errors, 404s and raw responses', async () => {
  for (const path of ['/page', '/json', '/missing', '/unknown', '/raw']) {
    const res = await fetch(`${plain.url}${path}`);
    await res.arrayBuffer();
    for (const [name, value] of Object.entries(EXPECTED)) assert.is(res.headers.get(name), value, `${path} ${name}`);
    const csp = cspOf(res);
    assert.is(csp.get('default-src'), "'self'", path);
    assert.is(csp.get('frame-ancestors'), "'none'", path);
    assert.is(res.headers.get('strict-transport-security'), null, path);
  }
  const missing = await fetch(`${plain.url}/missing`);
  assert.is(missing.status, 404);
  assert.is(missing.headers.get('cache-control'), 'no-store');
  await missing.arrayBuffer();
});

test('the policy suits a same-origin single-page UI', async () => {
  const res = await fetch(`${plain.url}/page`);
  await res.arrayBuffer();
  const csp = cspOf(res);
  assert.is(csp.get('script-src'), "'self'");
  assert.is(csp.get('img-src'), "'self' data: blob:");
  assert.is(csp.get('style-src'), "'self' 'unsafe-inline'");
  assert.is(csp.get('object-src'), "'none'");
  assert.is(csp.get('base-uri'), "'self'");
  assert.is(csp.get('form-action'), "'self'");
  assert.is(csp.get('connect-src'), "'self'");
  assert.not.ok(csp.has('upgrade-insecure-requests'), 'plain http keeps http subresources');
});

test('over https: Strict-Transport-Security and upgrade-insecure-requests', async () => {
  const res = await fetch(`${https.url}/missing`);
  await res.arrayBuffer();
  assert.is(res.headers.get('strict-transport-security'), 'max-age=31536000');
  assert.ok(cspOf(res).has('upgrade-insecure-requests'));
});

test('only the GraphiQL page goes without a policy, and only where GraphiQL is enabled', async () => {
  const page = await fetch(`${plain.url}/graphql`, { headers: { accept: 'text/html' } });
  assert.match(await page.text(), /graphiql/i);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.is(page.headers.get('content-security-policy'), null);
  assert.is(page.headers.get('x-frame-options'), 'DENY');

  const query = await fetch(`${plain.url}/graphql?query=${encodeURIComponent('{ hello }')}`, { headers: { accept: 'application/json' } });
  assert.equal(await query.json(), { data: { hello: 'world' } });
  assert.ok(cspOf(query).has('default-src'), 'a GraphQL result keeps the policy');

  const notEnabled = await fetch(`${https.url}/graphql`, { headers: { accept: 'text/html' } });
  await notEnabled.arrayBuffer();
  assert.ok(cspOf(notEnabled).has('default-src'), 'without graphiqlPath every page keeps the policy');
});

test.run();
