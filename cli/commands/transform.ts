import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';
import { JOB_FIELDS, type JobView } from '../job-view.ts';
import { followJob } from './job.ts';

const LIST = `{ transforms { name version kind description } }`;
const RUN = `mutation($project: String!, $transform: String!, $input: String!, $dataset: String!, $branch: String!, $params: JSON) {
  runTransform(project: $project, transform: $transform, input: $input, outputDataset: $dataset, outputBranch: $branch, params: $params) {
    ${ERROR_FIELDS} ... on Job { ${JOB_FIELDS} }
  }
}`;

/** `sheaf transform list`: the transforms the server runs. */
export const transformListCommand: CommandSpec = {
  name: 'transform list',
  summary: 'list the transforms the server runs',
  synopsis: 'transform list',
  description: 'Each transform with its version (bumped whenever its output may change) and kind (item or dataset).',
  positionals: [],
  options: {},
  async run(context) {
    const { transforms } = await context.graphql.request<{ transforms: { name: string; version: string; kind: string; description: string }[] }>(LIST);
    return { json: transforms, text: transforms.map((t) => `${t.name}@${t.version}  ${t.kind.padEnd(7)}  ${t.description}`).join('\n') };
  },
};

/** `sheaf transform run`: a transform as a job, followed with a progress bar until it ends. */
export const transformRunCommand: CommandSpec = {
  name: 'transform run',
  summary: 'run a transform from a snapshot into a branch',
  synopsis: 'transform run <name> --input <dataset@ref|hash> --output <dataset[@branch]> [--param k=v]... [--no-wait]',
  description: [
    'Runs a transform as a job and follows its progress. The output snapshot hash depends only on',
    'the input, the transform, its version and the parameters: running it again returns the stored',
    'output at once, and after a small change of the input only the changed items are recomputed.',
    'Items the transform cannot use (a corrupt image) are left out and listed.',
  ].join('\n'),
  positionals: ['name'],
  options: { input: { type: 'string' }, output: { type: 'string' }, param: { type: 'string', multiple: true }, 'no-wait': { type: 'boolean' } },
  requiredOptions: ['input', 'output'],
  optionHelp: [
    ['--input <location>', 'dataset@ref, a commit id or a snapshot hash'],
    ['--output <dataset[@branch]>', 'where the output is committed (branch default main, created if missing)'],
    ['--param k=v', 'a parameter, repeatable (see transform list)'],
    ['--no-wait', 'print the job id and return at once'],
  ],
  async run(context, args) {
    const params: Record<string, string> = {};
    for (const pair of args.strings('param')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--param ${JSON.stringify(pair)}: expected name=value`, 'transform run');
      params[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const output = args.string('output')!;
    const at = output.indexOf('@');
    const data = await context.graphql.request<{ runTransform: UnionResult }>(RUN, {
      project: context.global.project,
      transform: args.positional('name'),
      input: args.string('input'),
      dataset: at < 0 ? output : output.slice(0, at),
      branch: at < 0 ? 'main' : output.slice(at + 1),
      params,
    });
    const job = unwrap<UnionResult & JobView>(data.runTransform, 'Job');
    if (args.flag('no-wait')) return { json: { job: job.id }, text: job.id };
    const done = await followJob(context, job.id);
    const result = done.result as { outputSnapshot: string; commit: string; memoized: boolean; computed: number; reused: number; rejected: { path: string; reason: string }[] };
    const lines = [
      `output ${result.outputSnapshot}`,
      `commit ${result.commit}`,
      result.memoized ? 'memoized: the same run had finished before' : `computed ${result.computed} items, reused ${result.reused}`,
      ...result.rejected.map((r) => `rejected ${r.path}: ${r.reason}`),
    ];
    return { json: { job: done.id, ...result }, text: lines.join('\n') };
  },
};
