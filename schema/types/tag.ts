import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { CommitRef, commitKey } from './commit.ts';
import type { TagShape } from './shapes.ts';

export const TagRef = builder.objectRef<TagShape>('Tag').implement({
  description: 'An immutable name for a commit.',
  fields: (t) => ({
    name: t.exposeString('name'),
    commit: t.field({ type: CommitRef, resolve: (tag) => commitKey(tag.at.project, tag.commit) }),
    createdAt: t.string({ resolve: (tag) => tag.createdAt.toISOString() }),
  }),
});

builder.mutationField('createTag', (t) =>
  t.field({
    type: TagRef,
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      dataset: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
      ref: t.arg.string({ required: true, description: 'Branch, tag, commit id or snapshot hash.' }),
    },
    errors: typedErrors,
    resolve: async (_, args, ctx) => {
      const at = { project: args.project, dataset: args.dataset };
      return { ...(await ctx.services.datasets.createTag(ctx.actor, at, args.name, args.ref)), at };
    },
  }),
);
