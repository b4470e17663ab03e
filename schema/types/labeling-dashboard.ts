import type { AgreementStats, LabelerStats } from '../../core/labels/labeling-figures.ts';
import type { LabelingDashboard } from '../../services/labeling/dashboard.ts';
import { builder } from '../builder.ts';
import { LabelingProgressRef } from './labeling-progress.ts';

const LabelerStatsRef = builder.objectRef<LabelerStats>('LabelerStats').implement({
  fields: (t) => ({
    user: t.exposeString('user'),
    submitted: t.exposeInt('submitted'),
    skipped: t.exposeInt('skipped'),
    accepted: t.exposeInt('accepted', { description: 'Submissions a reviewer accepted.' }),
    rejected: t.exposeInt('rejected', { description: 'Submissions a reviewer rejected.' }),
    perHour: t.exposeFloat('perHour', { description: 'Submissions per hour over the labeler\'s active span (first to last submission, at least a minute).' }),
    medianSeconds: t.float({ nullable: true, description: 'Median seconds between consecutive submissions.', resolve: (s) => s.medianSeconds }),
  }),
});

const AgreementStatsRef = builder.objectRef<AgreementStats>('AgreementStats').implement({
  fields: (t) => ({
    items: t.exposeInt('items', { description: 'Overlapped items whose labelers all submitted.' }),
    meanKappa: t.float({ nullable: true, description: 'Cohen\'s kappa (2 labelers per item) or Fleiss\' kappa (more) on class labels.', resolve: (a) => a.meanKappa }),
    meanIoU: t.float({ nullable: true, description: 'Mean matched IoU of the items compared by shapes.', resolve: (a) => a.meanIoU }),
    belowThreshold: t.exposeInt('belowThreshold'),
  }),
});

const LabelingDashboardRef = builder.objectRef<LabelingDashboard>('LabelingDashboard').implement({
  fields: (t) => ({
    progress: t.field({ type: LabelingProgressRef, resolve: (d) => d.progress }),
    labelers: t.field({ type: [LabelerStatsRef], resolve: (d) => d.labelers }),
    agreement: t.field({ type: AgreementStatsRef, resolve: (d) => d.agreement }),
  }),
});

builder.queryField('labelingDashboard', (t) =>
  t.field({
    type: LabelingDashboardRef,
    description: 'Progress, per-labeler throughput and agreement of a labeling project.',
    authScopes: { credential: 'read' },
    args: { project: t.arg.string({ required: true }), labelingProject: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => ctx.services.labeling.dashboard(ctx.actor, args),
  }),
);
