import { UsageError } from '../cli-error.ts';
import type { CommandArgs, CommandSpec } from '../command.ts';
import { ERROR_FIELDS, unwrap, type UnionResult } from '../graphql-client.ts';

interface StreamView {
  readonly name: string;
  readonly broker: string;
  readonly topic: string;
  readonly dataset: string;
  readonly branch: string;
  readonly path: string;
  readonly payload: string;
  readonly every: number;
  readonly seconds: number;
  readonly keep: string | null;
  readonly owner: string | null;
  readonly clientId: string;
  readonly state: {
    readonly status: string;
    readonly error: string | null;
    readonly messagesReceived: number;
    readonly itemsStaged: number;
    readonly itemsDropped: number;
    readonly duplicates: number;
    readonly deadLetterCount: number;
    readonly itemsPerSecond: number;
    readonly pendingItems: number;
    readonly oldestPendingSeconds: number | null;
    readonly lastCommit: { readonly id: string } | null;
    readonly lastCommitAt: string | null;
  };
}

const FIELDS = `name broker topic dataset branch path payload every seconds keep owner clientId
  state { status error messagesReceived itemsStaged itemsDropped duplicates deadLetterCount itemsPerSecond pendingItems oldestPendingSeconds lastCommit { id } lastCommitAt }`;

const CREATE = `mutation($project: String!, $name: String!, $broker: String!, $topic: String!, $dataset: String!, $branch: String!,
  $path: String, $payload: StreamPayload, $every: Int, $seconds: Int, $keep: String, $maxMessageBytes: Float) {
  createStream(project: $project, name: $name, broker: $broker, topic: $topic, dataset: $dataset, branch: $branch, path: $path,
    payload: $payload, every: $every, seconds: $seconds, keep: $keep, maxMessageBytes: $maxMessageBytes) { ${ERROR_FIELDS} ... on Stream { ${FIELDS} } }
}`;

/** `sheaf stream create <name> --broker … --topic … --dataset … --branch …` in the global --project. */
export const streamCreateCommand: CommandSpec = {
  name: 'stream create',
  summary: 'ingest an MQTT topic into a branch',
  synopsis: "stream create <name> --broker mqtt://host:1883 --topic 'cams/+/frames' --dataset <d> --branch <b> [--path <template>] [--payload raw|json] [--every N] [--seconds T] [--keep <rule>]",
  description: [
    'Subscribes to the topic (QoS 1, a persistent session) and stores each message as an item of the branch (created from main',
    'if missing), acknowledging it only once stored; commits every N items or T seconds, whichever comes first. The stream',
    'acts as you: it stops with an error if you lose write access to the project. Malformed messages go to its dead letters.',
    'Path placeholders: {topic} {timestamp} {hash} {hash:N} {seq} {clientId}. Keep rules: meta.confidence<0.5 and meta.label!=background',
  ].join('\n'),
  positionals: ['name'],
  options: {
    broker: { type: 'string' },
    topic: { type: 'string' },
    dataset: { type: 'string' },
    branch: { type: 'string' },
    path: { type: 'string' },
    payload: { type: 'string' },
    every: { type: 'string' },
    seconds: { type: 'string' },
    keep: { type: 'string' },
    'max-message-bytes': { type: 'string' },
  },
  requiredOptions: ['broker', 'topic', 'dataset', 'branch'],
  optionHelp: [
    ['--broker <url>', 'mqtt://host:port or mqtts://host:port'],
    ['--topic <filter>', 'MQTT topic filter, + and # allowed'],
    ['--dataset <name>, --branch <name>', 'where the items go'],
    ['--path <template>', 'item path (default {topic}/{timestamp}-{hash:16})'],
    ['--payload raw|json', 'raw bytes with user properties as meta (default), or a JSON envelope { payload: <base64>, meta, path }'],
    ['--every <n>, --seconds <t>', 'commit window (default 1000 items or 10 s)'],
    ['--keep <rule>', 'keep only items whose meta passes, e.g. meta.confidence<0.5'],
    ['--max-message-bytes <n>', 'larger messages go to the dead letters (default 16 MiB)'],
  ],
  async run(context, args) {
    const payload = args.string('payload');
    if (payload !== undefined && payload !== 'raw' && payload !== 'json') throw new UsageError('--payload must be raw or json', 'stream create');
    const data = await context.graphql.request<{ createStream: UnionResult }>(CREATE, {
      project: context.global.project,
      name: args.positional('name'),
      broker: args.string('broker'),
      topic: args.string('topic'),
      dataset: args.string('dataset'),
      branch: args.string('branch'),
      path: args.string('path') ?? null,
      payload: payload ?? null,
      every: integer(args, 'every'),
      seconds: integer(args, 'seconds'),
      keep: args.string('keep') ?? null,
      maxMessageBytes: integer(args, 'max-message-bytes'),
    });
    const stream = unwrap<UnionResult & StreamView>(data.createStream, 'Stream');
    return { json: stream, text: `created stream ${stream.name}: ${stream.topic} → ${stream.dataset}@${stream.branch} (${stream.state.status})` };
  },
};

