import type { AgreementStats, LabelerStats } from '../core/labels/labeling-figures.ts';
import { PROGRESS_FIELDS, percentDone, plural, progressLine, type LabelingProgressView } from './labeling-view.ts';

/** What `labeling status` shows (and prints with --json). */
export interface LabelingStatus {
  readonly name: string;
  readonly dataset: string;
  readonly branch: string;
  readonly reviewThreshold: number;
  readonly percentDone: number;
  readonly progress: LabelingProgressView;
  readonly labelers: readonly LabelerStats[];
  readonly agreement: AgreementStats;
}

/** The query behind `LabelingStatus`: the project's place and threshold, and its dashboard. */
export const STATUS_QUERY = `query($project: String!, $name: String!) {
  labelingProject(project: $project, name: $name) { name dataset branch reviewThreshold }
  labelingDashboard(project: $project, labelingProject: $name) {
    progress { ${PROGRESS_FIELDS} }
    labelers { user submitted skipped accepted rejected perHour medianSeconds }
    agreement { items meanKappa meanIoU belowThreshold }
  }
}`;

/** The answer to STATUS_QUERY as one `LabelingStatus`. */
export function toStatus(data: {
  labelingProject: { name: string; dataset: string; branch: string; reviewThreshold: number };
  labelingDashboard: { progress: LabelingProgressView; labelers: LabelerStats[]; agreement: AgreementStats };
}): LabelingStatus {
  const { labelingProject: lp, labelingDashboard: board } = data;
  return { ...lp, percentDone: percentDone(board.progress), ...board };
}

/** The dashboard as text: progress, a table of labelers, agreement. */
export function statusText(status: LabelingStatus): string {
  const { agreement: a } = status;
  const rows = status.labelers.map((l) => [
    l.user,
    String(l.submitted),
    String(l.skipped),
    String(l.accepted),
    String(l.rejected),
    l.perHour.toFixed(1),
    l.medianSeconds === null ? '-' : `${l.medianSeconds.toFixed(1)}s`,
  ]);
  const table = rows.length === 0 ? ['  no submissions yet'] : alignedTable(['labeler', 'submitted', 'skipped', 'accepted', 'rejected', 'per hour', 'median'], rows);
  const figure = (value: number | null) => (value === null ? '-' : value.toFixed(2));
  const agreement =
    a.items === 0
      ? 'agreement  no overlapped item fully labeled yet'
      : `agreement  ${plural(a.items, 'overlapped item', 'overlapped items')}: kappa ${figure(a.meanKappa)}, IoU ${figure(a.meanIoU)}; ${a.belowThreshold} below ${status.reviewThreshold}`;
  return [`${status.name} (${status.dataset}@${status.branch})`, `progress   ${progressLine(status.progress)}`, '', ...table, '', agreement].join('\n');
}

/** Columns padded to their widest cell: the first left-aligned, numbers right-aligned. */
function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}
