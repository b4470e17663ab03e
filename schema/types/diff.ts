import type { ItemChange } from '../../core/prolly/diff-trees.ts';
import { builder } from '../builder.ts';
import { forwardConnection } from '../pagination.ts';
import { ItemRef } from './item.ts';

const ChangeKind = builder.enumType('ChangeKind', { values: ['ADDED', 'REMOVED', 'MODIFIED'] as const });

const DiffEntryRef = builder.objectRef<ItemChange>('DiffEntry').implement({
  description: 'One item that differs between two snapshots.',
  fields: (t) => ({
    path: t.exposeString('path'),
    kind: t.field({ type: ChangeKind, resolve: (c) => (c.before === null ? 'ADDED' : c.after === null ? 'REMOVED' : 'MODIFIED') }),
    before: t.field({ type: ItemRef, nullable: true, resolve: (c) => c.before }),
    after: t.field({ type: ItemRef, nullable: true, resolve: (c) => c.after }),
  }),
});

builder.queryField('diff', (t) =>
  t.connection({
    type: DiffEntryRef,
    authScopes: { credential: 'read' },
    description:
      'Changes from one location to another, in path order. A location is dataset@ref (branch, tag, commit or snapshot), a bare commit id, or a snapshot hash. Cost follows the number of changes.',
    args: {
      project: t.arg.string({ required: true }),
      from: t.arg.string({ required: true }),
      to: t.arg.string({ required: true }),
    },
    resolve: (_, args, ctx) =>
      forwardConnection(args, (after, limit) => ctx.services.datasets.diff(ctx.actor, args.project, args.from, args.to, { after, limit }), (c) => c.path),
  }),
);
