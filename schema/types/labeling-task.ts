import type { LabelingTask } from '../../services/labeling/task-queue.ts';
import { builder } from '../builder.ts';

const LabelingTaskRef = builder.objectRef<LabelingTask>('LabelingTask').implement({
  description: 'An item leased to the asking labeler.',
  fields: (t) => ({
    path: t.exposeString('path'),
    blob: t.exposeString('blob'),
    size: t.exposeInt('size'),
    mediaType: t.string({ nullable: true, resolve: (task) => task.mediaType }),
    meta: t.field({ type: 'JSON', resolve: (task) => task.meta }),
    annotations: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The item\'s annotations on the branch (model pre-labels included); null when unlabeled.',
      resolve: (task) => task.annotations,
    }),
    leaseExpiresAt: t.string({ resolve: (task) => task.leaseExpiresAt.toISOString() }),
    contentUrl: t.exposeString('contentUrl', { description: '"/v1/projects/<project>/blobs/<blob>"' }),
    previewUrl: t.exposeString('previewUrl', { description: '"/v1/projects/<project>/blobs/<blob>/preview?width=1280"' }),
  }),
});

builder.mutationFields((t) => ({
  nextTasks: t.field({
    type: [LabelingTaskRef],
    description:
      'Leases tasks to the caller: those it already holds first (renewed), then new ones in queue order. `exclude`: paths the client already holds (renewed, not sent again).',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      count: t.arg.int({ defaultValue: 1 }),
      exclude: t.arg.stringList(),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.nextTasks(ctx.actor, args),
  }),
  skipTask: t.boolean({
    description: 'Skips a task with a reason: it leaves the caller\'s queue and stays available to other labelers.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      path: t.arg.string({ required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.skip(ctx.actor, args),
  }),
  releaseTask: t.boolean({
    description: 'Gives a leased task back to the queue; false when the caller held no lease on it.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      path: t.arg.string({ required: true }),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.release(ctx.actor, args),
  }),
}));