const LIST = `query($project: String!, $after: String) {
  streams(project: $project, first: 100, after: $after) { edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;

/** `sheaf stream list`: the streams of the global --project. */
export const streamListCommand: CommandSpec = {
  name: 'stream list',
  summary: 'list the streams of the project with their state',
  synopsis: 'stream list',
  positionals: [],
  options: {},
  async run(context) {
    const streams: StreamView[] = [];
    let after: string | null = null;
    for (;;) {
      // Pages of 100: a page of streams with their state must stay under the query cost limit.
      const data: { streams: { edges: { node: StreamView }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await context.graphql.request(LIST, { project: context.global.project, after });
      streams.push(...data.streams.edges.map((e) => e.node));
      if (!data.streams.pageInfo.hasNextPage) break;
      after = data.streams.pageInfo.endCursor;
    }
    return {
      json: streams,
      text: streams
        .map((s) => [s.name, s.state.status, `${s.topic} → ${s.dataset}@${s.branch}`, `${s.state.itemsStaged} items`, `${s.state.pendingItems} pending`, `${s.state.deadLetterCount} dead letters`].join('  '))
        .join('\n'),
    };
  },
};

const SHOW = `query($project: String!, $name: String!) {
  stream(project: $project, name: $name) { ${ERROR_FIELDS} ... on Stream { ${FIELDS} deadLetters(first: 10) { edges { node { receivedAt topic reason payloadSize } } } } }
}`;

/** `sheaf stream show <name>`: configuration, state and the first dead letters. */
export const streamShowCommand: CommandSpec = {
  name: 'stream show',
  summary: 'show a stream\'s configuration and state',
  synopsis: 'stream show <name>',
  positionals: ['name'],
  options: {},
  async run(context, args) {
    const data = await context.graphql.request<{ stream: UnionResult }>(SHOW, { project: context.global.project, name: args.positional('name') });
    const stream = unwrap<UnionResult & StreamView & { deadLetters: { edges: { node: { receivedAt: string; topic: string; reason: string; payloadSize: number } }[] } }>(data.stream, 'Stream');
    const { state } = stream;
    const lines = [
      `stream ${stream.name}: ${state.status}${state.error ? ` (${state.error})` : ''}`,
      `  ${stream.broker} ${stream.topic} → ${stream.dataset}@${stream.branch} as ${stream.path} (${stream.payload})`,
      `  commit every ${stream.every} items or ${stream.seconds} s${stream.keep ? `; keep ${stream.keep}` : ''}; acts as ${stream.owner ?? '(deleted user)'}; client id ${stream.clientId}`,
      `  messages ${state.messagesReceived}, staged ${state.itemsStaged}, dropped ${state.itemsDropped}, duplicates ${state.duplicates}, dead letters ${state.deadLetterCount}`,
      `  ${state.itemsPerSecond.toFixed(1)} items/s; ${state.pendingItems} pending${state.oldestPendingSeconds === null ? '' : ` (oldest ${state.oldestPendingSeconds.toFixed(1)} s)`}`,
      `  last commit ${state.lastCommit ? `${state.lastCommit.id.slice(0, 12)} at ${state.lastCommitAt}` : 'none'}`,
      ...stream.deadLetters.edges.map(({ node }) => `  dead letter ${node.receivedAt} ${node.topic} (${node.payloadSize} bytes): ${node.reason}`),
    ];
    return { json: stream, text: lines.join('\n') };
  },
};

/** pause, resume and delete: one mutation on one stream each. */
function streamChange(verb: 'pause' | 'resume' | 'delete', summary: string): CommandSpec {
  const field = `${verb}Stream`;
  const result = verb === 'delete' ? '... on DeletedStream { name }' : `... on Stream { name state { status error } }`;
  const query = `mutation($project: String!, $name: String!) { ${field}(project: $project, name: $name) { ${ERROR_FIELDS} ${result} } }`;
  return {
    name: `stream ${verb}`,
    summary,
    synopsis: `stream ${verb} <name>`,
    positionals: ['name'],
    options: {},
    async run(context, args) {
      const data = await context.graphql.request<Record<string, UnionResult>>(query, { project: context.global.project, name: args.positional('name') });
      const done = unwrap<UnionResult & { name: string; state?: { status: string; error: string | null } }>(data[field]!, verb === 'delete' ? 'DeletedStream' : 'Stream');
      const status = done.state ? `: ${done.state.status}${done.state.error ? ` (${done.state.error})` : ''}` : '';
      return { json: done, text: `${verb === 'delete' ? 'deleted' : verb === 'pause' ? 'paused' : 'resumed'} stream ${done.name}${status}` };
    },
  };
}

export const streamPauseCommand = streamChange('pause', 'stop a stream after committing what it staged (the broker keeps new messages)');
export const streamResumeCommand = streamChange('resume', 'start a paused or failed stream again');
export const streamDeleteCommand = streamChange('delete', 'delete a stream and its dead letters (stored items stay)');

function integer(args: CommandArgs, name: string): number | null {
  const value = args.string(name);
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a positive integer`);
  return Number(value);
}
