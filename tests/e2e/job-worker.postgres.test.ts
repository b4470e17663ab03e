import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Jobs enqueued by a server that runs none (SHEAF_WORKERS=0) are run by `sheaf worker`
// processes sharing its PostgreSQL database and blob directory; a worker killed mid-job costs
// an attempt, not the job.
const test = suite('sheaf worker processes on PostgreSQL');
const BIN = fileURLToPath(new URL('../../bin/sheaf.js', import.meta.url));
const ITEMS = 8;
const ITEM_BYTES = 32 * 1024;

let scratch: ScratchDatabase;
let dataDir: string;
let api: TestServer;
const workers: ChildProcess[] = [];

const JOB = 'id state attempts result progress { done total } failure { code message }';

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--concurrency', '1'], {
    env: { ...process.env, DATABASE_URL: scratch.url, SHEAF_DATA_DIR: dataDir, SHEAF_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  workers.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = Date.now();
  while (!stderr.includes('sheaf worker: running')) {
    assert.ok(Date.now() - started < 120_000, `the worker did not start: ${stderr}`);
    assert.is(child.exitCode, null, `the worker exited: ${stderr}`);
    await sleep(50);
  }
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}

async function verify(input: Record<string, unknown>, timeoutSeconds?: number) {
  const result = await api.gql(
    `mutation($input: JSON!, $timeoutSeconds: Int) { enqueueJob(project: "default", kind: "snapshot.verify", input: $input, timeoutSeconds: $timeoutSeconds) {
      __typename ... on Job { id state } ... on Error { code message } } }`,
    { input: { snapshot: 'frames@main', ...input }, timeoutSeconds },
  );
  assert.is(result.data.enqueueJob.__typename, 'Job', JSON.stringify(result));
  return result.data.enqueueJob.id as string;
}

/** Polls the job until `done` holds; `seen` collects every state it passed through. */
async function until(id: string, done: (job: any) => boolean, seen: any[] = [], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data } = await api.gql(`query($id: String!) { job(project: "default", id: $id) { ... on Job { ${JOB} } } }`, { id });
    seen.push(data.job);
    if (done(data.job)) return data.job;
    assert.ok(Date.now() < deadline, `job ${id} still ${JSON.stringify(data.job)}`);
    await sleep(100);
  }
}
const over = (job: any) => ['succeeded', 'failed', 'cancelled'].includes(job.state);

test.before(async () => {
  scratch = await createScratchDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'sheaf-worker-'));
  api = await startTestServer({ databaseUrl: scratch.url, dataDir, workers: 0 });
  const blobs = [];
  for (let i = 0; i < ITEMS; i++) blobs.push(await api.upload(randomBytes(ITEM_BYTES)));
  await api.gql('mutation { createDataset(project: "default", name: "frames") { __typename } }');
  const changes = blobs.map((blob, i) => ({ path: `frames/${i}.bin`, blob }));
  const staged = await api.gql('mutation($c: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "frames", branch: "main", changes: $c) { __typename } }', { c: changes });
  assert.is(staged.data.stageItems.__typename, 'StageResult');
  await api.gql('mutation { commit(project: "default", dataset: "frames", branch: "main", message: "frames") { __typename } }');
});

test.after(async () => {
  for (const child of workers) if (child.exitCode === null && child.signalCode === null) await stop(child, 'SIGKILL');
  await api.close();
  await scratch.drop();
  await rm(dataDir, { recursive: true, force: true });
});

test('a job enqueued by the server runs in a separate worker process', async () => {
  const id = await verify({});
  await sleep(1500);
  assert.is((await until(id, () => true)).state, 'queued', 'the server itself runs no jobs');
  const worker = await startWorker();
  const done = await until(id, over);
  assert.is(done.state, 'succeeded', JSON.stringify(done));
  assert.equal([done.result.items, done.result.bytes, done.attempts], [ITEMS, ITEMS * ITEM_BYTES, 1]);
  assert.is(await stop(worker, 'SIGTERM'), 0, 'a worker exits 0 on SIGTERM');
});

test('a worker killed mid-job: the attempt expires and another worker retries it to success', async () => {
  const first = await startWorker();
  // Paced to take about four seconds, so that the worker dies in the middle of it.
  const id = await verify({ maxBytesPerSecond: (ITEMS * ITEM_BYTES) / 4 }, 8);
  await until(id, (job) => job.state === 'running' && job.progress.done >= 1);
  await stop(first, 'SIGKILL');
  const seen: any[] = [];
  const lost = await until(id, (job) => job.state !== 'running', seen);
  assert.is(lost.state, 'retrying', JSON.stringify(lost));
  assert.is(lost.failure.code, 'WORKER_LOST');
  const second = await startWorker();
  const done = await until(id, over, seen);
  assert.is(done.state, 'succeeded', JSON.stringify(done));
  assert.is(done.attempts, 2);
  assert.is(done.result.items, ITEMS);
  assert.is(done.failure, null);
  await stop(second, 'SIGTERM');
});

test('a worker stopped mid-job hands it back at once; another worker finishes it', async () => {
  const first = await startWorker();
  const id = await verify({ maxBytesPerSecond: (ITEMS * ITEM_BYTES) / 4 }, 30);
  await until(id, (job) => job.state === 'running' && job.progress.done >= 1);
  assert.is(await stop(first, 'SIGTERM'), 0);
  const handedBack = await until(id, () => true);
  assert.is(handedBack.state, 'retrying', 'recorded before the worker exited');
  assert.is(handedBack.failure.code, 'WORKER_STOPPED');
  const second = await startWorker();
  const done = await until(id, over);
  assert.is(done.state, 'succeeded', JSON.stringify(done));
  assert.is(done.attempts, 2);
  await stop(second, 'SIGTERM');
});

test.run();
