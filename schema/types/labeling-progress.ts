import type { Progress } from '../../services/labeling/labeling-store.ts';
import { builder } from '../builder.ts';

/** How far a labeling project is; shared by LabelingProject.progress and the dashboard. */
export const LabelingProgressRef = builder.objectRef<Progress>('LabelingProgress').implement({
  description: 'Task counts of a labeling project. unlabeled + leased + skipped + inReview + done = total.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Tasks: one per committed item of the branch.' }),
    unlabeled: t.exposeInt('unlabeled', { description: 'Open, not leased, skipped by nobody (overlapped items waiting for more labels included).' }),
    leased: t.exposeInt('leased', { description: 'Open, with a live lease.' }),
    inReview: t.exposeInt('inReview'),
    done: t.exposeInt('done'),
    skipped: t.exposeInt('skipped', { description: 'Open, not leased, skipped by at least one labeler.' }),
    uncommitted: t.exposeInt('uncommitted', { description: 'Label edits staged on the branch and not committed yet.' }),
  }),
});
