import type { DeadLetter, StreamRecord } from '../../services/ingest/stream-store.ts';
import type { StreamState } from '../../services/ingest/stream-state.ts';
import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';
import { CommitRef, commitKey } from './commit.ts';

const PayloadKind = builder.enumType('StreamPayload', {
  description: 'raw: the MQTT payload is the item (user properties are its meta); json: an envelope { payload: <base64>, meta, path, mediaType }.',
  values: ['raw', 'json'] as const,
});

const StreamStatus = builder.enumType('StreamStatus', {
  values: {
    connecting: { description: 'Started, not connected yet.' },
    connected: {},
    disconnected: { description: 'Lost its broker; reconnecting (error says why).' },
    paused: {},
    error: { description: 'Stopped until resumed (error says why), e.g. its owner may no longer write to the branch.' },
    stopped: { description: 'Active, but not running in this server (starting up or shutting down).' },
  } as const,
});

const StreamStateRef = builder.objectRef<StreamState & { project: string }>('StreamState').implement({
  description: 'What a stream is doing; counts are since the stream was created.',
  fields: (t) => ({
    status: t.field({ type: StreamStatus, resolve: (s) => s.status }),
    error: t.exposeString('error', { nullable: true }),
    messagesReceived: t.float({ description: 'Messages taken and acknowledged, duplicates included.', resolve: (s) => s.counters.messages }),
    itemsStaged: t.float({ resolve: (s) => s.counters.staged }),
    itemsDropped: t.float({ description: 'Items the keep rule filtered out (not stored).', resolve: (s) => s.counters.dropped }),
    duplicates: t.float({ description: 'Messages the broker delivered again, recognized and not stored twice.', resolve: (s) => s.counters.duplicates }),
    deadLetterCount: t.float({ resolve: (s) => s.counters.deadLetters }),
    itemsPerSecond: t.float({ description: 'Items staged per second over the last ten seconds.', resolve: (s) => s.itemsPerSecond }),
    pendingItems: t.int({ description: 'Lag: items staged and not yet committed.', resolve: (s) => s.pendingItems }),
    oldestPendingAt: t.string({ nullable: true, resolve: (s) => s.oldestPendingAt?.toISOString() ?? null }),
    oldestPendingSeconds: t.float({ nullable: true, description: 'Lag: age of the oldest uncommitted item.', resolve: (s) => (s.oldestPendingAt ? (Date.now() - s.oldestPendingAt.getTime()) / 1000 : null) }),
    lastCommit: t.field({ type: CommitRef, nullable: true, resolve: (s) => (s.lastCommit === null ? null : commitKey(s.project, s.lastCommit)) }),
    lastCommitAt: t.string({ nullable: true, resolve: (s) => s.lastCommitAt?.toISOString() ?? null }),
  }),
});

const DeadLetterRef = builder.objectRef<DeadLetter>('DeadLetter').implement({
  description: 'A message that could not become an item; it was acknowledged, and its payload is not kept.',
  fields: (t) => ({
    seq: t.float({ resolve: (d) => d.seq }),
    receivedAt: t.string({ resolve: (d) => d.receivedAt.toISOString() }),
    topic: t.exposeString('topic'),
    reason: t.exposeString('reason'),
    payloadSha256: t.exposeString('payloadSha256'),
    payloadSize: t.float({ resolve: (d) => d.payloadSize }),
    headHex: t.exposeString('headHex', { description: 'The first 32 bytes of the payload, in hex.' }),
  }),
});

export const StreamRef = builder.objectRef<StreamRecord>('Stream').implement({
  description: 'An MQTT subscription ingesting into a branch, acting as the user who created it.',
  fields: (t) => ({
    name: t.exposeString('name'),
    project: t.exposeString('project'),
    broker: t.string({ resolve: (s) => s.config.broker }),
    topic: t.string({ description: 'The MQTT topic filter.', resolve: (s) => s.config.topic }),
    dataset: t.string({ resolve: (s) => s.config.dataset }),
    branch: t.string({ resolve: (s) => s.config.branch }),
    path: t.string({ description: 'The item path template.', resolve: (s) => s.config.path }),
    payload: t.field({ type: PayloadKind, resolve: (s) => s.config.payload }),
    every: t.int({ description: 'Commit after this many items…', resolve: (s) => s.config.every }),
    seconds: t.int({ description: '…or once the oldest uncommitted item is this old.', resolve: (s) => s.config.seconds }),
    keep: t.string({ nullable: true, description: 'The keep rule on item meta, e.g. meta.confidence<0.5.', resolve: (s) => s.config.keep }),
    maxMessageBytes: t.float({ resolve: (s) => s.config.maxMessageBytes }),
    clientId: t.exposeString('clientId', { description: 'The MQTT client id; the broker keeps the session under it.' }),
    owner: t.string({ nullable: true, description: 'The user the stream acts as; null once deleted.', resolve: (s) => s.owner?.name ?? null }),
    createdAt: t.string({ resolve: (s) => s.createdAt.toISOString() }),
    state: t.field({ type: StreamStateRef, resolve: async (s, _, ctx) => ({ ...(await ctx.services.streams.state(s)), project: s.project }) }),
    deadLetters: t.connection({
      type: DeadLetterRef,
      description: 'Messages that could not become items, oldest first.',
      resolve: (s, args, ctx) =>
        forwardConnection(
          args,
          (after, limit) => ctx.services.streams.deadLetters(ctx.actor, s.project, s.name, { after: after === undefined ? undefined : Number(after), limit }),
          (d) => String(d.seq),
        ),
    }),
  }),
});

