import type { Commit, StagedChange } from '../../core/model.ts';
import type { ItemChangeInput as ItemChange } from '../../core/versioning/staged-changes.ts';
import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';
import { CommitRef, commitKey } from './commit.ts';
import { AnnotationEditInput, ItemChangeInput, ItemRef } from './item.ts';
import type { BranchShape } from './shapes.ts';

const StagedChangeRef = builder.objectRef<StagedChange>('StagedChange').implement({
  description: 'An uncommitted change on a branch: a put (item) or a deletion (item null).',
  fields: (t) => ({
    path: t.exposeString('path'),
    deleted: t.boolean({ resolve: (c) => c.item === null }),
    item: t.field({ type: ItemRef, nullable: true, resolve: (c) => c.item }),
  }),
});

export const BranchRef = builder.objectRef<BranchShape>('Branch').implement({
  description: 'A movable name for a commit, with staged changes on top.',
  fields: (t) => ({
    name: t.exposeString('name'),
    head: t.field({ type: CommitRef, resolve: (b) => commitKey(b.at.project, b.head) }),
    staged: t.connection({
      type: StagedChangeRef,
      args: { prefix: t.arg.string({ required: false }) },
      resolve: (b, args, ctx) =>
        forwardConnection(
          args,
          (after, limit) => ctx.services.datasets.listStaged(ctx.actor, b.at, b.name, { after, limit, prefix: args.prefix ?? undefined }),
          (c) => c.path,
        ),
    }),
  }),
});

const CommitResultRef = builder.objectRef<{ commit: Commit; created: boolean; project: string }>('CommitResult').implement({
  fields: (t) => ({
    commit: t.field({ type: CommitRef, resolve: (r) => ({ ...r.commit, project: r.project }) }),
    created: t.exposeBoolean('created', { description: 'False when the staged changes changed nothing.' }),
  }),
});

const StageResultRef = builder.objectRef<{ count: number }>('StageResult').implement({
  fields: (t) => ({ count: t.exposeInt('count') }),
});

const MergeResultRef = builder
  .objectRef<{ commit: Commit; created: boolean; resolved: readonly { path: string }[]; resolvedCount: number; project: string }>('MergeResult')
  .implement({
    fields: (t) => ({
      commit: t.field({ type: CommitRef, resolve: (r) => ({ ...r.commit, project: r.project }) }),
      created: t.exposeBoolean('created', { description: 'False when the target already contained the source.' }),
      resolvedPaths: t.stringList({
        description: 'Conflicting paths settled by the ours/theirs strategy (the first 1,000).',
        resolve: (r) => r.resolved.map((c) => c.path),
      }),
      resolvedCount: t.int({ description: 'How many conflicts the strategy settled in all.', resolve: (r) => r.resolvedCount }),
    }),
  });

const DeletedBranchRef = builder.objectRef<{ name: string }>('DeletedBranch').implement({
  description: 'The branch that was deleted (its commits stay reachable from other refs).',
  fields: (t) => ({ name: t.exposeString('name') }),
});

const MergeStrategy = builder.enumType('MergeStrategy', { values: ['fail', 'ours', 'theirs'] as const });

const datasetArgs = (t: { arg: { string: (o: { required: true }) => never } }) => ({
  project: t.arg.string({ required: true }),
  dataset: t.arg.string({ required: true }),
});

