import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';
import { BranchRef } from './branch.ts';
import { CommitRef, commitKey } from './commit.ts';
import { ItemRef } from './item.ts';
import { addressOf, type DatasetShape } from './shapes.ts';
import { SnapshotRef } from './snapshot.ts';
import { StorageStatsRef } from './storage.ts';
import { TagRef } from './tag.ts';

const DatasetOriginRef = builder
  .objectRef<{ snapshot: string; commit: string | null; project: string }>('DatasetOrigin')
  .implement({
    description: 'Where a cloned dataset started: the shared snapshot (nothing was copied).',
    fields: (t) => ({
      snapshot: t.field({ type: SnapshotRef, resolve: (o) => ({ hash: o.snapshot, project: o.project }) }),
      commit: t.exposeString('commit', { nullable: true }),
    }),
  });

const ResolvedRefRef = builder
  .objectRef<{ kind: string; commit: string | null; snapshot: string; project: string }>('ResolvedRef')
  .implement({
    description: 'What a ref names: a branch, tag, commit or bare snapshot.',
    fields: (t) => ({
      kind: t.exposeString('kind'),
      commit: t.field({ type: CommitRef, nullable: true, resolve: (r) => (r.commit === null ? null : commitKey(r.project, r.commit)) }),
      snapshot: t.field({ type: SnapshotRef, resolve: (r) => ({ hash: r.snapshot, project: r.project }) }),
    }),
  });

export const DatasetRef = builder.objectRef<DatasetShape>('Dataset').implement({
  description: 'A named history of snapshots (branches, tags, commits) inside a project.',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    project: t.exposeString('projectName'),
    createdAt: t.string({ resolve: (d) => d.createdAt.toISOString() }),
    origin: t.field({ type: DatasetOriginRef, nullable: true, resolve: (d) => d.origin && { ...d.origin, project: d.projectName } }),
    branches: t.connection({
      type: BranchRef,
      resolve: (d, args, ctx) =>
        forwardConnection(
          args,
          async (after, limit) => (await ctx.services.datasets.listBranches(ctx.actor, addressOf(d), { after, limit })).map((b) => ({ ...b, at: addressOf(d) })),
          (b) => b.name,
        ),
    }),
    branch: t.field({
      type: BranchRef,
      args: { name: t.arg.string({ required: true }) },
      resolve: async (d, { name }, ctx) => ({ ...(await ctx.services.datasets.getBranch(ctx.actor, addressOf(d), name)), at: addressOf(d) }),
    }),
    tags: t.connection({
      type: TagRef,
      resolve: (d, args, ctx) =>
        forwardConnection(
          args,
          async (after, limit) => (await ctx.services.datasets.listTags(ctx.actor, addressOf(d), { after, limit })).map((tag) => ({ ...tag, at: addressOf(d) })),
          (tag) => tag.name,
        ),
    }),
    ref: t.field({
      type: ResolvedRefRef,
      description: 'Resolves a branch or tag name, commit id or snapshot hash.',
      args: { ref: t.arg.string({ required: true }) },
      resolve: async (d, { ref }, ctx) => {
        const resolved = await ctx.services.datasets.resolve(ctx.actor, addressOf(d), ref);
        return { kind: resolved.kind, commit: resolved.commit?.id ?? null, snapshot: resolved.snapshot, project: d.projectName };
      },
    }),
    log: t.connection({
      type: CommitRef,
      description: 'Commits reachable from the ref, newest first.',
      args: { ref: t.arg.string({ required: false, defaultValue: 'main' }) },
      resolve: (d, args, ctx) =>
        forwardConnection(
          args,
          async (after, limit) => (await ctx.services.datasets.log(ctx.actor, addressOf(d), args.ref ?? 'main', { after, limit })).commits.map((c) => ({ ...c, project: d.projectName })),
          (c) => c.id,
        ),
    }),
    items: t.connection({
      type: ItemRef,
      description: 'Items of the ref in path order; a branch includes its staged changes.',
      args: { ref: t.arg.string({ required: false, defaultValue: 'main' }), prefix: t.arg.string({ required: false }) },
      resolve: (d, args, ctx) =>
        forwardConnection(
          args,
          (after, limit) =>
            ctx.services.datasets.listItems(ctx.actor, addressOf(d), args.ref ?? 'main', { after, limit, prefix: args.prefix ?? undefined }),
          (item) => item.path,
        ),
    }),
    item: t.field({
      type: ItemRef,
      args: { ref: t.arg.string({ required: false, defaultValue: 'main' }), path: t.arg.string({ required: true }) },
      resolve: (d, args, ctx) => ctx.services.datasets.getItem(ctx.actor, addressOf(d), args.ref ?? 'main', args.path),
    }),
    storage: t.field({
      type: StorageStatsRef,
      description: 'Logical bytes of every branch versus unique bytes stored.',
      resolve: (d, _, ctx) => ctx.services.stats.ofDataset(ctx.actor, addressOf(d)),
    }),
  }),
});

builder.queryField('dataset', (t) =>
  t.field({
    type: DatasetRef,
    authScopes: { credential: 'read' },
    args: { project: t.arg.string({ required: true }), name: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: async (_, args, ctx) => ({
      ...(await ctx.services.datasets.getDataset(ctx.actor, { project: args.project, dataset: args.name })),
      projectName: args.project,
    }),
  }),
);

builder.mutationFields((t) => ({
  createDataset: t.field({
    type: DatasetRef,
    description: 'Creates an empty dataset with a main branch.',
    authScopes: { credential: 'write' },
    args: { project: t.arg.string({ required: true }), name: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: async (_, args, ctx) => {
      const { dataset } = await ctx.services.datasets.createDataset(ctx.actor, { project: args.project, dataset: args.name });
      return { ...dataset, projectName: args.project };
    },
  }),
  cloneDataset: t.field({
    type: DatasetRef,
    description: 'Clones a dataset at any ref into a new dataset in O(1): nothing is copied.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      source: t.arg.string({ required: true, description: 'The dataset to clone.' }),
      ref: t.arg.string({ required: false, defaultValue: 'main', description: 'Branch, tag, commit id or snapshot hash.' }),
      name: t.arg.string({ required: true, description: 'The new dataset.' }),
    },
    errors: typedErrors,
    resolve: async (_, args, ctx) => {
      const { dataset } = await ctx.services.datasets.cloneDataset(
        ctx.actor,
        { project: args.project, dataset: args.source },
        args.ref ?? 'main',
        { project: args.project, dataset: args.name },
      );
      return { ...dataset, projectName: args.project };
    },
  }),
}));