const DeletedStreamRef = builder.objectRef<{ name: string }>('DeletedStream').implement({
  fields: (t) => ({ name: t.exposeString('name') }),
});

const projectAndName = (t: { arg: { string: (o: { required: true }) => never } }) => ({
  project: t.arg.string({ required: true }),
  name: t.arg.string({ required: true }),
});

builder.queryFields((t) => ({
  streams: t.connection({
    type: StreamRef,
    description: 'The streams of a project, by name.',
    authScopes: { credential: 'read' },
    args: { project: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => forwardConnection(args, (after, limit) => ctx.services.streams.list(ctx.actor, args.project, { after, limit }), (s) => s.name),
  }),
  stream: t.field({
    type: StreamRef,
    authScopes: { credential: 'read' },
    args: projectAndName(t as never),
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.streams.get(ctx.actor, args.project, args.name),
  }),
}));

builder.mutationFields((t) => ({
  createStream: t.field({
    type: StreamRef,
    description:
      'Creates and starts a stream: subscribes to the topic at QoS 1 with a persistent session, stores each message as an item on the branch (created from main if missing), acknowledging it only once stored, and commits every `every` items or `seconds` seconds. Needs data.write on the project; the stream acts as its creator.',
    authScopes: { credential: 'write' },
    args: {
      ...projectAndName(t as never),
      broker: t.arg.string({ required: true, description: 'mqtt://host:port or mqtts://host:port.' }),
      topic: t.arg.string({ required: true, description: 'MQTT topic filter, e.g. cams/+/frames.' }),
      dataset: t.arg.string({ required: true }),
      branch: t.arg.string({ required: true }),
      path: t.arg.string({ description: 'Item path template with {topic}, {timestamp}, {hash} or {hash:N}, {seq}, {clientId}. Default {topic}/{timestamp}-{hash:16}.' }),
      payload: t.arg({ type: PayloadKind, description: 'Default raw.' }),
      every: t.arg.int({ description: 'Default 1000.' }),
      seconds: t.arg.int({ description: 'Default 10.' }),
      keep: t.arg.string({ description: 'Keep only items whose meta passes, e.g. "meta.confidence<0.5 and meta.label!=background".' }),
      maxMessageBytes: t.arg.float({ description: 'Larger messages go to the dead letters. Default 16 MiB.' }),
    },
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.streams.create(ctx.actor, args.project, args.name, args),
  }),
  pauseStream: t.field({
    type: StreamRef,
    description: 'Stops the stream after committing what it staged; the broker queues what arrives meanwhile.',
    authScopes: { credential: 'write' },
    args: projectAndName(t as never),
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.streams.pause(ctx.actor, args.project, args.name),
  }),
  resumeStream: t.field({
    type: StreamRef,
    description: 'Starts a paused stream, or one stopped by an error, again.',
    authScopes: { credential: 'write' },
    args: projectAndName(t as never),
    errors: typedErrors,
    resolve: (_, args, ctx) => ctx.services.streams.resume(ctx.actor, args.project, args.name),
  }),
  deleteStream: t.field({
    type: DeletedStreamRef,
    description: 'Stops the stream, deletes it with its dead letters, and ends its broker session (dropping what the broker still queues for it). Items already stored stay.',
    authScopes: { credential: 'write' },
    args: projectAndName(t as never),
    errors: typedErrors,
    resolve: async (_, args, ctx) => ({ name: (await ctx.services.streams.remove(ctx.actor, args.project, args.name)).name }),
  }),
}));
