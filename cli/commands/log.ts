import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';
import { parseLocation } from '../location.ts';
import { connectionFields, paginate, PAGE_SIZE, type Connection } from '../paginate.ts';

const LOG = `query($project: String!, $dataset: String!, $ref: String!, $first: Int!, $after: String) {
  dataset(project: $project, name: $dataset) {
    ${ERROR_FIELDS}
    ... on Dataset { log(ref: $ref, first: $first, after: $after) { ${connectionFields('id snapshot { hash } parents { id } author message time')} } }
  }
}`;

interface ApiCommit {
  readonly id: string;
  readonly snapshot: { readonly hash: string };
  readonly parents: readonly { readonly id: string }[];
  readonly author: string;
  readonly message: string;
  readonly time: string;
}

/** `sheaf log <dataset>[@ref]`: commits reachable from a ref, newest first. */
export const logCommand: CommandSpec = {
  name: 'log',
  summary: 'list the commits of a branch, newest first',
  synopsis: 'log <dataset>[@branch] [--limit <n>]',
  description:
    'Lists the commits reachable from a branch, tag or commit (default main), newest first.\n--json prints an array of {id, snapshot, parents, author, message, time}.',
  positionals: ['location'],
  options: { limit: { type: 'string' } },
  optionHelp: [['--limit <n>', 'at most n commits (default all)']],
  async run(context, args) {
    const location = parseLocation(args.positional('location')!, { allowHash: false });
    if (location.kind !== 'ref') throw new UsageError('expected <dataset>[@branch]');
    const limit = parseLimit(args.string('limit'));
    const commits: ApiCommit[] = [];
    const pages = paginate(async (after) => {
      const data = await context.graphql.request<{ dataset: UnionResult }>(LOG, {
        project: context.global.project,
        dataset: location.dataset,
        ref: location.ref,
        first: Math.min(PAGE_SIZE, limit - commits.length),
        after,
      });
      return unwrap<UnionResult & { log: Connection<ApiCommit> }>(data.dataset, 'Dataset').log;
    });
    for await (const commit of pages) {
      commits.push(commit);
      if (commits.length >= limit) break;
    }
    return {
      json: commits.map((c) => ({
        id: c.id,
        snapshot: c.snapshot.hash,
        parents: c.parents.map((p) => p.id),
        author: c.author,
        message: c.message,
        time: c.time,
      })),
      text: commits.map((c) => `${c.id.slice(0, 12)}  ${c.time}  ${c.author}  ${c.message.split('\n')[0]}`).join('\n'),
    };
  },
};

function parseLimit(text: string | undefined): number {
  if (text === undefined) return Infinity;
  if (!/^[1-9][0-9]*$/.test(text)) throw new UsageError(`--limit ${JSON.stringify(text)}: expected a positive integer`);
  return Number(text);
}
