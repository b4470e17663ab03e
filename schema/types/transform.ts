import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { JobRef } from './job.ts';

const TransformRef = builder
  .objectRef<{ name: string; version: string; kind: string; description: string }>('Transform')
  .implement({
    description: 'A deterministic preparation step from one snapshot to another.',
    fields: (t) => ({
      name: t.exposeString('name'),
      version: t.exposeString('version', { description: 'Bumped whenever outputs for the same input and parameters may change.' }),
      kind: t.exposeString('kind', { description: '"item" (each item on its own; reruns recompute only changed items) or "dataset".' }),
      description: t.exposeString('description'),
    }),
  });

builder.queryField('transforms', (t) =>
  t.field({
    type: [TransformRef],
    description: 'The transforms this server runs.',
    authScopes: { credential: 'read' },
    resolve: (_, __, ctx) => ctx.services.transforms.list(),
  }),
);

builder.mutationField('runTransform', (t) =>
  t.field({
    type: JobRef,
    description:
      'Runs a transform on a snapshot (dataset@ref, commit id or snapshot hash) into a branch, as a job: watch it with job/jobProgress. Its result names the output snapshot; the same input, transform, version and parameters always give the same one.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      transform: t.arg.string({ required: true }),
      input: t.arg.string({ required: true }),
      outputDataset: t.arg.string({ required: true }),
      outputBranch: t.arg.string({ required: false, defaultValue: 'main' }),
      params: t.arg({ type: 'JSON', required: false }),
    },
    errors: typedErrors,
    resolve: (_, args, ctx) =>
      ctx.services.transforms.run(ctx.actor, args.project, {
        transform: args.transform,
        input: args.input,
        output: { dataset: args.outputDataset, branch: args.outputBranch ?? 'main' },
        params: (args.params ?? {}) as never,
      }),
  }),
);
