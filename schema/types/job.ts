import { JobFinishedError } from '../../core/errors.ts';
import { JOB_STATES, type Job, type JobFailureInfo, type JobProgress } from '../../services/jobs/job.ts';
import { builder } from '../builder.ts';
import { expectedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

const JobStateRef = builder.enumType('JobState', {
  description: 'queued, running and retrying (waiting, with backoff, for another attempt) change; succeeded, failed and cancelled are final.',
  values: JOB_STATES,
});

const JobProgressRef = builder.objectRef<JobProgress>('JobProgress').implement({
  description: 'How far the current attempt has come, as its handler reported (stored at most every 250 ms).',
  fields: (t) => ({
    done: t.exposeFloat('done', { description: 'Items done.' }),
    total: t.exposeFloat('total', { nullable: true, description: 'Items in all; null while unknown.' }),
    rate: t.exposeFloat('rate', { nullable: true, description: 'Items per second over the last 10 s.' }),
    etaSeconds: t.exposeFloat('etaSeconds', { nullable: true, description: 'Seconds left at that rate, as of updatedAt.' }),
    updatedAt: t.string({ nullable: true, resolve: (p) => iso(p.updatedAt) }),
  }),
});

const JobFailureRef = builder.objectRef<JobFailureInfo>('JobFailure').implement({
  description: 'Why a job failed (or, while it is retrying, why its last attempt did).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The handler\'s own code, a core error\'s, JOB_TIMEOUT, WORKER_LOST, WORKER_STOPPED, UNKNOWN_JOB_KIND or INTERNAL.' }),
    message: t.exposeString('message'),
    detail: t.field({ type: 'JSON', nullable: true, description: 'Per-item failures and the like, when the handler gives them.', resolve: (f) => f.detail }),
  }),
});

export const JobRef = builder.objectRef<Job>('Job').implement({
  description: 'A unit of work run by a worker (in the server or a `sheaf worker` process) as the user who enqueued it.',
  fields: (t) => ({
    id: t.exposeString('id'),
    project: t.exposeString('project'),
    kind: t.exposeString('kind', { description: 'e.g. snapshot.verify.' }),
    state: t.field({ type: JobStateRef, resolve: (job) => job.state }),
    input: t.field({ type: 'JSON', resolve: (job) => job.input }),
    result: t.field({ type: 'JSON', nullable: true, description: 'Set once succeeded.', resolve: (job) => job.result }),
    failure: t.field({ type: JobFailureRef, nullable: true, resolve: (job) => job.failure }),
    progress: t.field({ type: JobProgressRef, resolve: (job) => job.progress }),
    attempts: t.exposeInt('attempts', { description: 'Attempts started so far.' }),
    maxAttempts: t.exposeInt('maxAttempts'),
    timeoutSeconds: t.exposeInt('timeoutSeconds', { description: 'Each attempt is aborted after this long.' }),
    cancelRequested: t.exposeBoolean('cancelRequested', { description: 'Cancelled while running; it ends as soon as its handler stops.' }),
    createdBy: t.exposeString('createdBy', { description: 'The user who enqueued it; the job acts as this user.' }),
    createdAt: t.string({ resolve: (job) => job.createdAt.toISOString() }),
    startedAt: t.string({ nullable: true, resolve: (job) => iso(job.startedAt) }),
    finishedAt: t.string({ nullable: true, resolve: (job) => iso(job.finishedAt) }),
    updatedAt: t.string({ resolve: (job) => job.updatedAt.toISOString() }),
  }),
});

const jobErrors = { types: [...expectedErrors, JobFinishedError] };

builder.queryFields((t) => ({
  job: t.field({
    type: JobRef,
    description: 'A job of the project, by id.',
    authScopes: { credential: 'read' },
    args: { project: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    errors: jobErrors,
    resolve: (_, { project, id }, ctx) => ctx.services.jobs.get(ctx.actor, project, id),
  }),
  jobs: t.connection({
    type: JobRef,
    description: 'Jobs of the project, newest first.',
    authScopes: { credential: 'read' },
    args: {
      project: t.arg.string({ required: true }),
      state: t.arg({ type: JobStateRef }),
      kind: t.arg.string(),
    },
    resolve: (_, args, ctx) =>
      forwardConnection(
        args,
        (after, limit) => ctx.services.jobs.list(ctx.actor, args.project, { state: args.state, kind: args.kind, after, limit }),
        (job) => job.id,
      ),
  }),
}));

builder.mutationFields((t) => ({
  enqueueJob: t.field({
    type: JobRef,
    description: 'Queues a job of a registered kind; it runs as the caller. Needs data.write in the project.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      kind: t.arg.string({ required: true, description: 'e.g. snapshot.verify.' }),
      input: t.arg({ type: 'JSON', required: true, description: 'As the kind expects, e.g. {"snapshot": "images@main"}.' }),
      timeoutSeconds: t.arg.int({ description: 'Limit of each attempt. Default: the kind\'s.' }),
      retryLimit: t.arg.int({ description: 'Retries after a failed attempt. Default: the kind\'s.' }),
    },
    errors: jobErrors,
    resolve: (_, { project, input, ...limits }, ctx) => ctx.services.jobs.enqueue(ctx.actor, project, { ...limits, input: input ?? null }),
  }),
  cancelJob: t.field({
    type: JobRef,
    description: 'Cancels a job: a waiting one never runs; a running one is aborted and ends cancelled shortly after. JOB_FINISHED when it already succeeded or failed.',
    authScopes: { credential: 'write' },
    args: { project: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    errors: jobErrors,
    resolve: (_, { project, id }, ctx) => ctx.services.jobs.cancel(ctx.actor, project, id),
  }),
}));

builder.subscriptionFields((t) => ({
  jobProgress: t.field({
    type: JobRef,
    description: 'The job now and after each change (progress at most every 250 ms), until it ends; the last event has its final state. Over SSE: POST /graphql with Accept: text/event-stream.',
    authScopes: { credential: 'read' },
    args: { project: t.arg.string({ required: true }), id: t.arg.string({ required: true }) },
    subscribe: (_, { project, id }, ctx) => ctx.services.jobs.watch(ctx.actor, project, id),
    resolve: (job) => job,
  }),
}));
