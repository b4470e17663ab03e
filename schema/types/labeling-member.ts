import type { LabelingMember } from '../../services/labeling/labeling-store.ts';
import { builder } from '../builder.ts';

export const LabelingMemberRef = builder.objectRef<LabelingMember>('LabelingMember').implement({
  description: 'A user working in a labeling project.',
  fields: (t) => ({
    user: t.exposeString('user'),
    role: t.exposeString('role', { description: '"labeler" or "reviewer".' }),
  }),
});

builder.mutationFields((t) => ({
  setLabelingMember: t.field({
    type: LabelingMemberRef,
    description:
      'Adds a user to a labeling project as "labeler" or "reviewer", or changes its role. For those with data.write on the project. The user works only while it holds label.write on the branch.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      user: t.arg.string({ required: true }),
      role: t.arg.string({ required: true }),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.setMember(ctx.actor, args),
  }),
  removeLabelingMember: t.boolean({
    description: 'Removes a user from a labeling project; false when it was not a member.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      labelingProject: t.arg.string({ required: true }),
      user: t.arg.string({ required: true }),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.removeMember(ctx.actor, args),
  }),
}));
