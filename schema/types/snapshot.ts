import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';
import { ItemRef } from './item.ts';

export interface SnapshotShape {
  readonly hash: string;
}

export const SnapshotRef = builder.objectRef<SnapshotShape>('Snapshot').implement({
  description: 'An immutable set of items; its hash is the root of its prolly tree.',
  fields: (t) => ({
    hash: t.exposeString('hash'),
    itemCount: t.float({ resolve: async (s, _, ctx) => (await ctx.services.datasets.snapshotTotals(s.hash)).count }),
    totalBytes: t.float({ resolve: async (s, _, ctx) => (await ctx.services.datasets.snapshotTotals(s.hash)).bytes }),
    items: t.connection({
      type: ItemRef,
      args: { prefix: t.arg.string({ required: false }) },
      resolve: (s, args, ctx) =>
        forwardConnection(
          args,
          (after, limit) => ctx.services.datasets.listSnapshotItems(s.hash, { after, limit, prefix: args.prefix ?? undefined }),
          (item) => item.path,
        ),
    }),
  }),
});

builder.queryField('snapshot', (t) =>
  t.field({
    type: SnapshotRef,
    description: 'A snapshot by hash (time travel to any state ever committed).',
    args: { hash: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: async (_, { hash }, ctx) => {
      await ctx.services.datasets.snapshotTotals(hash);
      return { hash };
    },
  }),
);
