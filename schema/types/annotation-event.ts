import type { EventRecord } from '../../services/labeling/labeling-store.ts';
import { builder } from '../builder.ts';

export const AnnotationEventRef = builder.objectRef<EventRecord>('AnnotationEvent').implement({
  description: 'One step in the labeling history of an item.',
  fields: (t) => ({
    id: t.id({ resolve: (e) => String(e.seq) }),
    path: t.exposeString('path'),
    labelingProject: t.string({ nullable: true, resolve: (e) => e.labelingProject }),
    user: t.exposeString('user'),
    action: t.exposeString('action', { description: '"submit", "skip", "review.accept", "review.reject" or "commit".' }),
    annotations: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.annotations }),
    comment: t.string({ nullable: true, description: 'A skip\'s reason, a reviewer\'s comment.', resolve: (e) => e.comment }),
    time: t.string({ resolve: (e) => e.time.toISOString() }),
    commit: t.string({ nullable: true, description: 'The commit that took these labels in, once committed.', resolve: (e) => e.commit }),
    snapshot: t.string({ nullable: true, resolve: (e) => e.snapshot }),
  }),
});

builder.queryField('itemHistory', (t) =>
  t.field({
    type: [AnnotationEventRef],
    description: 'The labeling history of an item across the labeling projects of its dataset, newest first.',
    authScopes: { credential: 'read' },
    args: {
      project: t.arg.string({ required: true }),
      dataset: t.arg.string({ required: true }),
      path: t.arg.string({ required: true }),
      first: t.arg.int({ defaultValue: 50 }),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.history(ctx.actor, args),
  }),
);
