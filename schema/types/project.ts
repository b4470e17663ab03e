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
          async (after, limit) => (await ctx.services.datasets.listDatasets(p.name, { after, limit })).map((d) => ({ ...d, projectName: p.name })),
          (d) => d.name,
        ),
    }),
    storage: t.field({
      type: StorageStatsRef,
      description: 'Logical bytes of every branch of every dataset versus unique bytes stored.',
      resolve: (p, _, ctx) => ctx.services.stats.ofProject(p.name),
    }),
  }),
});

builder.queryFields((t) => ({
  projects: t.connection({
    type: ProjectRef,
    resolve: (_, args, ctx) => forwardConnection(args, (after, limit) => ctx.services.datasets.listProjects({ after, limit }), (p) => p.name),
  }),
  project: t.field({
    type: ProjectRef,
    args: { name: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: (_, { name }, ctx) => ctx.services.datasets.getProject(name),
  }),
}));

builder.mutationField('createProject', (t) =>
  t.field({
    type: ProjectRef,
    authScopes: { signedIn: true },
    args: { name: t.arg.string({ required: true }) },
    errors: typedErrors,
    resolve: (_, { name }, ctx) => ctx.services.datasets.createProject(name),
  }),
);