builder.mutationFields((t) => ({
  createBranch: t.field({
    type: BranchRef,
    description: 'Creates a branch at any ref in O(1).',
    authScopes: { credential: 'write' },
    args: {
      ...datasetArgs(t as never),
      name: t.arg.string({ required: true }),
      from: t.arg.string({ required: false, defaultValue: 'main', description: 'Branch, tag, commit id or snapshot hash.' }),
    },
    errors: typedErrors,
    resolve: async (_, args, ctx) => {
      const at = { project: args.project, dataset: args.dataset };
      return { ...(await ctx.services.datasets.createBranch(ctx.actor, at, args.name, args.from ?? 'main')), at };
    },
  }),
  fastForwardBranch: t.field({
    type: BranchRef,
    description:
      'Moves a branch to a descendant commit if it still points at expectedHead (compare-and-swap). Publish work built on a private branch this way: a concurrent writer makes it fail with RefConflictError instead of mixing changes.',
    authScopes: { credential: 'write' },
    args: {
      ...datasetArgs(t as never),
      name: t.arg.string({ required: true }),
      to: t.arg.string({ required: true, description: 'A commit that descends from expectedHead.' }),
      expectedHead: t.arg.string({ required: true }),
    },
    errors: typedErrors,
    resolve: async (_, args, ctx) => {
      const at = { project: args.project, dataset: args.dataset };
      return { ...(await ctx.services.datasets.fastForward(ctx.actor, at, args.name, args.to, args.expectedHead)), at };
    },
  }),
  deleteBranch: t.field({
    type: DeletedBranchRef,
    authScopes: { credential: 'write' },
    args: { ...datasetArgs(t as never), name: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: async (_, args, ctx) => {
      await ctx.services.datasets.deleteBranch(ctx.actor, { project: args.project, dataset: args.dataset }, args.name);
      return { name: args.name };
    },
  }),
  stageItems: t.field({
    type: StageResultRef,
    description: 'Stages puts (of uploaded blobs) and deletions on a branch; all or nothing.',
    authScopes: { credential: 'write' },
    args: {
      ...datasetArgs(t as never),
      branch: t.arg.string({ required: true }),
      changes: t.arg({ type: [ItemChangeInput], required: true }),
    },
    errors: typedErrors,
    resolve: async (_, args, ctx) => {
      const changes: ItemChange[] = args.changes.map((c) =>
        c.delete ? { path: c.path, delete: true } : { path: c.path, blob: c.blob ?? '', meta: c.meta ?? undefined, annotations: c.annotations ?? undefined },
      );
      return { count: await ctx.services.datasets.stage(ctx.actor, { project: args.project, dataset: args.dataset }, args.branch, changes) };
    },
  }),
  annotateItems: t.field({
    type: StageResultRef,
    description:
      'Labeling work: stages new annotations for existing items of a branch, keeping their blobs and meta; all or nothing. Labelers may do this on the branches assigned to them.',
    authScopes: { credential: 'write' },
    args: {
      ...datasetArgs(t as never),
      branch: t.arg.string({ required: true }),
      edits: t.arg({ type: [AnnotationEditInput], required: true }),
    },
    errors: typedErrors,
    resolve: async (_, args, ctx) => ({
      count: await ctx.services.datasets.annotate(ctx.actor, { project: args.project, dataset: args.dataset }, args.branch, args.edits.map((e) => ({ path: e.path, annotations: e.annotations ?? null }))),
    }),
  }),
  unstageItems: t.field({
    type: StageResultRef,
    authScopes: { credential: 'write' },
    args: { ...datasetArgs(t as never), branch: t.arg.string({ required: true }), paths: t.arg.stringList({ required: true }) },
    errors: typedErrors,
    resolve: async (_, args, ctx) => ({
      count: await ctx.services.datasets.unstage(ctx.actor, { project: args.project, dataset: args.dataset }, args.branch, args.paths),
    }),
  }),
  commit: t.field({
    type: CommitResultRef,
    description: 'Folds the staged changes into a new snapshot and commit (compare-and-swap on the branch).',
    authScopes: { credential: 'write' },
    args: {
      ...datasetArgs(t as never),
      branch: t.arg.string({ required: true }),
      message: t.arg.string({ required: true }),
      expectedHead: t.arg.string({ required: false, description: 'Fail with RefConflictError unless the branch is still here.' }),
      meta: t.arg({ type: 'JSON', required: false }),
    },
    errors: typedErrors,
    resolve: async (_, args, ctx) => ({
      project: args.project,
      ...(await ctx.services.datasets.commit(ctx.actor, { project: args.project, dataset: args.dataset }, args.branch, {
        message: args.message,
        expectedHead: args.expectedHead ?? undefined,
        meta: (args.meta ?? undefined) as never,
      })),
    }),
  }),
  merge: t.field({
    type: MergeResultRef,
    description: 'Three-way merge of branch `from` into branch `into`, item by item.',
    authScopes: { credential: 'write' },
    args: {
      ...datasetArgs(t as never),
      from: t.arg.string({ required: true }),
      into: t.arg.string({ required: true }),
      strategy: t.arg({ type: MergeStrategy, required: false, defaultValue: 'fail' }),
      message: t.arg.string({ required: false }),
    },
    errors: typedErrors,
    resolve: async (_, args, ctx) => ({
      project: args.project,
      ...(await ctx.services.datasets.merge(ctx.actor, { project: args.project, dataset: args.dataset }, {
        from: args.from,
        into: args.into,
        strategy: args.strategy ?? 'fail',
        message: args.message ?? undefined,
      })),
    }),
  }),
}));
