import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jobCancelCommand, jobListCommand, jobShowCommand, jobStartCommand, jobWatchCommand } from '../../cli/commands/job.ts';
import { workerCommand } from '../../cli/commands/worker.ts';
import { run } from '../../cli/run.ts';
import { JobFailure } from '../../core/errors.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const COMMANDS = [jobListCommand, jobShowCommand, jobStartCommand, jobWatchCommand, jobCancelCommand, workerCommand];

const test = suite('job commands');
let server: TestServer;

test.before(async () => {
  server = await startTestServer();
  server.server.services.jobs.registerHandler('test.count', async ({ input, progress, signal }) => {
    const items = (input as { items: number }).items;
    for (let done = 1; done <= items; done++) {
      await sleep(50, undefined, { signal });
      progress(done, items);
    }
    return { counted: items };
  });
  server.server.services.jobs.registerHandler(
    'test.refuse',
    async () => {
      throw new JobFailure('BAD_PIXELS', '3 images could not be decoded', { detail: { paths: ['a.png', 'b.png', 'c.png'] } });
    },
    { retryLimit: 0 },
  );
  server.server.services.jobs.registerHandler('test.block', async ({ signal }) => {
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    throw signal.reason;
  });
});
test.after(async () => server?.close());

function capture(tty = false) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, callback) {
        text += String(chunk);
        callback();
      },
    }),
    { isTTY: tty },
  );
  return { stream, text: () => text };
}

async function sheaf(argv: string[], options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = capture();
  const stderr = capture(options.tty);
  const env = options.env ?? { SHEAF_URL: server.url, SHEAF_TOKEN: server.adminToken };
  const code = await run(argv, { stdout: stdout.stream, stderr: stderr.stream, env }, COMMANDS);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

test('job start --watch follows a job with a progress bar and prints it when it succeeds', async () => {
  const { code, stdout, stderr } = await sheaf(['job', 'start', 'test.count', '--input', '{"items": 12}', '--watch'], { tty: true });
  assert.is(code, 0, stderr);
  assert.match(stdout, /state\s+succeeded/);
  assert.match(stdout, 'result     {"counted":12}');
  assert.match(stderr, 'test.count');
  assert.match(stderr, '12/12');
});

test('--json prints the final job; job show and job list find it', async () => {
  const started = await sheaf(['job', 'start', 'test.count', '--input', '{"items": 3}', '--json']);
  assert.is(started.code, 0, started.stderr);
  const { id, state } = JSON.parse(started.stdout);
  assert.ok(['queued', 'running'].includes(state));
  const watched = await sheaf(['job', 'watch', id, '--json']);
  assert.is(watched.code, 0);
  const job = JSON.parse(watched.stdout);
  assert.equal([job.id, job.state, job.result, job.progress.done], [id, 'succeeded', { counted: 3 }, 3]);
  assert.is(watched.stderr, '', 'no bar with --json');

  const shown = await sheaf(['job', 'show', id]);
  assert.match(shown.stdout, `job ${id}`);
  assert.match(shown.stdout, 'attempts   1 of 3');
  const listed = await sheaf(['job', 'list', '--state', 'succeeded']);
  assert.match(listed.stdout, new RegExp(`^${id}  test.count  succeeded  3/3  `, 'm'));
  const listedJson = JSON.parse((await sheaf(['job', 'list', '--kind', 'test.count', '--limit', '1', '--json'])).stdout);
  assert.is(listedJson.length, 1);
  assert.is(listedJson[0].kind, 'test.count');
});

test('watching a job that fails exits 1 with its code and reason; --json carries the job in the error', async () => {
  const started = await sheaf(['job', 'start', 'test.refuse']);
  const id = started.stdout.trim();
  const watched = await sheaf(['job', 'watch', id]);
  assert.is(watched.code, 1);
  assert.match(watched.stderr, `error BAD_PIXELS: job ${id} failed: 3 images could not be decoded`);
  assert.match(watched.stderr, 'a.png');
  const json = await sheaf(['job', 'watch', id, '--json']);
  assert.is(json.code, 1);
  const { error } = JSON.parse(json.stdout);
  assert.equal([error.code, error.job.state, error.job.failure.detail], ['BAD_PIXELS', 'failed', { paths: ['a.png', 'b.png', 'c.png'] }]);
});

test('job cancel stops a running job; watching it then exits 1 with JOB_CANCELLED; a finished one cannot be cancelled', async () => {
  const id = (await sheaf(['job', 'start', 'test.block'])).stdout.trim();
  for (;;) {
    if (JSON.parse((await sheaf(['job', 'show', id, '--json'])).stdout).state === 'running') break;
    await sleep(50);
  }
  const cancelled = await sheaf(['job', 'cancel', id]);
  assert.is(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stdout, `asked job ${id} to stop`);
  const watched = await sheaf(['job', 'watch', id]);
  assert.is(watched.code, 1);
  assert.match(watched.stderr, `error JOB_CANCELLED: job ${id} was cancelled`);
  const again = await sheaf(['job', 'cancel', id, '--json']);
  assert.is(again.code, 0);
  assert.is(JSON.parse(again.stdout).state, 'cancelled');

  const done = JSON.parse((await sheaf(['job', 'list', '--state', 'succeeded', '--limit', '1', '--json'])).stdout)[0];
  const refused = await sheaf(['job', 'cancel', done.id]);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, 'error JOB_FINISHED');
});

test('mistakes: unknown kinds and ids are failures (exit 1); bad flags are usage errors (exit 2)', async () => {
  const unknown = await sheaf(['job', 'start', 'no.such-kind']);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, 'error INVALID_INPUT');
  const missing = await sheaf(['job', 'show', '00000000-0000-4000-8000-000000000000']);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, 'error NOT_FOUND');
  const watchMissing = await sheaf(['job', 'watch', '00000000-0000-4000-8000-000000000000']);
  assert.is(watchMissing.code, 1);
  assert.match(watchMissing.stderr, 'error NOT_FOUND');
  assert.is((await sheaf(['job', 'start', 'test.count', '--input', '{items'])).code, 2);
  assert.is((await sheaf(['job', 'list', '--state', 'sleeping'])).code, 2);
  const noToken = await sheaf(['job', 'watch', '00000000-0000-4000-8000-000000000000'], { env: { SHEAF_URL: server.url } });
  assert.is(noToken.code, 1);
  assert.match(noToken.stderr, 'UNAUTHENTICATED');
});

test('sheaf worker refuses the embedded database with a clear, typed error', async () => {
  const { code, stderr } = await sheaf(['worker'], { env: { SHEAF_DATA_DIR: '/nonexistent/sheaf' } });
  assert.is(code, 2);
  assert.match(stderr, 'error POSTGRES_REQUIRED: sheaf worker needs PostgreSQL (set DATABASE_URL)');
});

test.run();
