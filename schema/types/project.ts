import type { Project } from '../../core/model.ts';
import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';
import { DatasetRef } from './dataset.ts';
import { StorageStatsRef } from './storage.ts';

export const ProjectRef = builder.objectRef<Project>('Project').implement({
  description: 'A tenant: every dataset belongs to exactly one project.',
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.string({ resolve: (p) => p.createdAt.toISOString() }),
    datasets: t.connection({
      type: DatasetRef,
      resolve: (p, args, ctx) =>
        forwardConnection(
          args,
          async (after, limit) => (await ctx.services.datasets.listDatasets(ctx.actor, p.name, { after, limit })).map((d) => ({ ...d, projectName: p.name })),
          (d) => d.name,
        ),
    }),
    storage: t.field({
      type: StorageStatsRef,
      description: 'Logical bytes of every branch of every dataset versus unique bytes stored.',
      resolve: (p, _, ctx) => ctx.services.stats.ofProject(ctx.actor, p.name),
    }),
  }),
});

builder.queryFields((t) => ({
  projects: t.connection({
    type: ProjectRef,
    description: 'The projects the caller is a member of (administrators: all).',
    authScopes: { credential: 'read' },
    resolve: (_, args, ctx) => forwardConnection(args, (after, limit) => ctx.services.datasets.listProjects(ctx.actor, { after, limit }), (p) => p.name),
  }),
  project: t.field({
    type: ProjectRef,
    authScopes: { credential: 'read' },
    args: { name: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: (_, { name }, ctx) => ctx.services.datasets.getProject(ctx.actor, name),
  }),
}));

builder.mutationField('createProject', (t) =>
  t.field({
    type: ProjectRef,
    authScopes: { credential: 'admin' },
    description: 'Creates a project (instance administrators); the creator becomes its owner.',
    args: { name: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: (_, { name }, ctx) => ctx.services.datasets.createProject(ctx.actor, name),
  }),
);
