import type { JsonValue } from '../../core/canonical-json.ts';
import type { LabelingProjectView } from '../../services/labeling/labeling-projects.ts';
import { builder } from '../builder.ts';
import { LabelingMemberRef } from './labeling-member.ts';
import { LabelingProgressRef } from './labeling-progress.ts';

export const LabelingProjectRef = builder.objectRef<LabelingProjectView>('LabelingProject').implement({
  description: 'Labeling work over one dataset branch: a label schema, a task queue, members, review and consensus.',
  fields: (t) => ({
    id: t.exposeID('id'),
    project: t.exposeString('project', { description: 'The project (tenant) it belongs to.' }),
    name: t.exposeString('name', { description: 'Unique in its project.' }),
    dataset: t.exposeString('dataset'),
    branch: t.exposeString('branch'),
    schema: t.field({ type: 'JSON', description: 'The label schema: media, classes (name, color, hotkey), tools, keypoints.', resolve: (lp) => lp.schema as unknown as JsonValue }),
    instructions: t.exposeString('instructions'),
    overlap: t.exposeInt('overlap', { description: 'Labelers per overlapped item (1: no overlap).' }),
    overlapFraction: t.exposeFloat('overlapFraction', { description: 'Share of items (chosen by a stable hash of the path) that get `overlap` labelers.' }),
    queueOrder: t.exposeString('queueOrder', { description: '"dataset" (path order), "random" (stable, seeded by the project id) or "meta:<key>" (ascending by that meta value).' }),
    autoCommitEvery: t.int({ nullable: true, description: 'Commits the branch after this many staged label edits; null: manual commits only.', resolve: (lp) => lp.autoCommitEvery }),
    reviewThreshold: t.exposeFloat('reviewThreshold', { description: 'Agreement below this sends an overlapped item to review.' }),
    members: t.field({ type: [LabelingMemberRef], description: 'In user name order.', resolve: (lp, _, ctx) => ctx.services.labeling.members(lp) }),
    progress: t.field({ type: LabelingProgressRef, resolve: (lp, _, ctx) => ctx.services.labeling.progress(lp) }),
    myRole: t.string({ nullable: true, description: '"manager", "reviewer", "labeler" or null: what the asking user may do here.', resolve: (lp) => lp.myRole }),
  }),
});

builder.queryFields((t) => ({
  labelingProjects: t.field({
    type: [LabelingProjectRef],
    description: 'The labeling projects of a project the caller may see (labelers and reviewers: only their own), in name order.',
    authScopes: { credential: 'read' },
    args: { project: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => ctx.services.labeling.listProjects(ctx.actor, args.project),
  }),
  labelingProject: t.field({
    type: LabelingProjectRef,
    description: 'One labeling project, its tasks brought up to the branch head.',
    authScopes: { credential: 'read' },
    args: { project: t.arg.string({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => ctx.services.labeling.getProject(ctx.actor, args.project, args.name),
  }),
}));

builder.mutationFields((t) => ({
  createLabelingProject: t.field({
    type: LabelingProjectRef,
    description: 'Creates a labeling project over dataset@branch: one task per item of the branch head. For those with data.write on the project.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
      dataset: t.arg.string({ required: true }),
      branch: t.arg.string({ required: true }),
      schema: t.arg({ type: 'JSON', required: true }),
      instructions: t.arg.string(),
      overlap: t.arg.int(),
      overlapFraction: t.arg.float(),
      queueOrder: t.arg.string(),
      autoCommitEvery: t.arg.int(),
      reviewThreshold: t.arg.float(),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.createProject(ctx.actor, args),
  }),
  updateLabelingProject: t.field({
    type: LabelingProjectRef,
    description: 'Changes a labeling project; omitted arguments stay. autoCommitEvery: 0 turns auto-commit off. A new queue order re-keys every task.',
    authScopes: { credential: 'write' },
    args: {
      project: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
      schema: t.arg({ type: 'JSON' }),
      instructions: t.arg.string(),
      queueOrder: t.arg.string(),
      autoCommitEvery: t.arg.int(),
      reviewThreshold: t.arg.float(),
    },
    resolve: (_, args, ctx) => ctx.services.labeling.updateProject(ctx.actor, args),
  }),
}));
