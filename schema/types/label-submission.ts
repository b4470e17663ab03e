import type { LabelCommit } from '../../services/labeling/label-commits.ts';
import type { SubmitResult } from '../../services/labeling/submissions.ts';
import { builder } from '../builder.ts';

const LabelCommitRef = builder.objectRef<LabelCommit>('LabelCommit').implement({
  description: 'A commit of staged labels: the labeled state of the branch, by hash.',
  fields: (t) => ({
    commit: t.exposeString('commit'),
    snapshot: t.exposeString('snapshot'),
    items: t.exposeInt('items', { description: 'Labeled items it took in.' }),
  }),
});

const SubmitResultRef = builder.objectRef<SubmitResult>('SubmitResult').implement({
  fields: (t) => ({
    path: t.exposeString('path'),
    status: t.exposeString('status', { description: '"done" (staged), "waiting" (more overlap labels needed) or "review".' }),
    committed: t.field({ type: LabelCommitRef, nullable: true, description: 'The auto-commit this submission triggered, if any.', resolve: (r) => r.committed }),
  }),
});

builder.mutationFields((t) => ({
  submitLabels: t.field({
    type: SubmitResultRef,
    description: 'Submits annotations for a task the caller holds. Idempotent per submissionId: a retry gets the first answer.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      path: t.arg.string({ required: true }),
      annotations: t.arg({ type: 'JSON', required: true }),
      submissionId: t.arg.string({ required: true }),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.submit(ctx.actor, args),
  }),
  commitLabels: t.field({
    type: LabelCommitRef,
    nullable: true,
    description: 'Commits the labels staged by the labeling project; null when nothing is staged. For reviewers and managers.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      message: t.arg.string(),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.commit(ctx.actor, args),
  }),
}));
