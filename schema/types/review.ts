import type { JsonValue } from '../../core/canonical-json.ts';
import type { ReviewTask } from '../../services/labeling/review.ts';
import { builder } from '../builder.ts';
import { AnnotationEventRef } from './annotation-event.ts';

type Submission = ReviewTask['submissions'][number];

const SubmissionRef = builder.objectRef<Submission>('Submission').implement({
  fields: (t) => ({
    user: t.exposeString('user'),
    annotations: t.field({ type: 'JSON', resolve: (s) => s.annotations as unknown as JsonValue }),
    time: t.string({ resolve: (s) => s.time.toISOString() }),
  }),
});

const ReviewTaskRef = builder.objectRef<ReviewTask>('ReviewTask').implement({
  description: 'An item waiting for a reviewer, with the submissions of its current round.',
  fields: (t) => ({
    path: t.exposeString('path'),
    blob: t.exposeString('blob'),
    mediaType: t.string({ nullable: true, resolve: (r) => r.mediaType }),
    meta: t.field({ type: 'JSON', resolve: (r) => r.meta }),
    annotations: t.field({ type: 'JSON', nullable: true, description: 'The item\'s annotations on the branch.', resolve: (r) => r.annotations }),
    contentUrl: t.exposeString('contentUrl'),
    previewUrl: t.exposeString('previewUrl'),
    submissions: t.field({ type: [SubmissionRef], resolve: (r) => r.submissions }),
    agreement: t.float({ nullable: true, resolve: (r) => r.agreement }),
    reason: t.exposeString('reason', { description: 'Why the item is in review.' }),
  }),
});

builder.queryField('reviewQueue', (t) =>
  t.field({
    type: [ReviewTaskRef],
    description: 'Items in review, lowest agreement first. For reviewers and managers.',
    authScopes: { credential: 'read' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      first: t.arg.int({ defaultValue: 10 }),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.reviewQueue(ctx.actor, args),
  }),
);

builder.mutationField('reviewItem', (t) =>
  t.field({
    type: AnnotationEventRef,
    description:
      'decision "accept" (optionally with corrected annotations, which are staged) or "reject" (the submissions are cleared and the item returns to the queue; the history keeps them).',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      path: t.arg.string({ required: true }),
      decision: t.arg.string({ required: true }),
      comment: t.arg.string(),
      annotations: t.arg({ type: 'JSON' }),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.review(ctx.actor, args),
  }),
);
