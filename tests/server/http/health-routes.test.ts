import Koa from 'koa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { healthRoutes } from '../../../server/http/health-routes.ts';
import { requestContext, type RequestState } from '../../../server/http/request-context.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/databases.ts';
import { sql } from 'kysely';
import { capturingLogger, serve, type Served } from './http-fixture.ts';

const test = suite('health routes');
let database: TestDatabase;
let healthy: Served;
let failing: Served;
let hanging: Served;
let hangingDefault: Served;
let hangingChecks = 0;
const log = capturingLogger();
const pending: (() => void)[] = [];

async function start(checkDatabase: () => Promise<void>, readyTimeoutMs?: number): Promise<Served> {
  const app = new Koa<RequestState>();
  app.use(requestContext(log.logger));
  app.use(healthRoutes({ checkDatabase, readyTimeoutMs }).routes());
  return serve(app);
}

const hang = () =>
  new Promise<void>((resolve) => {
    hangingChecks++;
    pending.push(resolve);
  });

test.before(async () => {
  database = await openTestDatabase('pglite');
  healthy = await start(async () => {
    await sql`select 1`.execute(database.db);
  });
  failing = await start(async () => {
    throw new Error('connect ECONNREFUSED db.internal:5432 user=admin');
  });
  hanging = await start(hang, 200);
  hangingDefault = await start(hang);
});
test.after(async () => {
  for (const resolve of pending) resolve();
  await Promise.all([healthy, failing, hanging, hangingDefault].map((served) => served?.close()));
  await database?.close();
});

test('/healthz answers 200 whatever the database does', async () => {
  for (const served of [healthy, failing, hanging]) {
    const res = await fetch(`${served.url}/healthz`);
    assert.is(res.status, 200);
    assert.equal(await res.json(), { status: 'ok' });
  }
});

test('/readyz answers 200 when the database check resolves', async () => {
  const res = await fetch(`${healthy.url}/readyz`);
  assert.is(res.status, 200);
  assert.equal(await res.json(), { status: 'ok' });
  assert.is(res.headers.get('cache-control'), 'no-store');
});

test('/readyz answers 503 when the check fails, without the database error', async () => {
  const res = await fetch(`${failing.url}/readyz`, { headers: { 'x-request-id': 'ready-1' } });
  assert.is(res.status, 503);
  const text = await res.text();
  assert.equal(JSON.parse(text), { status: 'unavailable', reason: 'database check failed' });
  assert.not.match(text, /ECONNREFUSED|admin/);
  const logged = log.lines().find((line) => line.reqId === 'ready-1' && line.level === 40);
  assert.match((logged?.err as { message: string } | undefined)?.message ?? '', /ECONNREFUSED/);
});

test('/readyz answers 503 when the check hangs past the timeout; probes share a running check', async () => {
  const started = Date.now();
  const [first, second] = await Promise.all([fetch(`${hanging.url}/readyz`), fetch(`${hanging.url}/readyz`)]);
  assert.ok(Date.now() - started < 1500, 'answered after the timeout, not later');
  for (const res of [first, second]) {
    assert.is(res.status, 503);
    assert.equal(await res.json(), { status: 'unavailable', reason: 'database did not answer within 200 ms' });
  }
  assert.is(hangingChecks, 1);
});

test('the default timeout is 2 s', async () => {
  const started = Date.now();
  const res = await fetch(`${hangingDefault.url}/readyz`);
  const elapsed = Date.now() - started;
  assert.is(res.status, 503);
  assert.ok(elapsed >= 1900 && elapsed < 3000, `answered after ${elapsed} ms`);
  assert.equal(await res.json(), { status: 'unavailable', reason: 'database did not answer within 2000 ms' });
});

test.run();
