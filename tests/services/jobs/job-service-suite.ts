import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { queueSqlOf } from '../../../adapters/db/queue-sql.ts';
import { QUEUE, QUEUE_SCHEMA } from '../../../adapters/jobs/pg-boss-job-queue.ts';
import {
  ForbiddenError,
  InvalidInputError,
  JobCancelledError,
  JobFailure,
  JobFinishedError,
  JobTimeoutError,
  NotFoundError,
} from '../../../core/errors.ts';
import { JobHandlers } from '../../../services/jobs/job-handlers.ts';
import type { Job } from '../../../services/jobs/job.ts';
import type { DatabaseKind } from '../../helpers/databases.ts';
import { rejects } from '../identity/identity-fixture.ts';
import { aborted, openJobFixture, PROJECT, type JobFixture } from './job-fixture.ts';

export function jobServiceSuite(kind: DatabaseKind) {
  const test = suite(`job queue on ${kind}`);
  let fx: JobFixture;
  // What handlers saw, by job id.
  const started = new Map<string, number[]>();
  const abortReasons = new Map<string, unknown>();
  const noteStart = (id: string) => started.set(id, [...(started.get(id) ?? []), Date.now()]);

  test.before(async () => {
    fx = await openJobFixture(kind);
    fx.jobs.registerHandler('test.count', async ({ jobId, input, progress, signal }) => {
      noteStart(jobId);
      const total = (input as { items: number }).items;
      progress(0, total);
      for (let done = 1; done <= total; done++) {
        await sleep(100, undefined, { signal });
        progress(done, total);
      }
      return { counted: total };
    });
    fx.jobs.registerHandler(
      'test.flaky',
      async ({ jobId }) => {
        noteStart(jobId);
        throw new JobFailure('UPSTREAM_DOWN', 'the upstream service did not answer', { retryable: true, detail: { tried: 'https://upstream' } });
      },
      { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true },
    );
    fx.jobs.registerHandler(
      'test.broken',
      async ({ jobId }) => {
        noteStart(jobId);
        throw new Error('ENOENT: /srv/secret/path/file.bin');
      },
      { retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false },
    );
    fx.jobs.registerHandler('test.missing', async ({ jobId }) => {
      noteStart(jobId);
      throw new NotFoundError('snapshot', 'nothing-here');
    });
    fx.jobs.registerHandler(
      'test.stubborn',
      // Ignores its signal: the attempt must end at the abort all the same.
      async ({ jobId, signal }) => {
        noteStart(jobId);
        signal.addEventListener('abort', () => abortReasons.set(jobId, signal.reason));
        return new Promise<never>(() => {});
      },
      { retryLimit: 0 },
    );
    fx.jobs.registerHandler('test.block', async ({ jobId, signal }) => {
      noteStart(jobId);
      abortReasons.set(jobId, await aborted(signal));
      throw signal.reason;
    });
    fx.jobs.registerHandler(
      'test.quick',
      async ({ jobId }) => {
        noteStart(jobId);
        return 'ok';
      },
      { retryDelaySeconds: 1, retryBackoff: false },
    );
  });
  test.after(async () => {
    await fx.close();
  });

  const enqueue = async (kind: string, input: unknown = {}, limits: { timeoutSeconds?: number; retryLimit?: number } = {}) =>
    fx.jobs.enqueue(await fx.maintainer(), PROJECT, { kind, input: input as never, ...limits });
  const isOver = (job: Job) => ['succeeded', 'failed', 'cancelled'].includes(job.state);

  test('a job runs, its progress is stored and streamed as it goes, and its result is kept', async () => {
    const runner = await fx.runner(1);
    try {
      const job = await enqueue('test.count', { items: 12 });
      assert.is(job.state, 'queued');
      assert.is(job.attempts, 0);
      const seen: Job[] = [];
      for await (const update of await fx.jobs.watch(await fx.maintainer(), PROJECT, job.id)) seen.push(update);
      const last = seen[seen.length - 1]!;
      assert.is(last.state, 'succeeded');
      assert.equal(last.result, { counted: 12 });
      assert.is(last.attempts, 1);
      assert.is(last.failure, null);
      assert.is(last.progress.done, 12);
      assert.is(last.progress.total, 12);
      assert.ok(last.finishedAt && last.startedAt && last.finishedAt >= last.startedAt);
      // Progress arrived while it ran, not only at the end, with a rate and a time left.
      const midway = seen.filter((u) => u.state === 'running' && u.progress.done > 0 && u.progress.done < 12);
      assert.ok(midway.length >= 2, `updates while running: ${seen.map((u) => `${u.state}:${u.progress.done}`).join(' ')}`);
      const dones = seen.map((u) => u.progress.done);
      assert.equal(dones, [...dones].sort((a, b) => a - b), 'progress never goes back');
      assert.ok(seen.some((u) => u.state === 'running' && u.progress.rate !== null && u.progress.rate > 0 && u.progress.etaSeconds !== null));
      // The job query shows the same.
      const read = await fx.jobs.get(await fx.maintainer(), PROJECT, job.id);
      assert.equal(read.result, { counted: 12 });
      assert.is(read.createdBy, 'mia');
      const actions = await fx.auditActions();
      assert.ok(actions.some((a) => a.action === 'job.enqueue' && a.outcome === 'ok'));
    } finally {
      await runner.stop();
    }
  });

  test('a failing attempt is retried with backoff, and the job fails with its reason once no retry is left', async () => {
    const runner = await fx.runner(1);
    try {
      const job = await enqueue('test.flaky');
      const retrying = await fx.until(job.id, (j) => j.state === 'retrying' || isOver(j));
      assert.is(retrying.state, 'retrying');
      assert.is(retrying.failure?.code, 'UPSTREAM_DOWN');
      const failed = await fx.until(job.id, isOver);
      assert.is(failed.state, 'failed');
      assert.is(failed.attempts, 3);
      assert.is(failed.maxAttempts, 3);
      assert.equal(failed.failure, { code: 'UPSTREAM_DOWN', message: 'the upstream service did not answer', detail: { tried: 'https://upstream' } });
      const [first, second, third] = started.get(job.id)!;
      // Backoff: a 1 s delay before the first retry, doubled (with jitter above it) before the second.
      assert.ok(second! - first! >= 900, `first retry after ${second! - first!} ms`);
      assert.ok(third! - second! >= 1900, `second retry after ${third! - second!} ms`);
    } finally {
      await runner.stop();
    }
  });

  test('an unexpected error is retried and shown as INTERNAL; only the log has its message', async () => {
    const runner = await fx.runner(1);
    try {
      const job = await enqueue('test.broken');
      const failed = await fx.until(job.id, isOver);
      assert.is(failed.state, 'failed');
      assert.is(failed.attempts, 2);
      assert.is(failed.failure?.code, 'INTERNAL');
      assert.not.match(failed.failure!.message, /secret|ENOENT/);
      assert.match(failed.failure!.message, job.id);
      assert.ok(fx.logged.some((entry) => (entry.details as { job?: string }).job === job.id && String((entry.details as { err?: Error }).err?.message).includes('ENOENT')));
    } finally {
      await runner.stop();
    }
  });

  test('an expected error (not found, invalid input, forbidden) fails the job at once', async () => {
    const runner = await fx.runner(1);
    try {
      const job = await enqueue('test.missing');
      const failed = await fx.until(job.id, isOver);
      assert.is(failed.state, 'failed');
      assert.is(failed.attempts, 1);
      assert.is(failed.failure?.code, 'NOT_FOUND');
      assert.is(started.get(job.id)?.length, 1);
    } finally {
      await runner.stop();
    }
  });

  test('an attempt past its time limit is aborted, even if its handler ignores the signal, and fails with JOB_TIMEOUT', async () => {
    const runner = await fx.runner(1);
    try {
      const job = await enqueue('test.stubborn', {}, { timeoutSeconds: 1 });
      const failed = await fx.until(job.id, isOver);
      assert.is(failed.state, 'failed');
      assert.is(failed.failure?.code, 'JOB_TIMEOUT');
      assert.match(failed.failure!.message, '1 s');
      assert.instance(abortReasons.get(job.id), JobTimeoutError);
      // The slot is free again: another job runs.
      const next = await enqueue('test.quick');
      assert.is((await fx.until(next.id, isOver)).state, 'succeeded');
    } finally {
      await runner.stop();
    }
  });

  test('cancel: a queued job never starts; a running one has its signal aborted and ends cancelled', async () => {
    const runner = await fx.runner(1);
    try {
      const running = await enqueue('test.block');
      await fx.until(running.id, (j) => j.state === 'running');
      const waiting = await enqueue('test.block');
      const cancelledWaiting = await fx.jobs.cancel(await fx.maintainer(), PROJECT, waiting.id);
      assert.is(cancelledWaiting.state, 'cancelled');
      assert.ok(cancelledWaiting.finishedAt);

      const asked = await fx.jobs.cancel(await fx.maintainer(), PROJECT, running.id);
      assert.is(asked.state, 'running');
      assert.ok(asked.cancelRequested);
      const ended = await fx.until(running.id, isOver);
      assert.is(ended.state, 'cancelled');
      assert.instance(abortReasons.get(running.id), JobCancelledError);

      // The worker is free; a job enqueued after the cancelled one runs, and the cancelled one never did.
      const later = await enqueue('test.quick');
      assert.is((await fx.until(later.id, isOver)).state, 'succeeded');
      assert.is(started.get(waiting.id), undefined);
      assert.is((await fx.jobs.get(await fx.maintainer(), PROJECT, waiting.id)).attempts, 0);

      // Cancelling again changes nothing; a finished job cannot be cancelled.
      assert.is((await fx.jobs.cancel(await fx.maintainer(), PROJECT, waiting.id)).state, 'cancelled');
      const refused = await rejects(fx.jobs.cancel(await fx.maintainer(), PROJECT, later.id), JobFinishedError);
      assert.is(refused.data.state, 'succeeded');
      const cancels = (await fx.auditActions()).filter((a) => a.action === 'job.cancel');
      assert.equal(cancels.map((a) => a.outcome), ['ok', 'ok', 'ok', 'failed']);
      assert.is(cancels[3]!.error_code, 'JOB_FINISHED');
    } finally {
      await runner.stop();
    }
  });

  test('a cancel asked in another process reaches the running handler through the database', async () => {
    const runner = await fx.runner(1);
    try {
      const job = await enqueue('test.block');
      await fx.until(job.id, (j) => j.state === 'running');
      const other = await fx.elsewhere();
      await other.cancel(await fx.maintainer(), PROJECT, job.id);
      // A queue's maintenance tick may come before the worker's poll: it must leave the job to
      // its live worker, not record it cancelled while the handler still runs.
      assert.is(await fx.queue.reconcile(), 0);
      const meanwhile = await fx.jobs.get(await fx.maintainer(), PROJECT, job.id);
      if (meanwhile.state !== 'running') assert.instance(abortReasons.get(job.id), JobCancelledError);
      const ended = await fx.until(job.id, isOver);
      assert.is(ended.state, 'cancelled');
      assert.instance(abortReasons.get(job.id), JobCancelledError);
    } finally {
      await runner.stop();
    }
  });

  test('a worker lost mid-attempt: the attempt expires and is retried; with no retry left the job fails WORKER_LOST', async () => {
    // Plays a worker that takes the attempt and dies: its queue entry stays active, its record running.
    const dead = new PgBoss({ db: queueSqlOf(fx.database), schema: QUEUE_SCHEMA, schedule: false, supervise: false, migrate: false });
    dead.on('error', () => {});
    await dead.start();
    const takeAndDie = async (id: string) => {
      const [taken] = await dead.fetch(QUEUE);
      assert.is(taken?.id, id);
      assert.is((await fx.store.claim(id))?.state, 'running');
    };
    try {
      const retried = await enqueue('test.quick', {}, { timeoutSeconds: 1, retryLimit: 1 });
      await takeAndDie(retried.id);
      const lost = await fx.until(retried.id, (j) => j.state !== 'running');
      assert.is(lost.state, 'retrying');
      assert.is(lost.failure?.code, 'WORKER_LOST');
      const runner = await fx.runner(1);
      try {
        const done = await fx.until(retried.id, isOver);
        assert.is(done.state, 'succeeded');
        assert.is(done.attempts, 2);
        assert.is(done.failure, null);
      } finally {
        await runner.stop();
      }

      const last = await enqueue('test.quick', {}, { timeoutSeconds: 1, retryLimit: 0 });
      await takeAndDie(last.id);
      const failed = await fx.until(last.id, isOver);
      assert.is(failed.state, 'failed');
      assert.is(failed.failure?.code, 'WORKER_LOST');
      assert.match(failed.failure!.message, 'no attempts were left');
    } finally {
      await dead.stop({ graceful: false });
    }
  });

  test('a worker that does not know a kind hands the job on; one that does runs it', async () => {
    const job = await enqueue('test.quick');
    const stranger = await fx.runner(1, new JobHandlers());
    let handedOn: Job;
    try {
      handedOn = await fx.until(job.id, (j) => j.state !== 'queued' && j.state !== 'running');
    } finally {
      await stranger.stop();
    }
    assert.is(handedOn.state, 'retrying');
    assert.is(handedOn.failure?.code, 'UNKNOWN_JOB_KIND');
    const runner = await fx.runner(1);
    try {
      const done = await fx.until(job.id, isOver);
      assert.is(done.state, 'succeeded');
      assert.is(done.attempts, 2);
    } finally {
      await runner.stop();
    }
  });

  test('access: viewers read jobs but cannot enqueue or cancel; other projects\' members see nothing', async () => {
    const job = await enqueue('test.quick');
    const viewer = await fx.viewer();
    assert.is((await fx.jobs.get(viewer, PROJECT, job.id)).id, job.id);
    assert.ok((await fx.jobs.list(await fx.viewer(), PROJECT, { limit: 10 })).some((j) => j.id === job.id));
    await rejects(fx.jobs.enqueue(await fx.viewer(), PROJECT, { kind: 'test.quick', input: {} }), ForbiddenError);
    await rejects(fx.jobs.cancel(await fx.viewer(), PROJECT, job.id), ForbiddenError);
    await rejects(fx.jobs.get(await fx.outsider(), PROJECT, job.id), ForbiddenError);
    await rejects(fx.jobs.list(await fx.outsider(), PROJECT, { limit: 10 }), ForbiddenError);
    // A job of one project is not found from another, even by one who may read both.
    await rejects(fx.jobs.get(await fx.outsider(), 'other', job.id), NotFoundError);
    await rejects(fx.jobs.get(null, PROJECT, job.id), Error);
    const denied = (await fx.auditActions()).filter((a) => a.outcome === 'denied').map((a) => a.action);
    for (const action of ['job.enqueue', 'job.cancel', 'job.read', 'job.list']) assert.ok(denied.includes(action), `${action} refusal audited`);
    await fx.jobs.cancel(await fx.maintainer(), PROJECT, job.id);
  });

  test('bad requests are refused at enqueue, before anything is queued', async () => {
    const before = (await fx.jobs.list(await fx.maintainer(), PROJECT, { limit: 1000 })).length;
    const unknown = await rejects(enqueue('test.nope'), InvalidInputError);
    assert.match(unknown.message, 'test.quick');
    await rejects(enqueue('test.quick', {}, { timeoutSeconds: 0 }), InvalidInputError);
    await rejects(enqueue('test.quick', {}, { timeoutSeconds: 24 * 3600 }), InvalidInputError);
    await rejects(enqueue('test.quick', {}, { retryLimit: -1 }), InvalidInputError);
    await rejects(enqueue('test.quick', { big: 'x'.repeat(70_000) }), InvalidInputError);
    await rejects(enqueue('test.quick', { nan: Number.NaN }), InvalidInputError);
    await rejects(fx.jobs.get(await fx.maintainer(), PROJECT, 'not-a-job-id'), InvalidInputError);
    await rejects(fx.jobs.get(await fx.maintainer(), PROJECT, '00000000-0000-4000-8000-000000000000'), NotFoundError);
    await rejects(fx.jobs.list(await fx.maintainer(), PROJECT, { state: 'sleeping', limit: 10 }), InvalidInputError);
    assert.is((await fx.jobs.list(await fx.maintainer(), PROJECT, { limit: 1000 })).length, before);
  });

  test('lists are newest first, filter by state and kind, and page by id', async () => {
    const maintainer = await fx.maintainer();
    const all = await fx.jobs.list(maintainer, PROJECT, { limit: 1000 });
    assert.ok(all.length >= 10);
    const created = all.map((j) => j.createdAt.getTime());
    assert.equal(created, [...created].sort((a, b) => b - a));
    const pages: Job[] = [];
    for (let after: string | undefined; ; ) {
      const page = await fx.jobs.list(await fx.maintainer(), PROJECT, { after, limit: 3 });
      pages.push(...page);
      if (page.length < 3) break;
      after = page[page.length - 1]!.id;
    }
    assert.equal(pages.map((j) => j.id), all.map((j) => j.id));
    const failed = await fx.jobs.list(await fx.maintainer(), PROJECT, { state: 'failed', limit: 1000 });
    assert.ok(failed.length > 0 && failed.every((j) => j.state === 'failed'));
    const quick = await fx.jobs.list(await fx.maintainer(), PROJECT, { kind: 'test.quick', limit: 1000 });
    assert.ok(quick.length > 0 && quick.every((j) => j.kind === 'test.quick'));
  });

  return test;
}
