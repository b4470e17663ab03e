import { UsageError } from '../cli-error.ts';
import type { CommandContext, CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';
import { watchJob } from '../job-watch.ts';
import { endedWithout, jobDetails, jobLine, JOB_FIELDS, type JobView } from '../job-view.ts';
import { connectionFields, paginate, PAGE_SIZE, type Connection } from '../paginate.ts';
import type { Progress } from '../progress.ts';
import { ServerConnection } from '../server-connection.ts';

const STATES = ['queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'];

const LIST = `query($project: String!, $state: JobState, $kind: String, $first: Int!, $after: String) {
  jobs(project: $project, state: $state, kind: $kind, first: $first, after: $after) { ${connectionFields(JOB_FIELDS)} }
}`;

/** `sheaf job list [--state s] [--kind k] [--limit n]` */
export const jobListCommand: CommandSpec = {
  name: 'job list',
  summary: 'list the jobs of the project, newest first',
  synopsis: 'job list [--state <state>] [--kind <kind>] [--limit <n>]',
  description: 'Lists jobs newest first: id, kind, state, progress, when enqueued. --json prints an array of jobs.',
  positionals: [],
  options: { state: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'string' } },
  optionHelp: [
    ['--state <state>', STATES.join(', ')],
    ['--kind <kind>', 'e.g. snapshot.verify'],
    ['--limit <n>', 'at most n jobs (default 50)'],
  ],
  async run(context, args) {
    const state = args.string('state');
    if (state !== undefined && !STATES.includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}`, 'job list');
    const limit = positiveInteger(args.string('limit') ?? '50', '--limit', 'job list');
    const jobs: JobView[] = [];
    const pages = paginate(async (after) => {
      const variables = { project: context.global.project, state: state ?? null, kind: args.string('kind') ?? null, first: Math.min(PAGE_SIZE, limit - jobs.length), after };
      return (await context.graphql.request<{ jobs: Connection<JobView> }>(LIST, variables)).jobs;
    });
    for await (const job of pages) {
      jobs.push(job);
      if (jobs.length >= limit) break;
    }
    return { json: jobs, text: jobs.map(jobLine).join('\n') };
  },
};

const GET = `query($project: String!, $id: String!) { job(project: $project, id: $id) { ${ERROR_FIELDS} ... on Job { ${JOB_FIELDS} } } }`;

/** `sheaf job show <id>` */
export const jobShowCommand: CommandSpec = {
  name: 'job show',
  summary: 'show a job: state, attempts, progress, result or failure',
  synopsis: 'job show <id>',
  positionals: ['id'],
  options: {},
  async run(context, args) {
    const job = await getJob(context, args.positional('id')!);
    return { json: job, text: jobDetails(job) };
  },
};

const CANCEL = `mutation($project: String!, $id: String!) { cancelJob(project: $project, id: $id) { ${ERROR_FIELDS} ... on Job { ${JOB_FIELDS} } } }`;

/** `sheaf job cancel <id>` */
export const jobCancelCommand: CommandSpec = {
  name: 'job cancel',
  summary: 'cancel a job (a running one is aborted)',
  synopsis: 'job cancel <id>',
  description: 'Cancels a job: a waiting one never runs; a running one is aborted and ends cancelled shortly after (see "job watch"). JOB_FINISHED when it already succeeded or failed.',
  positionals: ['id'],
  options: {},
  async run(context, args) {
    const data = await context.graphql.request<{ cancelJob: UnionResult }>(CANCEL, { project: context.global.project, id: args.positional('id') });
    const job = unwrap<UnionResult & JobView>(data.cancelJob, 'Job');
    const text = job.state === 'cancelled' ? `cancelled job ${job.id}` : `asked job ${job.id} to stop; it ends as soon as its handler does`;
    return { json: withoutTypename(job), text };
  },
};

/** `sheaf job watch <id>` */
export const jobWatchCommand: CommandSpec = {
  name: 'job watch',
  summary: 'follow a job with a progress bar until it ends',
  synopsis: 'job watch <id>',
  description:
    'Shows the job\'s progress on stderr until it ends, then prints it. Exits 0 when it succeeded; 1 with its failure code (or JOB_CANCELLED) otherwise. --json prints the final job (inside the error object when it did not succeed).',
  positionals: ['id'],
  options: {},
  async run(context, args) {
    return follow(context, args.positional('id')!);
  },
};

const START = `mutation($project: String!, $kind: String!, $input: JSON!, $timeoutSeconds: Int) {
  enqueueJob(project: $project, kind: $kind, input: $input, timeoutSeconds: $timeoutSeconds) { ${ERROR_FIELDS} ... on Job { ${JOB_FIELDS} } }
}`;

/** `sheaf job start <kind> [--input json] [--timeout s] [--watch]` */
export const jobStartCommand: CommandSpec = {
  name: 'job start',
  summary: 'enqueue a job of a kind the server knows',
  synopsis: 'job start <kind> [--input <json>] [--timeout <seconds>] [--watch]',
  description: [
    'Enqueues a job and prints its id (or, with --watch, follows it as "job watch" does). Kinds:',
    '  snapshot.verify  --input \'{"snapshot": "images@main", "maxBytesPerSecond": 50000000}\'',
    '                   reads back every blob of a snapshot and checks its hash; fails with CORRUPT_BLOBS listing bad items',
  ].join('\n'),
  positionals: ['kind'],
  options: { input: { type: 'string' }, timeout: { type: 'string' }, watch: { type: 'boolean' } },
  optionHelp: [
    ['--input <json>', 'the job\'s input (default {})'],
    ['--timeout <seconds>', 'limit of each attempt (default: the kind\'s)'],
    ['--watch', 'follow the job until it ends'],
  ],
  async run(context, args) {
    let input: unknown = {};
    const raw = args.string('input');
    if (raw !== undefined) {
      try {
        input = JSON.parse(raw);
      } catch {
        throw new UsageError('--input must be JSON', 'job start');
      }
    }
    const timeout = args.string('timeout');
    const variables = { project: context.global.project, kind: args.positional('kind'), input, timeoutSeconds: timeout === undefined ? null : positiveInteger(timeout, '--timeout', 'job start') };
    const data = await context.graphql.request<{ enqueueJob: UnionResult }>(START, variables);
    const job = withoutTypename(unwrap<UnionResult & JobView>(data.enqueueJob, 'Job'));
    if (args.flag('watch')) return follow(context, job.id);
    return { json: job, text: job.id };
  },
};

async function getJob(context: CommandContext, id: string): Promise<JobView> {
  const data = await context.graphql.request<{ job: UnionResult }>(GET, { project: context.global.project, id });
  return withoutTypename(unwrap<UnionResult & JobView>(data.job, 'Job'));
}

/** `job watch` and `job start --watch`: the job's details once it succeeded. */
async function follow(context: CommandContext, id: string) {
  const job = await followJob(context, id);
  return { json: job, text: jobDetails(job) };
}

/**
 * Follows a job until it ends, with a progress bar on stderr (a warning for each retried
 * attempt), and returns it once it succeeded. For commands that start a job and wait for it.
 * @throws CliError with the job's failure code (or JOB_CANCELLED) and the job in its data
 */
export async function followJob(context: CommandContext, id: string): Promise<JobView> {
  const connection = new ServerConnection(context.global.server, context.global.token);
  let bar: Progress | undefined;
  let shown = 0;
  let state = '';
  const job = await watchJob(connection, context.global.project, id, (update) => {
    // The bar needs a total; a job reports one once it knows it.
    if (!bar && update.progress.total !== null) bar = context.progress(update.kind, update.progress.total, 'items');
    if (bar && update.progress.done > shown) {
      bar.add(update.progress.done - shown);
      shown = update.progress.done;
    }
    if (update.state !== state && update.state === 'retrying' && update.failure)
      context.warn(`attempt ${update.attempts} of job ${update.id} failed (${update.failure.code}: ${update.failure.message}); retrying`);
    state = update.state;
  }).finally(() => bar?.stop());
  if (job.state !== 'succeeded') throw endedWithout(job);
  return job;
}

function withoutTypename<T extends { __typename?: string }>(value: T): Omit<T, '__typename'> & JobView {
  const { __typename, ...rest } = value;
  void __typename;
  return rest as unknown as Omit<T, '__typename'> & JobView;
}

function positiveInteger(raw: string, flag: string, command: string): number {
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new UsageError(`${flag} must be a positive whole number`, command);
  return Number(raw);
}
