import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';
import { ItemRef } from './item.ts';

/** A snapshot as read in a project (hashes are answered per project). */
export interface SnapshotShape {
  readonly hash: string;
  readonly project: string;
}

export const SnapshotRef = builder.objectRef<SnapshotShape>('Snapshot').implement({
  description: 'An immutable set of items; its hash is the root of its prolly tree.',
  fields: (t) => ({
    hash: t.exposeString('hash'),
    itemCount: t.float({ resolve: async (s, _, ctx) => (await ctx.services.datasets.snapshotTotals(ctx.actor, s.project, s.hash)).count }),
    totalBytes: t.float({ resolve: async (s, _, ctx) => (await ctx.services.datasets.snapshotTotals(ctx.actor, s.project, s.hash)).bytes }),
    items: t.connection({
      type: ItemRef,
      args: { prefix: t.arg.string({ required: false }) },
      resolve: (s, args, ctx) =>
        forwardConnection(
          args,
          (after, limit) => ctx.services.datasets.listSnapshotItems(ctx.actor, s.project, s.hash, { after, limit, prefix: args.prefix ?? undefined }),
          (item) => item.path,
        ),
    }),
  }),
});

builder.queryField('snapshot', (t) =>
  t.field({
    type: SnapshotRef,
    description: 'A snapshot of the project by hash (time travel to any state ever committed in it).',
    args: { project: t.arg.string({ required: true }), hash: t.arg.string({ required: true }) },
    authScopes: { credential: 'read' },
    errors: typedErrors,
    resolve: async (_, { project, hash }, ctx) => {
      await ctx.services.datasets.getSnapshot(ctx.actor, project, hash);
      return { hash, project };
    },
  }),
);
