import { cohensKappa, fleissKappa } from '../../core/labels/agreement.ts';
import type { Actor } from '../actor.ts';
import { requireLabeling } from './labeling-access.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import type { AgreementStats, LabelerStats, LabelingProgress } from '../../core/labels/labeling-figures.ts';
import type { LabelerFigures } from './labeling-store.ts';
import { syncTasks } from './task-sync.ts';

export interface LabelingDashboard {
  readonly progress: LabelingProgress;
  readonly labelers: LabelerStats[];
  readonly agreement: AgreementStats;
}

// A labeler's span is at least a minute, so one quick submission does not read as thousands per hour.
const MIN_SPAN_MS = 60_000;

/**
 * Progress, per-labeler throughput and agreement of a labeling project. For its managers,
 * reviewers and whoever may read the project.
 * @throws ForbiddenError, NotFoundError
 */
export async function labelingDashboard(deps: LabelingDeps, actor: Actor | null, input: { project: string; labelingProject: string }): Promise<LabelingDashboard> {
  const { lp } = await requireLabeling(deps, actor, input.project, input.labelingProject, 'read', 'labeling.dashboard');
  await syncTasks(deps, lp);
  const [progress, figures, ratings, summary] = [
    await deps.store.progress(lp.id, deps.clock.now()),
    await deps.store.labelerFigures(lp.id),
    await deps.store.classRatings(lp.id),
    await deps.store.agreementSummary(lp.id, lp.reviewThreshold),
  ];
  return {
    progress,
    labelers: figures.map(labelerStats),
    agreement: { items: summary.items, meanKappa: kappaOf(ratings), meanIoU: summary.meanGeometry, belowThreshold: summary.belowThreshold },
  };
}

/** Throughput: submissions per hour over the labeler's active span (first to last submission, at least a minute). */
export function labelerStats(f: LabelerFigures): LabelerStats {
  const spanMs = f.firstSubmit && f.lastSubmit ? Math.max(MIN_SPAN_MS, f.lastSubmit.getTime() - f.firstSubmit.getTime()) : null;
  const perHour = spanMs === null ? 0 : f.submitted / (spanMs / 3_600_000);
  return { user: f.user, submitted: f.submitted, skipped: f.skipped, accepted: f.accepted, rejected: f.rejected, perHour, medianSeconds: f.medianSeconds };
}

/**
 * Chance-corrected agreement over items each rated by the same number of labelers (`ratings`
 * holds each item's class sets in submission order): Cohen's kappa pairing the first and second
 * labeler of each item when there are two, Fleiss' kappa when there are more. Null without items.
 */
export function kappaOf(ratings: readonly (readonly string[])[]): number | null {
  if (ratings.length === 0) return null;
  const raters = ratings[0]!.length;
  const items = ratings.filter((r) => r.length === raters);
  if (raters === 2) return cohensKappa(items.map((r) => r[0]!), items.map((r) => r[1]!));
  const categories = [...new Set(items.flat())];
  return fleissKappa(items.map((r) => categories.map((c) => r.filter((x) => x === c).length)));
}
